"""Links that move KV, and the disaggregated cluster built on them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit import catalog
from vizkit.serving import (LINKS, EngineConfig, cost_model, kv_transfer, link, lognormal,
                            poisson_workload, simulate_colocated, simulate_disagg, tpot_s,
                            transfer_s, ttft_s)
from vizkit.serving.disagg import fifo_finish_s


def test_link_table_is_ordered_as_the_hardware_is():
    bw = {k: v.bw_bytes_per_s for k, v in LINKS.items()}
    assert bw["nvlink5"] > bw["nvlink4"] > bw["pcie5"] > bw["ib-ndr"] == bw["roce-400g"] > bw["ib-hdr"]
    # NVLink per direction is half the datasheet's both-directions figure
    assert LINKS["nvlink4"].bw_bytes_per_s == catalog.gpu("h100-sxm").nvlink_bytes_per_s / 2
    assert all(v.latency_s < 1e-4 for v in LINKS.values())
    with pytest.raises(ValueError, match="^link must be one of"):
        link("carrier-pigeon")


@settings(max_examples=50, deadline=None)
@given(tokens=st.integers(1, 20_000), bs=st.sampled_from([1, 16, 128]), per=st.integers(1, 64),
       name=st.sampled_from(sorted(LINKS)))
def test_packetised_transfer_adds_up(tokens, bs, per, name):
    lk = LINKS[name]
    x = kv_transfer(tokens, 131072.0, lk, block_size=bs, blocks_per_message=per)
    n_blocks = -(-tokens // bs)
    n_msg = -(-n_blocks // per)
    assert x.total_bytes == tokens * 131072.0
    assert x.total_s == pytest.approx(float(transfer_s(x.total_bytes, lk, n_msg)), rel=1e-9)
    assert (np.diff(x.depart_s) >= 0).all() and (x.arrive_s > x.depart_s).all()
    assert x.arrive_s[-1] == pytest.approx(x.total_s)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 10), st.floats(0, 3)), min_size=1, max_size=30))
def test_fifo_finish_times_match_a_plain_loop(jobs):
    ready = np.sort(np.array([j[0] for j in jobs]))
    service = np.array([j[1] for j in jobs])
    free, want = 0.0, []
    for r, d in zip(ready, service, strict=True):
        free = max(free, r) + d
        want.append(free)
    np.testing.assert_allclose(fifo_finish_s(ready, service), want, rtol=1e-12, atol=1e-12)


def test_disaggregated_requests_flow_prefill_then_link_then_decode():
    cm = cost_model("llama-3-8b", "h100-sxm")
    w = poisson_workload(400, 20.0, seed=0)
    t = simulate_disagg(w, cm, cm, n_prefill=1, n_decode=2, lnk="roce-400g")
    assert np.isfinite(t.finish_s).all() and t.n_gpus == 3
    assert (t.arrival_s < t.first_token_s).all()
    assert (t.transfer_start_s >= t.first_token_s).all()
    dur = t.transfer_end_s - t.transfer_start_s
    np.testing.assert_allclose(dur, 5e-6 + w.prompt_tokens * 131072.0 / 50e9, rtol=1e-9)
    more = w.output_tokens > 1
    assert (t.finish_s[more] > t.transfer_end_s[more]).all()
    assert set(t.decode_gpu[more].tolist()) == {0, 1} and (t.decode_gpu[~more] == -1).all()
    assert t.itl_s.size == int((w.output_tokens - 1).sum())
    # the gap before each second token spans the hand-off: at least the transfer itself
    assert t.itl_s.max() >= dur.min()
    # a slower link only delays the hand-off, never the first token
    slow = simulate_disagg(w, cm, cm, 1, 2, lnk="tcp-100g")
    np.testing.assert_allclose(slow.first_token_s, t.first_token_s)
    assert tpot_s(slow).mean() > tpot_s(t).mean()


def test_disaggregation_removes_prefill_stalls_from_decoding():
    cm = cost_model("llama-3-8b", "h100-sxm")
    w = poisson_workload(1500, 30.0, prompt=lognormal(1000, 0.6, 1, 4096), seed=0,
                         max_len_tokens=8192)
    colo = simulate_colocated(w, cm, 2)
    dis = simulate_disagg(w, cm, cm, 1, 1, "nvlink4")
    assert np.percentile(dis.itl_s, 99) < 0.5 * np.percentile(colo.itl_s, 99)
    assert np.isfinite(ttft_s(dis)).all()


def test_bad_cluster_arguments_name_the_parameter():
    cm = cost_model()
    w = poisson_workload(5, 1.0)
    with pytest.raises(ValueError, match="^n_prefill"):
        simulate_disagg(w, cm, n_prefill=0)
    with pytest.raises(ValueError, match="^n_decode"):
        simulate_disagg(w, cm, n_decode=0)
    with pytest.raises(ValueError, match="^lnk"):
        simulate_disagg(w, cm, lnk=3)
    with pytest.raises(ValueError, match="^n_gpus"):
        simulate_colocated(w, cm, 0)
    with pytest.raises(ValueError, match="^remote_prefill"):
        EngineConfig(remote_prefill=True, chunked_prefill=True)
