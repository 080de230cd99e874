r"""P9.8 widget: one prompt's KV cache cut into blocks and streamed across a link.

A prefill GPU has just computed a prompt's KV cache; a decode GPU needs it before it
can generate the first token. :func:`vizkit.serving.kv_transfer` cuts the cache into
blocks of ``block_size`` tokens, groups them into messages, and streams them over a
:class:`vizkit.serving.Link` (NVLink, InfiniBand, RoCE, PCIe, TCP). Each frame is one
instant of the transfer; the bottom panel sets the whole transfer beside one decode step
and the prefill of the same prompt from the roofline cost model. Every link in ``links``
is simulated up front and shipped as one *scenario*, so the browser switches between
them with no kernel; model, GPU, prompt length, block size and message size re-run the
simulation.

With tensor parallelism over ``tp`` GPUs, each GPU of the prefill replica sends its own
shard of the cache over its own link, all in parallel: a GQA or MHA cache splits by KV
head, so a link carries ``1 / tp`` of it; an MLA cache (one latent per token, kept whole
on every GPU) is not split, and a link carries all of it.

>>> w = KVTransferWidget()
>>> w
KVTransferWidget(link_name='roce-400g', links=('nvlink4', 'ib-ndr', 'roce-400g', 'pcie5', 'tcp-100g'), model='llama-3-70b', gpu='h100-sxm', tp=4, prompt_tokens=4096, block_size=16, blocks_per_message=1)
>>> w.prompt_tokens = 0           # bad input: reported, not raised
>>> w.error
'prompt_tokens must be an integer >= 1 and <= 65536; got 0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit import catalog
from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_int
from vizkit.serving import LINKS, cost_model, kv_transfer

from .base import VizWidget

__all__ = ["KVTransferWidget", "LEAVES_OUT", "kv_bytes_per_link_token", "transfer_scenario", "N_FRAMES"]

LEAVES_OUT = (
    "Messages go out back to back, each paying the link's one-way latency once, at the link's line "
    "rate: no congestion, no other traffic, no protocol overhead and no overlap of the transfer with "
    "the prefill that produces the blocks. With tensor parallelism each GPU sends its own shard over "
    "its own link in parallel. The decode step and the prefill come from the roofline cost model at batch 1."
)

#: Frames of one transfer animation (instants from the first byte to the last block landing).
N_FRAMES = 48
MAX_BLOCKS = 4096


def kv_bytes_per_link_token(model: str, tp: int = 1, dtype: str = "bf16") -> float:
    """KV bytes per prompt token that one GPU's link carries under ``tp``-way tensor parallelism.

    >>> kv_bytes_per_link_token("llama-3-70b", tp=4)        # 80 layers x 8 KV heads x 128 x 2 x 2 B / 4
    81920.0
    >>> kv_bytes_per_link_token("deepseek-v2", tp=8)        # MLA: the latent is not split
    69120.0
    """
    m = catalog.model(model)
    t = positive_int("tp", tp, maximum=64)
    per_token = float(m.kv_bytes_per_token(dtype))
    if m.attention == "mla":
        return per_token
    if t > m.n_kv_heads:
        raise ValueError(f"tp must be at most the model's KV heads ({m.n_kv_heads}); got {t}")
    return per_token / t


def transfer_scenario(link_name: str, model: str = "llama-3-70b", gpu: str = "h100-sxm", tp: int = 4,
                      prompt_tokens: int = 4096, block_size: int = 16, blocks_per_message: int = 1,
                      n_frames: int = N_FRAMES) -> dict[str, Any]:
    """One link: per-block departures and arrivals, per-frame progress and the reference times."""
    name = one_of("link", link_name, LINKS)
    n = positive_int("prompt_tokens", prompt_tokens, maximum=1 << 16)
    bs = positive_int("block_size", block_size, maximum=1024)
    if -(-n // bs) > MAX_BLOCKS:
        raise ValueError(f"prompt_tokens / block_size must be at most {MAX_BLOCKS} blocks to draw; "
                         f"got {-(-n // bs)}")
    per = positive_int("blocks_per_message", blocks_per_message, maximum=MAX_BLOCKS)
    F = positive_int("n_frames", n_frames, maximum=1000)
    kvb = kv_bytes_per_link_token(model, tp)
    cm = cost_model(model, gpu, tp=tp)
    tr = kv_transfer(n, kvb, name, block_size=bs, blocks_per_message=per)
    t = tr.total_s * np.arange(1, F + 1) / F                  # frame f shows the instant t[f]
    arrived = (tr.arrive_s[None, :] <= t[:, None] * (1 + 1e-12))
    departed = (tr.depart_s[None, :] < t[:, None])
    n_arrived = arrived.sum(axis=1)
    bytes_arrived = (arrived * tr.block_bytes[None, :]).sum(axis=1)
    decode_s = cm.decode_step_s(1, n)
    return {
        "link": name, "bw": LINKS[name].bw_bytes_per_s, "latency_s": LINKS[name].latency_s,
        "n_blocks": int(tr.depart_s.size), "n_messages": int(-(-tr.depart_s.size // per)),
        "total_s": tr.total_s, "total_bytes": tr.total_bytes, "kv_bytes_per_token": kvb,
        "decode_s": decode_s, "prefill_s": cm.prefill_s(n), "ratio": tr.total_s / decode_s,
        "depart_s": tr.depart_s, "arrive_s": tr.arrive_s, "time_s": t,
        "n_arrived": n_arrived, "n_in_flight": (departed & ~arrived).sum(axis=1),
        "bytes_arrived": bytes_arrived,
    }


def _wire(sc: dict[str, Any]) -> dict[str, Any]:
    total = max(sc["total_s"], 1e-30)
    named = [("depart", sc["depart_s"] / total), ("arrive", sc["arrive_s"] / total),
             ("time_ms", 1e3 * sc["time_s"]), ("n_arrived", sc["n_arrived"]),
             ("n_in_flight", sc["n_in_flight"]), ("mib_arrived", sc["bytes_arrived"] / 2**20)]
    return {
        "name": sc["link"], "bw_gbs": sc["bw"] / 1e9, "latency_us": 1e6 * sc["latency_s"],
        "n_blocks": sc["n_blocks"], "n_messages": sc["n_messages"], "n_frames": len(sc["time_s"]),
        "total_ms": 1e3 * sc["total_s"], "total_mib": sc["total_bytes"] / 2**20,
        "kv_kib_per_token": sc["kv_bytes_per_token"] / 2**10, "decode_ms": 1e3 * sc["decode_s"],
        "prefill_ms": 1e3 * sc["prefill_s"], "ratio": sc["ratio"], **to_buffers(named),
    }


class KVTransferWidget(VizWidget):
    """A prompt's KV blocks leaving a prefill GPU and landing on a decode GPU (top), and the
    transfer time on every link beside one decode step and the prefill (bottom).

    Parameters
    ----------
    links : link names from :data:`vizkit.serving.LINKS`, one precomputed scenario each.
    model, gpu : catalog names; ``tp`` GPUs per replica (tensor parallel).
    prompt_tokens : tokens whose KV cache moves (1 to 65,536).
    block_size : tokens per KV block (1 to 1,024; at most 4,096 blocks).
    blocks_per_message : blocks grouped into one message (each message pays the latency once).
    link_name : the link shown first; one of ``links``.
    """

    _bundle = "kvtransfer"
    _sim_params = ("links", "model", "gpu", "tp", "prompt_tokens", "block_size", "blocks_per_message")
    _repr_params = ("link_name", "links", "model", "gpu", "tp", "prompt_tokens", "block_size",
                    "blocks_per_message")

    links = traitlets.Tuple().tag(sync=True)
    model = traitlets.Unicode("llama-3-70b").tag(sync=True)
    gpu = traitlets.Unicode("h100-sxm").tag(sync=True)
    tp = traitlets.Int(4).tag(sync=True)
    prompt_tokens = traitlets.Int(4096).tag(sync=True)
    block_size = traitlets.Int(16).tag(sync=True)
    blocks_per_message = traitlets.Int(1).tag(sync=True)
    link_name = traitlets.Unicode("roce-400g").tag(sync=True)   # selected scenario (JS switches it)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, links=("nvlink4", "ib-ndr", "roce-400g", "pcie5", "tcp-100g"), model="llama-3-70b",
                 gpu="h100-sxm", tp=4, prompt_tokens=4096, block_size=16, blocks_per_message=1,
                 link_name="roce-400g", **kwargs: Any) -> None:
        super().__init__(links=tuple(links), model=model, gpu=gpu, tp=tp, prompt_tokens=prompt_tokens,
                         block_size=block_size, blocks_per_message=blocks_per_message, link_name=link_name,
                         description=LEAVES_OUT, **kwargs)
        one_of("link_name", self.link_name, self.links)        # bad arguments raise here
        self._apply(self._simulate())
        self._last_link = self.link_name
        self.observe(self._on_link, names=["link_name"])

    @property
    def n_frames(self) -> int:
        return N_FRAMES

    def _simulate(self) -> list[dict[str, Any]]:
        if not self.links:
            raise ValueError("links must list at least one link; got ()")
        if len(self.links) > 8:
            raise ValueError(f"links must list at most 8 links; got {len(self.links)}")
        for name in self.links:
            one_of("links", name, LINKS)
        one_of("model", self.model, catalog.model_names())
        one_of("gpu", self.gpu, catalog.gpu_names())
        return [_wire(transfer_scenario(name, self.model, self.gpu, self.tp, self.prompt_tokens,
                                        self.block_size, self.blocks_per_message)) for name in self.links]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        if self.link_name not in self.links:
            self.link_name = self.links[0]

    def _on_link(self, change: dict) -> None:
        try:
            one_of("link_name", change["new"], self.links)
        except ValueError as exc:
            self.link_name = self._last_link
            self.error = str(exc)
            return
        self._last_link = change["new"]
        if self.error.startswith("link_name "):
            self.error = ""

    def scenario(self, link_name: str | None = None) -> dict[str, Any]:
        """The simulation behind one link (numpy arrays): ``transfer_scenario(...)``."""
        name = self.link_name if link_name is None else one_of("link_name", link_name, self.links)
        return transfer_scenario(name, self.model, self.gpu, self.tp, self.prompt_tokens, self.block_size,
                                 self.blocks_per_message)
