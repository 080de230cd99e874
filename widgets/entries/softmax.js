// Bundle entry for P0.6 "Probability, softmax, entropy, cross-entropy, KL" (SoftmaxWidget).
import { defineWidget } from "../engine/widget.js";
import { softmaxView } from "../views/softmax.js";

export default defineWidget("softmax", softmaxView);
