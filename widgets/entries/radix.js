// Bundle entry for P9.4 "Prefix caching and RadixAttention" (RadixWidget).
import { defineWidget } from "../engine/widget.js";
import { radixView } from "../views/radix.js";

export default defineWidget("radix", radixView);
