"""Source-index benchmark: top-1 attribution of copies, spins and LLM rewrites among distractors.

    python benchmarks/index_bench.py [--docs N] [--distractors N] [--queries N] [--out FILE]

Reads the shared corpora at run time (nothing from them is written anywhere but the temporary index):
BBC 2004-2005 articles are the indexed originals; distractors are fake documents remixed from sentences of
*other* BBC articles (same topics and style, no shared story); LLMFake rewrites are matched against their
originals (joined by `original_key`). Queries: verbatim copies, spins at 30% and 60% by the held-out
spinner families (`handbook`, `distributional`), LLM rewrites. Side by side with a plain datasketch
MinHashLSH over word 5-gram shingles (threshold 0.5, 128 permutations). Prints a Markdown table; never
asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from spindetect.document import Document
from spindetect.index import SourceIndex
from spindetect.index import sketch as sketch_module
from spindetect.index.canonical import analyse, shingles
from training.generators.spinners import spin
from training.splits import corpora_dir

_WORD_RE = re.compile(r"\w+")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def remix_distractors(sources: list[str], count: int, rng: random.Random) -> list[tuple[str, str]]:
    sentences = [s for text in sources for s in Document(id="", text=text).sentences]
    return [(f"distractor-{i}", " ".join(rng.choice(sentences) for _ in range(rng.randint(8, 20))))
            for i in range(count)]


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

    def match(self, text: str) -> str | None:
        m = self.sketch(text)
        found = self.lsh.query(m)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1200, help="BBC articles indexed as originals")
    parser.add_argument("--distractors", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=150, help="queries per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="also write the table here")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    corpora = corpora_dir()
    bbc = read_jsonl(corpora / "news" / "bbc-2004-2005.jsonl")
    rng.shuffle(bbc)
    originals, others = bbc[:args.docs], bbc[args.docs:]
    llm_originals = {r["original_key"]: r["text"] for r in read_jsonl(corpora / "llm-rewrites" / "llmfake-originals.jsonl")}
    rewrites = [r for r in read_jsonl(corpora / "llm-rewrites" / "llmfake-rewrites.jsonl")
                if r.get("original_key") in llm_originals]
    distractors = remix_distractors([r["text"] for r in others], args.distractors, rng)
    corpus = ([(r["id"], r["text"]) for r in originals] + [(f"llm:{k}", t) for k, t in llm_originals.items()]
              + distractors)

    queries: dict[str, list[tuple[str, str]]] = {}
    picked = rng.sample(originals, min(args.queries, len(originals)))
    queries["verbatim copy"] = [(r["id"], "Share this story. " + r["text"] + " Related stories.") for r in picked]
    for family in ("handbook", "distributional"):
        for rate in (0.3, 0.6):
            queries[f"{family} {int(rate * 100)}%"] = [
                (r["id"], spin(r["text"], family, rate, random.Random(i)).text) for i, r in enumerate(picked)]
    queries["LLM rewrite"] = [(f"llm:{r['original_key']}", r["text"])
                              for r in rng.sample(rewrites, min(args.queries, len(rewrites)))]

    speeds = backend_speed([t for _, t in corpus[:1000]])

    with tempfile.TemporaryDirectory() as tmp:
        index = SourceIndex.open(Path(tmp) / "idx", create=True)
        start = time.perf_counter()
        index.add(corpus)
        build_seconds = time.perf_counter() - start
        info = index.info()

        baseline = PlainLSH()
        start = time.perf_counter()
        for doc_id, text in corpus:
            baseline.add(doc_id, text)
        baseline_seconds = time.perf_counter() - start

        rows = []
        latencies: list[float] = []
        for kind, pairs in queries.items():
            ours = plain = none = 0
            for truth, text in pairs:
                start = time.perf_counter()
                match = index.match(Document(id="q", text=text))
                latencies.append(1000 * (time.perf_counter() - start))
                ours += match is not None and match.id == truth
                none += match is None
                plain += baseline.match(text) == truth
            rows.append((kind, len(pairs), ours / len(pairs), none / len(pairs), plain / len(pairs)))

    latencies.sort()
    lines = [
        (f"Indexed {len(corpus)} documents ({len(originals)} BBC originals, {len(llm_originals)} LLMFake "
         f"originals, {len(distractors)} remixed distractors); {args.queries} queries per kind; seed {args.seed}."),
        "",
        "| query kind | n | top-1 (source index) | no match | top-1 (plain MinHashLSH 5-gram, t=0.5) |",
        "|---|---|---|---|---|",
        *[f"| {k} | {n} | {a:.3f} | {z:.3f} | {b:.3f} |" for k, n, a, z, b in rows],
        "",
        "| measure | source index | plain MinHashLSH |",
        "|---|---|---|",
        f"| build, docs/s | {len(corpus) / build_seconds:.0f} | {len(corpus) / baseline_seconds:.0f} |",
        (f"| query p50 / p95, ms | {statistics.median(latencies):.1f} / "
         f"{latencies[int(0.95 * (len(latencies) - 1))]:.1f} | - |"),
        f"| bytes per indexed document (on disk, incl. zlib text) | {info['bytes_per_document']:.0f} | (in memory) |",
        "",
        ("MinHash backend, ms per document for all three signatures (tokenisation excluded): "
         + ", ".join(f"{k} {v:.3f}" for k, v in speeds.items()) + f"; index built with {info['backend']}."),
    ]
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text("# Source index benchmark (`benchmarks/index_bench.py`)\n\n" + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
