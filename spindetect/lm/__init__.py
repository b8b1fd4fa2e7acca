"""spindetect's reference of English: a small causal language model, run offline on the CPU.

    from spindetect.lm import language_model
    words = language_model().score_words(text, max_tokens=512)   # -> list[WordScore]
    words = language_model().score_words(text, 1024, rescore=8)  # and 8 words a window read both ways
    words, translation = language_model().read(text, max_tokens=256)  # and the translation probe's log-odds
    reading = language_model().reading(text, 1024, rescore=8)  # the same, window by window
    reading.advance(1); first = reading.words(); reading.advance(); words = reading.words()

The model is SmolLM2-135M-Instruct (Apache-2.0), shipped in `spindetect/resources/lm/` as the GGUF file's
own quantised blocks (`training/build_lm.py`), decoded at load and run by onnxruntime on graphs built at
load (`_graph.py`, `_transformer.py`): no torch, no compiler, no download. Scoring runs its matrix
products in int8 (`SCORING_PRECISION`); deep stages trained on `lm@3` or older read it in float32, as
they were trained. Loading takes about 0.3 s once per process, on first use, once the built graphs are in
the cache (about 3 s the first time on a machine: `_transformer.py`); only the `lm` feature family asks for it, and only the deep stage of a cascade
model uses that family. `SPINDETECT_LM_THREADS` caps its threads (scoring workers set 1).
"""

from __future__ import annotations

from functools import partial
from importlib import resources

from ..resources import Lazy
from ._probe import TranslationProbe
from ._scoring import Reading, WordScore, WordScorer, content_words
from ._transformer import PRECISIONS, RESOURCE_PACKAGE, THREADS_VARIABLE, Transformer

__all__ = ["PRECISIONS", "SCORING_PRECISION", "THREADS_VARIABLE", "LanguageModel", "Reading", "WordScore",
           "content_words", "language_model"]

# What the current `lm` feature family reads with (`features/language_model.py`); lm@3 and older read float32.
SCORING_PRECISION = "int8"

TOKENIZER_FILE = "tokenizer.json"


class LanguageModel:
    """The transformer in one precision, its tokenizer, the word scorer and the translation probe fitted on
    that precision's readings; read-only, shared by every thread."""

    def __init__(self, precision: str = SCORING_PRECISION) -> None:
        from tokenizers import Tokenizer

        from ..resources import lexicon

        self.transformer = Transformer.load(precision=precision)
        path = resources.files(RESOURCE_PACKAGE) / TOKENIZER_FILE
        self.tokenizer = Tokenizer.from_str(path.read_text(encoding="utf-8"))
        self._scorer = WordScorer(self.transformer, self.tokenizer, lexicon())
        self.translation_probe = TranslationProbe.load(self.transformer.hidden, precision)

    @property
    def name(self) -> str:
        return self.transformer.config["name"]

    def score_words(self, text: str, max_tokens: int, rescore: int = 0) -> list[WordScore]:
        """Scores of the content words in the first `max_tokens` tokens of `text`; with `rescore`, that
        many words per window are also read both ways (`WordScore.rest_delta`)."""
        return self._scorer.score(text, max_tokens, rescore)

    def read(self, text: str, max_tokens: int, rescore: int = 0) -> tuple[list[WordScore], float]:
        """The word scores, and the translation probe's log-odds for the text's first window (NaN without
        a probe or without a window: `lm._probe`). One forward pass serves both."""
        words, state_mean = self._scorer.read(text, max_tokens, rescore)
        return words, self.translation_log_odds(state_mean)

    def reading(self, text: str, max_tokens: int, rescore: int = 0) -> Reading:
        """`read` window by window (`Reading.advance`), for a caller that may stop after the first window;
        the translation probe reads `Reading.state_mean` (`translation_log_odds`), known after it."""
        return self._scorer.reading(text, max_tokens, rescore)

    def translation_log_odds(self, state_mean) -> float:
        """The translation probe's log-odds for a first window's mean state (NaN without a probe or a
        window: `lm._probe`)."""
        if state_mean is None or self.translation_probe is None:
            return float("nan")
        return self.translation_probe.log_odds(state_mean)

    def state_mean(self, text: str, max_tokens: int):
        """The first window's mean hidden state (`WordScorer.read`), for fitting the probe."""
        return self._scorer.read(text, max_tokens)[1]


_MODELS = {precision: Lazy(partial(LanguageModel, precision)) for precision in PRECISIONS}


def language_model(precision: str = SCORING_PRECISION) -> LanguageModel:
    """Loaded once per process and precision, on first use."""
    return _MODELS[precision].get()
