"""Heavy shared resources, loaded lazily once per process behind a lock.

    from spindetect.resources import lexicon
    lex = lexicon()            # first call loads english.npz (~0.3 s); later calls return the same object
"""

from __future__ import annotations

import gc
import importlib.resources
import json
import threading

from .lexicon import Lexicon

__all__ = ["Lazy", "Lexicon", "bundled_json", "freeze_heap", "lexicon"]


class Lazy:
    """Build a value on first use, exactly once even when several threads ask at the same time."""

    def __init__(self, factory) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._value = None

    def get(self):
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
                value = self._value
        return value


def bundled_json(name: str):
    """A JSON file shipped in this package (derived numbers with their provenance), parsed."""
    return json.loads(importlib.resources.files(__name__).joinpath(name).read_text("utf-8"))


_LEXICON = Lazy(Lexicon.load)


def lexicon() -> Lexicon:
    """The process-wide reference model of English (see `spindetect.resources.lexicon.Lexicon`)."""
    return _LEXICON.get()


def freeze_heap() -> None:
    """Exempt every object alive now from the cyclic garbage collector's scans (`gc.freeze`).

    Once the reference tables are loaded they are a few hundred thousand long-lived objects, which every
    full collection walks again while scoring allocates thousands of short-lived ones per document; on a
    long batch those scans cost about a tenth of the time. It is process-wide, so only spindetect's own
    processes call it (the score command and its workers, after their first batch), never the library.
    """
    gc.freeze()
