"""Scoring inside data frameworks: Dask (`spindetect.integrations.dask`) and Spark (`.spark`).

Both follow the same rule as `spindetect score --jobs`: workers receive the model *path*, never a pickled
model, and load it once (cached per process, so once per partition or task at most). Results are one row
per input row, in input order, with the flat columns below; nested parts (probabilities, reasons, error)
are JSON strings so every framework can carry them without a nested schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

RESULT_COLUMNS: tuple[str, ...] = ("id", "score", "flagged", "label", "probabilities", "reasons", "error",
                                   "note")


@lru_cache(maxsize=4)
def cached_detector(model_path: str, options: tuple[tuple[str, object], ...] = ()):
    """One Detector per (model path, options) per process; a Detector is safe to share between threads."""
    from ..detector import Detector

    return Detector.load(model_path, **dict(options))


def score_rows(model_path: str, texts: Iterable[object], ids: Iterable[object],
               options: tuple[tuple[str, object], ...] = ()) -> dict[str, list]:
    """Score texts (plain or HTML strings) into column lists keyed by RESULT_COLUMNS, in order."""
    from ..io._records import as_input_item

    detector = cached_detector(model_path, options)
    items = [as_input_item(text, str(doc_id)) for text, doc_id in zip(texts, ids)]
    columns: dict[str, list] = {name: [] for name in RESULT_COLUMNS}
    for verdict in detector.score_items(items):
        record = verdict.to_record()
        columns["id"].append(verdict.id)
        columns["score"].append(float("nan") if verdict.score is None else float(verdict.score))
        columns["flagged"].append(verdict.flagged)
        columns["label"].append(verdict.label)
        columns["probabilities"].append(json.dumps(verdict.probabilities))
        columns["reasons"].append(json.dumps(record["reasons"]))
        columns["error"].append(None if verdict.error is None else json.dumps(verdict.error))
        columns["note"].append(verdict.note)
    return columns


def missing_extra(extra: str, module: str) -> ImportError:
    return ImportError(f"spindetect's {extra} integration needs {module}: pip install spindetect[{extra}]")
