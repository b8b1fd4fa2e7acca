"""Cross-source similarity: find the original a copy, spin or rewrite derives from, and group batches
into stories. See `source_index.SourceIndex` and `cluster.cluster`."""

from __future__ import annotations

from .cluster import ClusterAssignment
from .source_index import SourceIndex, SourceMatch
from .store import SourceIndexError

# `cluster` (the function) stays in its module, `spindetect.index.cluster`: exported here, it would hide the
# module of the same name from `import spindetect.index.cluster`.
__all__ = ["ClusterAssignment", "SourceIndex", "SourceIndexError", "SourceMatch"]
