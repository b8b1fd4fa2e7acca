"""Source-index benchmark: top-1 attribution of copies, spins and LLM rewrites among distractors.

    python -m benchmarks.index_bench [--docs N] [--distractors N] [--queries N] [--jobs N] [--out FILE]

Reads the shared corpora at run time (nothing from them is written anywhere but temporary files under a
temporary directory): BBC 2004-2005 articles are the indexed originals; distractors are fake documents
remixed from sentences of *other* BBC articles (same topics and style, no shared story); LLMFake rewrites
are matched against their originals (joined by `original_key`). Queries: verbatim copies, spins at 30%,
60% and 90% by the held-out spinner families (`handbook`, `distributional`), LLM rewrites by method. Two kinds
of query have no indexed source, and any match is a false attribution: BBC articles never indexed (nor
used for distractors), and LLM rewrites queried with their original (and its identical-text twins) left
out. Side by side with a plain datasketch MinHashLSH over word 5-gram shingles (threshold 0.5, 128
permutations). Latency and memory are measured in a fresh process that only opens the index and queries
it. Prints a Markdown table; never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from spindetect.text import Document
from spindetect.index import SourceIndex
from spindetect.index import sketch as sketch_module
from spindetect.index.canonical import analyse, shingles
from training.generators.spinners import spin
from training.jsonl import read_jsonl
from training.splits import corpora_dir, split_of

_WORD_RE = re.compile(r"\w+")


def remix_distractors(sources: list[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    sentences = [s for text in sources for s in Document(id="", text=text).sentences]
    return [(f"distractor-{i}", " ".join(rng.choice(sentences) for _ in range(rng.randint(8, 20))))
            for i in range(count)]


def near_twins(texts: list[tuple[str, str]], threshold: float = 0.9) -> dict[str, set[str]]:
    """For each id, the ids (itself included) whose text has word 5-gram Jaccard >= threshold with it."""
    sets = sorted(((len(s), doc_id, s) for doc_id, s in
                   ((doc_id, shingles(_WORD_RE.findall(text.lower()), 5)) for doc_id, text in texts)),
                  key=lambda x: x[0])
    twins = {doc_id: {doc_id} for _, doc_id, _ in sets}
    for i, (size, a_id, a) in enumerate(sets):
        for other_size, b_id, b in sets[i + 1:]:
            if other_size * threshold > size:  # Jaccard <= size / other_size: too different in length
                break
            if len(a & b) >= threshold * len(a | b):
                twins[a_id].add(b_id)
                twins[b_id].add(a_id)
    return twins


class PlainLSH:
    """The baseline: datasketch MinHashLSH over lower-cased word 5-grams."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=0.5, num_perm=128)
        self.sketches = {}

    @staticmethod
    def sketch(text: str):
        from datasketch import MinHash

        m = MinHash(num_perm=128)
        m.update_batch([s.encode() for s in shingles(_WORD_RE.findall(text.lower()), 5)])
        return m

    def add(self, doc_id: str, text: str) -> None:
        m = self.sketch(text)
        self.sketches[doc_id] = m
        self.lsh.insert(doc_id, m, check_duplication=False)

    def match(self, text: str, exclude: frozenset[str] = frozenset()) -> str | None:
        m = self.sketch(text)
        found = [k for k in self.lsh.query(m) if k not in exclude]
        return max(found, key=lambda k: m.jaccard(self.sketches[k])) if found else None


def backend_speed(texts: list[str]) -> dict[str, float]:
    """Milliseconds per document to sketch both views, per MinHash backend."""
    views = [analyse(t) for t in texts]  # exclude the shared tokenisation from the comparison
    sets = [(shingles(c, 3), shingles(i, 5), set(n)) for c, i, n in views]
    out = {}
    for backend in ("rensa", "datasketch"):
        start = time.perf_counter()
        for views_of_doc in sets:
            for items in views_of_doc:
                sketch_module.minhash(items, backend)
        out[backend] = 1000 * (time.perf_counter() - start) / len(sets)
    return out


_QUERY_PROCESS = """
import json, statistics, sys, time
from spindetect.text import Document
from spindetect.index import SourceIndex

def rss_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))

with open(sys.argv[2], encoding="utf-8") as stream:
    queries = [json.loads(line) for line in stream]
before = rss_kib()
index = SourceIndex.open(sys.argv[1])
index.match(Document(id="warm-up", text=queries[0]["text"]))
latencies, found = [], []
for query in queries:
    start = time.perf_counter()
    match = index.match(Document(id="q", text=query["text"]), exclude=frozenset(query["exclude"]))
    latencies.append(1000 * (time.perf_counter() - start))
    found.append(None if match is None else [match.id, match.similarity, match.coverage, match.verbatim_fraction])
print(json.dumps({"latencies": latencies, "found": found, "rss_before_kib": before, "rss_after_kib": rss_kib()}))
"""


