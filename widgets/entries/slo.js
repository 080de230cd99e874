// Bundle entry for P9.5 "Serving metrics and SLOs" (SLOWidget).
import { defineWidget } from "../engine/widget.js";
import { sloView } from "../views/slo.js";

export default defineWidget("slo", sloView);
