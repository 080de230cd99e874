// Bundle entry for P0.1 "Notation palette" (NotationWidget).
import { defineWidget } from "../engine/widget.js";
import { notationView } from "../views/notation.js";

export default defineWidget("notation", notationView);