def run_queries(index_dir: Path, queries: list[dict], scratch: Path) -> dict:
    """Query the index from a fresh process: latencies, matched ids and the process's resident memory."""
    path = scratch / "queries.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        stream.writelines(json.dumps(q) + "\n" for q in queries)
    done = subprocess.run([sys.executable, "-c", _QUERY_PROCESS, str(index_dir), str(path)],
                          check=True, capture_output=True, text=True, cwd=REPO)
    path.unlink()
    return json.loads(done.stdout)


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1200, help="BBC articles indexed as originals")
    parser.add_argument("--distractors", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=150, help="queries per kind")
    parser.add_argument("--jobs", type=int, default=1, help="processes preparing documents during the build")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain MinHashLSH comparison")
    parser.add_argument("--build-only", type=int, default=0, metavar="N",
                        help="only build the index N times and print the build rates and their median")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="also write the table here")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    corpora = corpora_dir()
    bbc = list(read_jsonl(corpora / "news" / "bbc-2004-2005.jsonl"))
    rng.shuffle(bbc)
    # Queries whose answer the verifier could have learned are not asked: articles without an indexed source
    # and LLM rewrites come from story groups outside the `train` split its weights were fitted on
    # (benchmarks/index_verifier.py).
    unindexed = [r for r in bbc if split_of(f"bbc:{r['id']}") != "train"][:args.queries]
    asked_unindexed = {r["id"] for r in unindexed}
    rest = [r for r in bbc if r["id"] not in asked_unindexed]
    originals, others = rest[:args.docs], rest[args.docs:]
    llm_originals = {f"llm:{r['original_key']}": r["text"]
                     for r in read_jsonl(corpora / "llm-rewrites" / "llmfake-originals.jsonl")}
    # Both corpora hold some texts twice under different ids (BBC reprints; LLMFake scraped pages and
    # shared boilerplate): a match to a near-identical text (word 5-gram Jaccard >= 0.9) is the right
    # answer, and is left out with the original.
    indexed_originals = [(r["id"], r["text"]) for r in originals] + list(llm_originals.items())
    twins = near_twins(indexed_originals)
    rewrites = [r for r in read_jsonl(corpora / "llm-rewrites" / "llmfake-rewrites.jsonl")
                if f"llm:{r.get('original_key')}" in llm_originals
                and split_of(f"llmfake:{r['original_key']}") != "train"]
    distractors = remix_distractors([r["text"] for r in others], args.distractors, rng)
    corpus = [(r["id"], r["text"]) for r in originals] + list(llm_originals.items()) + distractors

    # kind -> [(accepted ids (empty: no source is indexed), text, ids left out of the index for it)]
    queries: dict[str, list[tuple[set[str], str, list[str]]]] = {}
    picked = rng.sample(originals, min(args.queries, len(originals)))
    queries["verbatim copy"] = [(twins[r["id"]], "Share this story. " + r["text"] + " Related stories.", [])
                                for r in picked]
    for family in ("handbook", "distributional"):
        for rate in (0.3, 0.6, 0.9):
            queries[f"{family} {int(rate * 100)}%"] = [
                (twins[r["id"]], spin(r["text"], family, rate, random.Random(i)).text, []) for i, r in enumerate(picked)]
    methods = {"paraphrase_generation": "paraphrase", "rewrite_generation": "rewrite",
               "open_ended_generation": "open-ended"}
    sampled = {m: rng.sample([r for r in rewrites if r["method"] == m],
                             min(args.queries, sum(r["method"] == m for r in rewrites))) for m in methods}
    for method, name in methods.items():
        queries[f"LLM {name}"] = [(twins[f"llm:{r['original_key']}"], r["text"], []) for r in sampled[method]]
    # (An unindexed article nearly identical to an indexed one has a source: it is not asked.)
    with_unindexed = near_twins(indexed_originals + [(r["id"], r["text"]) for r in unindexed])
    queries["no source: unindexed BBC article"] = [(set(), r["text"], []) for r in unindexed
                                                   if len(with_unindexed[r["id"]]) == 1]
    queries["no source: LLM rewrite, original left out"] = [
        (set(), r["text"], sorted(twins[f"llm:{r['original_key']}"]))
        for method in methods for r in sampled[method][:args.queries // len(methods)]]

    if args.build_only:
        rates = []
        for _ in range(args.build_only):
            with tempfile.TemporaryDirectory() as tmp:
                load_before = load_average()
                start = time.perf_counter()
                index = SourceIndex.open(Path(tmp) / "idx", create=True)
                index.add(corpus, jobs=args.jobs)
                rates.append(len(corpus) / (time.perf_counter() - start))
                index.checkpoint()
                print(f"build of {len(corpus)} documents with --jobs {args.jobs}: {rates[-1]:.0f} docs/s "
                      f"(load average before {load_before}, after {load_average()}); "
                      f"{index.info()['bytes_per_document']:.0f} bytes per document on disk", flush=True)
        print(f"median: {statistics.median(rates):.0f} docs/s")
        return

    speeds = backend_speed([t for _, t in corpus[:1000]])

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "idx"
        index = SourceIndex.open(index_dir, create=True)
        load_before = load_average()
        start = time.perf_counter()
        index.add(corpus, jobs=args.jobs) if args.jobs > 1 else index.add(corpus)  # (older versions: no jobs)
        build_seconds = time.perf_counter() - start
        load_build = load_average()
        index.checkpoint()
        info = index.info()
        index.close()

        baseline = None
        if not args.no_baseline:
            baseline = PlainLSH()
            start = time.perf_counter()
            for doc_id, text in corpus:
                baseline.add(doc_id, text)
            baseline_seconds = time.perf_counter() - start

        flat = [{"kind": kind, "truth": sorted(truth), "text": text, "exclude": exclude}
                for kind, items in queries.items() for truth, text, exclude in items]
        result = run_queries(index_dir, flat, Path(tmp))
        load_queries = load_average()

    rows, separation = [], []
    for kind in queries:
        answers = [(q, found) for q, found in zip(flat, result["found"]) if q["kind"] == kind]
        picked_rows = [(q, found and found[0]) for q, found in answers]
        # What the classifier's source features see: a null match reads similarity 0.
        measures = [found[1:] if found else [0.0, 0.0, 0.0] for _, found in answers]
        separation.append((kind, *(statistics.median(m[i] for m in measures) for i in range(3))))
        n = len(picked_rows)
        ours = sum((found in q["truth"]) if q["truth"] else found is None for q, found in picked_rows) / n
        none = sum(found is None for _, found in picked_rows) / n
        plain = float("nan")
        if baseline:
            plain_found = [baseline.match(q["text"], frozenset(q["exclude"])) for q, _ in picked_rows]
            plain = sum((f in q["truth"]) if q["truth"] else f is None
                        for (q, _), f in zip(picked_rows, plain_found)) / n
        rows.append((kind, n, ours, none, plain))

    latencies = sorted(result["latencies"])
    rss_mib = result["rss_after_kib"] / 1024
    lines = [
        (f"Indexed {len(corpus)} documents ({len(originals)} BBC originals, {len(llm_originals)} LLMFake "
         f"originals, {len(distractors)} remixed distractors); up to {args.queries} queries per kind; seed {args.seed}; "
         f"build with --jobs {args.jobs}."),
        "",
        "| query kind | n | top-1 (source index) | no match | top-1 (plain MinHashLSH 5-gram, t=0.5) |",
        "|---|---|---|---|---|",
        *[f"| {k} | {n} | {a:.3f} | {z:.3f} | {b:.3f} |" for k, n, a, z, b in rows],
        "",
        "For the two `no source` kinds, top-1 counts a null answer as right (1 - false-attribution rate).",
        "",
        "What the classifier's source features see (medians; a null match counts as 0):",
        "",
        "| query kind | similarity | coverage | verbatim_fraction |",
        "|---|---|---|---|",
        *[f"| {k} | {a:.3f} | {b:.3f} | {c:.3f} |" for k, a, b, c in separation],
        "",
        "| measure | source index | plain MinHashLSH |",
        "|---|---|---|",
        (f"| build, docs/s | {len(corpus) / build_seconds:.0f} | "
         + (f"{len(corpus) / baseline_seconds:.0f} |" if baseline else "- |")),
        (f"| query p50 / p95, ms (n={len(latencies)}) | {statistics.median(latencies):.1f} / "
         f"{latencies[int(0.95 * (len(latencies) - 1))]:.1f} | - |"),
        f"| on disk, bytes per indexed document (incl. zlib text) | {info['bytes_per_document']:.0f} | (in memory) |",
        f"| on disk, total | {info['bytes'] / 2**20:.0f} MiB | - |",
        f"| resident memory of the querying process (after {len(latencies)} queries) | {rss_mib:.0f} MiB | - |",
        "",
        ("MinHash backend, ms per document for all three signatures (tokenisation excluded): "
         + ", ".join(f"{k} {v:.3f}" for k, v in speeds.items()) + f"; index built with {info['backend']}."),
        f"Load average (1/5/15 min): before build {load_before}; after build {load_build}; after queries {load_queries}.",
    ]
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text("# Source index benchmark (`benchmarks/index_bench.py`)\n\n" + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
