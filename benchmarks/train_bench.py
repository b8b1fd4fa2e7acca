"""Training speed: `spindetect train` on N labelled documents from the built corpus, cold feature cache.

    python -m training.build_corpus --out build/holdout.jsonl      # once
    python -m benchmarks.train_bench --docs 20000 --jobs 2

Prints a table (featurising and boosting separately, documents per second). Never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, nargs="+",
                        default=[REPO / "build" / "holdout.jsonl", REPO / "build" / "final.jsonl"])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        n = 0
        seen: set[str] = set()
        with batch.open("w", encoding="utf-8") as out:
            for corpus in args.corpus:
                with corpus.open(encoding="utf-8") as src:
                    for line in src:
                        record = json.loads(line)
                        content = record.get("html") or record["text"]
                        if n >= args.docs or content in seen:
                            continue
                        seen.add(content)  # the two builds share many documents; keep each text once
                        row = {"id": f"{n}:{record['id']}", "label": record["label"], "group": record["group"]}
                        row["html" if record.get("html") else "text"] = content
                        out.write(json.dumps(row) + "\n")
                        n += 1
        env = {**os.environ, "SPINDETECT_HOME": str(Path(tmp) / "home")}
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "spindetect.cli", "train", str(batch), "--out",
                               str(Path(tmp) / "model"), "--jobs", str(args.jobs), "--cache", "none"],
                              env=env, capture_output=True, text=True)
        total = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        return 1
    print(f"| measure | value |\n|---|---|\n| documents | {n} |\n| jobs | {args.jobs} |\n"
          f"| wall time, validate + featurise + 400 rounds + calibrate + write | {total:.1f} s |\n"
          f"| documents per second (end to end) | {n / total:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
