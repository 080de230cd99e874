// Bundle entry for P1.3 "Loss functions and cross-entropy" (LossWidget).
import { defineWidget } from "../engine/widget.js";
import { lossView } from "../views/losses.js";

export default defineWidget("losses", lossView);
