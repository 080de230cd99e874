// Bundle entry for P9.6 "Prefill-decode interference and chunked prefill" (ChunkedPrefillWidget).
import { defineWidget } from "../engine/widget.js";
import { chunkedView } from "../views/chunked.js";

export default defineWidget("chunked", chunkedView);
