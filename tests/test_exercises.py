"""The exercise checkers of P7.4 and the glue helper, against hand-derived answers."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit.book import glue
from vizkit.exercises import Answer, check, check_choice, check_integer, check_number
from vizkit.exercises import p7_4 as ex
from vizkit.inference.kvcache import decode_trace

# Llama 3 8B: 32 layers, 8 KV heads, head_dim 128 (Llama 3 paper, Table 3); bf16 = 2 bytes.
LLAMA3_8B_KV_GIB_32K = 2 * 32 * 8 * 128 * 2 * 32768 / 2**30
# Llama 3.1 405B: 126 layers, 8 KV heads, head_dim 16384 / 128 = 128 (Llama 3 paper, §3.2 and Table 3).
LLAMA31_405B_KV_GIB_128K = 2 * 126 * 8 * 128 * 2 * 131072 / 2**30
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
    assert ex.check_kv_gib(LLAMA31_405B_KV_GIB_128K)                 # the chapter's exercise
    assert not ex.check_kv_gib(LLAMA31_405B_KV_GIB_128K * 16)        # forgetting GQA: 128 heads, not 8
    assert ex.check_kv_gib(LLAMA3_8B_KV_GIB_32K, model="llama-3-8b", n_tokens=32768)
    assert not ex.check_kv_gib(LLAMA3_8B_KV_GIB_32K * 4, model="llama-3-8b", n_tokens=32768)


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
    # keys-only: half the memory, more compute than the correct cache, growing with n;
    # the values need every earlier hidden state, so it saves only the cached keys' projections
    np.testing.assert_allclose(keys_only.kv_bytes, good.kv_bytes / 2)
    assert (np.diff(keys_only.flops_cached - good.flops_cached) > 0).all()
    k_proj = 2 * 4096 * 32 * 128 * 32          # d_model · n_kv_heads · head_dim · n_layers, 2 FLOPs per MAC
    np.testing.assert_allclose(good.flops_recompute - keys_only.flops_cached,
                               k_proj * (good.context_len - 1.0))
    assert (keys_only.flops_cached > 0.9 * good.flops_recompute).all()
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


def test_mystery_b_shows_half_the_memory_and_no_compute_saving():
    b = ex.mystery_trace("B")
    good = decode_trace("llama-2-7b", b.prompt_len, b.n_new)
    np.testing.assert_allclose(b.kv_bytes, good.kv_bytes / 2)                    # memory panel
    assert (b.flops_cached > 0.9 * good.flops_recompute).all()                   # compute panel
    assert [ex.check_bug(bug, "B") for bug in ex.BUGS] == [bug == "keys-only" for bug in ex.BUGS]
    with pytest.raises(ValueError, match="which must be one of A, B"):
        ex.check_bug("no-append", "C")


def test_keys_only_refuses_a_joint_latent_cache():
    with pytest.raises(ValueError, match="MLA"):
        ex.buggy_decode_trace("deepseek-v2", 4, 4, "keys-only")


def test_attention_crossover_is_where_the_two_terms_of_a_cached_step_meet():
    # Llama 2 7B: p = 2 · 32 layers · 32 heads · (128 + 128). L = 2 × every weight that multiplies
    # a token's activations: all 6,738,415,616 parameters except the input embedding (32000 × 4096,
    # a lookup) and the RMSNorm gains (2 per layer + 1 final, 4096 each).
    p = 2 * 32 * 32 * 256
    big_l = 2 * (6_738_415_616 - 32000 * 4096 - (2 * 32 + 1) * 4096)
    assert ex.attention_crossover() == pytest.approx(big_l / p)
    assert ex.check_attention_crossover(big_l / p)
    assert not ex.check_attention_crossover(1024)


def test_plot_traces_draws_both_panels_and_the_reference():
    import matplotlib

    matplotlib.use("Agg")
    fig = ex.plot_traces(decode_trace("gpt2", 4, 8), ex.buggy_decode_trace("gpt2", 4, 8, "reprefill"))
    compute, memory = fig.axes
    assert len(compute.lines) == 3 and len(memory.lines) == 2
    with pytest.raises(ValueError, match="other must have as many steps"):
        ex.plot_traces(decode_trace("gpt2", 4, 8), decode_trace("gpt2", 4, 9))


def test_check_prints_the_verdict_and_returns_it(capsys):
    assert check("kv", 4.0, 4.0)
    assert capsys.readouterr().out.startswith("✓ kv: right")
    assert not check("kv", 5.0, 4.0, hint="count K and V")
    assert capsys.readouterr().out == "✗ kv: not yet — hint: count K and V\n"


def test_whole_numbers_accept_integral_floats_and_numpy_integers():
    # (hbm - weights) // kv is a float in Python: 14.0 must count as the whole number 14
    assert check("n", 14.0, 14) and check("n", np.int64(14), 14) and check("n", np.float64(14), 14)
    with pytest.raises(ValueError, match="answer must be an integer; got 14.5"):
        check("n", 14.5, 14)


@pytest.mark.parametrize("kwargs, match", [
    (dict(name="", answer=1, expected=1), "name must be a non-empty string"),
    (dict(name="x", answer=1, expected=float("inf")), "expected must be a finite number"),
    (dict(name="x", answer=1, expected=1.0, rel_tol=1.5), "rel_tol must be a number in"),
    (dict(name="x", answer="a", expected="c", choices=("a", "b")), "expected must be one of choices"),
    (dict(name="x", answer=1, expected=1, hint=3), "hint must be a string"),
])
def test_bad_exercise_definitions_raise_naming_the_parameter(kwargs, match):
    with pytest.raises(ValueError, match=match):
        check(**kwargs)


def test_answer_is_right_does_not_print(capsys):
    a = Answer("x", 10.0, rel_tol=0.1)
    assert a.is_right(10.5) and not a.is_right(12.0) and a.kind == "number"
    assert Answer("x", 3).kind == "integer" and Answer("x", "a", choices=("A",)).kind == "choice"
    assert capsys.readouterr().out == ""

