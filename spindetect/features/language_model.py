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

Both ways (version 5): a left-to-right model cannot tell a writer's deliberate rare word from a spinner's
substitute, but the rest of the sentence can, since it was written for the word the writer chose. Each
window's most suspicious words (the largest gaps to a synonym) are read again with the synonym put back,
the rest of their sentence rescored (`spindetect.lm._rescoring`); a word is *confirmed* when the whole
sentence, the word and its rest, reads far better with the synonym. Features: the rate of confirmed words,
the largest whole-sentence and rest-of-sentence gains, and the median rest-of-sentence gain (a writer's
own words: negative).

The evidence is each confirmed word with the synonym put back: the best guess we have at the word the
spinner replaced. Version 5 reads up to `BOTH_WAYS_MAX_TOKENS` tokens (every window; features are rates or
top means), in two stages (`extract_stages`): the first window, on which the default mode's cascade may
clear a document without reading on, then the rest. Versions 1-4 read the first `MAX_TOKENS`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

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
# Version 4's features, read from the first window only.
V4_FEATURES = ("surprise_top_mean", "surprise_contrast", "synonym_gap_top_mean", "synonym_gap_contrast",
               "synonym_preferred_share", "synonym_preferred_runs_per_100_words", "translation_probe")

# Version 5 reads both ways (`python -m benchmarks.both_ways`, 2026-12-06; docs/experiments.md has the
# table). Reading up to 1,024 tokens instead of the first 256 raised the recall at 1% false positives of
# the confirmed-word rate by 0.1-0.2 on every held-out spinner family, at 2.8 times the cost; 8 words a
# window kept nearly all of 16 (measured with 12 tokens of rest against 16 words with 24). The rest is read
# up to `lm._rescoring.MAX_REST` (24) tokens.
BOTH_WAYS_MAX_TOKENS = 1024
RESCORED_PER_WINDOW = 8
BOTH_WAYS_TOP = 4
# A word is confirmed when its synonym makes the whole sentence e^6 (400 times) more likely: about 6 per
# 1,000 content words of clean news, 40 of spun text.
CONFIRMED_NATS = 6.0
# Evidence names only words whose synonym makes the sentence e^8 (3,000 times) more likely, and whose rest
# reads no worse with it: about 1.9 per 1,000 content words of clean news (under 1 per 1,000 words), 29 of
# spun text.
BOTH_WAYS_EVIDENCE_NATS = 8.0


def _top_mean(values: np.ndarray) -> float:
    return _top_k_mean(values, max(1, math.ceil(TOP_SHARE * len(values))))


def _top_k_mean(values: np.ndarray, k: int) -> float:
    if len(values) == 0:
        return math.nan
    k = min(k, len(values))
    return float(np.mean(np.partition(values, len(values) - k)[-k:]))


class LanguageModelFeatures(FeatureFamily):
    """Version 5: the left-to-right readings of version 4 over up to `BOTH_WAYS_MAX_TOKENS` tokens, and each
    window's `RESCORED_PER_WINDOW` most suspicious words read both ways (`spindetect.lm._rescoring`)."""

    name = "lm"
    # 2: adds translation_probe (read from the same forward pass). 3: the probe also learns original English
    # of every WMT22 pair. 4: the model runs in int8 (`spindetect.lm.SCORING_PRECISION`), its probe refitted
    # on int8 states. 5: reads the whole document (up to BOTH_WAYS_MAX_TOKENS), and reads its most suspicious
    # words both ways; the evidence is the words both readings confirm.
    version = 5
    precision = "int8"
    max_tokens = BOTH_WAYS_MAX_TOKENS
    rescored_per_window = RESCORED_PER_WINDOW
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
        "both_ways_confirmed_per_100_words": "words whose synonym makes the whole sentence (the word and the "
                                             f"rest after it) at least e^{CONFIRMED_NATS:g} times more likely, "
                                             "per 100 content words",
        "both_ways_top_mean": f"mean of the {BOTH_WAYS_TOP} largest gains (nats) in the whole sentence's "
                              "likelihood from putting a synonym back",
        "rest_delta_top_mean": f"mean of the {BOTH_WAYS_TOP} largest gains (nats) in the likelihood of the "
                               "rest of a sentence from putting a synonym back",
        "rest_delta_median": "median gain (nats) in the rest of a sentence's likelihood from putting back the "
                             "synonyms of the words read both ways (a writer's own words: negative)",
    }
    evidence_from = {name: ("both_ways_confirmed_per_100_words",) for name in features
                     if name not in ("both_ways_confirmed_per_100_words", "translation_probe")}

    def extract(self, doc: Document) -> FeatureResult:
        *_, (result, _more) = self.extract_stages(doc)
        return result

    def extract_stages(self, doc: Document) -> Iterator[tuple[FeatureResult, bool]]:
        """Two stages: the first window (`lm._scoring.FIRST_WINDOW` tokens; the translation probe reads only
        it, so its value is final), then the whole reading. A document of one window has one stage."""
        from ..lm import language_model

        model = language_model(self.precision)
        reading = model.reading(doc.text, self.max_tokens, self.rescored_per_window)
        reading.advance(1)
        translation = model.translation_log_odds(reading.state_mean)
        yield self._result(reading.words(), translation, doc.text), not reading.done
        if not reading.done:
            reading.advance()
            yield self._result(reading.words(), translation, doc.text), False

    def _result(self, words, translation: float, text: str) -> FeatureResult:
        if len(words) < MIN_WORDS:
            return FeatureResult({short: math.nan for short in self.features})
        values = _left_to_right(words, text)
        values["translation_probe"] = translation
        rescored = [w for w in words if not math.isnan(w.rest_delta)]
        both = np.array([w.both_ways_gap for w in rescored])
        rest = np.array([w.rest_delta for w in rescored])
        confirmed = [w for w in rescored if w.both_ways_gap >= CONFIRMED_NATS and w.rest_delta >= 0]
        values.update({
            "both_ways_confirmed_per_100_words": 100.0 * len(confirmed) / len(words),
            "both_ways_top_mean": _top_k_mean(both, BOTH_WAYS_TOP),
            "rest_delta_top_mean": _top_k_mean(rest, BOTH_WAYS_TOP),
            "rest_delta_median": float(np.median(rest)) if len(rest) else math.nan,
        })
        evidence = [Evidence(w.word, w.start, w.end, replaced=w.synonym, kind="lm_both_ways",
                             strength=w.both_ways_gap)
                    for w in sorted((w for w in confirmed if w.both_ways_gap >= BOTH_WAYS_EVIDENCE_NATS),
                                    key=lambda w: -w.both_ways_gap)]
        return FeatureResult(values, {"both_ways_confirmed_per_100_words": evidence[:MAX_EVIDENCE]})


