"""Score a Dask DataFrame column, one model load per worker process (see `spindetect.integrations`).

    import dask.dataframe as dd
    from spindetect.integrations.dask import score_dask

    frame = dd.read_parquet("pages/")                   # a "text" column of plain text or HTML
    scores = score_dask(frame, "models/spindetect-default", id_column="url").compute()
"""

from __future__ import annotations

import os

from . import RESULT_COLUMNS, missing_extra, score_rows

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise missing_extra("dask", "pandas") from exc


def result_meta() -> pd.DataFrame:
    """The empty frame describing score_dask's output columns and dtypes (Dask's `meta`)."""
    return pd.DataFrame({
        "id": pd.Series(dtype=object), "score": pd.Series(dtype="float64"), "flagged": pd.Series(dtype=object),
        "label": pd.Series(dtype=object), "probabilities": pd.Series(dtype=object),
        "reasons": pd.Series(dtype=object), "error": pd.Series(dtype=object), "note": pd.Series(dtype=object),
    })[list(RESULT_COLUMNS)]


def score_partition(partition: pd.DataFrame, model_path: str, text_column: str = "text",
                    id_column: str | None = None, options: tuple = ()) -> pd.DataFrame:
    """Score one pandas partition; the output keeps the partition's index so it aligns with the input."""
    texts = partition[text_column].tolist()
    ids = partition[id_column].tolist() if id_column else [str(i) for i in partition.index]
    columns = score_rows(model_path, texts, ids, options)
    out = pd.DataFrame(columns, index=partition.index)
    return out.astype(result_meta().dtypes.to_dict())


def score_dask(df, model_path: str | os.PathLike, text_column: str = "text", id_column: str | None = None,
               **detector_options):
    """A lazy Dask DataFrame of verdicts (RESULT_COLUMNS), one row per row of `df`, same index.

    `model_path` must be readable from every worker; `detector_options` go to `Detector.load`
    (threshold=, max_chars=, ...). Without `id_column`, ids are the frame's index values.
    """
    try:
        import dask.dataframe  # noqa: F401  (imported for the error message only)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise missing_extra("dask", "dask[dataframe]") from exc
    options = tuple(sorted(detector_options.items()))
    return df.map_partitions(score_partition, str(model_path), text_column, id_column, options,
                             meta=result_meta())
