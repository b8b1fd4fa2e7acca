"""The source index across wordings (issue #13): every match says what the query is of its original
(`relation`), and a translation or a rewrite the verifier's wording measures reject is still attributed when
story evidence says it tells the same story; another story on the same topic is not."""

from __future__ import annotations

import json
import math
import sqlite3
import tempfile
from collections import defaultdict

import pytest
from click.testing import CliRunner
from conftest import REPO, requires_shared
from index_stories import (
    FACTORY,
    FACTORY_REWRITTEN,
    ORCHESTRA,
    ORCHESTRA_OTHER_STORY,
    ORCHESTRA_TRANSLATED,
    SUMMIT,
    SUMMIT_COPY,
    SUMMIT_NEXT_DAY,
    SUMMIT_REWRITTEN,
    SUMMIT_SPUN,
    SUMMIT_TRANSLATED,
    UNRELATED,
    doc,
)

from spindetect.cli import main
from spindetect.features.source import SourceSimilarity
from spindetect.index import SourceIndex, SourceIndexError, store
from spindetect.index import source_index as module

RETELLINGS = [
    (SUMMIT_TRANSLATED, "summit", "translation"),
    (ORCHESTRA_TRANSLATED, "orchestra", "translation"),
    (SUMMIT_REWRITTEN, "summit", "rewrite"),
    (FACTORY_REWRITTEN, "factory", "rewrite"),
]


@pytest.fixture
def index(tmp_path):
    source_index = SourceIndex.open(tmp_path / "idx", create=True)
    source_index.add([("summit", SUMMIT), ("orchestra", ORCHESTRA), ("factory", FACTORY)])
    return source_index


@pytest.fixture
def story_only(monkeypatch):
    """The verifier accepts no candidate: only story evidence can attribute a query. (In an index of three
    stories every rare term is rare, so the verifier accepts these retellings by their keywords; among
    thousands of documents it often does not.)"""
    monkeypatch.setattr(module, "MIN_VERIFICATION", 1.01)


@pytest.mark.parametrize("text, source, relation", [
    (SUMMIT_COPY, "summit", "copy"),
    (SUMMIT_SPUN, "summit", "spin"),
    *RETELLINGS,
])
def test_every_match_says_what_the_query_is_of_its_original(index, text, source, relation):
    match = index.match(doc(text))
    assert match is not None and match.id == source
    assert match.relation == relation and match.matched_by == "wording"
    assert 0.0 <= match.story_score <= 1.0


# A comment form's lines pair with the summit story's headline-like first sentence by a word or two.
COMMENT_FORM = ("\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *"
                "\n\nSave my name, email, and website in this browser for the next time I comment.")


@pytest.mark.parametrize("text, relation", [(SUMMIT_COPY + COMMENT_FORM, "copy"),
                                            (SUMMIT_SPUN + COMMENT_FORM, "spin")])
def test_a_pages_own_lines_do_not_reword_its_copy(index, text, relation):
    match = index.match(doc(text))
    assert match is not None and match.id == "summit" and match.relation == relation


def test_the_farm_example_is_an_excerpt_of_its_original(tmp_path):
    from spindetect import Detector

    original = REPO / "data/examples/original.txt"
    source_index = SourceIndex.open(tmp_path / "idx", create=True)
    source_index.add([("cycle-lanes", original.read_text())])
    # The farm page carries the article's first seven sentences (not its headline or last four), with a
    # comment form whose last line is prose and pairs with the headline by chance.
    verdict = Detector.load(source_index=source_index, mode="fast").score(
        (REPO / "data/examples/farm_copy.html").read_text(), id="farm")
    assert verdict.source["id"] == "cycle-lanes"
    assert (verdict.source["relation"], verdict.source["matched_by"]) == ("excerpt", "wording")


@pytest.mark.parametrize("text, source, relation", RETELLINGS)
def test_story_evidence_alone_attributes_translations_and_rewrites(index, story_only, text, source, relation):
    match = index.match(doc(text))
    assert match is not None and match.id == source
    assert match.relation == relation and match.matched_by == "story"
    assert match.story_score >= 0.9


def test_a_story_match_that_shares_the_wording_is_still_a_spin(index, story_only):
    match = index.match(doc(SUMMIT_SPUN))
    assert match.matched_by == "story" and match.relation == "spin"


@pytest.mark.parametrize("text", [ORCHESTRA_OTHER_STORY, SUMMIT_NEXT_DAY, UNRELATED, ""])
def test_story_evidence_does_not_attribute_another_story(index, story_only, text):
    assert index.match(doc(text)) is None


@pytest.mark.parametrize("text", [ORCHESTRA_OTHER_STORY, UNRELATED])
def test_a_same_topic_story_and_an_unrelated_article_get_no_source(index, text):
    assert index.match(doc(text)) is None


@pytest.mark.xfail(strict=True, reason="the wording verifier (unchanged, and what the model's source.* features "
                                       "were trained on) accepts this next-day story by its shared names; story "
                                       "evidence alone refuses it (numbers conflict), see the test above")
def test_the_next_day_story_gets_no_source(index):
    assert index.match(doc(SUMMIT_NEXT_DAY)) is None


