// Bundle entry for P1.1 "The neuron and the perceptron boundary" (PerceptronWidget).
import { defineWidget } from "../engine/widget.js";
import { perceptronView } from "../views/perceptron.js";

export default defineWidget("perceptron", perceptronView);
