// Bundle entry for P9.3 "PagedAttention" (PagedAttentionWidget).
import { defineWidget } from "../engine/widget.js";
import { pagedView } from "../views/paged.js";

export default defineWidget("paged", pagedView);
