"""What meaning costs an index at scale: the nearest-lead search over 10k to 1M vectors.

    python -m benchmarks.index_meaning_cost [--sizes 10000,100000,1000000] [--queries 50]

An index with meaning keeps one float16 vector per document and searches them exactly, in memory
(`store.Store.nearest`). The encoder's own cost (embedding a lead when adding, a query's lead and sentences
when matching) does not grow with the index and is measured by `benchmarks.index_meaning` on real
documents; this measures what does grow, on synthetic vectors (random unit vectors: exact search costs the
same whatever they hold) written into a real store through `Store.write_vectors`, with placeholder
documents. Per size: the time to write the vectors, the first query (which reads the matrix from SQLite),
the median and 95th percentile of later queries, the matrix's memory and the process's peak resident
memory. Prints a Markdown table; never asserts.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

from spindetect.encoder import DIMENSION
from spindetect.index.store import Store

WRITE_BATCH = 50_000


def measure(size: int, queries: int) -> dict:
    """One size, in this process (run each size in a fresh process, so peak memory is its own)."""
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder), create=True)
        conn = store._connection()
        started = time.perf_counter()
        for start in range(0, size, WRITE_BATCH):
            rows = list(range(start + 1, min(size, start + WRITE_BATCH) + 1))
            with conn:
                conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, 0.0)",
                                 ((row, f"doc-{row}", zlib.compress(b""), b"") for row in rows))
            vectors = rng.standard_normal((len(rows), DIMENSION)).astype(np.float32)
            store.write_vectors(rows, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
        written = time.perf_counter() - started
        probes = rng.standard_normal((queries + 1, DIMENSION)).astype(np.float32)
        probes /= np.linalg.norm(probes, axis=1, keepdims=True)
        started = time.perf_counter()
        store.nearest(probes[0], 3)
        first = time.perf_counter() - started
        times = []
        for probe in probes[1:]:
            started = time.perf_counter()
            store.nearest(probe, 3)
            times.append(time.perf_counter() - started)
        matrix_mb = store._vector_matrix()[1].nbytes / 2**20
        store.close()
    times.sort()
    return {"size": size, "write_s": written, "first_s": first, "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))], "matrix_mb": matrix_mb,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process measuring one size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.queries)))
        return
    print("| vectors | write, s | first query (loads the matrix), s | query p50, ms | query p95, ms "
          "| matrix, MB | peak resident, MB |")
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run([sys.executable, "-m", "benchmarks.index_meaning_cost", "--one", str(size),
                               "--queries", str(args.queries)], capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {row['size']:,} | {row['write_s']:.1f} | {row['first_s']:.2f} | {row['p50_ms']:.1f} | "
              f"{row['p95_ms']:.1f} | {row['matrix_mb']:.0f} | {row['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
