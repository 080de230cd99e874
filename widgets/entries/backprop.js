// Bundle entry for P1.4 "Backpropagation" (BackpropWidget).
import { defineWidget } from "../engine/widget.js";
import { backpropView } from "../views/backprop.js";

export default defineWidget("backprop", backpropView);
