r"""Links that move a KV cache between GPUs: NVLink, InfiniBand, RoCE, PCIe, Ethernet.

A transfer of :math:`n` bytes cut into :math:`k` messages costs

.. math::

    t = k\,t_\text{lat} + n / \text{BW}

(each message pays the link's latency; the bytes stream at its bandwidth).
Bandwidths are **per GPU and per direction** at line rate; a real transfer
reaches perhaps 80-95% of it. Latencies are typical one-way small-message
latencies of the hardware; a software KV-transfer stack adds its own.

>>> l = LINKS["roce-400g"]
>>> round(float(transfer_s(2**30, l)) * 1e3, 2)      # 1 GiB over a 400 Gb/s RoCE NIC, ms
21.48
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from vizkit._validate import nonneg_float, one_of, positive_float, positive_int

from ._record import Record

__all__ = ["Link", "LINKS", "LINK_SOURCES", "link", "transfer_s", "KVTransfer", "kv_transfer"]


@dataclass(frozen=True)
class Link:
    name: str
    bw_bytes_per_s: float   # per GPU, per direction, line rate
    latency_s: float        # one-way, per message
    scope: str              # "node" (inside one server) or "cluster" (between servers)

    def __post_init__(self) -> None:
        positive_float("bw_bytes_per_s", self.bw_bytes_per_s)
        nonneg_float("latency_s", self.latency_s)


# One table, typical numbers. Sources:
#  nvlink4: NVIDIA H100 SXM datasheet, "NVLink 900 GB/s" = 18 links x 50 GB/s, both directions
#           together, so 450 GB/s each way. ~1 us GPU-to-GPU is the usual order for NVLink loads.
#  nvlink5: NVIDIA HGX B200 spec table, "NVLink 1.8 TB/s" per GPU (both directions) -> 900 GB/s.
#  ib-ndr:  NVIDIA ConnectX-7 / Quantum-2 InfiniBand, NDR 400 Gb/s per port = 50 GB/s; one NIC
#           per GPU in a DGX H100. RDMA write latency of ~1-2 us is what perftest reports.
#  ib-hdr:  HDR 200 Gb/s (ConnectX-6, DGX A100) = 25 GB/s.
#  roce-400g: RoCE v2 over 400 GbE (ConnectX-7 in Ethernet mode) = 50 GB/s, a few microseconds
#           through a lossless fabric; Mooncake (Qin et al. 2024) serves KV over such RDMA NICs.
#  pcie5:   PCIe Gen5 x16, 64 GB/s each way (H100 datasheet: 128 GB/s both ways); host swap path.
#  tcp-100g: 100 GbE with kernel TCP = 12.5 GB/s line rate, tens of microseconds per message.
LINKS: MappingProxyType[str, Link] = MappingProxyType({
    "nvlink4": Link("nvlink4", 450e9, 1e-6, "node"),
    "nvlink5": Link("nvlink5", 900e9, 1e-6, "node"),
    "ib-ndr": Link("ib-ndr", 50e9, 2e-6, "cluster"),
    "ib-hdr": Link("ib-hdr", 25e9, 2e-6, "cluster"),
    "roce-400g": Link("roce-400g", 50e9, 5e-6, "cluster"),
    "pcie5": Link("pcie5", 64e9, 1e-6, "node"),
    "tcp-100g": Link("tcp-100g", 12.5e9, 30e-6, "cluster"),
})


#: Where each entry of :data:`LINKS` comes from (the comments above, one line each).
LINK_SOURCES: MappingProxyType[str, str] = MappingProxyType({
    "nvlink4": "NVIDIA H100 SXM datasheet: NVLink 900 GB/s per GPU, both directions together "
               "(18 links x 50 GB/s), so 450 GB/s each way; ~1 us GPU to GPU",
    "nvlink5": "NVIDIA HGX B200 specifications: NVLink 1.8 TB/s per GPU, both directions, so 900 GB/s each way",
    "ib-ndr": "NVIDIA ConnectX-7 / Quantum-2 InfiniBand NDR: 400 Gb/s per port = 50 GB/s, one NIC per GPU "
              "in a DGX H100; ~1-2 us RDMA write latency (perftest)",
    "ib-hdr": "InfiniBand HDR (ConnectX-6, DGX A100): 200 Gb/s = 25 GB/s per GPU",
    "roce-400g": "RoCE v2 over 400 GbE (ConnectX-7 in Ethernet mode): 50 GB/s, a few microseconds through a "
                 "lossless fabric",
    "pcie5": "PCIe Gen5 x16: 64 GB/s each way (H100 datasheet: 128 GB/s both ways); the host swap path",
    "tcp-100g": "100 GbE with kernel TCP: 12.5 GB/s line rate, tens of microseconds per message",
})

def link(name: str) -> Link:
    """The :data:`LINKS` entry called ``name``."""
    return LINKS[one_of("link", name, LINKS)]


def transfer_s(n_bytes, lnk: Link, n_messages=1):
    """Seconds to send ``n_bytes`` in ``n_messages`` messages (arrays broadcast)."""
    return np.asarray(n_messages) * lnk.latency_s + np.asarray(n_bytes, dtype=float) / lnk.bw_bytes_per_s


@dataclass(frozen=True)
class KVTransfer(Record):
    """One prompt's KV cache sent block by block: when each block leaves and lands."""

    depart_s: np.ndarray    # per block, from the start of the transfer
    arrive_s: np.ndarray    # per block
    block_bytes: np.ndarray  # per block (the last may be partial)
    total_s: float
    total_bytes: float
    link_name: str


def kv_transfer(prompt_tokens: int, kv_bytes_per_token: float, lnk: Link | str = "roce-400g",
                block_size: int = 16, blocks_per_message: int = 1) -> KVTransfer:
    """Packetise a prompt's KV into blocks and stream them back to back over ``lnk``.

    Messages of ``blocks_per_message`` blocks go out one after another; each lands one
    latency after its last byte leaves, so the total is ``k * latency + bytes / bw`` for
    ``k`` messages sent without pipelining their latencies (a lower bound on
    the number of round trips a real stack needs).
    """
    lk = link(lnk) if isinstance(lnk, str) else lnk
    n = positive_int("prompt_tokens", prompt_tokens, maximum=1 << 24)
    kvb = positive_float("kv_bytes_per_token", kv_bytes_per_token)
    bs = positive_int("block_size", block_size, maximum=1 << 16)
    per = positive_int("blocks_per_message", blocks_per_message, maximum=1 << 20)
    n_blocks = -(-n // bs)
    tokens = np.full(n_blocks, bs, dtype=np.int64)
    tokens[-1] = n - bs * (n_blocks - 1)
    block_bytes = tokens * kvb
    msg = np.arange(n_blocks) // per                       # message each block rides in
    msg_bytes = np.bincount(msg, weights=block_bytes)
    msg_end = np.cumsum(msg_bytes / lk.bw_bytes_per_s + lk.latency_s)   # serialised messages
    start = np.concatenate(([0.0], msg_end[:-1]))
    depart = start[msg] + (np.cumsum(block_bytes) - np.cumsum(msg_bytes)[msg] + msg_bytes[msg]
                           - block_bytes) / lk.bw_bytes_per_s
    arrive = msg_end[msg]
    return KVTransfer(depart, arrive, block_bytes.astype(np.float64), float(msg_end[-1]),
                      float(block_bytes.sum()), lk.name)
