// Bundle entry for P9.2 "Static vs continuous batching" (BatchingWidget).
import { defineWidget } from "../engine/widget.js";
import { batchingView } from "../views/batching.js";

export default defineWidget("batching", batchingView);
