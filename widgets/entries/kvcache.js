// Bundle entry for P7.4 "The O(N²) explosion and the KV cache" (KVCacheWidget).
import { defineWidget } from "../engine/widget.js";
import { kvcacheView } from "../views/kvcache.js";

export default defineWidget("kvcache", kvcacheView);
