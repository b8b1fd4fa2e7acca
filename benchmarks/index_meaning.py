"""Tracing translations to their foreign-language sources with an index built with meaning.

    python -m benchmarks.index_meaning [--split train|dev|test] [--remixed N] [--fit] [--out FILE] [--rewrites]
        [--candidates N]

The index (built once under build/meaning/, reused while its composition is the same) holds:
- half of the WMT22 sources (`machine-translation/wmt22-sources.jsonl`: cs, de, ru, zh), chosen by hash
  ("present"); the other half are left out ("absent");
- distractors: every WMT21/WMT23 source (`wmt-more-docs.jsonl`: cs, de, ha, he, is, ru, zh news of the same
  seasons), the BBC articles of the `train` split, and N documents remixed from their sentences
  (`benchmarks.index_bench.remix_distractors`; default 20,000).

Queries of a split (`training.splits.wmt_split`: the held-out pair zh-en is always `test`): for every WMT22
source document of the split, one human and one machine translation into English (picked by hash), whether
its source is present or absent; and English articles whose source is not indexed (BBC `calib` articles
for the train split, `test` articles for the test split). A query of an absent source, or an English
article, matched to anything is a false source.

`--split dev` queries WMT21/23 translations instead (`dev_queries`: their sources are in the index as
distractors), where choices that WMT22's train split cannot inform (Chinese) are made; `--fit` works there
too, and its false column is then empty.

Reports, per pair and kind: traced top-1 (the match names the source), with relation "translation" and the
source's language; false sources among absent-source queries. `--fit` (train or dev split) sweeps the
meaning path's decision constants (`choose_by_meaning`) over the cached readings and prints the table the
shipped constants were chosen from, and where each indexed source's lead ranks among the query's nearest
(the ceiling of `MEANING_CANDIDATES`); `--candidates N` reads N nearest leads instead.

`--rewrites` asks the same of LLM rewrites, in English: a copy of the index also holds the LLMFake
originals of the split's side (`training.splits.split_of`; the report side for `test`) except half of those
with rewrites ("absent", by hash), among which they are same-domain distractors; queried are one LLM
paraphrase and one LLM rewrite of each original with rewrites (`benchmarks.story_bench`'s rules: originals
of 100 words or more, rewrites of 60 or more), present or absent. Traced top-1 counts any path; the
"by meaning" column shows what meaning added to the words' paths. Sentence vectors are cached by text digest (build/meaning/), so a
rerun costs only what changed. Reads the shared corpora at run time; never asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import random
import sqlite3
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

import numpy as np

from spindetect.encoder import lead as lead_of
from spindetect.index import SourceIndex
from spindetect.index import source_index as source_index_module
from spindetect.index.meaning import align_meaning, sentence_pieces
from spindetect.text import Document
from training.jsonl import read_jsonl
from training.splits import bbc_split, corpora_dir, hash_bucket, wmt_split

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "build" / "meaning"
DEV_DOCS_PER_PAIR = 25
PAIR_COSINES = (0.8, 0.82, 0.84, 0.86)  # sentence pairing thresholds `--fit` tries


def _pick(items: list[dict], salt: str) -> dict:
    return min(items, key=lambda row: hashlib.sha1(f"{salt}:{row['id']}".encode()).hexdigest())


def is_present(source_id: str) -> bool:
    return hash_bucket(f"meaning-present:{source_id}") < 0.5


def load() -> tuple[list[dict], dict[tuple[str, str], dict[str, list[dict]]], list[dict], list[dict]]:
    mt = corpora_dir() / "machine-translation"
    sources = list(read_jsonl(mt / "wmt22-sources.jsonl"))
    versions: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in read_jsonl(mt / "wmt22-docs.jsonl"):
        if row["label"] in ("human_translation", "machine_translation"):
            versions[(row["pair"], row["doc"])][row["label"]].append(row)
    more_sources = [row for row in read_jsonl(mt / "wmt-more-docs.jsonl") if row["label"] == "source"]
    bbc = list(read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl"))
    return sources, versions, more_sources, bbc


def build_index(sources, more_sources, bbc, remixed: int) -> SourceIndex:
    from benchmarks.index_bench import remix_distractors

    bbc_train = [row for row in bbc if bbc_split(row) == "train"]
    documents = ([(row["id"], row["text"]) for row in sources if is_present(row["id"])]
                 + [(row["id"], row["text"]) for row in more_sources]
                 + [(row["id"], row["text"]) for row in bbc_train]
                 + remix_distractors([row["text"] for row in bbc_train], remixed, random.Random(0)))
    # The encoder's key names the lead's rule: another rule is another index.
    digest = hashlib.sha256("\n".join([source_index_module._encoder_key()] + [
        f"{i}\t{hashlib.sha1(t.encode()).hexdigest()}" for i, t in documents]).encode()).hexdigest()[:16]
    folder = WORK / f"index-{digest}"
    done = folder / "complete.json"
    index = SourceIndex.open(folder, create=True)
    if not done.exists():
        started = time.perf_counter()
        with leads_reused():
            index.add(documents, jobs=2, meaning=True)
        index.checkpoint()
        done.write_text(json.dumps({"documents": len(documents), "seconds": time.perf_counter() - started}))
    print(f"index: {folder.name}, {len(documents)} documents ({remixed} remixed), built in "
          f"{json.loads(done.read_text())['seconds']:.0f} s", file=sys.stderr)
    return index


@contextlib.contextmanager
def leads_reused():
    """While building, the encoder reuses the lead vectors of earlier builds under WORK with the same encoder
    and lead rule (a lead of the same text embeds the same): a change of the distractors re-embeds only new
    leads. Read from the indexes themselves (their float16 vectors, which is what the index stores)."""
    from spindetect.encoder import encoder

    rule = source_index_module._encoder_key()
    known: dict[str, np.ndarray] = {}
    for database in WORK.glob("*/index.sqlite"):
        with sqlite3.connect(database) as conn:
            if conn.execute("SELECT value FROM meta WHERE key = 'encoder'").fetchone() != (rule,):
                continue
            for text, vector in conn.execute("SELECT d.text, v.vector FROM docs AS d JOIN vectors AS v USING (row)"):
                lead = lead_of(zlib.decompress(text).decode("utf-8"), source_index_module.LEAD_CHARS)
                known[lead] = np.frombuffer(vector, dtype=np.float16).astype(np.float32)
    model = encoder()
    fresh = model.sentences

    def sentences(texts):
        missing = [text for text in texts if text not in known]
        if missing:
            known.update(zip(missing, fresh(missing)))
        return np.array([known[text] for text in texts], dtype=np.float32).reshape(len(texts), -1)

    model.sentences = sentences
    try:
        yield
    finally:
        del model.sentences


class SentenceCache:
    """`sentence_vectors` with a disk cache by text digest: the benchmark reads the same sentences again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            stored = np.load(path)
            self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"]))
        self.original = source_index_module.sentence_vectors
        self.added = 0

    def __call__(self, sentences):
        keys = [hashlib.sha1(s.encode()).hexdigest() for s in sentences]
        missing = [n for n, key in enumerate(keys) if key not in self.vectors]
        if missing:
            fresh = self.original([sentences[n] for n in missing])
            for n, vector in zip(missing, fresh):
                self.vectors[keys[n]] = vector
            self.added += len(missing)
            if self.added >= 2000:
                self.save()
        return np.array([self.vectors[key] for key in keys], dtype=np.float32).reshape(len(keys), -1)

    def save(self) -> None:
        keys = list(self.vectors)
        partial = self.path.with_suffix(f".{os.getpid()}.npz")  # two runs may save at once: replace whole
        np.savez(partial, keys=np.array(keys), vectors=np.array([self.vectors[k] for k in keys], dtype=np.float32))
        os.replace(partial, self.path)
        self.added = 0


