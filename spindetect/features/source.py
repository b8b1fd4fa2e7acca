"""Cross-source similarity to known originals.

The slots exist so that one model serves with and without a source index: without an index every value is
NaN ("no index given"), which xgboost routes down its learned default branch. The source-index work fills
them in.
"""

from __future__ import annotations

from ..document import Document
from .base import MISSING, FeatureFamily, FeatureResult


class SourceSimilarity(FeatureFamily):
    name = "source"
    version = 1
    features = {
        "similarity": "similarity to the closest indexed original",
        "coverage": "share of the closest original's sentences found in this document",
        "verbatim_fraction": "share of this document copied word for word from the closest original",
        "substitution_rate": "share of aligned words swapped for another word",
    }

    def extract(self, doc: Document) -> FeatureResult:
        return FeatureResult({short: MISSING for short in self.features})
