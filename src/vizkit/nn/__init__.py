"""Part 1: neural networks — one module per idea.

==================  ===============================================================
module              chapter and idea
==================  ===============================================================
``datasets``        small seeded 2-D data sets (separable, two moons, circles, xor, spirals)
``perceptron``      P1.1 the perceptron rule, one example per frame
``activations``     P1.2 ReLU, GELU, SiLU, tanh, sigmoid: value and slope
``universal``       P1.2 one hidden layer of N units fitting a target
``losses``          P1.3 cross-entropy vs MSE on a softmax and their gradients
``autograd``        P1.4 a scalar reverse-mode autograd engine
``backprop``        P1.4 a computation graph traced forward and backward, checked numerically
``mlp``             P1.2–P1.5 a numpy MLP with a hand-written backward pass
``training``        P1.5 mini-batch training with train/val curves and boundary snapshots
``initialization``  P1.6 He / Xavier / LeCun and signal propagation through depth
``recurrence``      P1.7 RNN steps vs attention's one parallel step and T² scores
``normalization``   P1.8 LayerNorm and RMSNorm
``residual``        P1.8 pre-norm vs post-norm residual growth over depth
==================  ===============================================================
"""

from .activations import ACTIVATIONS, activate, activation_trace
from .autograd import Value, topological_order
from .backprop import EXAMPLES, backprop_trace, graph_trace
from .datasets import DATASETS, Dataset, make_dataset, train_val_split
from .initialization import INIT_SCHEMES, init_std, signal_trace
from .losses import loss_curve_trace, loss_gradients
from .mlp import MLPSpec, forward, init_params, loss_and_grad, predict_proba
from .normalization import layer_norm, norm_stages, rms_norm
from .perceptron import perceptron_trace
from .recurrence import sequence_trace
from .residual import residual_trace
from .training import SCENARIOS, train_scenario, train_trace
from .universal import TARGETS, universal_fit, width_sweep

__all__ = [
    "ACTIVATIONS", "activate", "activation_trace",
    "Value", "topological_order",
    "EXAMPLES", "backprop_trace", "graph_trace",
    "DATASETS", "Dataset", "make_dataset", "train_val_split",
    "INIT_SCHEMES", "init_std", "signal_trace",
    "loss_curve_trace", "loss_gradients",
    "MLPSpec", "forward", "init_params", "loss_and_grad", "predict_proba",
    "layer_norm", "norm_stages", "rms_norm",
    "perceptron_trace",
    "sequence_trace",
    "residual_trace",
    "SCENARIOS", "train_scenario", "train_trace",
    "TARGETS", "universal_fit", "width_sweep",
]
