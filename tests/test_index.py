"""The source index: retrieval of spun copies, persistence, replacement, crash safety, threads."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from index_stories import BRIDGE, BRIDGE_PARAPHRASE, BRIDGE_SPUN, FACTORY, ORCHESTRA, UNRELATED, doc

from spindetect.index import SourceIndex, SourceIndexError, SourceMatch
from spindetect.index.align import align
from spindetect.index.canonical import analyse, canonical_word, keywords, shingles
from spindetect.index.source_index import normalized
from spindetect.text import normalize

RECORD_KEYS = {"id", "similarity", "coverage", "verbatim_fraction", "substitution_rate", "substitutions", "aligned",
               "relation", "matched_by", "story_score", "language"}


@pytest.fixture
def index(tmp_path):
    source_index = SourceIndex.open(tmp_path / "idx", create=True)
    source_index.add([("bridge", BRIDGE), ("orchestra", ORCHESTRA), ("factory", FACTORY)])
    return source_index


@pytest.mark.parametrize("a, b, same", [
    ("moment", "instant", True),   # a spinner swap the two-hop representative merges
    ("said", "said", True),
    ("bridge", "orchestra", False),
    ("", "", True),
])
def test_canonical_word(a, b, same):
    assert (canonical_word(a) == canonical_word(b)) is same


@pytest.mark.parametrize("text, expected_invariants", [
    ("", []),
    ("The council will meet Maria Odell in 2019.", ["the", "will", "maria", "odell", "in", "2019"]),
    ("Officials say it is cold.", ["it", "is"]),
    ("Officials say it rained.", ["it", "rained"]),  # no Moby entry for the inflected form: unspinnable
])
def test_invariants_are_function_words_names_and_numbers(text, expected_invariants):
    assert analyse(text)[1] == expected_invariants


@pytest.mark.parametrize("tokens, n, expected", [
    ([], 3, set()),
    (["a", "b"], 3, {"a b"}),
    (["a", "b", "c", "d"], 3, {"a b c", "b c d"}),
])
def test_shingles(tokens, n, expected):
    assert shingles(tokens, n) == expected


@pytest.mark.parametrize("tokens, limit, expected", [
    ([], 5, []),
    (["said", "said"], 5, []),  # a word as common as "said" carries no weight
    (["odell", "bridge", "odell", "2019", "7"], 3, ["odell", "2019", "bridge"]),  # names, then long numbers
])
def test_keywords(tokens, limit, expected):
    assert keywords(tokens, limit) == expected


@pytest.mark.parametrize("text", [
    "", "plain ascii", "costs \u00a35 (\u20ac6)", "line\r\nbreak\rhere", "zero\u200bwidth", "soft\u00adhyphen",
    "p\u0430ypal", "\ufb01ne ligature", "lone \ud800 surrogate", "bidi \u202e override", "\u03b1\u03b2\u03b3 greek",
    "nul\x00 and bell\x07", "tab\tand newline\n",
])
def test_fast_normalisation_equals_normalize(text):
    assert normalized(text) == normalize(text).text


def test_paraphrase_is_found_through_keywords(index):
    candidates = index.candidates(doc(BRIDGE_PARAPHRASE))
    assert candidates[0].id == "bridge"
    assert candidates[0].keyword_overlap >= 0.3 and candidates[0].keyword_coverage >= 0.3
    assert all(c.keyword_overlap < 0.1 for c in candidates[1:])
    assert index.match(doc(BRIDGE_PARAPHRASE)).id == "bridge"
    assert "bridge" not in [c.id for c in index.candidates(doc(BRIDGE_PARAPHRASE), exclude=frozenset({"bridge"}))]


def test_spun_copy_is_matched_with_its_substitutions(index):
    match = index.match(doc(BRIDGE_SPUN))
    assert isinstance(match, SourceMatch)
    assert match.id == "bridge"
    assert set(match.to_record()) == RECORD_KEYS
    assert match.language == "en"
    assert [0, 0] in [pair[:2] for pair in match.aligned]
    assert match.coverage == pytest.approx(4 / 5)
    swaps = {tuple(s) for s in match.substitutions}
    assert {("announced", "declared"), ("new", "modern"), ("officials", "authorities"),
            ("delayed", "postponed"), ("told", "informed")} <= swaps
    assert 0.1 < match.substitution_rate < 0.4
    assert 0.5 < match.verbatim_fraction < 0.95


def test_verbatim_copy_has_no_substitutions(index):
    match = index.match(doc("Share this article. " + ORCHESTRA + " Comments are closed."))
    assert match.id == "orchestra"
    assert match.substitutions == []
    assert match.coverage == 1.0
    assert match.verbatim_fraction > 0.85


@pytest.mark.parametrize("text", [UNRELATED, "", "12 34", "Hello."])
def test_unrelated_or_empty_gives_none(index, text):
    assert index.match(doc(text)) is None


def test_generated_spin_is_matched(index):
    from training.generators.spinners import spin

    for family in ("handbook", "moby_pos"):
        spun = spin(FACTORY, family, 0.6, random.Random(3)).text
        match = index.match(doc(spun))
        assert match is not None and match.id == "factory", family


def test_reopen_incremental_and_replace(tmp_path):
    path = tmp_path / "idx"
    with pytest.raises(SourceIndexError):
        SourceIndex.open(path)
    first = SourceIndex.open(path, create=True)
    assert first.add([("bridge", BRIDGE)]) == 1
    first.close()

    reopened = SourceIndex.open(path)
    assert reopened.add([("orchestra", ORCHESTRA)]) == 1
    assert reopened.info()["documents"] == 2
    assert reopened.match(doc(BRIDGE)).id == "bridge"
    # Re-adding an id replaces its text and band keys: the old story no longer matches it.
    assert reopened.add([("bridge", FACTORY)]) == 1
    info = reopened.info()
    assert info["documents"] == 2
    assert info["band_rows"] <= 2 * 3 * 32
    assert info["keyword_rows"] == len(keywords(analyse(ORCHESTRA)[0])) + len(keywords(analyse(FACTORY)[0]))
    assert reopened.match(doc(BRIDGE)) is None
    assert reopened.match(doc(FACTORY)).id == "bridge"


def test_an_id_twice_in_one_batch_keeps_the_last(tmp_path):
    source_index = SourceIndex.open(tmp_path / "idx", create=True)
    assert source_index.add([("a", BRIDGE), ("a", FACTORY)]) == 1
    assert source_index.info()["documents"] == 1
    assert source_index.match(doc(FACTORY)).id == "a"
    assert source_index.match(doc(BRIDGE)) is None


def test_parallel_add_builds_the_same_index(tmp_path):
    stories = [("bridge", BRIDGE), ("orchestra", ORCHESTRA), ("factory", FACTORY)] * 30
    stories = [(f"{name}-{i}", text + f" Item {i}.") for i, (name, text) in enumerate(stories)]
    serial, parallel = SourceIndex.open(tmp_path / "a", create=True), SourceIndex.open(tmp_path / "b", create=True)
    assert serial.add(stories) == parallel.add(stories, jobs=2) == 90
    drop = {"path", "bytes", "bytes_per_document"}
    assert {k: v for k, v in serial.info().items() if k not in drop} == \
        {k: v for k, v in parallel.info().items() if k not in drop}
    assert parallel.match(doc(BRIDGE_SPUN)).id.startswith("bridge-")


def test_concurrent_matches(index):
    queries = [BRIDGE_SPUN, ORCHESTRA, FACTORY, UNRELATED] * 8
    expected = ["bridge", "orchestra", "factory", None] * 8
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda t: getattr(index.match(doc(t)), "id", None), queries))
    assert found == expected


_WRITER = textwrap.dedent("""
    import sys
    from spindetect.index import SourceIndex
    from spindetect.index import source_index as module
    module.ADD_BATCH = 5
    index = SourceIndex.open(sys.argv[1], create=True)
    texts = [sys.argv[2], sys.argv[3]]
    def endless():
        i = 0
        while True:
            yield f"doc-{i}", texts[i % 2] + f" Item {i}."
            i += 1
    index.add(endless())
