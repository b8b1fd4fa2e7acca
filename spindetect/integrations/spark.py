"""Score a Spark DataFrame with `mapInPandas`, one model load per executor process.

    from spindetect.integrations.spark import RESULT_SCHEMA, score_batches

    scored = frame.mapInPandas(score_batches("/shared/models/spindetect-default", id_column="url"),
                               schema=RESULT_SCHEMA)

The model path must be readable from every executor. Nothing is broadcast or pickled but the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

from . import missing_extra, score_rows

try:
    from pyspark.sql.types import BooleanType, DoubleType, StringType, StructField, StructType
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise missing_extra("spark", "pyspark") from exc

RESULT_SCHEMA = StructType([
    StructField("id", StringType()),
    StructField("score", DoubleType()),
    StructField("flagged", BooleanType()),
    StructField("label", StringType()),
    StructField("probabilities", StringType()),  # JSON object label -> probability
    StructField("reasons", StringType()),  # JSON list, as in the CLI's records
    StructField("error", StringType()),  # JSON object or null
    StructField("note", StringType()),
])
RESULT_SCHEMA_DDL = ("id string, score double, flagged boolean, label string, probabilities string, "
                     "reasons string, error string, note string")


def score_batches(model_path: str | os.PathLike, text_column: str = "text", id_column: str | None = None,
                  **detector_options) -> Callable[[Iterator], Iterator]:
    """The function to pass to `DataFrame.mapInPandas(..., schema=RESULT_SCHEMA)`.

    Each task gets the detector once (cached per executor process), then scores its pandas batches in
    order. Without `id_column`, ids are the row's position within its task.
    """
    path = str(model_path)
    options = tuple(sorted(detector_options.items()))

    def score(batches: Iterator) -> Iterator:
        import pandas as pd

        from . import cached_detector

        cached_detector(path, options)  # load before the first batch, once per executor process
        seen = 0
        for batch in batches:
            texts = batch[text_column].tolist()
            ids = batch[id_column].astype(str).tolist() if id_column else [str(seen + i) for i in range(len(batch))]
            seen += len(batch)
            yield pd.DataFrame(score_rows(path, texts, ids, options))

    return score
