"""vizkit.catalog against published numbers.

Every expected value below is typed in from its source (named in a comment), never read
from the catalog: these tests fail if a formula or a stored hyper-parameter is wrong.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest

from vizkit import catalog

# Parameter counts of the released checkpoints: the sum of every tensor's size in the
# Hugging Face safetensors files (the "Model size ... params" each model page shows,
# transformers' model.num_parameters()), tied tensors counted once.
HF_PARAMS = {
    "gpt2": 124_439_808,             # openai-community/gpt2
    "gpt2-xl": 1_557_611_200,        # openai-community/gpt2-xl
    "llama-2-7b": 6_738_415_616,     # meta-llama/Llama-2-7b-hf
    "llama-2-13b": 13_015_864_320,   # meta-llama/Llama-2-13b-hf
    "llama-2-70b": 68_976_648_192,   # meta-llama/Llama-2-70b-hf
    "llama-3-8b": 8_030_261_248,     # meta-llama/Meta-Llama-3-8B
    "llama-3-70b": 70_553_706_496,   # meta-llama/Meta-Llama-3-70B
    "llama-3.1-405b": 405_853_388_800,  # meta-llama/Llama-3.1-405B
    "mistral-7b": 7_241_732_096,     # mistralai/Mistral-7B-v0.1
    "mixtral-8x7b": 46_702_792_704,  # mistralai/Mixtral-8x7B-v0.1
}


def shared_reference() -> Path | None:
    """shared/reference/configs.json beside the repository (main/ or a fresh clone), if any."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "reference" / "configs.json"
        if candidate.is_file():
            return candidate
    return None


@pytest.mark.reference
@pytest.mark.parametrize("name", sorted(HF_PARAMS))
def test_parameter_count_matches_the_released_checkpoint(name):
    assert catalog.model(name).n_params() == HF_PARAMS[name]


@pytest.mark.reference
def test_gpt3_parameters_within_1pct_of_the_paper():
    # Brown et al. 2020, Table 2.1: GPT-3 175B, n_params = 175.0B
    assert catalog.model("gpt3-175b").n_params() == pytest.approx(175.0e9, rel=0.01)


@pytest.mark.reference
def test_gpt3_training_compute_is_6ND():
    # Brown et al. 2020, Table D.1: GPT-3 175B, 3.14E+23 training FLOPs over 300B tokens
    # (Table 2.1 caption); training = forward + backward = 3 x the forward matmuls.
    m = catalog.model("gpt3-175b")
    assert 3 * m.linear_flops_per_token() * 300e9 == pytest.approx(3.14e23, rel=0.01)


@pytest.mark.reference
def test_mixtral_total_and_active():
    # Mistral AI, "Mixtral of experts" model card / release post: 46.7B total parameters,
    # 12.9B used per token.
    m = catalog.model("mixtral-8x7b")
    assert m.n_params() == pytest.approx(46.7e9, rel=0.005)
    assert m.n_active_params() == pytest.approx(12.9e9, rel=0.005)


@pytest.mark.reference
def test_deepseek_v2_total_and_activated():
    # DeepSeek-V2 tech report (arXiv 2405.04434) abstract: "236B total parameters, of which
    # 21B are activated for each token". DeepSeek's activated count leaves out the input
    # embedding table (see the V3 test below); with it the count still rounds to 21B.
    m = catalog.model("deepseek-v2")
    embedding = m.param_breakdown()["embedding"]
    assert m.n_params() == pytest.approx(236e9, rel=0.01)
    assert m.n_active_params() - embedding == pytest.approx(21e9, rel=0.01)
    assert round(m.n_active_params() / 1e9) == 21