""")


def test_killed_mid_add_leaves_a_usable_index(tmp_path):
    path = tmp_path / "idx"
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), BRIDGE, ORCHESTRA], cwd=repo)
    deadline = time.time() + 120  # generous: on a loaded 2-core machine the writer's start-up alone can take seconds
    try:
        while time.time() < deadline:
            if (path / "index.sqlite").exists():
                try:
                    if SourceIndex.open(path).info()["documents"] >= 20:
                        break
                except (SourceIndexError, sqlite3.OperationalError):
                    pass  # the writer is still creating the schema
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    reopened = SourceIndex.open(path)
    count = reopened.info()["documents"]
    assert count >= 20 and count % 5 == 0  # whole batches only
    assert reopened.match(doc(BRIDGE_SPUN)).id.startswith("doc-")
    assert reopened.add([("extra", FACTORY)]) == 1
    assert reopened.match(doc(FACTORY)).id == "extra"


@pytest.mark.parametrize("original, copy, coverage, substitutions, rewording", [
    ([], [], 0.0, [], 1.0),
    (["The mayor opened the park."], [], 0.0, [], 1.0),
    (["The mayor opened the park."], ["The mayor opened the park."], 1.0, [], 0.0),
    # An excerpt, or a copy with a line added, rewords nothing of what it took.
    (["The mayor opened the park.", "Crowds came."], ["The mayor opened the park."], 0.5, [], 0.0),
    (["The mayor opened the park."], ["The mayor opened the park.", "Share this story."], 1.0, [], 0.0),
    (["The mayor opened the big park."], ["The mayor opened the large park."], 1.0, [["big", "large"]], 1 / 6),
])
def test_align_table(original, copy, coverage, substitutions, rewording):
    result = align(original, copy)
    assert result.coverage == coverage
    assert result.substitutions == substitutions
    assert result.rewording == pytest.approx(rewording)


def test_prepared_sentences_align_as_their_text():
    from spindetect.index.align import prepare_sentences

    original, copy = doc(BRIDGE).sentences, doc(BRIDGE_SPUN).sentences
    assert align(prepare_sentences(original), prepare_sentences(copy)) == align(original, copy)
    assert align(original, prepare_sentences(copy)) == align(original, copy)


def test_cli_add_and_info(tmp_path):
    from spindetect.cli._index import index as index_group

    data = tmp_path / "docs.jsonl"
    data.write_text("\n".join([json.dumps({"id": "bridge", "text": BRIDGE}), json.dumps({"id": "x", "text": ""}),
                               json.dumps({"id": "page", "html": f"<html><body><article><p>{ORCHESTRA}</p>"
                                                                 "</article></body></html>"})]) + "\n")
    runner = CliRunner()
    result = runner.invoke(index_group, ["add", "--jobs", "2", str(tmp_path / "idx"), str(data)])
    assert result.exit_code == 3, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["added"] == 2 and summary["failed"] == 1
    wal = tmp_path / "idx" / "index.sqlite-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # `index add` folds its log into the database
    result = runner.invoke(index_group, ["info", str(tmp_path / "idx")])
    assert result.exit_code == 0 and json.loads(result.stdout)["documents"] == 2
    assert runner.invoke(index_group, ["info", str(tmp_path / "missing")]).exit_code == 2
    matched = SourceIndex.open(tmp_path / "idx").match(doc(ORCHESTRA))
    assert matched is not None and matched.id == "page"
