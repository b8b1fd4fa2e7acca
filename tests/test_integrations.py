"""Dask and Spark scoring give exactly what Detector.score_many gives on the same documents."""

from __future__ import annotations

import importlib.util
import json
import math
import shutil
import socket

import pytest

from spindetect.detector import Detector

DOCUMENTS = [
    ("a", "The council met on Monday and agreed a new budget for the coming year. Residents were pleased."),
    ("b", "Counterfeit consciousness and profound learning are changing how organizations work today."),
    ("c", "<html><body><nav>Home News</nav><p>The bridge will reopen on Friday after six weeks of repairs "
          "to its supports, the county said.</p><footer>Copyright</footer></body></html>"),
    ("d", "   "),  # an error record, not an exception
]

needs_dask = pytest.mark.skipif(importlib.util.find_spec("dask") is None or
                                importlib.util.find_spec("pandas") is None,
                                reason="dask[dataframe] and pandas not installed (pip install spindetect[dask])")
def _loopback_usable() -> bool:
    """Spark's JVM gateway talks to Python over 127.0.0.1; in a fresh network namespace (unshare -n) the
    loopback interface is down and the gateway cannot start."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            probe.listen(1)
            with socket.create_connection(probe.getsockname(), timeout=2):
                return True
    except OSError:
        return False


needs_spark = pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
                                 reason="pyspark or a Java runtime missing (pip install spindetect[spark])")
needs_loopback = pytest.mark.skipif(not _loopback_usable(),
                                    reason="no usable loopback interface (e.g. unshare -n): Spark's gateway needs one")


def _expected(model_dir) -> dict[str, tuple]:
    detector = Detector.load(str(model_dir))
    verdicts = detector.score_many([{"id": i, "text": t} if not t.lstrip().startswith("<") else {"id": i, "html": t}
                                    for i, t in DOCUMENTS])
    return {v.id: (v.score, v.flagged, v.label, v.error and v.error["type"]) for v in verdicts}


def _row(score, flagged, label, error) -> tuple:
    score = None if score is None or (isinstance(score, float) and math.isnan(score)) else score
    label = label if isinstance(label, str) else None
    # pandas may hold a missing string as NaN rather than None
    return score, flagged, label, json.loads(error)["type"] if isinstance(error, str) else None


@needs_dask
def test_dask_matches_score_many(tiny_model_dir):
    import dask
    import dask.dataframe as dd
    import pandas as pd

    from spindetect.integrations.dask import score_dask

    frame = dd.from_pandas(pd.DataFrame({"doc": [i for i, _ in DOCUMENTS], "text": [t for _, t in DOCUMENTS]}),
                           npartitions=2)
    with dask.config.set(scheduler="synchronous"):
        result = score_dask(frame, tiny_model_dir, id_column="doc").compute()
    got = {r.id: _row(r.score, r.flagged, r.label, r.error) for r in result.itertuples()}
    assert list(result["id"]) == [i for i, _ in DOCUMENTS]
    assert got == _expected(tiny_model_dir)


@needs_spark
@needs_loopback
def test_spark_matches_score_many(tiny_model_dir):
    from pyspark.sql import SparkSession

    from spindetect.integrations.spark import RESULT_SCHEMA, score_batches

    spark = (SparkSession.builder.master("local[2]").appName("spindetect-test")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        frame = spark.createDataFrame([(i, t) for i, t in DOCUMENTS], "doc string, text string").repartition(2)
        rows = frame.mapInPandas(score_batches(tiny_model_dir, id_column="doc"), schema=RESULT_SCHEMA).collect()
    finally:
        spark.stop()
    got = {r["id"]: _row(r["score"], r["flagged"], r["label"], r["error"]) for r in rows}
    assert got == _expected(tiny_model_dir)
