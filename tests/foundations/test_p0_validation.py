"""Bad input to a Part 0 function raises ValueError naming the parameter."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from vizkit import foundations as F

CASES = [
    ("values", lambda: F.sum_trace([])),
    ("weights", lambda: F.sum_trace([1.0, 2.0], [1.0])),
    ("values", lambda: F.sum_trace([1.0, math.nan])),
    ("p", lambda: F.lp_norm([1.0], 0.5)),
    ("p_values", lambda: F.unit_ball_trace([2.0, 0.5])),
    ("n_points", lambda: F.unit_ball_trace(n_points=0)),
    ("w", lambda: F.evaluate_notation([1.0, 2.0], [1.0])),
    ("family", lambda: F.evaluate("cosine", [1.0])),
    ("param", lambda: F.evaluate("linear", [1.0], slope=2.0)),
    ("x_max", lambda: F.curve_trace("relu", x_min=1.0, x_max=0.0)),
    ("n_points", lambda: F.curve_trace("relu", n_points=1)),
    ("b", lambda: F.dot([1.0, 2.0], [1.0, 2.0, 3.0])),
    ("a", lambda: F.cosine_similarity([0.0, 0.0], [1.0, 1.0])),
    ("onto", lambda: F.projection([1.0, 1.0], onto=[0.0, 0.0])),
    ("b_length", lambda: F.rotation_trace(b_length=-1.0)),
    ("x", lambda: F.affine(np.eye(2), [1.0, 2.0, 3.0])),
    ("b", lambda: F.affine(np.eye(2), [1.0, 2.0], b=[1.0])),
    ("W", lambda: F.determinant(np.eye(3))),
    ("points", lambda: F.polygon_area([[0.0, 0.0], [1.0, 1.0]])),
    ("n_morph", lambda: F.affine_trace(n_morph=0)),
    ("B", lambda: F.gemm_trace(np.ones((2, 3)), np.ones((2, 3)))),
    ("A", lambda: F.gemm_trace(np.ones(3), np.ones((3, 1)))),
    ("A", lambda: F.gemm_trace(np.ones((300, 300)), np.ones((300, 300)))),
    ("k", lambda: F.mac_count(2, 3, 0)),
    ("x", lambda: F.gemv_trace(np.ones((2, 3)), [1.0, 2.0])),
    ("h", lambda: F.central_difference(math.sin, 0.0, h=0.0)),
    ("h_values", lambda: F.secant_trace(h_values=[0.1, -0.1])),
    ("surface", lambda: F.make_surface("saddle")),
    ("curvature", lambda: F.make_surface("quadratic", curvature=-1.0)),
    ("curvature_y", lambda: F.make_surface("ravine", curvature_y=0.0)),
    ("tilt", lambda: F.make_surface("double_well", tilt=2.0)),
    ("params", lambda: F.make_surface("rosenbrock", c=1.0)),
    ("learning_rate", lambda: F.descent_trace(learning_rate=-0.1)),
    ("learning_rate", lambda: F.descent_trace(learning_rate=0.0)),
    ("n_steps", lambda: F.descent_trace(n_steps=0)),
    ("start", lambda: F.descent_trace("bowl", start=[1.0, 2.0, 3.0])),
    ("grid_points", lambda: F.descent_trace(grid_points=1)),
    ("learning_rate", lambda: F.make_optimizer("sgd", learning_rate=-1.0)),
    ("beta", lambda: F.make_optimizer("momentum", beta=1.5)),
    ("beta2", lambda: F.make_optimizer("adam", beta2=-0.1)),
    ("weight_decay", lambda: F.Adam(weight_decay=-1.0)),
    ("optimizer", lambda: F.make_optimizer("lion")),
    ("optimizers", lambda: F.race_trace(optimizers=[])),
    ("optimizers", lambda: F.race_trace(optimizers=[{"learning_rate": 0.1}])),
    ("gradient_noise", lambda: F.race_trace(gradient_noise=-1.0)),
    ("seed", lambda: F.race_trace(seed=-1)),
    ("temperature", lambda: F.softmax([1.0, 2.0], temperature=0.0)),
    ("logits", lambda: F.softmax([])),
    ("temperatures", lambda: F.temperature_trace(temperatures=[1.0, -1.0])),
    ("target", lambda: F.temperature_trace([1.0, 2.0], target=5)),
    ("target", lambda: F.temperature_trace([1.0, 2.0], target=[0.5, 0.25, 0.25])),
    ("p", lambda: F.entropy([0.5, 0.6])),
    ("p", lambda: F.entropy([1.5, -0.5])),
    ("q", lambda: F.kl_divergence([0.5, 0.5], [1.0, 0.0, 0.0])),
    ("unit", lambda: F.entropy([1.0], unit="hartleys")),
    ("probs", lambda: F.sampling_trace([])),
    ("n_samples", lambda: F.sampling_trace(n_samples=0)),
    ("samples_per_frame", lambda: F.sampling_trace(n_samples=10, samples_per_frame=11)),
]


@pytest.mark.parametrize("name,call", CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_bad_input_names_the_parameter(name, call):
    with pytest.raises(ValueError) as info:
        call()
    assert re.search(rf"(^|\W){re.escape(name)}\W", str(info.value)), str(info.value)