def test_one_shared_sentence_is_not_a_story(tmp_path, story_only, monkeypatch):
    claim = ("Minister Elena Varga said the 1,400 kilometre Oster pipeline would carry 18 billion cubic metres "
             "of gas a year.")
    source_index = SourceIndex.open(tmp_path / "idx", create=True)
    source_index.add([("claim", claim), ("orchestra", ORCHESTRA)])
    assert source_index.match(doc(SUMMIT_REWRITTEN)) is None
    monkeypatch.setattr(module, "MIN_STORY_PAIRS", 1)  # what the rule prevents
    assert source_index.match(doc(SUMMIT_REWRITTEN)).id == "claim"


def _same_values(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        (math.isnan(a[k]) and math.isnan(b[k])) if isinstance(a[k], float) and math.isnan(a[k]) else a[k] == b[k]
        for k in a)


def test_a_story_match_reads_as_no_match_to_the_source_features(index, story_only):
    matched, unmatched = doc(SUMMIT_TRANSLATED), doc(SUMMIT_TRANSLATED)
    matched.source_match = index.match(matched)
    unmatched.source_match = None
    assert matched.source_match.matched_by == "story"
    family = SourceSimilarity()
    assert _same_values(family.extract(matched).values, family.extract(unmatched).values)
    assert family.extract(matched).values["similarity"] == 0.0


def _score(*args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["score", "--fast", "--format", "jsonl", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_score_reports_a_story_match_and_scores_as_without_a_match(tmp_path, story_only):
    originals = tmp_path / "originals.jsonl"
    originals.write_text("".join(json.dumps({"id": doc_id, "text": text}) + "\n"
                                 for doc_id, text in (("summit", SUMMIT), ("factory", FACTORY))))
    unrelated = tmp_path / "unrelated.jsonl"
    unrelated.write_text(json.dumps({"id": "garden", "text": UNRELATED}) + "\n")
    for name, path in (("idx", originals), ("other", unrelated)):
        assert CliRunner().invoke(main, ["index", "add", str(tmp_path / name), str(path)]).exit_code == 0
    query = tmp_path / "translated.txt"
    query.write_text(SUMMIT_TRANSLATED, encoding="utf-8")

    (with_story,) = _score("--index", str(tmp_path / "idx"), str(query))
    (without,) = _score("--index", str(tmp_path / "other"), str(query))
    assert with_story["source"]["id"] == "summit"
    assert with_story["source"]["relation"] == "translation" and with_story["source"]["matched_by"] == "story"
    assert without["source"] is None
    # The label rests on the text: a translation of an indexed story is not flagged for being one.
    assert (with_story["score"], with_story["label"], with_story["flagged"]) == (
        without["score"], without["label"], without["flagged"])


def test_an_index_written_before_story_matches_needs_no_rebuild(tmp_path, story_only):
    """Story evidence is computed at query time from the stored text: the format and parameters stay those
    of indexes written before it existed (format 2, verifier 1), and the documents keep their columns."""
    SourceIndex.open(tmp_path / "idx", create=True).add([("summit", SUMMIT), ("factory", FACTORY)])
    with sqlite3.connect(tmp_path / "idx" / store.DB_NAME) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        columns = [row[1] for row in conn.execute("PRAGMA table_info(docs)")]
    assert (meta["format_version"], meta["verifier_version"]) == ("2", "1")
    assert columns == ["row", "id", "text", "sketch", "keyword_weight"]
    assert SourceIndex.open(tmp_path / "idx").match(doc(SUMMIT_TRANSLATED)).matched_by == "story"


def test_an_index_of_an_older_format_is_refused_with_a_clear_error(tmp_path):
    SourceIndex.open(tmp_path / "idx", create=True).add([("summit", SUMMIT)])
    with sqlite3.connect(tmp_path / "idx" / store.DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    with pytest.raises(SourceIndexError, match="format_version"):
        SourceIndex.open(tmp_path / "idx")


@requires_shared
def test_machine_translations_find_their_documents_human_reference():
    """WMT22 zh-en (the held-out pair): index one human reference per document, query with the other
    human reference and machine translations; each must find its own document, as a translation."""
    from training.jsonl import read_jsonl
    from training.splits import corpora_dir

    by_doc = defaultdict(list)
    for row in read_jsonl(corpora_dir() / "machine-translation" / "wmt22-docs.jsonl"):
        if row["pair"] == "zh-en" and row["label"] != "original_english":
            by_doc[row["doc"]].append(row)
    docs = sorted(d for d, rows in by_doc.items() if sum(r["label"] == "human_translation" for r in rows) == 2)[:8]
    with tempfile.TemporaryDirectory() as tmp:
        source_index = SourceIndex.open(f"{tmp}/idx", create=True)
        references = {d: next(r for r in by_doc[d] if r["label"] == "human_translation") for d in docs}
        source_index.add((d, row["text"]) for d, row in references.items())
        found = [(d, source_index.match(doc(row["text"], row["id"])))
                 for d in docs for row in [r for r in by_doc[d] if r is not references[d]][:3]]
    assert sum(match is not None and match.id == d for d, match in found) >= 0.9 * len(found)
    assert all(match.relation in ("translation", "rewrite", "spin") for _, match in found if match is not None)
