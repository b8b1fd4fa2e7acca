"""One record parser (issue #15): a record reads the same from a JSONL file, standard input, the library and a
labelled batch."""

from __future__ import annotations

import io
import json

import pytest

from spindetect.io import as_input_item, item_from_record, iter_inputs

TEXT = "The council met on Tuesday and agreed the budget for the coming year."
RECORDS = [
    {"id": "a", "text": TEXT},
    {"id": 7, "text": TEXT},
    {"id": None, "text": TEXT},
    {"id": 2.5, "text": TEXT},
    {"id": True, "text": TEXT},
    {"text": TEXT},
    {"id": "nul", "text": TEXT + "\x00\x00"},
    {"id": "h", "html": "<p>" + TEXT + "</p>"},
    {"id": "both", "text": None, "html": "<p>" + TEXT + "</p>"},
    {"id": "x", "text": 42},
    {"id": "y", "text": "   "},
    {"id": "z"},
]


def _from_file(tmp_path, records):
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return list(iter_inputs([str(path)])), path


def _fields(item):
    return (item.text, item.html, item.error and item.error.kind)


def test_file_stdin_and_library_agree_on_every_record(tmp_path):
    from_file, path = _from_file(tmp_path, RECORDS)
    stdin = io.BytesIO("".join(json.dumps(r) + "\n" for r in RECORDS).encode())
    from_stdin = list(iter_inputs(["-"], stdin=stdin))
    from_library = [as_input_item(r, f"doc-{i}") for i, r in enumerate(RECORDS)]
    assert [_fields(i) for i in from_file] == [_fields(i) for i in from_stdin] == [_fields(i) for i in from_library]
    for lineno, (f, s, lib) in enumerate(zip(from_file, from_stdin, from_library), start=1):
        has_id = isinstance(RECORDS[lineno - 1].get("id"), (str, int)) and not isinstance(RECORDS[lineno - 1].get("id"), bool)
        assert f.id == (str(RECORDS[lineno - 1]["id"]) if has_id else f"{path}:{lineno}")
        assert s.id == (f.id if has_id else f"-:{lineno}")
        assert lib.id == (f.id if has_id else f"doc-{lineno - 1}")


@pytest.mark.parametrize("record", [{"id": None, "text": TEXT}, {"id": 2.5, "text": TEXT}])
def test_an_unusable_id_names_the_record_by_place_not_none(record):
    assert as_input_item(record, "doc-3").id == "doc-3"
    assert item_from_record(record, "f.jsonl:3").id == "f.jsonl:3"


def test_nul_characters_are_dropped_everywhere(tmp_path):
    record = {"id": "n", "text": TEXT + "\x00"}
    (from_file,), _ = _from_file(tmp_path, [record])
    assert from_file.text == as_input_item(record, "doc-0").text == TEXT


def test_library_scores_a_record_like_the_file_reader(tmp_path, tiny_model_dir):
    from spindetect import Detector

    detector = Detector.load(tiny_model_dir)
    record = {"id": None, "text": TEXT + "\x00"}
    (item,), _ = _from_file(tmp_path, [record])
    from_file = next(detector.score_items([item])).to_record()
    from_library = detector.score(record).to_record()
    assert from_library["id"] == "doc"
    for key in ("score", "flagged", "label", "reasons", "error", "note"):
        assert from_file[key] == from_library[key]


def test_labelled_batch_reads_documents_with_the_same_parser(tmp_path):
    from spindetect.learn import read_batch

    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"id": None, "text": TEXT + "\x00", "label": "original"}) + "\n", encoding="utf-8")
    (example,) = read_batch([path], min_per_class=0).examples
    assert example.id == f"{path}:1" and example.item.text == TEXT
