// Bundle entry for P0.5 "Derivatives and gradient descent" (DescentWidget).
import { defineWidget } from "../engine/widget.js";
import { descentView } from "../views/descent.js";

export default defineWidget("descent", descentView);
