// Bundle entry for P0.4 "Matrices as transforms" (TransformWidget).
import { defineWidget } from "../engine/widget.js";
import { transformsView } from "../views/transforms.js";

export default defineWidget("transforms", transformsView);
