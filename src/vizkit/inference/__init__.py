"""Part 7: inference mechanics — what one decode step costs and what it keeps in memory."""

from .kvcache import KVCacheTrace, decode_trace, kv_cache_bytes, lm_head_flops, step_flops

__all__ = ["KVCacheTrace", "decode_trace", "kv_cache_bytes", "lm_head_flops", "step_flops"]
