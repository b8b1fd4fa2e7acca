"""The score command's contract: one record per document, exact keys, exit codes, stdout/stderr split."""

import json

import pytest
from click.testing import CliRunner

from conftest import REPO
from spindetect.cli import main

EXAMPLES = REPO / "data" / "examples"
RECORD_KEYS = {"id", "input", "score", "flagged", "label", "reasons", "source", "syndication", "model", "error",
               "note"}


def _run(args, input=None):
    result = CliRunner().invoke(main, args, input=input, catch_exceptions=False)
    return result


def _records(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_score_files_gives_one_record_each_with_the_contract_keys(tiny_model_dir):
    result = _run(["score", "--model", str(tiny_model_dir), str(EXAMPLES / "original.txt"),
                   str(EXAMPLES / "farm_copy.html")])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [r["id"] for r in records] == [str(EXAMPLES / "original.txt"), str(EXAMPLES / "farm_copy.html")]
    for record in records:
        assert set(record) == RECORD_KEYS
        assert 0.0 <= record["score"] <= 1.0
        assert record["flagged"] == (record["score"] >= json.loads(
            (tiny_model_dir / "manifest.json").read_text())["threshold"])
        assert record["label"] in {"original", "copy", "spun", "translated", "rewritten"}
        assert len(record["reasons"]) >= 3
        assert record["source"] is None and record["error"] is None
        assert record["model"] == "tiny@1"


def test_bad_inputs_get_error_records_and_exit_3(tiny_model_dir, tmp_path):
    missing = tmp_path / "missing.txt"
    result = _run(["score", "--model", str(tiny_model_dir), str(EXAMPLES / "batch.jsonl"), str(missing)])
    assert result.exit_code == 3
    records = _records(result.stdout)
    assert len(records) == 5  # four JSONL lines + the missing file
    by_id = {r["id"]: r for r in records}
    assert by_id["ex-bad"]["error"]["type"] == "invalid_text"
    assert by_id[str(missing)]["error"]["type"] == "not_found"
    for record in (by_id["ex-bad"], by_id[str(missing)]):
        assert record["score"] is None and record["flagged"] is None and record["label"] is None


def test_stdin_and_threshold_and_fail_on_flagged(tiny_model_dir):
    text = (EXAMPLES / "original.txt").read_text()
    always = _run(["score", "--model", str(tiny_model_dir), "--threshold", "0", "--fail-on-flagged", "-"],
                  input=text)
    assert always.exit_code == 1
    assert _records(always.stdout)[0]["flagged"] is True
    never = _run(["score", "--model", str(tiny_model_dir), "--threshold", "1", "--fail-on-flagged", "-"], input=text)
    # score can reach exactly 1.0 only for a certain flag; the original example does not
    assert never.exit_code == 0


def test_explain_returns_every_feature(tiny_model_dir):
    result = _run(["score", "--model", str(tiny_model_dir), "--explain", str(EXAMPLES / "original.txt")])
    manifest = json.loads((tiny_model_dir / "manifest.json").read_text())
    assert len(_records(result.stdout)[0]["reasons"]) == len(manifest["feature_names"])


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.splitlines()[0].startswith("id,input,score,flagged,label")),
    ("table", lambda out: "score" in out.splitlines()[0] and "original.txt" in out),
])
def test_other_formats(tiny_model_dir, fmt, check):
    result = _run(["score", "--model", str(tiny_model_dir), "--format", fmt, str(EXAMPLES / "original.txt")])
    assert result.exit_code == 0 and check(result.stdout)


def test_usage_errors_exit_2(tiny_model_dir, tmp_path):
    assert _run(["score"]).exit_code == 2
    assert _run(["score", "--format", "xml", "x.txt"]).exit_code == 2
    bad_model = _run(["score", "--model", str(tmp_path), str(EXAMPLES / "original.txt")])
    assert bad_model.exit_code == 2 and "manifest.json" in bad_model.stderr


def test_output_file_and_jobs(tiny_model_dir, tmp_path):
    out = tmp_path / "out.jsonl"
    result = _run(["score", "--model", str(tiny_model_dir), "--jobs", "2", "-o", str(out), str(EXAMPLES)])
    assert result.exit_code == 3  # batch.jsonl holds one bad line
    assert result.stdout == ""
    serial = _run(["score", "--model", str(tiny_model_dir), str(EXAMPLES)])
    assert _records(out.read_text()) == _records(serial.stdout)


def test_a_page_whose_precise_extraction_finds_nothing_scores_without_a_library_warning(tiny_model_dir, tmp_path):
    # trafilatura's precise pass finds no article in so small a page and warns "discarding data: None";
    # the reader answers with its recall pass, so the user should not see that warning.
    import subprocess
    import sys

    page = tmp_path / "pier.html"
    page.write_text("<html><head><title>Pier</title></head><body><div>Home News Sport</div><div>The harbour "
                    "authority will repair the old grain pier this spring.</div></body></html>", encoding="utf-8")
    run = [sys.executable, "-m", "spindetect.cli", "score", "--fast", "--model", str(tiny_model_dir), str(page)]
    quiet = subprocess.run(run, capture_output=True, text=True)
    assert quiet.returncode in (0, 1), quiet.stderr
    assert len(_records(quiet.stdout)) == 1
    assert "discarding data" not in quiet.stderr
    debug = subprocess.run(run[:3] + ["-vv"] + run[3:], capture_output=True, text=True)
    assert "discarding data" in debug.stderr
