"""`spindetect score --index`: each record names the indexed original and what changed, and the match
feeds the shipped model, so a clean verbatim copy of an indexed original is flagged."""

from __future__ import annotations

import json

from click.testing import CliRunner
from index_stories import BRIDGE, BRIDGE_SPUN, FACTORY, ORCHESTRA, UNRELATED

from spindetect.cli import main

SOURCE_KEYS = {"id", "similarity", "coverage", "verbatim_fraction", "substitution_rate", "substitutions", "aligned",
               "relation", "matched_by", "story_score", "language"}


def _score(*args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["score", "--format", "jsonl", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_score_with_index(tmp_path):
    originals = tmp_path / "originals.jsonl"
    originals.write_text("".join(json.dumps({"id": doc_id, "text": text}) + "\n" for doc_id, text in
                                 (("bridge", BRIDGE), ("orchestra", ORCHESTRA), ("factory", FACTORY))))
    index = tmp_path / "idx"
    assert CliRunner().invoke(main, ["index", "add", str(index), str(originals)]).exit_code == 0
    files = []
    for name, text in (("copy", BRIDGE), ("spun", BRIDGE_SPUN), ("other", UNRELATED)):
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(text, encoding="utf-8")

    copy, spun, other = _score("--index", str(index), *map(str, files))
    assert set(copy["source"]) == SOURCE_KEYS
    assert copy["source"]["id"] == "bridge" and copy["source"]["verbatim_fraction"] > 0.9
    assert copy["flagged"] and copy["label"] == "copy"
    assert spun["source"]["id"] == "bridge" and spun["source"]["substitutions"] and spun["flagged"]
    assert other["source"] is None

    (alone,) = _score(str(files[0]))  # the same clean copy, no index: only its text to go on
    assert alone["source"] is None and alone["score"] < copy["score"]

    in_parallel = _score("--index", str(index), "--jobs", "2", *map(str, files))
    assert [(r["id"], r["score"], r["source"]) for r in in_parallel] == [
        (r["id"], r["score"], r["source"]) for r in (copy, spun, other)]


def test_an_indexed_original_scored_under_its_own_id_is_not_its_own_source(tmp_path):
    originals = tmp_path / "originals.jsonl"
    originals.write_text("".join(json.dumps({"id": doc_id, "text": text}) + "\n" for doc_id, text in
                                 (("bridge", BRIDGE), ("factory", FACTORY))))
    index = tmp_path / "idx"
    assert CliRunner().invoke(main, ["index", "add", str(index), str(originals)]).exit_code == 0
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "bridge", "text": BRIDGE}) + "\n"
                     + json.dumps({"id": "reprint", "text": BRIDGE}) + "\n")
    itself, reprint = _score("--index", str(index), str(batch))
    assert itself["source"] is None and not itself["flagged"]
    assert reprint["source"]["id"] == "bridge" and reprint["flagged"]
