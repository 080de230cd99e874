// Bundle entry for P1.2 "Activations (ReLU, GELU, SiLU) and MLPs; universal approximation" (UniversalWidget).
import { defineWidget } from "../engine/widget.js";
import { universalView } from "../views/universal.js";

export default defineWidget("universal", universalView);
