"""Stylometric habits: redundancy, vocabulary spread, sentence rhythm and punctuation.

After Ntoulas, Najork, Manasse & Fetterly, "Detecting spam web pages through content analysis" (WWW 2006):
machine-assembled pages compress unusually well and are made of the most common words in unusual
proportions. Added for rewrites: LLM paraphrases have uniform sentence lengths (a low coefficient of
variation) and tidy, comma-heavy punctuation; spinners swap common words for rare ones, lowering the
common-word share and lengthening words.

Mean word length lives here; readability's Coleman–Liau and ARI use their own textstat-defined counts.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter

from ..text._document import Document
from .base import MISSING, FeatureFamily, FeatureResult, ratio
from ..resources import Lazy

_COMMON_WORDS_N = 200  # Ntoulas et al. use the top-N most popular words of a reference corpus
_MATTR_WINDOW = 50  # Covington & McFall (2010) recommend 50-500; 50 keeps short news items measurable
_PUNCTUATION_MARKS: dict[str, str] = {
    "commas": ",",
    "semicolons": ";",
    "colons": ":",
    "dashes": "\u2013\u2014",  # en and em dashes; spaced hyphens are added in `_punctuation_counts`
    "parentheses": "(",
    "quotes": "\"\u201c\u201d\u00ab\u00bb\u201e",
    "exclamations": "!",
    "questions": "?",
}

def _load_common_words() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.top_n_list("en", _COMMON_WORDS_N))


_COMMON = Lazy(_load_common_words)


def common_words() -> frozenset[str]:
    """The 200 most frequent English words by wordfreq's Zipf list (loaded once, offline)."""
    return _COMMON.get()


def compression_ratio(text: str) -> float:
    """zlib-compressed size over raw UTF-8 size: lower = more redundant (Ntoulas et al. 2006, sec. 4.6)."""
    raw = text.encode("utf-8")
    return ratio(len(zlib.compress(raw, 6)), len(raw))


def moving_average_ttr(words: list[str], window: int = _MATTR_WINDOW) -> float:
    """MATTR (Covington & McFall 2010): the type/token ratio averaged over every window of `window` words,
    which unlike plain TTR does not fall as the text grows. Shorter texts get their plain TTR."""
    if not words:
        return MISSING
    if len(words) <= window:
        return len(set(words)) / len(words)
    counts = Counter(words[:window])
    types = total_types = len(counts)
    for leaving, entering in zip(words, words[window:]):
        if leaving != entering:
            left = counts[leaving] - 1
            counts[leaving] = left
            types -= left == 0
            seen = counts.get(entering, 0)
            counts[entering] = seen + 1
            types += seen == 0
        total_types += types
    return total_types / ((len(words) - window + 1) * window)


def _punctuation_counts(text: str) -> dict[str, int]:
    counts = {name: sum(text.count(ch) for ch in chars) for name, chars in _PUNCTUATION_MARKS.items()}
    counts["dashes"] += text.count(" - ")
    return counts


def _mean_std(values: list[int]) -> tuple[float, float]:
    """Mean and population standard deviation (plain floats: `statistics` is exact and 20x slower)."""
    if not values:
        return MISSING, MISSING
    n = len(values)
    mean = sum(values) / n
    variance = max(sum(v * v for v in values) / n - mean * mean, 0.0)
    return mean, math.sqrt(variance)


class Stylometry(FeatureFamily):
    name = "stylometry"
    version = 1
    features = {
        "compression_ratio": "zlib-compressed size over raw size (lower = more repetitive)",
        "common_word_share": "share of words among the 200 most frequent English words",
        "type_token_ratio": "distinct words over words",
        "mattr": "type/token ratio averaged over 50-word windows (length-robust)",
        "sentence_length_mean": "mean words per sentence",
        "sentence_length_std": "standard deviation of words per sentence",
        "sentence_length_cv": "coefficient of variation of sentence length (low = uniform, as in LLM rewrites)",
        "word_length_mean": "mean letters per word",
        "word_length_std": "standard deviation of letters per word",
        **{f"{name}_per_100_words": f"{name} per 100 words" for name in _PUNCTUATION_MARKS},
        "capitalised_word_rate": "share of words starting with a capital letter",
        "digit_token_rate": "share of tokens that are numbers",
    }

    def extract(self, doc: Document) -> FeatureResult:
        words = doc.words_lower
        n_words = len(words)
        common = common_words()
        sentence_mean, sentence_std = _mean_std(doc.sentence_word_counts)
        word_mean, word_std = _mean_std([len(w) for w in words])
        hundreds = n_words / 100.0
        values = {
            "compression_ratio": compression_ratio(doc.text),
            "common_word_share": ratio(sum(1 for w in words if w in common), n_words),
            "type_token_ratio": ratio(len(set(words)), n_words),
            "mattr": moving_average_ttr(words),
            "sentence_length_mean": sentence_mean,
            "sentence_length_std": sentence_std,
            "sentence_length_cv": ratio(sentence_std, sentence_mean),
            "word_length_mean": word_mean,
            "word_length_std": word_std,
            **{
                f"{name}_per_100_words": ratio(n, hundreds)
                for name, n in _punctuation_counts(doc.text).items()
            },
            "capitalised_word_rate": ratio(sum(1 for t in doc.words if t.text[0].isupper()), n_words),
            "digit_token_rate": ratio(len(doc.tokens) - n_words, len(doc.tokens)),
        }
        return FeatureResult(values)
