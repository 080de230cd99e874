"""P9.3 widget: PagedAttention's block tables beside contiguous max-length reservations.

A small scripted scenario (:data:`SCRIPT`: a handful of requests arriving, one of
them sampled twice by forking, all growing one token per decode step and leaving
when done) runs step by step through the real block manager
(:class:`vizkit.serving.PagedBlocks`) and, on the same token budget, through the
contiguous baseline (:class:`vizkit.serving.ContiguousBlocks`) reserving the
maximum length at admission. Every block size in ``block_sizes`` is simulated up
front and shipped as one *scenario*, so the browser switches between them with no
kernel; ``capacity_tokens`` and ``max_len_tokens`` re-run the simulation.

>>> w = PagedAttentionWidget()
>>> w
PagedAttentionWidget(block_size=8, block_sizes=(4, 8, 16), capacity_tokens=256, max_len_tokens=64)
>>> w.capacity_tokens = 8          # bad input: reported, not raised
>>> w.error
'capacity_tokens must be at least 2 × max_len_tokens (128); got 8'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_int
from vizkit.serving import ContiguousBlocks, PagedBlocks

from .base import VizWidget

__all__ = ["PagedAttentionWidget", "Request", "SCRIPT", "LEAVES_OUT", "paged_scenario",
           "WAITING", "RUNNING", "DONE", "ABSENT"]

LEAVES_OUT = (
    "One token slot stands for one token's keys and values in every layer; the prompt is "
    "written in one prefill step and every running sequence gains one token per decode step, "
    "with no time model. The contiguous side reserves the maximum length at admission and "
    "copies a forked prompt; a request that finds no room waits, and neither side preempts."
)

#: Sequence states per frame.
ABSENT, WAITING, RUNNING, DONE = 0, 1, 2, 3


@dataclass(frozen=True)
class Request:
    """One scripted request: when it arrives, its prompt, its output and its fork parent."""

    name: str
    arrive_step: int
    prompt_tokens: int
    output_tokens: int
    fork_of: int = -1        # index of the request this one is forked from (-1: none)


#: The scripted scenario: A is sampled twice (A′ forks from it at admission).
SCRIPT = (
    Request("A", 0, 10, 22),
    Request("A′", 0, 10, 16, fork_of=0),
    Request("B", 0, 6, 30),
    Request("C", 3, 13, 8),
    Request("D", 6, 5, 14),
    Request("E", 10, 9, 18),
)


def _min_capacity(script, block_size: int) -> int:
    """Token slots that hold every request of ``script`` at its final length at once."""
    blocks = sum(-(-(r.prompt_tokens + r.output_tokens) // block_size) for r in script)
    return blocks * block_size


def paged_scenario(block_size: int, capacity_tokens: int = 256, max_len_tokens: int = 64,
                   script=SCRIPT) -> dict[str, Any]:
    """Run ``script`` through both managers; per-frame arrays (numpy) and totals.

    Frame ``t`` is the state after step ``t``: finished sequences are released,
    arrivals admitted (prefill; a fork shares its parent's blocks), then every
    sequence admitted earlier decodes one token.
    """
    B = positive_int("block_size", block_size, maximum=64)
    n_blocks = capacity_tokens // B
    S = len(script)
    max_blocks = -(-max_len_tokens // B)
    pg = PagedBlocks(n_blocks=n_blocks, block_size=B, max_seqs=S, max_blocks_per_seq=max_blocks)
    ct = ContiguousBlocks(capacity_tokens=capacity_tokens, max_seqs=S, max_len_tokens=max_len_tokens)
    final = np.array([r.prompt_tokens + r.output_tokens for r in script])
    arrive = np.array([r.arrive_step for r in script])
    parent = np.array([r.fork_of for r in script])

    state = {"p": np.zeros(S, np.int64), "c": np.zeros(S, np.int64)}     # ABSENT
    gen = {"p": np.zeros(S, np.int64), "c": np.zeros(S, np.int64)}       # output tokens so far
    rec: dict[str, list] = {k: [] for k in (
        "p_state", "p_tokens", "table", "refcount", "fill", "owner", "cow",
        "c_state", "c_tokens", "c_start", "c_reserved", "totals")}

    def admit_paged(i):
        if parent[i] >= 0:
            if state["p"][parent[i]] != RUNNING or not pg.live[parent[i]]:
                return False
            pg.fork(int(parent[i]), i)
        else:
            need = int(pg.blocks_for(script[i].prompt_tokens))
            if need > pg.n_free:
                return False
            pg.allocate(i, script[i].prompt_tokens)
        return True

    def admit_contig(i):
        if not ct.can_allocate(max_len_tokens):
            return False
        ct.allocate(i, max_len_tokens, n_tokens=script[i].prompt_tokens)   # a fork copies the prompt
        return True

    t = 0
    while True:
        cow = [-1, -1, -1]
        for side, live in (("p", pg.live), ("c", ct.live)):
            done = np.flatnonzero((state[side] == RUNNING) & (gen[side] >= np.array(
                [r.output_tokens for r in script])))
            if done.size:
                (pg if side == "p" else ct).release(done)
                state[side][done] = DONE
        new = {"p": [], "c": []}
        for side, admit in (("p", admit_paged), ("c", admit_contig)):
            for i in range(S):
                if state[side][i] in (ABSENT, WAITING) and arrive[i] <= t:
                    # a fork is admitted with its parent, never before it
                    if parent[i] >= 0 and state[side][parent[i]] != RUNNING:
                        state[side][i] = WAITING
                        continue
                    if admit(i):
                        state[side][i] = RUNNING
                        new[side].append(i)
                    else:
                        state[side][i] = WAITING
        for side in ("p", "c"):
            dec = np.array([i for i in range(S) if state[side][i] == RUNNING and i not in new[side]
                            and gen[side][i] < script[i].output_tokens], dtype=np.int64)
            if side == "p":
                for s in dec:                      # one by one: the first writer copies
                    before = pg.seq_blocks(int(s))
                    if pg.blocks_needed(np.array([s]), 1) > pg.n_free:
                        raise ValueError("capacity_tokens: the paged pool ran out of blocks")
                    pg.append(np.array([s]), 1)
                    after = pg.seq_blocks(int(s))[:before.shape[0]]
                    changed = np.flatnonzero(after != before)
                    if changed.size:
                        cow = [int(s), int(before[changed[0]]), int(after[changed[0]])]
            elif dec.size:
                ct.append(dec, 1)
            gen[side][dec] += 1
        pg.audit()
        ct.audit()

        # -- record frame t -------------------------------------------------------------------
        rc = pg.refcount.copy()
        fill = np.zeros(n_blocks, np.int64)
        owner = np.full(n_blocks, -1, np.int64)
        for s in range(S - 1, -1, -1):             # the lowest slot owning a block names it
            if not pg.live[s]:
                continue
            blocks = pg.seq_blocks(s)
            j = np.arange(blocks.shape[0])
            fill[blocks] = np.minimum(B, pg.n_seq_tokens[s] - j * B)
            owner[blocks] = s
        rec["p_state"].append(state["p"].copy())
        rec["p_tokens"].append(pg.n_seq_tokens.copy())
        rec["table"].append(pg.table.copy())
        rec["refcount"].append(rc)
        rec["fill"].append(fill)
        rec["owner"].append(owner)
        rec["cow"].append(cow)
        rec["c_state"].append(state["c"].copy())
        rec["c_tokens"].append(ct.n_seq_tokens.copy())
        rec["c_start"].append(ct.start.copy())
        rec["c_reserved"].append(ct.n_reserved.copy())
        p_res, p_used = pg.used_blocks * B, int(fill.sum())
        c_res, c_used = ct.reserved_tokens, ct.stored_tokens
        rec["totals"].append([p_res, p_used, c_res, c_used,
                              int((state["p"] == RUNNING).sum()), int((state["p"] == WAITING).sum()),
                              int((state["c"] == RUNNING).sum()), int((state["c"] == WAITING).sum())])
        t += 1
        if (state["p"] == DONE).all() and (state["c"] == DONE).all():
            break
        if t > 100_000:                           # pragma: no cover - a stuck script
            raise ValueError("script never finishes: some request can never be admitted")

    arr = {k: np.asarray(v) for k, v in rec.items()}
    tot = arr["totals"].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_waste = np.where(tot[:, 0] > 0, 1 - tot[:, 1] / np.maximum(tot[:, 0], 1), 0.0)
        c_waste = np.where(tot[:, 2] > 0, 1 - tot[:, 3] / np.maximum(tot[:, 2], 1), 0.0)
    arr["waste"] = np.stack([p_waste, c_waste], axis=1).astype(np.float32)
    arr["n_cow_copies"] = pg.n_cow_copies
    return {"block_size": B, "n_blocks": n_blocks, "max_blocks": max_blocks, "n_frames": t,
            "n_seqs": S, "arrays": arr, "final": final}


def _wire(sc: dict[str, Any], capacity_tokens: int, max_len_tokens: int, script) -> dict[str, Any]:
    a = sc["arrays"]
    named = [(k, a[k]) for k in ("p_state", "p_tokens", "table", "refcount", "fill", "owner", "cow",
                                 "c_state", "c_tokens", "c_start", "c_reserved", "totals", "waste")]
    return {
        "name": f"B{sc['block_size']}",
        "block_size": sc["block_size"],
        "n_blocks": sc["n_blocks"],
        "max_blocks": sc["max_blocks"],
        "n_frames": sc["n_frames"],
        "n_seqs": sc["n_seqs"],
        "capacity_tokens": capacity_tokens,
        "max_len_tokens": max_len_tokens,
        "n_cow_copies": int(a["n_cow_copies"]),
        "seq_names": [r.name for r in script],
        "fork_of": [r.fork_of for r in script],
        "final_tokens": [int(x) for x in sc["final"]],
        **to_buffers(named),
    }


class PagedAttentionWidget(VizWidget):
    """Block tables over scattered physical blocks (left) against max-length reservations (right).

    Parameters
    ----------
    block_sizes : tokens per KV block, one precomputed scenario each (1 to 64).
    capacity_tokens : token slots of KV memory, shared by both layouts.
    max_len_tokens : the engine's maximum sequence length (what the contiguous side reserves).
    block_size : the block size shown first; one of ``block_sizes``.
    """

    _bundle = "paged"
    _sim_params = ("block_sizes", "capacity_tokens", "max_len_tokens")
    _repr_params = ("block_size", "block_sizes", "capacity_tokens", "max_len_tokens")

    block_sizes = traitlets.Tuple().tag(sync=True)
    capacity_tokens = traitlets.Int(256).tag(sync=True)
    max_len_tokens = traitlets.Int(64).tag(sync=True)
    block_size = traitlets.Int(8).tag(sync=True)           # selected scenario (JS switches it)
    scenarios = traitlets.List().tag(sync=True)            # one dict per block size, arrays as bytes

    def __init__(self, block_sizes=(4, 8, 16), capacity_tokens=256, max_len_tokens=64, block_size=8,
                 **kwargs: Any) -> None:
        super().__init__(block_sizes=tuple(block_sizes), capacity_tokens=capacity_tokens,
                         max_len_tokens=max_len_tokens, block_size=block_size,
                         description=LEAVES_OUT, **kwargs)
        one_of("block_size", self.block_size, self.block_sizes)   # bad arguments raise here
        self._apply(self._simulate())
        self._last_block_size = self.block_size
        self.observe(self._on_block_size, names=["block_size"])

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        sizes = list(self.block_sizes)
        if not sizes:
            raise ValueError("block_sizes must list at least one block size; got ()")
        sizes = [positive_int("block_sizes", b, maximum=64) for b in sizes]
        longest = max(r.prompt_tokens + r.output_tokens for r in SCRIPT)
        max_len = positive_int("max_len_tokens", self.max_len_tokens, maximum=4096)
        if max_len < longest:
            raise ValueError(f"max_len_tokens must be at least the longest request ({longest}); got {max_len}")
        cap = positive_int("capacity_tokens", self.capacity_tokens, maximum=1 << 16)
        if cap < 2 * max_len:
            raise ValueError(f"capacity_tokens must be at least 2 × max_len_tokens ({2 * max_len}); got {cap}")
        need = max(_min_capacity(SCRIPT, b) for b in sizes)
        if cap < need:
            raise ValueError(f"capacity_tokens must hold every request at once in blocks ({need}); got {cap}")
        out = []
        for b in sizes:
            sc = paged_scenario(b, cap, max_len)
            if sc["n_blocks"] > 256:
                raise ValueError(f"capacity_tokens / block size must be at most 256 blocks to draw; "
                                 f"got {sc['n_blocks']} at block size {b}")
            out.append(_wire(sc, cap, max_len, SCRIPT))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = max(s["n_frames"] for s in result)
        self.scenarios = result
        if self.block_size not in self.block_sizes:
            self.block_size = self.block_sizes[0]

    def _on_block_size(self, change: dict) -> None:
        try:
            one_of("block_size", change["new"], self.block_sizes)
        except ValueError as exc:
            self.block_size = self._last_block_size
            self.error = str(exc)
            return
        self._last_block_size = change["new"]
        if self.error.startswith("block_size "):
            self.error = ""

    def scenario(self, block_size: int | None = None) -> dict[str, Any]:
        """The simulation behind one block size (numpy arrays): ``paged_scenario(...)``."""
        b = self.block_size if block_size is None else one_of("block_size", block_size, self.block_sizes)
        return paged_scenario(b, self.capacity_tokens, self.max_len_tokens)