def queries_of(split: str, sources, versions, bbc) -> list[dict]:
    out = []
    for source in sources:
        if wmt_split(source["pair"], source["doc"]) != split:
            continue
        for kind in ("human_translation", "machine_translation"):
            found = versions.get((source["pair"], source["doc"]), {}).get(kind)
            if found:
                pick = _pick(found, kind)
                out.append({"id": pick["id"], "text": pick["text"], "pair": source["pair"], "kind": kind,
                            "source": source["id"], "language": source["language"],
                            "present": is_present(source["id"])})
    english = [row for row in bbc if bbc_split(row) == ("calib" if split == "train" else "test")][:150]
    out += [{"id": row["id"], "text": row["text"], "pair": "en", "kind": "english_article", "source": None,
             "language": "en", "present": False} for row in english]
    return out


def rewrite_queries(split: str, index: SourceIndex) -> tuple[SourceIndex, list[dict]]:
    """A copy of `index` with the side's LLMFake originals (present ones), and the rewrite queries."""
    from benchmarks.story_bench import LLM_METHODS, MIN_LLM_ORIGINAL_WORDS, llmfake_side

    originals, rewritten = llmfake_side(tuning=split == "train")
    rewrites: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for key, rows in rewritten.items():
        for row in rows:
            rewrites[key][row["method"]].append(row)
    told = sorted(key for key, text in originals.items()
                  if len(text.split()) >= MIN_LLM_ORIGINAL_WORDS and len(rewrites[key]) == len(LLM_METHODS))
    absent = {key for key in told if not is_present(f"llmfake:{key}")}
    documents = [(f"llmfake:{key}", text) for key, text in sorted(originals.items()) if key not in absent]
    digest = hashlib.sha256(f"{index.path.name}\n{len(documents)}\n{sorted(absent)}".encode()).hexdigest()[:16]
    copy = WORK / f"rewrites-{digest}"
    if not (copy / "complete.json").exists():
        copy.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(index.path / "index.sqlite") as source, sqlite3.connect(copy / "index.sqlite") as target:
            source.backup(target)
        extended = SourceIndex.open(copy)
        extended.add(documents, jobs=2, meaning=True)
        extended.checkpoint()
        (copy / "complete.json").write_text(json.dumps({"documents": len(documents)}))
    queries = []
    for key in told:
        for method, rows in rewrites[key].items():
            pick = min(rows, key=lambda row: hashlib.sha1(f"{method}:{row['text']}".encode()).hexdigest())
            queries.append({"id": f"llmfake:{key}/{method}", "text": pick["text"], "pair": "llmfake",
                            "kind": LLM_METHODS[method], "source": f"llmfake:{key}", "language": "en",
                            "present": key not in absent})
    return SourceIndex.open(copy), queries


