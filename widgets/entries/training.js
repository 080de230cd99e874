// Bundle entry for P1.5 "Training dynamics" (TrainingWidget).
import { defineWidget } from "../engine/widget.js";
import { trainingView } from "../views/training.js";

export default defineWidget("training", trainingView);
