"""Time and memory of `spindetect cluster` as the batch grows: 1k, 10k, 100k documents.

    python -m benchmarks.story_scale [--sizes 1000 10000 100000] [--seed 0]

Each batch resamples the report side of `benchmarks.story_bench` (scale 2, about 1,600 documents) and
perturbs every resampled copy so that it is a document of its own: a random 10% of its sentences dropped
and the rest kept in order, its numbers shifted by one at random. Topic density grows with the size: at
100k each underlying story has about 60 perturbed versions, so blocking terms get crowded (the case
`story.MAX_TERM_DOCUMENTS` is for). Runs each size in a fresh process, one at a time, and prints seconds and
peak process memory (the batch's own text included).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time

NUMBER_RE = re.compile(r"\b\d+\b")


def perturbed(text: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    kept = [s for s in sentences if rng.random() >= 0.1] or sentences
    return NUMBER_RE.sub(lambda m: str(int(m.group()) + rng.choice((0, 0, 1))), " ".join(kept))


def run_one(size: int, seed: int) -> dict:
    from benchmarks.story_bench import build_batch
    from spindetect.index.cluster import cluster
    from spindetect.text import Document

    rng = random.Random(seed)
    base = build_batch(2.0, seed, tuning=False)
    documents = [Document(id=v.id, text=v.text) for v in base[:size]]
    while len(documents) < size:
        v = rng.choice(base)
        documents.append(Document(id=f"{v.id}#{len(documents)}", text=perturbed(v.text, rng)))
    start = time.perf_counter()
    stories = len({a.cluster for a in cluster(documents)})
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"documents": size, "seconds": round(seconds, 1), "docs_per_second": round(size / seconds),
            "peak_mib": round(peak), "stories": stories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return
    print("| documents | seconds | docs/s | peak memory (MiB) | stories |\n|---|---|---|---|---|")
    for size in args.sizes:
        out = subprocess.run([sys.executable, "-m", "benchmarks.story_scale", "--one", str(size),
                              "--seed", str(args.seed)], capture_output=True, text=True, check=True).stdout
        row = json.loads(out.splitlines()[-1])
        print(f"| {row['documents']:,} | {row['seconds']} | {row['docs_per_second']} | {row['peak_mib']} | "
              f"{row['stories']:,} |", flush=True)


if __name__ == "__main__":
    main()
