"""Size and shape limits: long documents are scored on a bounded prefix and say so; pathological inputs
(a million-character token, 20,000-deep nesting, a 2 MB script) still give one record, no RecursionError."""

import pytest

from conftest import REPO
from record_contract import assert_valid_record, score_cli
from spindetect import Detector

ARTICLE = (REPO / "data" / "examples" / "original.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def detector(tiny_model_dir):
    return Detector.load(tiny_model_dir)


def test_detector_max_chars_scores_a_prefix_and_notes_truncation(tiny_model_dir):
    small = Detector.load(tiny_model_dir, max_chars=2_000)
    long_text = ARTICLE * 10
    record = small.score(long_text).to_record()
    assert_valid_record(record)
    assert record["score"] is not None and record["note"].startswith("truncated")
    # Scoring the prefix is the same as scoring the prefix itself (minus the note).
    prefix = small.score(long_text[:2_000]).to_record()
    assert prefix["note"] is None and prefix["score"] == record["score"]


def test_documents_within_the_limit_carry_no_note(detector):
    assert detector.score(ARTICLE).note is None


def test_cli_max_chars_truncates_text_html_and_jsonl(tiny_model_dir, tmp_path):
    (tmp_path / "long.txt").write_text(ARTICLE * 10, encoding="utf-8")
    (tmp_path / "long.html").write_text("<html><body><article>" + f"<p>{ARTICLE}</p>" * 10 + "</article></body></html>",
                                        encoding="utf-8")
    (tmp_path / "short.txt").write_text(ARTICLE[:900], encoding="utf-8")
    code, records = score_cli(["--max-chars", "1000", str(tmp_path / "long.txt"), str(tmp_path / "long.html"),
                               str(tmp_path / "short.txt")], tiny_model_dir)
    assert code == 0
    assert [r["note"] is not None and r["note"].startswith("truncated") for r in records] == [True, True, False]
    for record in records:
        assert record["score"] is not None


def test_file_longer_than_the_read_bound_is_noted(tiny_model_dir, tmp_path, monkeypatch):
    from spindetect.io import _readers as readers

    monkeypatch.setattr(readers, "DEFAULT_MAX_FILE_BYTES", 600)
    monkeypatch.setattr("spindetect.cli._app.DEFAULT_MAX_FILE_BYTES", 600)
    (tmp_path / "long.txt").write_text(ARTICLE * 3, encoding="utf-8")
    code, (record,) = score_cli(["--max-chars", "1000", str(tmp_path / "long.txt")], tiny_model_dir)
    assert code == 0 and record["note"].startswith("truncated")


PATHOLOGICAL = {  # built lazily: some are megabytes
    "one million-character token": lambda: "x" * 1_000_000,
    "one long token among prose": lambda: ARTICLE + " " + "ab" * 200_000 + " " + ARTICLE,
    "20,000-deep nested divs": lambda: "<html><body>" + "<div>" * 20_000 + ARTICLE + "</div>" * 20_000,
    "20,000 unclosed nested spans": lambda: "<html><body><p>" + "<span>" * 20_000 + ARTICLE,
    "2 MB script only": lambda: "<html><body><script>" + "var a = 1;" * 200_000 + "</script></body></html>",
    "unclosed 2 MB script": lambda: "<html><body><p>" + ARTICLE + "</p><script>" + "x = '<p>';" * 200_000,
    "2 MB of prose on one line": lambda: "The lanes open in spring. " * 80_000,
    "a million newlines": lambda: "word\n" * 200_000 + "\n" * 800_000,
    "150,000 inline tags": lambda: "<html><body>" + "<b>x</b>" * 150_000 + "</body></html>",
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_documents_finish_with_a_record(detector, name):
    record = detector.score(PATHOLOGICAL[name]()).to_record()
    assert_valid_record(record)


def test_pathological_file_through_the_cli(tiny_model_dir, tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 20_000 + ARTICLE + "</div>" * 20_000 + "</body></html>",
                    encoding="utf-8")
    code, (record,) = score_cli([str(path)], tiny_model_dir)
    assert code in (0, 3)
    assert_valid_record(record)


@pytest.mark.parametrize("words, noted", [(5, True), (99, True), (100, False), (400, False)])
def test_short_documents_are_scored_with_a_note_saying_so(detector, words, noted):
    plain = "the council met on monday and agreed to build new cycle lanes across the city".split()
    text = " ".join((plain * 40)[:words]).capitalize() + "."
    verdict = detector.score(text)
    assert verdict.score is not None
    if noted:
        assert verdict.note.startswith(f"short_document: {words} words")
    else:
        assert verdict.note is None
