// Bundle entry for P1.6 "Initialization and signal propagation" (InitWidget).
import { defineWidget } from "../engine/widget.js";
import { initView } from "../views/initialization.js";

export default defineWidget("initialization", initView);
