"""The catalog: model and hardware facts, and the formulas derived from them.

Every stored number is read from the packaged ``data/configs.json`` (verified
hyper-parameters and datasheet figures, each with its source) through one table
per kind: ``models._MODELS`` and ``gpus._GPUS``. Everything else is computed.

>>> from vizkit import catalog
>>> catalog.model("llama-2-7b").n_params()
6738415616
>>> catalog.gpu("h100-sxm").peak_flops("bf16")
989500000000000.0
>>> catalog.dtype_bytes("fp8")
1.0
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from vizkit._validate import one_of

from .dtypes import DTYPES, dtype_bytes
from .gpus import _GPUS, GPU, _si
from .models import _MODELS, Model, _attention_kind

__all__ = ["Model", "GPU", "model", "gpu", "model_names", "gpu_names", "dtype_bytes", "DTYPES"]


@lru_cache(maxsize=1)
def _configs() -> dict[str, Any]:
    return json.loads(files(__name__).joinpath("data/configs.json").read_text(encoding="utf-8"))


def _key(param: str, name: object, table: dict[str, Any]) -> str:
    key = name.lower() if isinstance(name, str) else ""
    if key not in table:
        one_of(param, name, table)
    return key


def _read(entry: dict[str, Any], key: str | tuple[str, str]) -> Any:
    if isinstance(key, tuple):                  # ("other entry", "key")
        entry, key = _configs()[key[0]], key[1]
    value = entry["values"]
    for part in key.split("/"):                 # "gpt2_small/n_embd"
        value = value[part]
    return value


@lru_cache(maxsize=None)
def _model(name: str) -> Model:
    display, entry_name, keys, facts = _MODELS[name]
    entry = _configs()[entry_name]
    kw = {field: _read(entry, key) for field, key in keys.items()} | facts
    if "d_ff_per_d_model" in kw:                                # GPT-2/3: d_ff = 4 d_model
        kw["d_ff"] = kw.pop("d_ff_per_d_model") * kw["d_model"]
    kw.setdefault("n_kv_heads", kw["n_heads"])                  # MHA, MLA: a K and V per query head
    kw.setdefault("head_dim", kw["d_model"] // kw["n_heads"])   # transformers' default (Mixtral)
    kw["attention"] = "mla" if "kv_lora_rank" in kw else _attention_kind(kw["n_heads"], kw["n_kv_heads"])
    return Model(name=name, display_name=display, source=entry["source"], **kw)


@lru_cache(maxsize=None)
def _gpu(name: str) -> GPU:
    display, entry_name, keys, flops = _GPUS[name]
    entry = _configs()[entry_name]
    values = entry["values"]
    kw: dict[str, Any] = {field: _si(key, values[key]) for field, key in keys.items()}
    kw["hbm_bytes"] = round(kw["hbm_bytes"])
    both = "; ".join(f"{key}: {values[key]}" for key in keys.values() if isinstance(values[key], str))
    return GPU(name=name, display_name=display, note=both and f"first figure of each used. {both}",
               dense_flops={dtype: _si(key, values[key]) for dtype, key in flops.items()},
               source=entry["source"], **kw)


def model_names() -> tuple[str, ...]:
    """Every catalog model name, in the book's order."""
    return tuple(_MODELS)


def gpu_names() -> tuple[str, ...]:
    """Every catalog GPU name, oldest first."""
    return tuple(_GPUS)


def model(name: str) -> Model:
    """The catalog :class:`Model` called ``name`` (case-insensitive).

    >>> model("Llama-3-8B").n_kv_heads
    8
    """
    return _model(_key("name", name, _MODELS))


def gpu(name: str) -> GPU:
    """The catalog :class:`GPU` called ``name`` (case-insensitive).

    >>> gpu("B200").hbm_bytes
    180000000000
    """
    return _gpu(_key("name", name, _GPUS))
