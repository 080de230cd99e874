// Bundle entry for P9.9 "Speculative decoding" (SpeculativeWidget).
import { defineWidget } from "../engine/widget.js";
import { speculativeView } from "../views/speculative.js";

export default defineWidget("speculative", speculativeView);
