"""Small hand-made cost models and workloads for the serving tests."""

from __future__ import annotations

import numpy as np

from vizkit.serving import CostModel, EngineConfig, Workload, replay_workload

KV_BYTES = 131072.0          # Llama-3-8B in bf16: 2 x 32 layers x 8 heads x 128 x 2 bytes


def tiny_cost(n_blocks: int, block_size: int = 16) -> CostModel:
    """An 8B-like model on an H100-like GPU with room for exactly ``n_blocks`` KV blocks."""
    return CostModel(weight_bytes=16e9, kv_bytes_per_token=KV_BYTES, linear_flops_per_token=15e9,
                     attn_flops_per_pair=524288.0, hbm_bytes_per_s=3.35e12, peak_flops=989.5e12,
                     kv_capacity_bytes=(n_blocks + 0.5) * block_size * KV_BYTES)


def rows_workload(rows) -> Workload:
    return replay_workload(rows)


def configs(max_len: int = 4096):
    """One configuration of every kind the engine runs."""
    return [
        EngineConfig(max_len_tokens=max_len),
        EngineConfig(max_len_tokens=max_len, preemption="swap"),
        EngineConfig(max_len_tokens=max_len, chunked_prefill=True, max_batched_tokens=256),
        EngineConfig(max_len_tokens=max_len, chunked_prefill=True, max_batched_tokens=256,
                     preemption="swap"),
        EngineConfig(max_len_tokens=max_len, policy="static"),
        EngineConfig(max_len_tokens=max_len, memory="contiguous", reserve="oracle"),
        EngineConfig(max_len_tokens=max_len, prefix_caching=True),
        EngineConfig(max_len_tokens=max_len, prefix_caching=True, chunked_prefill=True,
                     max_batched_tokens=256),
    ]


def assert_traces_equal(a, b) -> None:
    """Every array of two traces equal (times to 1e-9 relative; ITLs as multisets)."""
    for name in a.shapes():
        x, y = getattr(a, name), getattr(b, name)
        assert x.shape == y.shape, name
        if name == "itl_s":
            x, y = np.sort(x), np.sort(y)
        if x.dtype.kind == "f":
            np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-12, err_msg=name)
        else:
            np.testing.assert_array_equal(x, y, err_msg=name)