class LanguageModelFeaturesV4(FeatureFamily):
    """Version 4, kept so deep stages trained with it load and score as they did: the first `MAX_TOKENS`
    tokens read left to right, in int8."""

    name = "lm"
    version = 4
    precision = "int8"
    features = {name: text for name, text in LanguageModelFeatures.features.items()
                if name in V4_FEATURES}
    evidence_from = {name: ("synonym_preferred_share",) for name in features
                     if name not in ("synonym_preferred_share", "translation_probe")}

    def extract(self, doc: Document) -> FeatureResult:
        from ..lm import language_model

        words, translation = language_model(self.precision).read(doc.text, MAX_TOKENS)
        if len(words) < MIN_WORDS:
            return FeatureResult({short: math.nan for short in self.features})
        values = _left_to_right(words, doc.text)
        values["translation_probe"] = translation
        preferred = [w for w in words if not math.isnan(w.synonym_gap) and w.synonym_gap >= PREFERRED_NATS]
        evidence = [Evidence(w.word, w.start, w.end, replaced=w.synonym, kind="lm_synonym", strength=w.synonym_gap)
                    for w in sorted((w for w in preferred if w.synonym_gap >= EVIDENCE_NATS),
                                    key=lambda w: -w.synonym_gap)]
        return FeatureResult(values, {"synonym_preferred_share": evidence[:MAX_EVIDENCE]})


def _left_to_right(words, text: str) -> dict[str, float]:
    """The left-to-right readings (versions 1-5): the contrasts of the word and synonym gaps, and the share
    and runs of words the model would have replaced by a synonym."""
    surprise = np.array([w.surprise_gap for w in words])
    synonym = np.array([w.synonym_gap for w in words])
    has_synonym = ~np.isnan(synonym)
    synonym_known = synonym[has_synonym]
    preferred = has_synonym & (np.nan_to_num(synonym, nan=-np.inf) >= PREFERRED_NATS)
    runs = sum(1 for i in range(1, len(words)) if preferred[i] and preferred[i - 1]
               and _adjacent(text, words[i - 1].end, words[i].start))
    surprise_top = _top_mean(surprise)
    synonym_top = _top_mean(synonym_known)
    return {
        "surprise_top_mean": surprise_top,
        "surprise_contrast": surprise_top - float(np.median(surprise)),
        "synonym_gap_top_mean": synonym_top,
        "synonym_gap_contrast": (synonym_top - float(np.median(synonym_known))
                                 if len(synonym_known) else math.nan),
        "synonym_preferred_share": ratio(float(preferred.sum()), float(has_synonym.sum())),
        "synonym_preferred_runs_per_100_words": 100.0 * runs / len(words),
    }


class LanguageModelFeaturesV3(LanguageModelFeaturesV4):
    """Version 3, kept so deep stages trained with it load and score as they did: the model in float32, with
    the probe fitted on float32 states."""

    version = 3
    precision = "float32"


class LanguageModelFeaturesV1(LanguageModelFeaturesV3):
    """Version 1 (spindetect 0.2.0's deep stage), kept so deep stages trained with it (a retrain promoted
    before the probe) load and score as they did: the float32 word scores without the translation probe."""

    version = 1
    features = {name: text for name, text in LanguageModelFeaturesV4.features.items() if name != "translation_probe"}
    evidence_from = {name: rule for name, rule in LanguageModelFeaturesV4.evidence_from.items()
                     if name != "translation_probe"}

    def extract(self, doc: Document) -> FeatureResult:
        result = super().extract(doc)
        values = {name: value for name, value in result.values.items() if name in self.features}
        return FeatureResult(values, result.evidence)


def _adjacent(text: str, left_end: int, right_start: int) -> bool:
    """Only spaces (no punctuation, no other word) between two words."""
    return not text[left_end:right_start].strip()
