r"""A radix-tree prefix cache with LRU eviction (SGLang's RadixAttention, Zheng et al. 2024).

Every cached prompt is a path from the root; edges carry runs of **keys** (token
ids, or one key per KV block when the cache works at block granularity) and, for
each key, a **value** (the KV block that holds it). Two prompts that share a
system prompt share the edges for it, so its KV is stored, and computed, once.

* :meth:`RadixCache.match` walks the longest cached prefix of a key sequence and
  marks the path as just used; ``lock=True`` pins it while a request runs on it.
* :meth:`RadixCache.insert` adds the part of a sequence that is not cached yet,
  evicting first if it must, and never lets ``size`` exceed ``capacity``.
* :meth:`RadixCache.evict` removes **leaves**, least recently used first, skipping
  locked ones; a parent whose last child goes becomes a leaf in its turn.

Time is a logical clock that ticks once per match or insert, so runs replay exactly.

>>> c = RadixCache(capacity=6)
>>> c.insert([1, 2, 3, 4], "abcd")[0]
4
>>> c.match([1, 2, 9])[0]                 # the prefix [1, 2] is cached
2
>>> c.insert([1, 2, 7, 8], "abxy")[0]      # shares [1, 2]; 2 new keys, at capacity
2
>>> c.insert([5], "e")[2]                  # over capacity: the LRU leaf [3, 4] goes
['c', 'd']
"""

from __future__ import annotations

import heapq
from typing import Any, Hashable, Sequence

from vizkit._validate import nonneg_int, positive_int

__all__ = ["RadixCache"]


class _Node:
    __slots__ = ("keys", "values", "children", "parent", "last_used", "lock")

    def __init__(self, keys: list, values: list, parent: "_Node | None", t: int) -> None:
        self.keys = keys
        self.values = values
        self.children: dict[Hashable, _Node] = {}
        self.parent = parent
        self.last_used = t
        self.lock = 0


