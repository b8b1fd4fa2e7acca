"""Cross-source similarity: find the original a copy, spin or rewrite derives from, and group batches
into stories. See `source_index.SourceIndex` and `cluster.cluster`."""

from __future__ import annotations

from .cluster import ClusterAssignment, cluster
from .source_index import SourceIndex, SourceMatch
from .store import SourceIndexError

__all__ = ["ClusterAssignment", "SourceIndex", "SourceIndexError", "SourceMatch", "cluster"]
