r"""Exercises of chapter P9.8, "Moving the KV cache: NVLink, InfiniBand, RoCE".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving` and
:mod:`vizkit.catalog`, then hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise times KV transfers of growing prompts with a transfer model
that has one planted bug from :data:`BUGS` (:func:`transfer_ms_curve`), plotted on
log-log axes against the correct :func:`vizkit.serving.kv_transfer`:

=================  ===============================================================
bug                transfer time against prompt length (log-log)
=================  ===============================================================
bits-as-bytes      the link's Gb/s read as GB/s: below the correct line, and the gap
                   widens with the prompt (towards 8 times, held back by the latency
                   every block still pays)
message-per-token  one message (one latency) per token instead of per block: the same
                   at a one-token prompt, then a line several times higher
no-latency         messages cost no latency: below the correct line, with the gap
                   largest for the shortest prompts, where latency is all there is
=================  ===============================================================

>>> round(kv_gib("llama-3-70b", 8192), 2)
2.5
"""

from __future__ import annotations

import numpy as np

from vizkit import catalog
from vizkit._validate import one_of, positive_float, positive_int
from vizkit.serving import Link, kv_transfer, link, transfer_s

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "PROMPTS", "check_roce_ms", "kv_gib", "check_kv_gib",
           "check_transfer_ms", "min_bandwidth_gbs", "check_min_bandwidth", "transfer_ms_curve",
           "mystery_curve", "plot_curves", "check_bug"]

#: The deliberate bugs :func:`transfer_ms_curve` can plant.
BUGS = {
    "bits-as-bytes": "the link's line rate in gigabits per second is used as gigabytes per second",
    "message-per-token": "every token's KV is sent as its own message, paying the latency per token "
                         "instead of per block",
    "no-latency": "the per-message latency is left out; only bytes / bandwidth is counted",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "message-per-token", "B": "bits-as-bytes"}

#: Prompt lengths of the break-it curves (tokens).
PROMPTS = np.unique(np.round(np.geomspace(1, 32768, 31)).astype(int))


# --- predict, then check -------------------------------------------------------------------

def check_roce_ms(answer: object, mib: float = 256.0) -> bool:
    """Predict-then-check: milliseconds to send ``mib`` MiB in one message over RoCE 400G."""
    m = positive_float("mib", mib)
    expected = 1e3 * float(transfer_s(m * 2**20, link("roce-400g")))
    return Answer(f"ms to send {m:g} MiB over RoCE 400G", expected, rel_tol=0.03,
                  hint="400 Gb/s is 50 GB/s: bytes divided by 50e9 per second, plus a few microseconds; "
                       "and a MiB is 2**20 bytes, not 1e6").check(answer)


# --- compute it ----------------------------------------------------------------------------

def kv_gib(model: str, prompt_tokens: int, dtype: str = "bf16") -> float:
    """GiB of K and V for ``prompt_tokens`` tokens of catalog ``model`` (all layers, whole replica)."""
    n = positive_int("prompt_tokens", prompt_tokens, maximum=1 << 24)
    return n * catalog.model(model).kv_bytes_per_token(dtype) / 2**30


def check_kv_gib(answer: object, model: str = "llama-3-70b", prompt_tokens: int = 8192) -> bool:
    """Compute-it: GiB of KV cache a ``prompt_tokens`` prompt of ``model`` produces."""
    m = catalog.model(model)
    return Answer(f"GiB of KV for {prompt_tokens} tokens of {m.display_name}", kv_gib(model, prompt_tokens),
                  rel_tol=0.02, hint="2 (K and V) × layers × KV heads × head dimension × 2 bytes (BF16) "
                  "per token, times the tokens, divided by 2**30").check(answer)


def check_transfer_ms(answer: object, model: str = "llama-3-70b", prompt_tokens: int = 8192,
                      lnk: str = "ib-ndr") -> bool:
    """Compute-it: ms to move that KV cache over one link in one message."""
    ms = 1e3 * float(transfer_s(kv_gib(model, prompt_tokens) * 2**30, link(lnk)))
    return Answer(f"ms to move {prompt_tokens} tokens of KV over {lnk}", ms, rel_tol=0.03,
                  hint="bytes / (bytes per second) + latency; NDR InfiniBand carries 400 Gb/s = 50 GB/s"
                  ).check(answer)


def min_bandwidth_gbs(kv_bytes: float, within_s: float, latency_s: float = 0.0) -> float:
    """GB/s a link needs to move ``kv_bytes`` in ``within_s`` seconds, one message of latency ``latency_s``."""
    b = positive_float("kv_bytes", kv_bytes)
    t = positive_float("within_s", within_s)
    if latency_s >= t:
        raise ValueError(f"latency_s must be less than within_s ({t}); got {latency_s}")
    return b / (t - latency_s) / 1e9


def check_min_bandwidth(answer: object, kv_bytes: float, within_s: float) -> bool:
    """Compute-it: the bandwidth (GB/s) that moves ``kv_bytes`` within ``within_s`` seconds."""
    return Answer("GB/s needed", min_bandwidth_gbs(kv_bytes, within_s), rel_tol=0.03,
                  hint="bandwidth = bytes / time; convert bytes per second to GB/s by dividing by 1e9"
                  ).check(answer)


# --- break it ------------------------------------------------------------------------------

def transfer_ms_curve(bug: str | None = None, lnk: str = "roce-400g", model: str = "llama-3-70b",
                      tp: int = 4, block_size: int = 16) -> np.ndarray:
    """Transfer ms of one GPU's KV shard for each prompt in :data:`PROMPTS`.

    ``bug`` is ``None`` (the correct :func:`vizkit.serving.kv_transfer`) or one of :data:`BUGS`.
    """
    from vizkit.widgets.kvtransfer import kv_bytes_per_link_token

    lk = link(lnk)
    kvb = kv_bytes_per_link_token(model, tp)
    bs = positive_int("block_size", block_size, maximum=1 << 16)
    if bug is not None:
        one_of("bug", bug, BUGS)
        if bug == "bits-as-bytes":
            lk = Link(lk.name, lk.bw_bytes_per_s * 8, lk.latency_s, lk.scope)
        elif bug == "no-latency":
            lk = Link(lk.name, lk.bw_bytes_per_s, 0.0, lk.scope)
        elif bug == "message-per-token":
            bs = 1
    return np.array([1e3 * kv_transfer(int(n), kvb, lk, block_size=bs).total_s for n in PROMPTS])


def mystery_curve(which: str = "A") -> np.ndarray:
    """The transfer curve of mystery model ``which`` (see :data:`MYSTERIES`)."""
    return transfer_ms_curve(MYSTERIES[one_of("which", which, MYSTERIES)])


def plot_curves(good: np.ndarray, other: np.ndarray, labels=("correct model", "mystery model")):
    """Transfer ms against prompt tokens on log-log axes. Needs matplotlib; returns the figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.2), constrained_layout=True)
    ax.loglog(PROMPTS, good, color="#0072B2", lw=2, label=labels[0])
    ax.loglog(PROMPTS, other, color="#D55E00", lw=2, ls="--", label=labels[1])
    ax.set_xlabel("prompt tokens")
    ax.set_ylabel("KV transfer (ms)")
    ax.legend(frameon=False)
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_curve` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery model {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="is the mystery line above or below the correct one, by how much, and do the two "
                       "agree for long prompts, short prompts, or neither?").check(answer)
