"""Canvas widgets: thin Python classes of synced traits over vizkit traces.

Each widget loads one bundled ES module from ``static/`` (built from the
repository's ``widgets/`` sources by ``npm run build:widgets``).
"""

from .base import VizWidget
from .descent import DescentWidget
from .kvcache import KVCacheWidget
from .paged import PagedAttentionWidget

__all__ = ["VizWidget", "DescentWidget", "KVCacheWidget", "PagedAttentionWidget"]
