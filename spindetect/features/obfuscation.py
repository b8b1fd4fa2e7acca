"""Character-level obfuscation that normalisation undid (see `spindetect.text.normalize`).

Invisible characters and look-alike letters inside an article are a strong sign of an evader: legitimate
newsrooms do not type Cyrillic "а" inside English words.
"""

from __future__ import annotations

from ..text._document import Document
from .base import FeatureFamily, FeatureResult, ratio


class Obfuscation(FeatureFamily):
    name = "obfuscation"
    version = 1
    features = {
        "invisible_per_1k_chars": "invisible characters (zero-width, soft hyphens, bidi controls) per 1,000 characters",
        "homoglyphs_per_1k_chars": "look-alike Cyrillic/Greek letters inside Latin words per 1,000 characters",
        "compatibility_per_1k_chars": "full-width and other compatibility forms per 1,000 characters",
    }

    def extract(self, doc: Document) -> FeatureResult:
        stats = doc.normalization
        per_1k = max(len(doc.text), 1) / 1000.0
        invisible = stats.format_chars + stats.soft_hyphens + stats.bidi_controls + stats.control_chars
        return FeatureResult({
            "invisible_per_1k_chars": ratio(invisible, per_1k, 0.0),
            "homoglyphs_per_1k_chars": ratio(stats.homoglyphs, per_1k, 0.0),
            "compatibility_per_1k_chars": ratio(stats.compatibility_forms, per_1k, 0.0),
        })