@pytest.mark.reference
def test_deepseek_v3_total_and_activated():
    # deepseek-ai/DeepSeek-V3 README: "671B total parameters with 37B activated for each token"
    # (main model; the 14B multi-token-prediction module is separate).
    # README_WEIGHTS.md, Main Model Weights: "Activation parameters: 36.6B (including 0.9B for
    # the output Head)", i.e. without the input embedding table; 37B is that figure rounded.
    m = catalog.model("deepseek-v3")
    embedding = m.param_breakdown()["embedding"]
    assert m.n_params() == pytest.approx(671e9, rel=0.01)
    assert m.n_active_params() - embedding == pytest.approx(36.6e9, rel=0.005)
    assert round((m.n_active_params() - embedding) / 1e9) == 37
    assert round(m.param_breakdown()["lm_head"] / 1e9, 1) == 0.9


@pytest.mark.reference
def test_llama2_7b_kv_cache_bytes_per_token():
    # The widely quoted 0.5 MiB per token for Llama-2-7B in 16-bit: K and V for 32 layers of
    # width 4096 (meta-llama/Llama-2-7b-hf config.json), 2 bytes each: 2 * 32 * 4096 * 2.
    assert catalog.model("llama-2-7b").kv_bytes_per_token("bf16") == 524_288


@pytest.mark.reference
def test_deepseek_v2_mla_kv_cache():
    # DeepSeek-V2 report, Table 1: MLA caches (d_c + d_h^R) l elements per token, "= 9/2 d_h l"
    # with d_c = 4 d_h, d_h^R = d_h / 2; §3.1.2: d_c = 512, d_h^R = 64, d_h = 128, l = 60.
    m = catalog.model("deepseek-v2")
    assert m.kv_elements_per_token() == (512 + 64) * 60 == 4.5 * 128 * 60
    mha = 2 * 128 * 128 * 60            # Table 1, MHA: 2 n_h d_h l with n_h = 128
    assert m.kv_elements_per_token() * 50 < mha


@pytest.mark.reference
def test_h100_sxm():
    # NVIDIA H100 datasheet: BF16 1,979 TFLOPS with sparsity -> 989.5 dense; 3.35 TB/s HBM3.
    h = catalog.gpu("h100-sxm")
    assert h.peak_flops("bf16") == 989.5e12
    assert h.hbm_bytes_per_s == 3.35e12
    assert h.ridge_point("bf16") == pytest.approx(295.4, abs=0.05)


@pytest.mark.reference
def test_a100_80gb_sxm():
    # NVIDIA A100 datasheet: BF16 312 TFLOPS dense (624 with sparsity); 2,039 GB/s HBM2e.
    a = catalog.gpu("a100-80gb-sxm")
    assert a.peak_flops("bf16") == 312e12
    assert a.hbm_bytes_per_s == 2.039e12
    with pytest.raises(ValueError, match="dtype"):
        a.peak_flops("fp8")             # Ampere tensor cores have no FP8


@pytest.mark.reference
def test_h200_sxm():
    # NVIDIA H200 datasheet: 141 GB HBM3e at 4.8 TB/s.
    h = catalog.gpu("h200-sxm")
    assert h.hbm_bytes_per_s == 4.8e12
    assert h.hbm_bytes == 141e9


@pytest.mark.reference
def test_b200_dense_throughput():
    # NVIDIA HGX B200 per-GPU table (with sparsity): FP16/BF16 4.5 PF, FP8 9 PF, FP4 18 PF;
    # dense is half. Memory 180 GB at 7.7 TB/s.
    b = catalog.gpu("b200")
    assert b.peak_flops("bf16") == 2.25e15
    assert b.peak_flops("fp8") == 4.5e15
    assert b.peak_flops("fp4") == 9e15
    assert (b.hbm_bytes, b.hbm_bytes_per_s) == (180e9, 7.7e12)


@pytest.mark.reference
def test_packaged_configs_is_an_exact_copy_of_the_shared_reference():
    reference = shared_reference()
    if reference is None:
        pytest.skip("no shared/reference/configs.json beside the repository")
    packaged = files("vizkit.catalog").joinpath("data/configs.json").read_bytes()
    assert packaged == reference.read_bytes(), f"src/vizkit/catalog/data/configs.json differs from {reference}"
    assert json.loads(packaged) == json.loads(reference.read_bytes())
