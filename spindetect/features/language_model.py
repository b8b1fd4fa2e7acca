"""What a language model expected: the spinner signal that does not depend on any table of English.

A spinner writes, at some spots, a word English would not write there; at each such spot a fluent writer
would have written a near-synonym. SmolLM2-135M (`spindetect.lm`) gives, for every content word, the
log-probability of the word written, of the model's own best guess, and of the word's best one-token Moby
synonym. The features are *contrasts within the document*: raw perplexity mostly measures genre (ordinary
human text off the news beat is far more surprising than agency copy), while a spun text is one whose worst
words are far worse than its typical word, and far worse than a synonym would have been.

- the largest gaps: the mean of the 10% largest gaps between the model's best guess and the word written,
  and between the best synonym and the word written;
- the same minus the document's median gap (the within-document contrast);
- the share of content words the model would have replaced by a synonym (the synonym is at least
  `PREFERRED_NATS` more likely), and runs of adjacent such words (a broken collocation changes both).

The evidence is each such word with the synonym the model preferred: the best guess we have at the word the
spinner replaced. The model reads the first `MAX_TOKENS` tokens of the text (features are rates).
"""

from __future__ import annotations

import math

import numpy as np

from ..text._document import Document
from .base import Evidence, FeatureFamily, FeatureResult, ratio

# One window (`lm._scoring`): ~190 words, enough for the rates, at a bounded cost per document (~0.6 s
# on 2 cores).
MAX_TOKENS = 256
# Fewer scored content words than this and the contrasts mean nothing.
MIN_WORDS = 20
TOP_SHARE = 0.1
# A synonym e^2.3 (10 times) more likely than the word written: the model would have written the synonym.
PREFERRED_NATS = 2.3
# Evidence names only words whose synonym was e^4 (55 times) more likely: at 2.3 nats, clean BBC articles
# showed 3.6 false spans per 100 words (`python -m benchmarks.evidence_quality --source lm`).
EVIDENCE_NATS = 4.0
MAX_EVIDENCE = 20


def _top_mean(values: np.ndarray) -> float:
    if len(values) == 0:
        return math.nan
    k = max(1, math.ceil(TOP_SHARE * len(values)))
    return float(np.mean(np.partition(values, len(values) - k)[-k:]))


class LanguageModelFeatures(FeatureFamily):
    name = "lm"
    # 2: adds translation_probe (read from the same forward pass). 3: the probe also learns original English
    # of every WMT22 pair. 4: the model runs in int8 (`spindetect.lm.SCORING_PRECISION`), its probe refitted
    # on int8 states.
    version = 4
    precision = "int8"
    features = {
        "surprise_top_mean": "mean gap (nats) between the model's best guess and the word written, "
                             "over the 10% largest gaps",
        "surprise_contrast": "the same minus the document's median gap",
        "synonym_gap_top_mean": "mean of the 10% largest gaps (nats) by which a synonym was more likely "
                                "than the word written",
        "synonym_gap_contrast": "the same minus the document's median synonym gap",
        "synonym_preferred_share": "share of content words the model would have replaced by a synonym",
        "synonym_preferred_runs_per_100_words": "runs of two adjacent words the model would both have "
                                                "replaced by synonyms, per 100 content words",
        "translation_probe": "log-odds that the text is a machine translation, by a linear probe on the "
                             "model's mean hidden state over the first window (lm._probe)",
    }
    evidence_from = {name: ("synonym_preferred_share",) for name in features
                     if name not in ("synonym_preferred_share", "translation_probe")}

    def extract(self, doc: Document) -> FeatureResult:
        from ..lm import language_model

        words, translation = language_model(self.precision).read(doc.text, MAX_TOKENS)
        if len(words) < MIN_WORDS:
            return FeatureResult({short: math.nan for short in self.features})
        surprise = np.array([w.surprise_gap for w in words])
        synonym = np.array([w.synonym_gap for w in words])
        has_synonym = ~np.isnan(synonym)
        synonym_known = synonym[has_synonym]
        preferred = has_synonym & (np.nan_to_num(synonym, nan=-np.inf) >= PREFERRED_NATS)
        runs = sum(1 for i in range(1, len(words)) if preferred[i] and preferred[i - 1]
                   and _adjacent(doc.text, words[i - 1].end, words[i].start))
        surprise_top = _top_mean(surprise)
        synonym_top = _top_mean(synonym_known)
        evidence = [Evidence(w.word, w.start, w.end, replaced=w.synonym, kind="lm_synonym")
                    for w in sorted((w for w, p in zip(words, preferred) if p and w.synonym_gap >= EVIDENCE_NATS),
                                    key=lambda w: -w.synonym_gap)]
        return FeatureResult(
            {
                "surprise_top_mean": surprise_top,
                "surprise_contrast": surprise_top - float(np.median(surprise)),
                "synonym_gap_top_mean": synonym_top,
                "synonym_gap_contrast": (synonym_top - float(np.median(synonym_known))
                                         if len(synonym_known) else math.nan),
                "synonym_preferred_share": ratio(float(preferred.sum()), float(has_synonym.sum())),
                "synonym_preferred_runs_per_100_words": 100.0 * runs / len(words),
                "translation_probe": translation,
            },
            {"synonym_preferred_share": evidence[:MAX_EVIDENCE]},
        )


class LanguageModelFeaturesV3(LanguageModelFeatures):
    """Version 3, kept so deep stages trained with it load and score as they did: the model in float32, with
    the probe fitted on float32 states."""

    version = 3
    precision = "float32"


class LanguageModelFeaturesV1(LanguageModelFeaturesV3):
    """Version 1 (spindetect 0.2.0's deep stage), kept so deep stages trained with it (a retrain promoted
    before the probe) load and score as they did: the float32 word scores without the translation probe."""

    version = 1
    features = {name: text for name, text in LanguageModelFeatures.features.items() if name != "translation_probe"}
    evidence_from = {name: rule for name, rule in LanguageModelFeatures.evidence_from.items()
                     if name != "translation_probe"}

    def extract(self, doc: Document) -> FeatureResult:
        result = super().extract(doc)
        values = {name: value for name, value in result.values.items() if name in self.features}
        return FeatureResult(values, result.evidence)


def _adjacent(text: str, left_end: int, right_start: int) -> bool:
    """Only spaces (no punctuation, no other word) between two words."""
    return not text[left_end:right_start].strip()
