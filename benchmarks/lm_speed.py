"""Throughput, start-up and peak memory of `spindetect score` in its three modes, one and two processes.

    python -m benchmarks.lm_speed [--docs 80] [--originals]

The documents: the first `--docs` of the deep stage's test sample (`training/deep_sample.py`: real pages of
held-out sites, clean news, spins, translations), written to a temporary JSONL file (nothing from the
corpora is kept). Each configuration runs the real command line in a fresh process, so start-up (loading
the model and, where used, the language model) is in every figure; "start-up" is the time to score one
short document. `--fast` is the detector as it was before the language model. Peak memory is the largest
resident set of any process of the run (the parent, or the largest worker). "First record with the
language model" scores data/examples/spun.txt alone, which every mode but `--fast` sends, so it includes
loading the language model: with its built graphs already in the cache (`SPINDETECT_CACHE_DIR`, as after
any earlier run) and with an empty cache (the first run on a machine). Prints a Markdown table.

When the deep stage reads sent documents in stages (`stop_below` in its manifest), the table also has the
default mode with every sent document read to its end ("default, read in full": a copy of the model
without `stop_below`), measured in the same run, so the two are compared on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from training.corpus_io import load_examples
from training.deep_sample import deep_sample

CONFIGURATIONS = (("--fast", 1), ("--fast", 2), ("default", 1), ("default", 2), ("--deep", 1), ("--deep", 2))
# The default mode as it was before reading in stages: every sent document read to its end.
READ_IN_FULL = "default, read in full"


# Runs the command line in a fresh interpreter and reports, on exit, the largest resident set of that
# process and of its workers (ru_maxrss is per process: the largest one, not a sum).
_LAUNCHER = """
import atexit, resource, sys
def report():
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.stderr.write(f"PEAK_KB {peak}\\n")
atexit.register(report)
sys.argv = ["spindetect", *sys.argv[1:]]
from spindetect.cli import main
main()
"""


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak resident MB of the largest process) for one command."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False,  # exit 1 (flagged) is fine
                          env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    if done.returncode not in (0, 1) or not peaks:
        raise SystemExit(f"spindetect {' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed, peaks[-1] / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--docs", type=int, default=80)
    parser.add_argument("--originals", action="store_true",
                        help="only the sample's originals (real pages, news, human translations): most of what a "
                             "crawl or a moderation queue holds")
    args = parser.parse_args()
    sample = [ex for ex in deep_sample(load_examples(args.corpus))
              if ex.split == "test" and (ex.label == "original" or not args.originals)]
    # Every kind of document, interleaved, so a short run is not all of one kind; crc32, not hash(), so
    # every run (and every machine) draws the same documents.
    sample.sort(key=lambda ex: (zlib.crc32(ex.id.encode()) % 997, ex.id))
    chosen = sample[:args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as out:
            for ex in chosen:
                record = {"id": ex.id, **({"html": ex.item.html} if ex.item.html else {"text": ex.item.text})}
                out.write(json.dumps(record) + "\n")
        one = Path(tmp) / "one.txt"
        one.write_text("The council met on Tuesday and approved the budget for the coming year after a debate.")
        spun = Path(__file__).resolve().parents[1] / "data" / "examples" / "spun.txt"
        print(f"{len(chosen)} documents ({sum(1 for ex in chosen if ex.item.html)} HTML pages"
              f"{', originals only' if args.originals else ''})\n")
        print("| mode | processes | start-up, s | first record with the language model, s (cache warm / empty) "
              "| wall, s | docs/s | peak memory, MB (largest process) |")
        print("|---|---|---|---|---|---|---|")
        configurations = list(CONFIGURATIONS)
        read_in_full = _model_read_in_full(Path(tmp) / "read-in-full")
        if read_in_full is not None:
            configurations[4:4] = [(READ_IN_FULL, 1), (READ_IN_FULL, 2)]
        for mode, jobs in configurations:
            flags = {"default": [], READ_IN_FULL: ["--model", str(read_in_full)]}.get(mode, [mode])
            startup, _ = run(["score", *flags, "--format", "jsonl", str(one)])
            first = "—"
            if mode not in ("--fast", READ_IN_FULL) and jobs == 1:
                run(["score", *flags, "--format", "jsonl", str(spun)])  # the cache is built, if it was not
                warm, _ = run(["score", *flags, "--format", "jsonl", str(spun)])
                with tempfile.TemporaryDirectory() as empty:
                    cold, _ = run(["score", *flags, "--format", "jsonl", str(spun)], {"SPINDETECT_CACHE_DIR": empty})
                first = f"{warm:.1f} / {cold:.1f}"
            wall, peak = run(["score", *flags, "--jobs", str(jobs), "--format", "jsonl", str(batch)])
            print(f"| {mode} | {jobs} | {startup:.1f} | {first} | {wall:.1f} | {len(chosen) / wall:.2f} | {peak:.0f} |")
    return 0


def _model_read_in_full(out: Path) -> Path | None:
    """A copy of the default model whose deep stage has no `stop_below` (None when it has none already)."""
    from spindetect.model._cascade import DEEP_DIR
    from spindetect.model._registry import default_model_path

    source = default_model_path()
    manifest = json.loads((source / DEEP_DIR / "manifest.json").read_text(encoding="utf-8"))
    if manifest["training"].get("cascade", {}).get("stop_below") is None:
        return None
    shutil.copytree(source, out)
    del manifest["training"]["cascade"]["stop_below"]
    (out / DEEP_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
