"""P9.4 widget: a radix-tree prefix cache growing under shared prompts, with LRU eviction.

A scripted stream of requests (:func:`radix_script`) mixes the three ways real
prompts share a prefix: two applications with their own **system prompt**, a
**few-shot template** reused with a new question, and **multi-turn chats** whose
every turn resends the whole conversation so far. A share ``share`` of the
requests comes from those families; the rest are one-off prompts that share
nothing. Keys are KV blocks of :data:`BLOCK_TOKENS` tokens, as in an engine that
caches whole blocks.

Each request, one per frame, runs through the real
:class:`vizkit.serving.RadixCache`: ``match`` finds its longest cached prefix (those
blocks skip prefill), then ``insert`` adds the rest of its prompt and its answer,
evicting least-recently-used leaves when the cache is full. Every capacity in
``capacities`` is simulated up front and shipped as one scenario, so the browser
switches between them with no kernel; ``share``, ``n_requests`` and ``seed``
re-run the simulation.

>>> w = RadixWidget()
>>> w
RadixWidget(capacity=48, capacities=(24, 48, 96), share=0.8, n_requests=40, seed=0)
>>> w.share = 1.5                 # bad input: reported, not raised
>>> w.error
'share must be a number in [0, 1]; got 1.5'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import nonneg_int, one_of, positive_int
from vizkit.serving import RadixCache

from .base import VizWidget

__all__ = ["RadixWidget", "RadixRequest", "radix_script", "radix_scenario", "LEAVES_OUT",
           "BLOCK_TOKENS", "SEGMENTS", "FAMILIES", "CACHED", "HIT", "INSERTED"]

LEAVES_OUT = (
    "One key stands for one KV block of 16 tokens, and only whole blocks are cached. Requests "
    "run one at a time, so no cached path is ever pinned by a running request; each request "
    "inserts its prompt and its answer once it ends. There is no time model here: the tree shows "
    "which prefill work is skipped, not how long anything takes (the engine simulation in the "
    "text times it). Eviction is leaf-only LRU on a logical clock."
)

#: Tokens per key (one KV block, vLLM's default block size).
BLOCK_TOKENS = 16

#: What a key's tokens are; a node is labelled by the segment of its first key.
SEGMENTS = ("system prompt A", "system prompt B", "few-shot template", "user message", "answer",
            "one-off prompt")
SYS_A, SYS_B, FEWSHOT, USER, ANSWER, ONEOFF = range(len(SEGMENTS))

#: Request families of the script.
FAMILIES = ("app A", "app B", "few-shot", "chat", "one-off")

#: Node states per frame.
CACHED, HIT, INSERTED = 0, 1, 2

_SYS_A_BLOCKS, _SYS_B_BLOCKS, _FEWSHOT_BLOCKS = 6, 4, 8
_N_CHATS = 3


@dataclass(frozen=True)
class RadixRequest:
    """One scripted request: its family, prompt keys and answer keys (one key per block)."""

    family: int
    prompt: tuple
    answer: tuple


def radix_script(n_requests: int = 40, share: float = 0.8, seed: int = 0) -> list[RadixRequest]:
    """A deterministic stream of ``n_requests`` requests; a share ``share`` of them from a
    family that shares a prefix (apps A and B, the few-shot template, three chats)."""
    n = positive_int("n_requests", n_requests, maximum=400)
    s = float(share) if isinstance(share, (int, float)) and not isinstance(share, bool) else None
    if s is None or not 0.0 <= s <= 1.0:
        raise ValueError(f"share must be a number in [0, 1]; got {share!r}")
    rng = np.random.default_rng(nonneg_int("seed", seed))
    uid = iter(range(1 << 30))
    sys_a = tuple((SYS_A, 0, j) for j in range(_SYS_A_BLOCKS))
    sys_b = tuple((SYS_B, 0, j) for j in range(_SYS_B_BLOCKS))
    fewshot = tuple((FEWSHOT, 0, j) for j in range(_FEWSHOT_BLOCKS))
    chats: list[tuple] = [sys_a for _ in range(_N_CHATS)]   # each chat runs under app A's prompt

    def fresh(seg: int, k: int) -> tuple:
        u = next(uid)
        return tuple((seg, u, j) for j in range(k))

    out = []
    for _ in range(n):
        if rng.random() >= s:
            out.append(RadixRequest(4, fresh(ONEOFF, int(rng.integers(3, 7))),
                                    fresh(ANSWER, int(rng.integers(1, 3)))))
            continue
        fam = int(rng.choice(4, p=[0.3, 0.2, 0.2, 0.3]))
        answer = fresh(ANSWER, int(rng.integers(1, 3)))
        if fam == 3:
            c = int(rng.integers(0, _N_CHATS))
            prompt = chats[c] + fresh(USER, int(rng.integers(1, 3)))
            chats[c] = prompt + answer                        # the next turn resends all of it
        else:
            prompt = (sys_a, sys_b, fewshot)[fam] + fresh(USER, int(rng.integers(1, 3)))
        out.append(RadixRequest(fam, prompt, answer))
    return out


def _snapshot(cache: RadixCache, hit_ids: set, clock: int) -> tuple[list, list, list, list, list]:
    """Nodes in depth-first order: parent (index, -1 = root), keys, segment, state, age."""
    parent, nkeys, seg, state, age = [], [], [], [], []
    stack = [(c, -1) for c in reversed(list(cache.root.children.values()))]
    while stack:
        node, p = stack.pop()
        i = len(parent)
        parent.append(p)
        nkeys.append(len(node.keys))
        seg.append(node.keys[0][0])
        if id(node) in hit_ids:
            state.append(HIT)
        elif node.last_used == clock:
            state.append(INSERTED)
        else:
            state.append(CACHED)
        age.append((clock - node.last_used) // 2)            # two clock ticks per request
        stack.extend((c, i) for c in reversed(list(node.children.values())))
    return parent, nkeys, seg, state, age


def radix_scenario(capacity: int, script: list[RadixRequest], cache_cls=RadixCache,
                   cache_answers: bool = True) -> dict[str, Any]:
    """Run ``script`` through a radix cache of ``capacity`` blocks, one request per frame.

    Each request matches its prompt, then inserts its prompt and, with ``cache_answers``,
    its answer (so the next turn of a chat finds its whole history).

    Returns per-frame node lists (flattened, with offsets) and per-frame totals:
    ``totals[f] = [prompt blocks, hit blocks, cache size, evicted blocks, cumulative prompt
    blocks, cumulative hit blocks, cumulative evicted blocks, nodes, answer blocks]``.
    """
    cap = positive_int("capacity", capacity, maximum=4096)
    cache = cache_cls(cap)
    offsets, parent, nkeys, seg, state, age, totals, family = [0], [], [], [], [], [], [], []
    cum_p = cum_h = cum_e = 0
    for req in script:
        n_hit, _, node = cache.match(req.prompt)
        hit_ids = set()
        p = node
        while p is not cache.root and n_hit:
            hit_ids.add(id(p))
            p = p.parent
        keys = req.prompt + req.answer if cache_answers else req.prompt
        _, _, evicted = cache.insert(keys, keys)
        snap = _snapshot(cache, hit_ids, cache.clock)
        for dst, src in zip((parent, nkeys, seg, state, age), snap):
            dst.extend(src)
        offsets.append(len(parent))
        cum_p += len(req.prompt)
        cum_h += n_hit
        cum_e += len(evicted)
        totals.append([len(req.prompt), n_hit, cache.size, len(evicted), cum_p, cum_h, cum_e,
                       len(snap[0]), len(req.answer)])
        family.append(req.family)
    tot = np.asarray(totals, dtype=np.int64).reshape(-1, 9)
    with np.errstate(invalid="ignore", divide="ignore"):
        hit_rate = np.where(tot[:, 4] > 0, tot[:, 5] / np.maximum(tot[:, 4], 1), 0.0)
    return {
        "capacity": cap, "n_frames": len(script),
        "arrays": {"offsets": np.asarray(offsets, np.int64), "parent": np.asarray(parent, np.int64),
                   "nkeys": np.asarray(nkeys, np.int64), "seg": np.asarray(seg, np.int64),
                   "state": np.asarray(state, np.int64), "age": np.asarray(age, np.int64),
                   "totals": tot, "family": np.asarray(family, np.int64),
                   "hit_rate": hit_rate.astype(np.float32)},
        "hit_rate": float(hit_rate[-1]) if len(script) else 0.0,
        "saved_tokens": int(tot[-1, 5]) * BLOCK_TOKENS if len(script) else 0,
    }


def _depth_keys(parent: np.ndarray, nkeys: np.ndarray, offsets: np.ndarray) -> int:
    """Deepest root-to-node key count over all frames (the tree panel's x scale)."""
    best = 0
    for f in range(offsets.shape[0] - 1):
        a, b = int(offsets[f]), int(offsets[f + 1])
        depth = [0] * (b - a)
        for i in range(b - a):
            p = int(parent[a + i])
            depth[i] = int(nkeys[a + i]) + (depth[p] if p >= 0 else 0)
        best = max(best, max(depth, default=0))
    return best


def _wire(sc: dict[str, Any]) -> dict[str, Any]:
    a = sc["arrays"]
    named = [(k, a[k]) for k in ("offsets", "parent", "nkeys", "seg", "state", "age", "totals",
                                 "family", "hit_rate")]
    return {
        "name": f"C{sc['capacity']}", "capacity": sc["capacity"], "n_frames": sc["n_frames"],
        "max_depth": _depth_keys(a["parent"], a["nkeys"], a["offsets"]),
        "block_tokens": BLOCK_TOKENS, "segments": list(SEGMENTS), "families": list(FAMILIES),
        **to_buffers(named),
    }


class RadixWidget(VizWidget):
    """A radix tree of cached prompt blocks (top), this request's hits (bottom left) and the
    running hit rate and cache occupancy (bottom right).

    Parameters
    ----------
    capacities : cache sizes in KV blocks, one precomputed scenario each (1 to 4096).
    share : share of requests that come from a family with a shared prefix, in [0, 1].
    n_requests : requests in the script (1 to 400), one per frame.
    seed : seed of the script.
    capacity : the capacity shown first; one of ``capacities``.
    """

    _bundle = "radix"
    _sim_params = ("capacities", "share", "n_requests", "seed")
    _repr_params = ("capacity", "capacities", "share", "n_requests", "seed")

    capacities = traitlets.Tuple().tag(sync=True)
    share = traitlets.Float(0.8).tag(sync=True)
    n_requests = traitlets.Int(40).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    capacity = traitlets.Int(48).tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, capacities=(24, 48, 96), share=0.8, n_requests=40, seed=0, capacity=48,
                 **kwargs: Any) -> None:
        super().__init__(capacities=tuple(capacities), share=share, n_requests=n_requests, seed=seed,
                         capacity=capacity, description=LEAVES_OUT, **kwargs)
        one_of("capacity", self.capacity, self.capacities)          # bad arguments raise here
        self._apply(self._simulate())
        self._last_capacity = self.capacity
        self.observe(self._on_capacity, names=["capacity"])

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def script(self) -> list[RadixRequest]:
        """The request stream behind the current traits."""
        return radix_script(self.n_requests, self.share, self.seed)

    def _simulate(self) -> list[dict[str, Any]]:
        caps = list(self.capacities)
        if not caps:
            raise ValueError("capacities must list at least one capacity; got ()")
        caps = [positive_int("capacities", c, maximum=4096) for c in caps]
        script = self.script()
        return [_wire(radix_scenario(c, script)) for c in caps]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = max(s["n_frames"] for s in result)
        self.scenarios = result
        if self.capacity not in self.capacities:
            self.capacity = self.capacities[0]

    def _on_capacity(self, change: dict) -> None:
        try:
            one_of("capacity", change["new"], self.capacities)
        except ValueError as exc:
            self.capacity = self._last_capacity
            self.error = str(exc)
            return
        self._last_capacity = change["new"]
        if self.error.startswith("capacity "):
            self.error = ""

    def scenario(self, capacity: int | None = None) -> dict[str, Any]:
        """The simulation behind one capacity (numpy arrays): ``radix_scenario(...)``."""
        c = self.capacity if capacity is None else one_of("capacity", capacity, self.capacities)
        return radix_scenario(c, self.script())
