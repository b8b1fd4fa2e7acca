"""Heavy shared resources, loaded lazily once per process behind a lock.

    from spindetect.resources import lexicon
    lex = lexicon()            # first call loads english.npz (~0.3 s); later calls return the same object
"""

from __future__ import annotations

import threading

from .lexicon import Lexicon

__all__ = ["Lazy", "Lexicon", "lexicon"]


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


_LEXICON = Lazy(Lexicon.load)


def lexicon() -> Lexicon:
    """The process-wide reference model of English (see `spindetect.resources.lexicon.Lexicon`)."""
    return _LEXICON.get()
