"""The README's library, "Find the original" and "Scoring at scale" examples run as written and give the
detector's verdicts. (tests/test_docs.py runs every other example of the README and docs/.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from test_integrations import needs_dask, needs_loopback, needs_spark

REPO = Path(__file__).resolve().parent.parent

# The README sections these tests read their examples from.
FIND_THE_ORIGINAL = "### Find the original"
SCORING_AT_SCALE = "### Scoring at scale"
SCORE_FILES = "### Score files and pages"


def readme_section(heading: str) -> str:
    """The README's section whose heading line starts with `heading`, up to the next heading of the same or
    a higher level."""
    text = REPO.joinpath("README.md").read_text(encoding="utf-8")
    level = len(heading) - len(heading.lstrip("#"))
    match = re.search(rf"^{re.escape(heading)}.*$", text, flags=re.MULTILINE)
    assert match, f"README has no heading {heading!r}"
    rest = text[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[:end.start()] if end else rest


def _block(heading: str, language: str, opening: str) -> str:
    """The README's `language` block under `heading` whose code contains `opening`."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```", readme_section(heading), flags=re.DOTALL | re.MULTILINE)
    return next(block for block in blocks if opening in block)


def _python_block(heading: str, opening: str) -> str:
    return _block(heading, "python", opening)


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _expected_labels() -> dict[str, str]:
    from spindetect import Detector

    detector = Detector.load()
    return {name: detector.score(REPO.joinpath(f"data/examples/{name}.txt").read_text()).label
            for name in ("original", "spun")}


@needs_dask
def test_dask_example():
    out = _run(_python_block(SCORING_AT_SCALE, "score_dask"))
    for name, label in _expected_labels().items():
        assert re.search(rf"\b{name}\b.*\b{label}\b", out), out


@needs_spark
@needs_loopback
def test_spark_example():
    out = _run(_python_block(SCORING_AT_SCALE, "mapInPandas"))
    for name, label in _expected_labels().items():
        assert re.search(rf"\|\s*{name}\|.*\|\s*{label}\|", out), out


def test_source_index_and_cluster_example():
    out = _run(_python_block(FIND_THE_ORIGINAL, "SourceIndex.open"))
    verdict, stories = out.strip().splitlines()
    assert verdict.startswith("spun story0-original [[")
    assert stories == ("[('story0-original', 0, 'original', 0), ('story0-spun35', 0, 'derived', 1), "
                       "('story0-spun55', 0, 'derived', 2)]")


def test_example_record_is_the_models():
    """The record shown under "Score files and pages" is the bundled model's record for the farm copy (its
    reasons cut to the first, that reason's evidence to its first span and its detail shortened)."""
    shown = json.loads(_block(SCORE_FILES, "json", '"id"'))
    result = subprocess.run([sys.executable, "-m", "spindetect.cli", "score", "--format", "jsonl",
                             "data/examples/farm_copy.html"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    real = json.loads(result.stdout)
    assert list(shown) == list(real)
    first, shown_first = real["reasons"][0], shown["reasons"][0]
    assert {k: v for k, v in shown.items() if k != "reasons"} == {k: v for k, v in real.items() if k != "reasons"}
    assert shown_first["feature"] == first["feature"]
    assert shown_first["contribution"] == round(first["contribution"], 1)
    assert shown_first["evidence"][0] == first["evidence"][0]
    head, _, tail = shown_first["detail"].partition("(...)")
    assert first["detail"].startswith(head) and first["detail"].endswith(tail)
