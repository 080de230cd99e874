"""Canvas widgets: thin Python classes of synced traits over vizkit traces.

Each widget loads one bundled ES module from ``static/`` (built from the
repository's ``widgets/`` sources by ``npm run build:widgets``).
"""

from .anatomy import AnatomyWidget
from .backprop import BackpropWidget
from .base import VizWidget
from .batching import BatchingWidget
from .chunked import ChunkedPrefillWidget
from .descent import DescentWidget
from .disagg import DisaggWidget
from .functions import FunctionsWidget
from .initialization import InitWidget
from .kvcache import KVCacheWidget
from .kvtransfer import KVTransferWidget
from .losses import LossWidget
from .normalization import NormWidget
from .notation import NotationWidget
from .optimizers import OptimizerRaceWidget
from .paged import PagedAttentionWidget
from .perceptron import PerceptronWidget
from .radix import RadixWidget
from .recurrence import RecurrenceWidget
from .slo import SLOWidget
from .softmax import SoftmaxWidget
from .speculative import SpeculativeWidget
from .training import TrainingWidget
from .transforms import TransformWidget
from .universal import UniversalWidget
from .vectors import VectorsWidget

__all__ = [
    "VizWidget",
    "AnatomyWidget",
    "BackpropWidget",
    "BatchingWidget",
    "ChunkedPrefillWidget",
    "DescentWidget",
    "DisaggWidget",
    "FunctionsWidget",
    "InitWidget",
    "KVCacheWidget",
    "KVTransferWidget",
    "LossWidget",
    "NormWidget",
    "NotationWidget",
    "OptimizerRaceWidget",
    "PagedAttentionWidget",
    "PerceptronWidget",
    "RadixWidget",
    "RecurrenceWidget",
    "SLOWidget",
    "SoftmaxWidget",
    "SpeculativeWidget",
    "TrainingWidget",
    "TransformWidget",
    "UniversalWidget",
    "VectorsWidget",
]
