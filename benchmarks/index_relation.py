"""`score --index` across wordings: is each query attributed to its indexed original, with the right relation?

    python -m benchmarks.index_relation [--scale S] [--seed 0] [--tuning] [--baseline DIR] [--no-distractors]
                                        [--remixed N]

The versions of `benchmarks.story_bench` (built in memory from the shared corpora; only temporary files
under a temporary directory hold any of their text), split into an index and its queries:

- indexed: the BBC and LLMFake originals of the batch's stories, one human translation (the first) of each
  WMT22 document, and as distractors every other article of the same side's BBC and LLMFake originals
  (unless `--no-distractors`) except the batch's negatives, and with `--remixed N`, N documents remixed from
  sentences of those distractors (`benchmarks.index_bench.remix_distractors`: same topics and style, no
  shared story), for an index nearer the size of a real one;
- queries with an indexed source: copies, excerpts and spins (held-out spinner families) of the BBC
  stories, LLMFake paraphrases and rewrites of the LLMFake originals, and the other human translation and
  the machine translations of each WMT22 document;
- queries with none (any match is a false match): each BBC story's same-topic neighbour (the article of
  its category sharing the most IDF-weighted names and numbers with it) and single articles (BBC, LLMFake
  originals without rewrites, WMT22 original English), none of them indexed.

A match to an indexed near-identical twin of the right document (word 5-gram Jaccard >= 0.9, as in
`benchmarks.index_bench`) counts as right; a negative whose twin is indexed is left out.

Report side: BBC and LLMFake outside their `train` split, WMT22 zh-en (the held-out pair); `--tuning`
builds the batch from the tuning side (BBC and LLMFake `train`, WMT22 cs/de/ru-en), where thresholds are
chosen. `--baseline DIR` runs the same queries with the `spindetect` of another checkout (e.g. main at
f626f89: `git archive f626f89 spindetect | tar -x -C /tmp/main-f626`) and prints it beside this one.
Each run builds its own index and queries it in a fresh process, and reports the `source.*` feature values
of each query's match (what the classifier sees), so the two runs' can be compared. Prints a Markdown table;
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Kinds reported, in this order; the relation each should get (None: it has no indexed source).
EXPECTED_RELATION = {
    "copy": "copy", "excerpt": "excerpt", "spin handbook 30%": "spin", "spin distributional 30%": "spin",
    "spin distributional 60%": "spin", "LLM paraphrase": "rewrite", "LLM rewrite": "rewrite",
    "human translation": "translation", "machine translation": "translation",
    "same-topic story": None, "single": None,
}

# Run in a fresh process whose `sys.path` starts with the code under test: builds the index, then queries it.
_MATCH_PROCESS = """
import json, sys, tempfile, time
code, indexed_path, queries_path = sys.argv[1:4]
if code:
    sys.path.insert(0, code)
import spindetect
from spindetect.features.source import SourceSimilarity
from spindetect.index import SourceIndex
from spindetect.text import Document

def rows(path):
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]

with tempfile.TemporaryDirectory() as tmp:
    index = SourceIndex.open(tmp + "/index", create=True)
    index.add((d["id"], d["text"]) for d in rows(indexed_path))
    family = SourceSimilarity()
    found, latencies, features = [], [], []
    for query in rows(queries_path):
        document = Document(id=query["id"], text=query["text"])
        start = time.perf_counter()
        match = index.match(document)
        latencies.append(1000 * (time.perf_counter() - start))
        record = match.to_record() if match is not None else None
        found.append(None if record is None else {k: record.get(k) for k in ("id", "relation", "matched_by")})
        document.source_match = match
        values = family.extract(document).values  # what the classifier sees of the match
        features.append([None if values[k] != values[k] else values[k] for k in sorted(values)])
    index.close()
print(json.dumps({"spindetect": spindetect.__file__, "found": found, "latencies": latencies,
                  "features": features}))
"""


def split_batch(seed: int, scale: float, tuning: bool, distractors: bool,
                remixed: int = 0) -> tuple[list[dict], list[dict]]:
    """(indexed documents, queries): each {"id", "text"}, queries with "kind" and "source" (None or an id)."""
    from benchmarks.index_bench import near_twins, remix_distractors
    from benchmarks.story_bench import build_batch
    from training.jsonl import read_jsonl
    from training.splits import corpora_dir, split_of

    batch = build_batch(scale, seed, tuning)
    by_story = defaultdict(list)
    for version in batch:
        by_story[version.story].append(version)
    indexed: dict[str, str] = {}
    source_of_story: dict[str, str] = {}
    for story, versions in by_story.items():
        anchor = next((v for v in versions if v.kind == "original"), None)
        if anchor is None and story.startswith("wmt22:"):
            anchor = next(v for v in versions if v.kind == "human translation")
        if anchor is not None:
            indexed[anchor.id] = anchor.text
            source_of_story[story] = anchor.id
    queries = [{"id": v.id, "text": v.text, "kind": v.kind, "source": source_of_story.get(v.story)}
               for v in batch if v.id not in indexed and v.kind in EXPECTED_RELATION]
    negatives = {q["id"] for q in queries if q["source"] is None}
    if distractors:
        used = {v.text for v in batch}
        for row in read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl"):
            if (split_of(f"bbc:{row['id']}") == "train") == tuning and row["text"] not in used:
                indexed.setdefault(f"bbc:{row['id']}/distractor", row["text"])
        for row in read_jsonl(corpora_dir() / "llm-rewrites" / "llmfake-originals.jsonl"):
            if (split_of(f"llmfake:{row['original_key']}") == "train") == tuning and row["text"] not in used:
                indexed.setdefault(f"llmfake:{row['original_key']}/distractor", row["text"])
    twins = near_twins(list(indexed.items()) + [(q["id"], q["text"]) for q in queries if q["id"] in negatives])
    if remixed:  # (after the twins: a remix is nobody's twin, and thousands of them would slow the search)
        pool = [text for doc_id, text in indexed.items() if doc_id.endswith("/distractor") and doc_id.startswith("bbc:")]
        indexed.update(remix_distractors(pool, remixed, random.Random(seed)))
    kept = []
    for query in queries:
        if query["source"] is None and any(t in indexed for t in twins[query["id"]]):
            continue  # an indexed near-identical twin: the "negative" has its source in the index
        query["accepted"] = sorted(twins.get(query["source"], {query["source"]})) if query["source"] else []
        kept.append(query)
    return [{"id": k, "text": t} for k, t in indexed.items()], kept


def run(code: str, indexed: list[dict], queries: list[dict]) -> dict:
    """Build and query the index with the spindetect at `code` ("" for this checkout), in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, rows in (("indexed", indexed), ("queries", queries)):
            path = Path(tmp) / f"{name}.jsonl"
            with path.open("w", encoding="utf-8") as stream:
                stream.writelines(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows)
            paths.append(str(path))
        done = subprocess.run([sys.executable, "-c", _MATCH_PROCESS, code, *paths], check=True,
                              capture_output=True, text=True, cwd=REPO)
    return json.loads(done.stdout)


