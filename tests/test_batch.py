"""Labelled-batch validation: every problem reported with file and line before any training."""

import json

import pytest

from spindetect.learn import read_batch

ARTICLE = ("The council approved the new budget on Monday after a long debate about school funding and road "
           "repairs, and the mayor said the plan would protect jobs across the region this year. ")


def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _distinct(i):
    return f"Story number {i} about topic {i * 7919 % 1000}. " + " ".join(f"word{i}x{j}" for j in range(40))


def test_clean_batch_has_no_problems(tmp_path):
    rows = [{"id": f"o{i}", "text": _distinct(i), "label": "original"} for i in range(6)]
    rows += [{"id": f"s{i}", "text": _distinct(100 + i), "label": "spun", "group": f"g{i}"} for i in range(6)]
    batch = read_batch([_write(tmp_path / "b.jsonl", rows)])
    assert batch.problems == [] and len(batch.examples) == 12
    assert {ex.group for ex in batch.examples if ex.label == "spun"} == {f"g{i}" for i in range(6)}


@pytest.mark.parametrize("row, message", [
    ("{broken", "invalid JSON"),
    ({"text": "x y z", "label": "plagiarised"}, "unknown label 'plagiarised'"),
    ({"label": "spun"}, "missing text"),
    ({"text": "  ", "label": "spun"}, "missing text"),
    ({"text": 5, "label": "spun"}, "missing text"),
    ([1, 2], "expected a JSON object"),
])
def test_each_error_names_file_and_line(tmp_path, row, message):
    path = _write(tmp_path / "b.jsonl", [{"id": "ok", "text": _distinct(1), "label": "original"}, row])
    batch = read_batch([path])
    (error,) = batch.errors
    assert error.where == f"{path}:2" and message in error.message


def test_duplicate_ids_are_errors(tmp_path):
    path = _write(tmp_path / "b.jsonl", [{"id": "a", "text": _distinct(1), "label": "original"},
                                         {"id": "a", "text": _distinct(2), "label": "spun"}])
    (error,) = read_batch([path]).errors
    assert "duplicate id 'a'" in error.message and f"{path}:1" in error.message and error.where == f"{path}:2"


def test_near_duplicates_under_different_labels_are_reported(tmp_path):
    rows = [{"id": "a", "text": ARTICLE * 3, "label": "original"},
            {"id": "b", "text": ARTICLE * 3 + "Extra closing words.", "label": "spun"},
            {"id": "c", "text": _distinct(5), "label": "spun"}]
    batch = read_batch([_write(tmp_path / "b.jsonl", rows)], min_per_class=1)
    near = [p for p in batch.warnings if "near-duplicate" in p.message]
    assert len(near) == 1 and "'spun'" in near[0].message and "'original'" in near[0].message
    assert batch.ok() and not batch.ok(strict=True)


def test_small_class_gets_a_clear_message(tmp_path):
    rows = [{"text": _distinct(i), "label": "original"} for i in range(6)] + [{"text": _distinct(9), "label": "copy"}]
    batch = read_batch([_write(tmp_path / "b.jsonl", rows)])
    (warning,) = batch.warnings
    assert "class 'copy' has only 1 example" in warning.message


def test_binary_labels_and_mixing(tmp_path):
    rows = [{"text": _distinct(i), "label": i % 2} for i in range(12)]
    binary = read_batch([_write(tmp_path / "bin.jsonl", rows)])
    assert binary.binary and not binary.errors
    assert {ex.label for ex in binary.examples} == {"original", "flagged"}
    mixed = read_batch([_write(tmp_path / "mix.jsonl", rows + [{"text": _distinct(50), "label": "spun"}])])
    assert any("mixes 0/1 labels" in p.message for p in mixed.errors)


def test_empty_file_is_an_empty_batch(tmp_path):
    batch = read_batch([_write(tmp_path / "e.jsonl", [])])
    assert batch.examples == [] and batch.problems == []
