// Bundle entry for P0.7 "Optimization: SGD, momentum, Adam" (OptimizerRaceWidget).
import { defineWidget } from "../engine/widget.js";
import { optimizersView } from "../views/optimizers.js";

export default defineWidget("optimizers", optimizersView);
