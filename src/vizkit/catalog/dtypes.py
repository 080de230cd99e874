r"""Number formats and the bytes one element of each occupies.

Memory for a tensor of :math:`N` elements stored as ``dtype`` is

.. math::

    \text{bytes} = N \cdot b(\text{dtype}),

with :math:`b` = 4 for fp32 and tf32, 2 for bf16 and fp16, 1 for fp8 and int8
and 1/2 for fp4 and int4 (two elements per byte).

* ``tf32`` is a tensor-core *compute* format (19 significant bits); tensors
  that use it are stored as fp32, so it costs 4 bytes.
* ``fp4``/``int4`` count the bare 4-bit codes. Block-scaled formats add a
  shared scale per block (MXFP4: 8 bits per 32 elements, 4.25 bits each),
  which this table leaves out.

>>> dtype_bytes("bf16")
2.0
>>> dtype_bytes("int4") * 7_000_000_000 / 1e9   # a 7B model at 4 bits, GB
3.5
"""

from __future__ import annotations

from vizkit._validate import one_of

__all__ = ["DTYPES", "dtype_bytes", "check_dtype"]

_BYTES: dict[str, float] = {
    "fp32": 4.0,
    "tf32": 4.0,   # stored as fp32
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,    # e4m3 and e5m2 alike
    "int8": 1.0,
    "fp4": 0.5,    # e2m1 codes, block scales not counted
    "int4": 0.5,
}

#: Accepted dtype names, widest first.
DTYPES: tuple[str, ...] = tuple(_BYTES)


def check_dtype(dtype: object, name: str = "dtype") -> str:
    """Return ``dtype`` lower-cased if it names one of :data:`DTYPES`, else raise ``ValueError``.

    >>> check_dtype("BF16")
    'bf16'
    """
    key = dtype.lower() if isinstance(dtype, str) else ""
    if key not in _BYTES:
        one_of(name, dtype, DTYPES)
    return key


def dtype_bytes(dtype: str) -> float:
    """Bytes per element of ``dtype`` (case-insensitive).

    >>> [dtype_bytes(d) for d in ("fp32", "fp8", "fp4")]
    [4.0, 1.0, 0.5]
    """
    return _BYTES[check_dtype(dtype)]
