"""Scoring on several processes, each loading the model once from its path.

Workers receive the model *path*, never a pickled model (pickles run code and break across versions), and
keep the loaded Detector for their lifetime. Input order is preserved.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from ..io._records import InputItem
from ..verdict import Verdict

_worker_detector = None  # one per worker process, set by the initializer; never used in the parent
_worker_heap_frozen = False  # set after the worker's first chunk, see `resources.freeze_heap`


def _init_worker(model_path: str, options: dict) -> None:
    global _worker_detector
    import logging
    import os

    # The multilingual encoder's OpenMP runtime (an index with meaning) reads its thread count when it
    # loads, on first use: one per worker, as for the other runtimes below.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # A spawned worker has no logging configured: warnings (an index whose meaning cannot be read here)
    # would go nowhere.
    logging.basicConfig(level=logging.WARNING)
    from ..detector import Detector
    from ..model import import_xgboost_without_sklearn

    import_xgboost_without_sklearn()
    _worker_detector = Detector.load(model_path, **options)
    # One xgboost thread per worker: the workers already fill the cores, and OpenMP threads competing
    # with the other workers' for them cost more than they bring.
    _worker_detector.model.set_threads(1)
    if _worker_detector.cascade is not None:
        _worker_detector.cascade.deep.set_threads(1)
        # The same for the language model's onnxruntime pool (read when it loads, on first use) and for
        # numpy's BLAS: two workers each running two threads on two cores spend their time waiting for
        # each other (measured with the numpy pass: 3-8x slower per window).
        from threadpoolctl import threadpool_limits

        from ..lm import THREADS_VARIABLE

        os.environ[THREADS_VARIABLE] = "1"
        threadpool_limits(1, user_api="blas")


def _score_chunk(args: tuple[list[InputItem], bool]) -> list[Verdict]:
    global _worker_heap_frozen
    items, explain = args
    verdicts = list(_worker_detector.score_items(items, explain=explain))
    if not _worker_heap_frozen:
        from ..resources import freeze_heap

        freeze_heap()  # the first chunk has loaded every reference table
        _worker_heap_frozen = True
    return verdicts


def score_parallel(model_path: str, items: Iterable[InputItem], *, jobs: int, explain: bool = False,
                   options: dict | None = None, chunk_size: int = 32) -> Iterator[Verdict]:
    """Like Detector.score_items, on `jobs` processes."""
    chunks = _chunked(items, chunk_size)
    # "spawn", not fork: the parent may already run xgboost's OpenMP threads, and a forked child can
    # inherit their locks held and deadlock.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_init_worker, initargs=(model_path, options or {})) as pool:
        # map() keeps order; a bounded look-ahead keeps memory flat on huge inputs.
        pending = []
        for chunk in chunks:
            pending.append(pool.submit(_score_chunk, (chunk, explain)))
            if len(pending) >= jobs * 4:
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()


def _chunked(items: Iterable[InputItem], size: int) -> Iterator[list[InputItem]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
