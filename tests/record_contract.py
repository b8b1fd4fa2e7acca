"""Helpers shared by the bad-input tests: run `spindetect score`, parse records, check the record contract."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import REPO
from spindetect.cli import main

RECORD_KEYS = {"id", "input", "score", "flagged", "label", "reasons", "source", "syndication", "model", "error",
               "note"}
LABELS = {"original", "copy", "spun", "translated", "rewritten"}
BUNDLED_MODEL_DIR = REPO / "models" / "spindetect-default"


def score_cli(args: list[str], model_dir: Path, input: bytes | str | None = None) -> tuple[int, list[dict]]:
    """Run `spindetect score --model DIR ARGS` in-process; exit code and parsed JSONL records."""
    result = CliRunner().invoke(main, ["score", "--model", str(model_dir), "--format", "jsonl", *args],
                                input=input, catch_exceptions=True)
    # A traceback is never an acceptable outcome: CliRunner turns one into `result.exception`.
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"score raised {result.exception!r}") from result.exception
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def assert_valid_record(record: dict) -> None:
    """Either a scored record, an unscored (noted) one, or an error record; never a mix."""
    assert set(record) == RECORD_KEYS
    if record["error"] is not None:
        assert set(record["error"]) == {"type", "message"}
        assert record["error"]["type"] and record["error"]["message"]
        assert record["score"] is None and record["flagged"] is None and record["label"] is None
    elif record["score"] is None:
        assert record["flagged"] is False and record["label"] is None and record["note"]
    else:
        assert 0.0 <= record["score"] <= 1.0
        assert record["label"] in LABELS and isinstance(record["flagged"], bool)
        assert (record["label"] != "original") == record["flagged"]


def assert_error(record: dict, kind: str, *names: str) -> None:
    """An error record of `kind` whose message names every string in `names` (file, file:line)."""
    assert_valid_record(record)
    assert record["error"] is not None, record
    assert record["error"]["type"] == kind, record["error"]
    for name in names:
        assert name in record["error"]["message"], (name, record["error"]["message"])


def verdict_fields(record: dict) -> dict:
    """The parts of a record that depend only on the document's content (not its id or file name)."""
    return {key: record[key] for key in ("score", "flagged", "label", "reasons", "error", "note")}
