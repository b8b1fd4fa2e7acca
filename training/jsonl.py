"""Reading the shared corpora's JSON Lines files: one reader for training scripts and benchmarks.

Standard library only, so that benchmarks run in a separate environment (benchmarks/llm_attribution_ceiling.py)
can use it without the project's dependencies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict]:
    """The records of a JSON Lines file in order, skipping blank lines; at most `limit` lines are read."""
    with path.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if limit is not None and count >= limit:
                return
            if line.strip():
                yield json.loads(line)