class RadixCache:
    """Cached key sequences in a radix tree of at most ``capacity`` keys."""

    def __init__(self, capacity: int) -> None:
        self.capacity = positive_int("capacity", capacity)
        self.root = _Node([], [], None, 0)
        self.size = 0            # keys stored
        self.clock = 0
        self.n_evicted = 0
        # Leaves that may be evictable, as (last_used, order, node), checked when popped:
        # an entry is stale once its node was touched again, grew a child, got locked or left.
        self._heap: list[tuple[int, int, _Node]] = []
        self._order = 0
        self._n_nodes = 0

    # -- walking -------------------------------------------------------------------------

    def _offer(self, node: _Node) -> None:
        """Note that ``node`` may now be an evictable leaf."""
        if node.parent is not None and not node.children and node.lock == 0:
            heapq.heappush(self._heap, (node.last_used, self._order, node))
            self._order += 1
            if len(self._heap) > 4 * self._n_nodes + 64:      # drop stale entries now and then
                self._heap = [(t, k, n) for t, k, n in self._heap if self._valid(t, n)]
                heapq.heapify(self._heap)

    @staticmethod
    def _valid(t: int, node: _Node) -> bool:
        return (t == node.last_used and node.parent is not None and not node.children
                and node.lock == 0)

    def _split(self, node: _Node, at: int) -> _Node:
        """Cut ``node``'s edge after ``at`` keys; return the new upper half."""
        upper = _Node(node.keys[:at], node.values[:at], node.parent, node.last_used)
        upper.lock = node.lock
        node.parent.children[node.keys[0]] = upper
        node.keys, node.values, node.parent = node.keys[at:], node.values[at:], upper
        upper.children[node.keys[0]] = node
        self._n_nodes += 1
        return upper

    def _walk(self, keys: Sequence) -> tuple[_Node, int]:
        """Deepest node whose path is a prefix of ``keys`` (splitting an edge if needed)."""
        node, i, n = self.root, 0, len(keys)
        node.last_used = self.clock
        while i < n:
            child = node.children.get(keys[i])
            if child is None:
                break
            edge = child.keys
            m = min(len(edge), n - i)
            j = 1
            while j < m and edge[j] == keys[i + j]:
                j += 1
            if j < len(edge):
                child = self._split(child, j)
            child.last_used = self.clock
            node, i = child, i + j
        self._offer(node)                    # only the deepest node can be a leaf
        return node, i

    def match(self, keys: Sequence, lock: bool = False) -> tuple[int, list, Any]:
        """Longest cached prefix of ``keys``: ``(n_keys, values, handle)``.

        With ``lock=True`` the path is pinned against eviction until
        :meth:`unlock` is called with ``handle``.
        """
        self.clock += 1
        node, n = self._walk(keys)
        values: list = []
        path = []
        p = node
        while p is not self.root:
            path.append(p.values)
            p = p.parent
        for v in reversed(path):
            values.extend(v)
        if lock:
            self._add_lock(node, +1)
        return n, values, node

    def _add_lock(self, node: _Node, delta: int) -> None:
        while node is not self.root:
            node.lock += delta
            if node.lock < 0:
                raise ValueError("handle: unlock() called more often than match(lock=True)")
            if node.lock == 0:
                self._offer(node)
            node = node.parent

    def unlock(self, handle: Any) -> None:
        """Release a path pinned by ``match(..., lock=True)``."""
        if not isinstance(handle, _Node):
            raise ValueError(f"handle must be the third item match() returned; got {handle!r}")
        self._add_lock(handle, -1)

    # -- changing --------------------------------------------------------------------------

    def insert(self, keys: Sequence, values: Sequence) -> tuple[int, list, list]:
        """Cache ``keys`` with one value each: ``(n_new, new_values, evicted_values)``.

        Only the part beyond the longest cached prefix is new. If it does not fit
        even after evicting every unlocked leaf off its path, only the part that
        fits is stored.
        """
        if len(keys) != len(values):
            raise ValueError(f"values must have one entry per key ({len(keys)}); got {len(values)}")
        self.clock += 1
        node, i = self._walk(keys)
        want = len(keys) - i
        if want == 0:
            return 0, [], []
        node.lock += 1                       # keep the attachment point while evicting
        evicted = self.evict(self.size + want - self.capacity) if self.size + want > self.capacity else []
        node.lock -= 1
        self._offer(node)
        room = min(want, self.capacity - self.size)
        if room <= 0:
            return 0, [], evicted
        leaf = _Node(list(keys[i:i + room]), list(values[i:i + room]), node, self.clock)
        node.children[leaf.keys[0]] = leaf
        self.size += room
        self._n_nodes += 1
        self._offer(leaf)
        return room, leaf.values[:], evicted

    def evictable_leaves(self) -> list[tuple[int, int, _Node]]:
        """``(last_used, order, node)`` for every unlocked leaf, oldest first."""
        out, stack, order = [], [self.root], 0
        while stack:
            node = stack.pop()
            for child in node.children.values():
                stack.append(child)
            if node is not self.root and not node.children and node.lock == 0:
                out.append((node.last_used, order, node))
                order += 1
        out.sort(key=lambda t: (t[0], t[1]))
        return out

    def evict(self, n_keys: int) -> list:
        """Remove least-recently-used unlocked leaves until ``n_keys`` keys are gone (or none
        is left to remove); return the values removed, oldest first."""
        want = nonneg_int("n_keys", n_keys)
        heap = self._heap
        removed: list = []
        while len(removed) < want and heap:
            t, _, leaf = heapq.heappop(heap)
            if not self._valid(t, leaf):
                continue
            parent = leaf.parent
            del parent.children[leaf.keys[0]]
            leaf.parent = None
            removed.extend(leaf.values)
            self.size -= len(leaf.keys)
            self.n_evicted += len(leaf.keys)
            self._n_nodes -= 1
            if parent is not self.root:
                self._offer(parent)
        return removed

    def contents(self) -> list[list]:
        """Every cached root-to-leaf key sequence (for tests and drawings)."""
        out, stack = [], [(self.root, [])]
        while stack:
            node, prefix = stack.pop()
            path = prefix + node.keys
            if not node.children and node is not self.root:
                out.append(path)
            stack.extend((c, path) for c in node.children.values())
        return sorted(out, key=lambda p: [str(k) for k in p])
