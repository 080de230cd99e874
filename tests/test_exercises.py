"""The exercise checkers of P7.4 and the glue helper, against hand-derived answers."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit.book import glue
from vizkit.exercises import check_choice, check_integer, check_number
from vizkit.exercises import p7_4 as ex
from vizkit.inference.kvcache import decode_trace

# Llama 3 8B: 32 layers, 8 KV heads, head_dim 128 (Llama 3 paper, Table 3); bf16 = 2 bytes.
LLAMA3_8B_KV_GIB_32K = 2 * 32 * 8 * 128 * 2 * 32768 / 2**30
# Llama 2 7B: 6,738,415,616 parameters (HF checkpoint), KV 2·32·32·128·2 bytes per token; H100 80 GB.
LLAMA2_7B_FIT_4K_H100 = int((80e9 - 2 * 6_738_415_616) // (2 * 32 * 32 * 128 * 2 * 4096))


def test_generic_checkers_accept_right_and_reject_wrong(capsys):
    assert check_number("x", 105.0, expected=100.0, rel_tol=0.1, hint="h")
    assert not check_number("x", 120.0, expected=100.0, rel_tol=0.1, hint="try again")
    assert "try again" in capsys.readouterr().out
    assert check_integer("n", 7, expected=7, hint="h") and not check_integer("n", 8, expected=7, hint="h")
    assert check_choice("c", " A ", expected="a", choices=["a", "b"], hint="h")


@pytest.mark.parametrize("bad", [None, "3", float("nan"), True])
def test_check_number_rejects_non_numbers_naming_the_parameter(bad):
    with pytest.raises(ValueError, match="answer"):
        check_number("x", bad, expected=1.0, rel_tol=0.1, hint="h")


def test_check_choice_rejects_unknown_options_listing_them():
    with pytest.raises(ValueError, match="answer must be one of a, b"):
        check_choice("c", "z", expected="a", choices=["a", "b"], hint="h")


def test_kv_gib_matches_the_closed_form():
    assert ex.check_kv_gib(LLAMA3_8B_KV_GIB_32K)
    assert not ex.check_kv_gib(LLAMA3_8B_KV_GIB_32K * 4)  # forgetting GQA: 32 KV heads instead of 8


def test_sequences_that_fit_matches_the_hand_computation():
    assert ex.sequences_that_fit() == LLAMA2_7B_FIT_4K_H100
    assert ex.check_sequences_that_fit(LLAMA2_7B_FIT_4K_H100)
    assert not ex.check_sequences_that_fit(LLAMA2_7B_FIT_4K_H100 + 1)
    with pytest.raises(ValueError, match="answer must be an integer"):
        ex.check_sequences_that_fit(3.5)


def test_sequences_that_fit_refuses_a_model_larger_than_the_gpu():
    with pytest.raises(ValueError, match="does not fit"):
        ex.sequences_that_fit("llama-3.1-405b", "h100-sxm", 4096)


def test_ratio_check_accepts_the_context_length_as_a_prediction():
    # The ratio is close to n: predicting n itself must pass, predicting 2 must not.
    assert ex.check_ratio(1024.0)
    assert not ex.check_ratio(2.0)


def test_each_bug_leaves_its_own_fingerprint():
    good = decode_trace("llama-2-7b", 64, 128)
    no_append = ex.buggy_decode_trace("llama-2-7b", 64, 128, "no-append")
    keys_only = ex.buggy_decode_trace("llama-2-7b", 64, 128, "keys-only")
    reprefill = ex.buggy_decode_trace("llama-2-7b", 64, 128, "reprefill")
    # no-append: the cache never grows and neither does the per-step cost
    assert np.ptp(no_append.kv_bytes) == 0 and np.ptp(no_append.flops_cached) == 0
    # keys-only: half the memory, more compute than the correct cache, growing with n
    np.testing.assert_allclose(keys_only.kv_bytes, good.kv_bytes / 2)
    assert (np.diff(keys_only.flops_cached - good.flops_cached) > 0).all()
    # reprefill: normal memory, a constant extra cost per step
    np.testing.assert_array_equal(reprefill.kv_bytes, good.kv_bytes)
    extra = reprefill.flops_cached - good.flops_cached
    assert extra.min() > 0 and np.ptp(extra) <= 1e-9 * extra.max()


def test_the_mystery_is_diagnosable_and_checked():
    mystery = ex.mystery_trace()
    assert np.ptp(mystery.kv_bytes) == 0          # what the picture shows
    assert sum(ex.check_bug(b) for b in ex.BUGS) == 1
    with pytest.raises(ValueError, match="bug must be one of"):
        ex.buggy_decode_trace("llama-2-7b", 4, 4, "off-by-one")


def test_glue_returns_python_scalars_and_checks_names():
    assert type(glue("some_value", np.float64(2.5))) is float
    assert glue("n_items", 3) == 3
    with pytest.raises(ValueError, match="name must be a Python identifier"):
        glue("not a name", 1)