def dev_queries(more_sources: list[dict], per_pair: int = DEV_DOCS_PER_PAIR) -> list[dict]:
    """WMT21/23 translations (not WMT22) whose sources are indexed as distractors: `DEV_DOCS_PER_PAIR`
    documents per pair (by hash), one human and one machine translation of each. Every source is present;
    the pairs include languages no split of WMT22 has (ha, he, is) and Chinese of other years."""
    indexed = {row["doc"]: row for row in more_sources}
    chosen = {}
    for row in more_sources:
        chosen.setdefault(row["pair"], []).append(row["doc"])
    keep = {doc for docs in chosen.values()
            for doc in sorted(docs, key=lambda d: hashlib.sha1(d.encode()).hexdigest())[:per_pair]}
    versions: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in read_jsonl(corpora_dir() / "machine-translation" / "wmt-more-docs.jsonl"):
        if row["doc"] in keep and row["label"] in ("human_translation", "machine_translation"):
            versions[row["doc"]][row["label"]].append(row)
    return [{"id": pick["id"], "text": pick["text"], "pair": indexed[doc]["pair"], "kind": kind,
             "source": indexed[doc]["id"], "language": indexed[doc]["language"], "present": True}
            for doc in sorted(keep) for kind, rows in sorted(versions[doc].items()) for pick in [_pick(rows, kind)]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("train", "dev", "test"), default="test")
    parser.add_argument("--remixed", type=int, default=20000)
    parser.add_argument("--fit", action="store_true", help="sweep the decision constants (train or dev split)")
    parser.add_argument("--out", type=Path, default=None, help="write per-query readings as JSON Lines")
    parser.add_argument("--rewrites", action="store_true", help="LLM rewrites instead of translations")
    parser.add_argument("--candidates", type=int, default=None,
                        help="nearest leads read by meaning (default: source_index.MEANING_CANDIDATES)")
    args = parser.parse_args()
    if args.candidates:
        source_index_module.MEANING_CANDIDATES = args.candidates
    WORK.mkdir(parents=True, exist_ok=True)
    sources, versions, more_sources, bbc = load()
    index = build_index(sources, more_sources, bbc, args.remixed)
    cache = SentenceCache(WORK / "sentence_vectors.npz")
    source_index_module.sentence_vectors = cache
    if args.rewrites:
        index, queries = rewrite_queries(args.split, index)
    elif args.split == "dev":
        queries = dev_queries(more_sources)
    else:
        queries = queries_of(args.split, sources, versions, bbc)
    print(f"{len(queries)} queries ({args.split} split)", file=sys.stderr)
    results = []
    started = time.perf_counter()
    for n, query in enumerate(queries):
        document = Document(id=query["id"], text=query["text"])
        match = index.match(document)
        readings = index.meaning_readings(document, min_lead_cosine=0.0) if args.fit else []
        results.append((query, match, readings))
        if n % 50 == 49:
            print(f"  {n + 1} queries, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    cache.save()
    report(results)
    if args.fit:
        sweep(results, cache)
        false_by_meaning(results)
        lead_ranks(index, results)
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            for query, match, _ in results:
                out.write(json.dumps({k: query[k] for k in ("id", "pair", "kind", "source", "present")}
                                     | {"match": match.to_record() if match else None}) + "\n")


def report(results) -> None:
    groups = defaultdict(list)
    for query, match, _ in results:
        groups[(query["pair"], query["kind"], query["present"])].append((query, match))
    print("| pair | kind | source | n | traced top-1 (of which by meaning) | relation as expected | language right "
          "| false source (of which by meaning) |")
    print("|---|---|---|---|---|---|---|---|")
    for (pair, kind, present), rows in sorted(groups.items()):
        n = len(rows)
        if present:
            traced = [(q, m) for q, m in rows if m is not None and m.id == q["source"]]
            print(f"| {pair} | {kind} | indexed | {n} | {len(traced) / n:.3f} "
                  f"({sum(m.matched_by == 'meaning' for _, m in traced) / n:.3f}) | "
                  f"{sum(m.relation == _expected_relation(q) for q, m in traced) / n:.3f} | "
                  f"{sum(m.language == q['language'] for q, m in traced) / n:.3f} | "
                  f"{_false(rows, lambda q, m: m.id != q['source'])} |")
        else:
            print(f"| {pair} | {kind} | absent | {n} | — | — | — | {_false(rows, lambda q, m: True)} |")


def _expected_relation(query: dict) -> str:
    """A source in another language is translated; an English one retold (an LLM rewrite)."""
    return "translation" if query["language"] != "en" else "rewrite"


def _false(rows, is_false) -> str:
    false = [m for q, m in rows if m is not None and is_false(q, m)]
    return f"{len(false) / len(rows):.3f} ({sum(m.matched_by == 'meaning' for m in false) / len(rows):.3f})"


def false_by_meaning(results) -> None:
    """The absent-source queries the shipped constants give a source by meaning (whether or not the words
    found one first): ids and readings only, with the coverages of both sides."""
    print("\n| query | kind | matched | lead cosine | pairs | coverage of the query / shorter side |")
    print("|---|---|---|---|---|---|")
    for query, _, readings in results:
        chosen = source_index_module.choose_by_meaning(readings)
        if not query["present"] and chosen is not None:
            alignment = chosen.alignment
            print(f"| {query['id']} | {query['kind']} | {chosen.original.id} | {chosen.lead_cosine:.3f} | "
                  f"{len(alignment.pairs)} | {alignment.coverage_query:.2f} / {alignment.coverage_shorter:.2f} |")


def lead_ranks(index: SourceIndex, results, depths=(1, 3, 5, 8, 10, 20)) -> None:
    """Where an indexed source's lead ranks among the query's nearest leads: the ceiling of reading the
    first `source_index.MEANING_CANDIDATES` of them."""
    from spindetect.encoder import encoder

    ranks: dict[str, list[int]] = defaultdict(list)
    for query, _, _ in results:
        if query["present"]:
            text = Document(id=query["id"], text=query["text"]).text
            lead = encoder().document(text, source_index_module.LEAD_CHARS)
            near = [doc_id for _, doc_id, _ in index._store.nearest(lead, max(depths))]
            ranks[query["pair"]].append(near.index(query["source"]) + 1 if query["source"] in near else 0)
    print("\n| pair | sources indexed | " + " | ".join(f"lead among the nearest {d}" for d in depths) + " |")
    print("|---|---|" + "---|" * len(depths))
    for pair, found in sorted(ranks.items()):
        shares = [sum(0 < rank <= depth for rank in found) / len(found) for depth in depths]
        print(f"| {pair} | {len(found)} | " + " | ".join(f"{share:.3f}" for share in shares) + " |")


def sweep(results, vectors: SentenceCache) -> None:
    """Traced share of present-source translations against false sources among absent ones, over the
    decision constants (the readings were taken with no lead gate) and the sentence pairing's cosine
    (`meaning.align_meaning`, re-run on the cached sentence vectors)."""
    print("\n| pair cosine | coverage of | min lead cosine | min pairs | min coverage | margin | traced (present) "
          "| false (absent) |")
    print("|---|---|---|---|---|---|---|---|")
    for pair_cosine in PAIR_COSINES:
        realigned = [(query, [dataclasses.replace(reading, alignment=align_meaning(
            vectors(sentence_pieces(reading.original.sentences)[0]),
            vectors(sentence_pieces(Document(id=query["id"], text=query["text"]).sentences)[0]), pair_cosine,
            splits=not reading.one_language))
            for reading in readings]) for query, _, readings in results]
        present = [(q, r) for q, r in realigned if q["present"]]
        absent = [(q, r) for q, r in realigned if not q["present"]]
        for side, lead, pairs, coverage, margin in itertools.product(("query", "shorter"), (0.0, 0.8), (2, 3),
                                                                     (0.3, 0.4, 0.5, 0.6, 0.7), (0.0, 0.1)):
            def chosen(readings):
                return source_index_module.choose_by_meaning(readings, pairs, coverage, margin, lead, side)
            traced = sum((c := chosen(r)) is not None and c.original.id == q["source"] for q, r in present)
            false = sum(chosen(r) is not None for _, r in absent)
            print(f"| {pair_cosine} | {side} | {lead} | {pairs} | {coverage} | {margin} | "
                  f"{traced / max(1, len(present)):.3f} | {false / max(1, len(absent)):.3f} |")


if __name__ == "__main__":
    main()
