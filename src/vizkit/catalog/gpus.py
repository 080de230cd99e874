r"""Data-centre GPUs: datasheet figures and the roofline's ridge point.

Peak throughput here is **dense** tensor-core FLOP/s. NVIDIA's headline figures for
H100, H200 and B200 assume 2:4 structured sparsity ("* with sparsity"); dense is half,

.. math::

    P_\text{dense} = P_\text{sparse} / 2 .

The ridge point is the arithmetic intensity at which a kernel's compute time equals its
HBM time, :math:`I^* = P / B` FLOP per byte for peak FLOP/s :math:`P` and HBM bandwidth
:math:`B`; a kernel doing fewer FLOPs per byte moved is memory-bound.

Capacities are the datasheet's "GB" read as :math:`10^9` bytes (an "80GB" A100 reports
81,920 MiB to the driver: the catalog keeps the datasheet figure). INT8 throughput is in
integer operations per second, counted like FLOP/s.

>>> from vizkit.catalog import gpu
>>> h100 = gpu("h100-sxm")
>>> h100.peak_flops("bf16") / 1e12, round(h100.ridge_point("bf16"), 1)
(989.5, 295.4)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from vizkit._validate import one_of, positive_float, positive_int

from .dtypes import DTYPES, check_dtype

__all__ = ["GPU"]


@dataclass(frozen=True)
class GPU:
    """One accelerator's datasheet numbers.

    >>> from vizkit.catalog import gpu
    >>> gpu("a100-80gb-sxm").tensor_dtypes()
    ('tf32', 'bf16', 'fp16', 'int8')
    """

    name: str                       # catalog key, e.g. "h100-sxm"
    display_name: str               # e.g. "H100 SXM"
    hbm_bytes: int                  # datasheet "GB" x 1e9
    hbm_bytes_per_s: float          # HBM bandwidth, bytes/s
    nvlink_bytes_per_s: float       # NVLink bandwidth per GPU, both directions together, bytes/s
    tdp_w: float                    # maximum board power, W
    dense_flops: Mapping[str, float] = field(hash=False)   # dense tensor-core FLOP/s by dtype
    note: str = ""                  # other published figures for the same part
    source: str = ""                # where the numbers were read

    def __post_init__(self) -> None:
        positive_int("hbm_bytes", self.hbm_bytes)
        for f in ("hbm_bytes_per_s", "nvlink_bytes_per_s", "tdp_w"):
            positive_float(f, getattr(self, f))
        for dtype, flops in self.dense_flops.items():
            one_of("dense_flops key", dtype, DTYPES)
            positive_float(f"dense_flops[{dtype!r}]", flops)
        ordered = {d: float(self.dense_flops[d]) for d in DTYPES if d in self.dense_flops}
        object.__setattr__(self, "dense_flops", MappingProxyType(ordered))   # read-only

    def tensor_dtypes(self) -> tuple[str, ...]:
        """The dtypes with a tensor-core figure, widest first."""
        return tuple(self.dense_flops)

    def peak_flops(self, dtype: str = "bf16") -> float:
        """Dense tensor-core FLOP/s for ``dtype``; ``ValueError`` if the datasheet gives none.

        >>> from vizkit.catalog import gpu
        >>> gpu("b200").peak_flops("fp4") / 1e15
        9.0
        """
        key = check_dtype(dtype)
        if key not in self.dense_flops:
            try:
                one_of("dtype", dtype, self.tensor_dtypes())
            except ValueError as err:
                raise ValueError(f"{err} ({self.display_name} has no {key} tensor-core figure)") from None
        return self.dense_flops[key]

    def ridge_point(self, dtype: str = "bf16") -> float:
        r"""FLOP per byte at which compute and HBM time balance: :math:`I^* = P / B`."""
        return self.peak_flops(dtype) / self.hbm_bytes_per_s


# One table: name -> (display name, configs.json entry, {field: key}, {dtype: key of its
# tensor-core figure}). The unit comes from the key's suffix; a "_sparse_" figure is halved.
# The A100 datasheet lists dense and sparse columns, so its dense figures are read directly;
# the H100, H200 and HGX B200 tables give sparse figures only.
_GPUS: dict[str, tuple[str, str, dict[str, str], dict[str, str]]] = {
    "a100-80gb-sxm": ("A100 80GB SXM", "NVIDIA A100 80GB SXM datasheet numbers",
                      {"hbm_bytes": "HBM2e_GB", "hbm_bytes_per_s": "HBM_bandwidth_GB_s",
                       "nvlink_bytes_per_s": "NVLink_GB_s", "tdp_w": "TDP_W"},
                      {"tf32": "TF32_dense_TFLOPS", "bf16": "BF16_FP16_tensor_dense_TFLOPS",
                       "fp16": "BF16_FP16_tensor_dense_TFLOPS", "int8": "INT8_dense_TOPS"}),
    "h100-sxm": ("H100 SXM", "NVIDIA H100 SXM datasheet numbers",
                 {"hbm_bytes": "HBM3_GB", "hbm_bytes_per_s": "HBM_bandwidth_TB_s",
                  "nvlink_bytes_per_s": "NVLink_GB_s", "tdp_w": "TDP_W"},
                 {"tf32": "TF32_sparse_TFLOPS", "bf16": "BF16_FP16_tensor_sparse_TFLOPS",
                  "fp16": "BF16_FP16_tensor_sparse_TFLOPS", "fp8": "FP8_tensor_sparse_TFLOPS"}),
    "h200-sxm": ("H200 SXM", "NVIDIA H200 SXM datasheet numbers",
                 {"hbm_bytes": "HBM3e_GB", "hbm_bytes_per_s": "HBM_bandwidth_TB_s",
                  "nvlink_bytes_per_s": "NVLink_GB_s", "tdp_w": "TDP_W"},
                 {"bf16": "BF16_FP16_tensor_sparse_TFLOPS", "fp16": "BF16_FP16_tensor_sparse_TFLOPS",
                  "fp8": "FP8_tensor_sparse_TFLOPS"}),
    # Memory and bandwidth are published twice; the first figure of each string (the HGX B200
    # spec: 180 GB, 7.7 TB/s) is used and the full strings are kept in ``note``.
    "b200": ("B200 (HGX)", "NVIDIA B200 numbers (HGX/DGX B200)",
             {"hbm_bytes": "HBM3e_GB_per_GPU", "hbm_bytes_per_s": "HBM_bandwidth_TB_s",
              "nvlink_bytes_per_s": "NVLink5_TB_s", "tdp_w": "TDP_W"},
             {"tf32": "TF32_sparse_PFLOPS", "bf16": "FP16_BF16_tensor_sparse_PFLOPS",
              "fp16": "FP16_BF16_tensor_sparse_PFLOPS", "fp8": "FP8_FP6_sparse_PFLOPS",
              "fp4": "FP4_sparse_PFLOPS"}),
}

_EXPONENTS = (("_GB_per_GPU", 9), ("_GB_s", 9), ("_TB_s", 12), ("_GB", 9),
              ("_TOPS", 12), ("_TFLOPS", 12), ("_PFLOPS", 15), ("_W", 0))


def _si(key: str, value: Any) -> float:
    """A datasheet value in base units (bytes, bytes/s, FLOP/s, W), halved if it was sparse.

    >>> _si("TF32_sparse_PFLOPS", 2.2), _si("HBM3e_GB_per_GPU", "180 (HGX) vs 192 (launch)")
    (1100000000000000.0, 180000000000.0)
    """
    exponent = next(e for suffix, e in _EXPONENTS if key.endswith(suffix))
    first = re.match(r"\s*([0-9.]+)", str(value)).group(1)          # "180 (...) vs 192 (...)" -> 180
    return float(f"{first}e{exponent}") * (0.5 if "_sparse_" in key else 1.0)
