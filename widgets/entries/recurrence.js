// Bundle entry for P1.7 "RNNs and the sequential bottleneck" (RecurrenceWidget).
import { defineWidget } from "../engine/widget.js";
import { recurrenceView } from "../views/recurrence.js";

export default defineWidget("recurrence", recurrenceView);
