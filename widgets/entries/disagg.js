// Bundle entry for P9.7 "Disaggregated prefill and decode" (DisaggWidget).
import { defineWidget } from "../engine/widget.js";
import { disaggView } from "../views/disagg.js";

export default defineWidget("disagg", disaggView);
