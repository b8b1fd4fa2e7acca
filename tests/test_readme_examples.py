"""The README's library and "Scoring at scale" examples run as written and give the detector's verdicts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from test_integrations import needs_dask, needs_loopback, needs_spark

REPO = Path(__file__).resolve().parent.parent


def _python_block(heading: str, opening: str) -> str:
    """The README's python block under `heading` whose code starts with `opening`."""
    section = REPO.joinpath("README.md").read_text(encoding="utf-8").split(heading, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    return next(block for block in blocks if opening in block)


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
    out = _run(_python_block("## Scoring at scale", "score_dask"))
    for name, label in _expected_labels().items():
        assert re.search(rf"\b{name}\b.*\b{label}\b", out), out


@needs_spark
@needs_loopback
def test_spark_example():
    out = _run(_python_block("## Scoring at scale", "mapInPandas"))
    for name, label in _expected_labels().items():
        assert re.search(rf"\|\s*{name}\|.*\|\s*{label}\|", out), out


def test_source_index_and_cluster_example():
    out = _run(_python_block("## Library", "SourceIndex.open"))
    verdict, stories = out.strip().splitlines()
    assert verdict.startswith("spun story0-original [[")
    assert stories == ("[('story0-original', 0, 'original', 0), ('story0-spun35', 0, 'derived', 1), "
                       "('story0-spun55', 0, 'derived', 2)]")
