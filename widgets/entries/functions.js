// Bundle entry for P0.2 "Function families" (FunctionsWidget).
import { defineWidget } from "../engine/widget.js";
import { functionsView } from "../views/functions.js";

export default defineWidget("functions", functionsView);
