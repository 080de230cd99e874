// Bundle entry for P9.8 "Moving the KV cache" (KVTransferWidget).
import { defineWidget } from "../engine/widget.js";
import { kvtransferView } from "../views/kvtransfer.js";

export default defineWidget("kvtransfer", kvtransferView);