def measure(queries: list[dict], found: list[dict | None]) -> dict[str, dict[str, float | int]]:
    """Per kind: n, share attributed to the right original (top-1), share with the right relation too, share
    matched by wording (fed to the classifier), and share matched to another document (for kinds without an
    indexed source, any match: the false-match rate)."""
    totals: dict[str, Counter] = defaultdict(Counter)
    for query, match in zip(queries, found):
        counts = totals[query["kind"]]
        counts["n"] += 1
        if query["source"] is None:
            counts["false"] += match is not None
            continue
        right = match is not None and match["id"] in query["accepted"]
        counts["right"] += right
        counts["false"] += match is not None and not right  # attributed to another document
        counts["relation"] += right and match.get("relation") == EXPECTED_RELATION[query["kind"]]
        counts["wording"] += right and match.get("matched_by", "wording") == "wording"
    return {kind: {key: (value / counts["n"] if key != "n" else value) for key, value in counts.items()}
            for kind, counts in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.0, help="batch size factor (`benchmarks.story_bench`)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tuning", action="store_true", help="build the batch from the tuning side instead")
    parser.add_argument("--baseline", help="also run the spindetect of this checkout (e.g. main)")
    parser.add_argument("--no-distractors", dest="distractors", action="store_false",
                        help="index only the batch's sources")
    parser.add_argument("--remixed", type=int, default=0, metavar="N",
                        help="also index N documents remixed from the distractors' sentences")
    args = parser.parse_args()
    from training.splits import corpora_dir

    if not (corpora_dir() / "news" / "bbc-2004-2005.jsonl").exists():
        sys.exit(f"needs the shared corpora at {corpora_dir()}")
    indexed, queries = split_batch(args.seed, args.scale, args.tuning, args.distractors, args.remixed)
    runs = [("this checkout", run("", indexed, queries))]
    if args.baseline:
        runs.insert(0, (f"baseline {args.baseline}", run(str(Path(args.baseline).resolve()), indexed, queries)))
    # Code from before issue #13 reports no relation.
    results = [(name, measure(queries, result["found"]), any(f and f["relation"] for f in result["found"]))
               for name, result in runs]
    side = "tuning" if args.tuning else "report"
    print(f"{side} side, seed {args.seed}: {len(indexed)} documents indexed, {len(queries)} queries")
    for name, result in runs:
        print(f"- {name}: {result['spindetect']}; query p50 / p95 "
              f"{statistics.median(result['latencies']):.1f} / "
              f"{statistics.quantiles(result['latencies'], n=20)[-1]:.1f} ms")
    if args.baseline:
        same = sum(a == b for a, b in zip(runs[0][1]["features"], runs[1][1]["features"]))
        print(f"- `source.*` features (what the classifier sees) the same as the baseline's: {same} of {len(queries)}"
              " queries")
    header = " | ".join(f"{name}: right / relation right / wrong or false match" for name, _, _ in results)
    print(f"\n| query kind | n | {header} | matched by wording (fed to the classifier) |")
    print("|---|---|" + "---|" * len(results) + "---|")
    for kind, relation in EXPECTED_RELATION.items():
        cells = []
        for _, measured, has_relation in results:
            m = measured.get(kind, {})
            if relation is None:
                cells.append(f"— / — / {m.get('false', 0.0):.3f}")
            else:
                relation_cell = f"{m.get('relation', 0.0):.3f}" if has_relation else "n/a"
                cells.append(f"{m.get('right', 0.0):.3f} / {relation_cell} / {m.get('false', 0.0):.3f}")
        wording = results[-1][1].get(kind, {})
        print(f"| {kind} | {wording.get('n', 0)} | " + " | ".join(cells)
              + f" | {'—' if relation is None else format(wording.get('wording', 0.0), '.3f')} |")
    given: dict[str, Counter] = defaultdict(Counter)
    for query, match in zip(queries, runs[-1][1]["found"]):
        if query["source"] is not None and match is not None and match["id"] in query["accepted"]:
            given[query["kind"]][f"{match['relation']} ({match['matched_by']})"] += 1
    print("\nRelations given to right attributions (this checkout; how matched):")
    for kind, counts in given.items():
        print(f"- {kind}: " + ", ".join(f"{name} {n}" for name, n in counts.most_common()))


if __name__ == "__main__":
    main()
