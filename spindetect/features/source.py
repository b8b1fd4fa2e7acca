"""Cross-source similarity to known originals, from the detector's source-index match.

Without an index every value is NaN ("no index given"), which xgboost routes down its learned default
branch, so one model serves both modes. With an index and no match, similarity and coverage are 0: the
document was checked and nothing it derives from is known.

A match by story evidence alone (`SourceMatch.matched_by == "story"`: a translation or a loose rewrite of
an indexed original) reads as no match here. The model was trained on wording matches only, and a
translation is not a farm's work by itself: a wire service's English edition is an original. Such a match
is reported in the record's `source`, and the label rests on the text.
"""

from __future__ import annotations

from ..text._document import NO_INDEX, Document
from .base import MISSING, Evidence, FeatureFamily, FeatureResult


class SourceSimilarity(FeatureFamily):
    name = "source"
    # Every match measure is about the one indexed original named in the similarity evidence.
    evidence_from = {"coverage": ("similarity",), "verbatim_fraction": ("similarity",)}
    version = 1
    features = {
        "similarity": "similarity to the closest indexed original",
        "coverage": "share of the closest original's sentences found in this document",
        "verbatim_fraction": "share of this document copied word for word from the closest original",
        "substitution_rate": "share of aligned words swapped for another word",
    }

    def extract(self, doc: Document) -> FeatureResult:
        match = doc.source_match
        if match is NO_INDEX:
            return FeatureResult({short: MISSING for short in self.features})
        if match is None or match.matched_by != "wording":
            return FeatureResult({"similarity": 0.0, "coverage": 0.0, "verbatim_fraction": 0.0,
                                  "substitution_rate": MISSING})
        evidence = [Evidence(replacement, replaced=original, kind="substitution")
                    for original, replacement in match.substitutions[:20]]
        return FeatureResult(
            {short: float(getattr(match, short)) for short in self.features},
            {"substitution_rate": evidence, "similarity": [Evidence(match.id, kind="source_id")]},
        )
