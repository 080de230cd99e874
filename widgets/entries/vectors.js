// Bundle entry for P0.3 "Vectors, dot product, cosine similarity" (VectorsWidget).
import { defineWidget } from "../engine/widget.js";
import { vectorsView } from "../views/vectors.js";

export default defineWidget("vectors", vectorsView);
