// Bundle entry for P1.8 "Normalization: LayerNorm, RMSNorm, pre- vs post-norm" (NormWidget).
import { defineWidget } from "../engine/widget.js";
import { normView } from "../views/normalization.js";

export default defineWidget("normalization", normView);
