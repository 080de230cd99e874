// Bundle entry for P9.1 "Anatomy of an inference engine" (AnatomyWidget).
import { defineWidget } from "../engine/widget.js";
import { anatomyView } from "../views/anatomy.js";

export default defineWidget("anatomy", anatomyView);
