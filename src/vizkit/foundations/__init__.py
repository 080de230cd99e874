"""Part 0: math from absolute zero — one module per idea.

========================  ===========================================================
module                    chapter and idea
========================  ===========================================================
``notation``              P0.1 Σ as a loop, wᵀx, p-norms and their unit balls
``functions``             P0.2 linear, polynomial, exp/log, sigmoid, ReLU: value and slope
``vectors``               P0.3 dot product, cosine similarity, projection
``transforms``            P0.4 y = Wx + b as a warping grid; determinant as area scale
``gemm``                  P0.4 GEMV/GEMM as a grid of dot products; MAC counts
``derivatives``           P0.5 slopes as limits; central differences
``surfaces``              P0.5/P0.7 quadratic, double well, bowl, ravine, Rosenbrock
``gradient_descent``      P0.5 x ← x − η∇f, convergence below 2/L
``softmax``               P0.6 softmax with temperature
``information``           P0.6 entropy, cross-entropy, KL divergence
``sampling``              P0.6 sampling and empirical frequencies
``optimizers``            P0.7 SGD, momentum, Adam(W) update rules
``optimizer_race``        P0.7 optimisers racing on one surface
========================  ===========================================================

Every simulation returns a frozen trace (one row per animation frame) whose
``to_buffers()`` gives the little-endian float32/int32 bytes a widget reads.
"""

from .derivatives import central_difference, numerical_gradient, secant_trace
from .functions import FAMILIES, curve_trace, evaluate
from .gemm import flop_count, gemm_trace, gemv_trace, mac_count
from .gradient_descent import descent_trace
from .information import cross_entropy, entropy, kl_divergence
from .notation import evaluate_notation, lp_norm, sum_trace, unit_ball_trace
from .optimizer_race import race_trace
from .optimizers import SGD, Adam, Momentum, make_optimizer
from .sampling import sample_categorical, sampling_trace
from .softmax import log_softmax, softmax, temperature_trace
from .surfaces import SURFACES, critical_learning_rate, make_surface
from .transforms import affine, affine_trace, determinant, polygon_area, unit_square_image
from .vectors import angle_deg, cosine_similarity, dot, projection, rotation_trace

__all__ = [
    "central_difference", "numerical_gradient", "secant_trace",
    "FAMILIES", "curve_trace", "evaluate",
    "flop_count", "gemm_trace", "gemv_trace", "mac_count",
    "descent_trace",
    "cross_entropy", "entropy", "kl_divergence",
    "evaluate_notation", "lp_norm", "sum_trace", "unit_ball_trace",
    "race_trace",
    "SGD", "Adam", "Momentum", "make_optimizer",
    "sample_categorical", "sampling_trace",
    "log_softmax", "softmax", "temperature_trace",
    "SURFACES", "critical_learning_rate", "make_surface",
    "affine", "affine_trace", "determinant", "polygon_area", "unit_square_image",
    "angle_deg", "cosine_similarity", "dot", "projection", "rotation_trace",
]
