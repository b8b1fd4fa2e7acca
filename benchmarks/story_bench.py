"""`spindetect cluster` on a mixed batch: one story in every version (issue #13).

    python -m benchmarks.story_bench [--scale S] [--seed 0] [--tuning] [--sources] [--meaning] [--code DIR]

A batch built in memory from the shared corpora (nothing from them is written anywhere), shuffled:

- BBC stories, each as itself, a verbatim copy in a held-out farm template, an excerpt (its first 60% of
  paragraphs) and spins by the held-out spinner families (`handbook` 30%, `distributional` 30% and 60%),
  as in `benchmarks.cluster_bench`;
- LLMFake originals of at least 100 words, each with four of its LLM paraphrases and rewrites (of at least
  60 words: shorter rows are refusals or stray lines, not rewrites);
- WMT22 documents of the held-out pair (`HELDOUT_WMT_PAIR`, zh-en), each in two human translations and four
  machine translations (the held-out systems first); the source is not English, so no version of these
  stories is the original (with `--sources`, each story's source document in its own language is in the
  batch too, as its original: what `cluster --meaning` joins its translations to);
- same-topic different stories: for each BBC story, the other BBC article of its category that shares
  the most IDF-weighted names and numbers with it; and follow-ups: another article with one paragraph of
  the story's original pasted in. Both are stories of their own and must stay apart;
- single articles (BBC, LLMFake originals without rewrites, WMT22 original English documents).

Report sides: BBC articles outside the `train` split, LLMFake originals outside it (`split_of`), WMT22
zh-en. `--tuning` builds the same kind of batch from the tuning side instead (BBC `train`, LLMFake
`train`, WMT22 cs-en, de-en and ru-en); thresholds are chosen there only.

Measured: B-cubed precision, recall and F1 of the story grouping (`cluster`); per kind of version, the share
that lands in its story's cluster with its story's original (the first other version, for WMT22 stories),
and the share whose `relation` is right; the share of stories whose original is the member named
`original`; how many same-topic stories and follow-ups stay out of their neighbour's cluster; time.
`--meaning` clusters with meaning (`cluster(..., meaning=True)`: the multilingual encoder joins stories
told in other languages). `--code DIR` imports `spindetect` from another checkout (e.g. one of main), to run
today's code on the same batch. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
import resource
from collections import Counter, defaultdict
from dataclasses import dataclass

# Relation each kind of version should get, and the kinds reported (in this order).
RELATION_OF_KIND = {
    "original": "original", "copy": "copy", "excerpt": "excerpt", "spin handbook 30%": "spin",
    "spin distributional 30%": "spin", "spin distributional 60%": "spin", "LLM paraphrase": "rewrite",
    "LLM rewrite": "rewrite", "human translation": "translation", "machine translation": "translation",
    "source": "original",
}
# Kinds that are their story's original (a WMT22 story's source, with `--sources`).
ORIGINAL_KINDS = ("original", "source")
STANDALONE_KINDS = ("same-topic story", "follow-up", "single")
BBC_KINDS = {"verbatim copy": "copy", "first 60%": "excerpt", "handbook 30%": "spin handbook 30%",
             "distributional 30%": "spin distributional 30%", "distributional 60%": "spin distributional 60%"}
LLM_METHODS = {"paraphrase_generation": "LLM paraphrase", "rewrite_generation": "LLM rewrite"}
REWRITES_PER_ORIGINAL = 4
HUMAN_PER_DOC, MACHINE_PER_DOC = 2, 4
MIN_LLM_ORIGINAL_WORDS = 100
# Some LLMFake rows are not rewrites at all but a model's refusal or a stray line ("Please paraphrase this
# passage.", "Tell us in the comments below!"): rewrites shorter than this are left out.
MIN_LLM_REWRITE_WORDS = 60


@dataclass(frozen=True)
class Version:
    id: str
    text: str
    story: str
    kind: str
    has_original: bool  # whether the story's true original is in the batch (not for WMT22 stories)


def _bbc(rng: random.Random, stories: int, tuning: bool, used_singles: int):
    from benchmarks.cluster_bench import derivatives
    from spindetect.index.canonical import analyse
    from training.jsonl import read_jsonl
    from training.splits import corpora_dir, split_of

    articles = [r for r in read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl")
                if (split_of(f"bbc:{r['id']}") == "train") == tuning]
    rng.shuffle(articles)
    chosen, rest = articles[:stories], articles[stories:]
    names = {r["id"]: set(analyse(r["text"])[2]) for r in articles}
    frequency = Counter(name for r in articles for name in names[r["id"]])
    idf = {name: math.log(len(articles) / n) for name, n in frequency.items()}
    versions: list[Version] = []
    taken: set[str] = set()
    other_titles = [r["title"] for r in rest[:200]]
    for article in chosen:
        story = f"bbc:{article['id']}"
        versions.append(Version(f"{story}/original", article["text"], story, "original", True))
        for kind, text in derivatives(article["title"], article["text"], other_titles, rng):
            versions.append(Version(f"{story}/{kind}", text, story, BBC_KINDS[kind], True))
        # Its closest same-topic neighbour: most IDF-weighted names and numbers in common.
        pool = [r for r in rest if r["category"] == article["category"] and r["id"] not in taken]
        neighbour = max(pool, key=lambda r: sum(idf[n] for n in names[r["id"]] & names[article["id"]]))
        taken.add(neighbour["id"])
        versions.append(Version(f"bbc:{neighbour['id']}/same-topic", neighbour["text"], f"bbc:{neighbour['id']}",
                                "same-topic story", False))
    # Follow-ups: an unrelated article of the same category that quotes one paragraph of a story.
    for article in chosen[: stories // 2]:
        pool = [r for r in rest if r["category"] == article["category"] and r["id"] not in taken]
        host = rng.choice(pool)
        taken.add(host["id"])
        paragraphs = [p for p in article["text"].split("\n\n") if len(p.split()) >= 25]
        host_paragraphs = host["text"].split("\n\n")
        quoted = rng.choice(paragraphs) if paragraphs else article["text"].split("\n\n")[-1]
        text = "\n\n".join(host_paragraphs[:2] + [quoted] + host_paragraphs[2:])
        versions.append(Version(f"bbc:{host['id']}/follow-up", text, f"bbc:{host['id']}", "follow-up", False))
    singles = [r for r in rest if r["id"] not in taken][:used_singles]
    versions += [Version(f"bbc:{r['id']}", r["text"], f"bbc:{r['id']}", "single", False) for r in singles]
    return versions


def llmfake_side(tuning: bool) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """The LLMFake originals of one side (`train`, or the rest: `split_of`), by original key, and their LLM
    paraphrases and rewrites (LLM_METHODS) of at least MIN_LLM_REWRITE_WORDS words, by original key."""
    from training.jsonl import read_jsonl
    from training.splits import corpora_dir, split_of

    folder = corpora_dir() / "llm-rewrites"
    originals = {r["original_key"]: r["text"] for r in read_jsonl(folder / "llmfake-originals.jsonl")
                 if (split_of(f"llmfake:{r['original_key']}") == "train") == tuning}
    rewrites = defaultdict(list)
    for row in read_jsonl(folder / "llmfake-rewrites.jsonl"):
        if (row["method"] in LLM_METHODS and row.get("original_key") in originals
                and len(row["text"].split()) >= MIN_LLM_REWRITE_WORDS):
            rewrites[row["original_key"]].append(row)
    return originals, rewrites


def _llmfake(rng: random.Random, stories: int, tuning: bool, singles: int):
    originals, rewrites = llmfake_side(tuning)
    eligible = sorted(k for k, text in originals.items()
                      if len(text.split()) >= MIN_LLM_ORIGINAL_WORDS and len(rewrites[k]) >= REWRITES_PER_ORIGINAL)
    rng.shuffle(eligible)
    versions: list[Version] = []
    for key in eligible[:stories]:
        story = f"llmfake:{key}"
        versions.append(Version(f"{story}/original", originals[key], story, "original", True))
        for n, row in enumerate(rng.sample(rewrites[key], REWRITES_PER_ORIGINAL)):
            versions.append(Version(f"{story}/{row['generator']}-{row['method']}-{n}", row["text"], story,
                                    LLM_METHODS[row["method"]], True))
    lonely = sorted(k for k in originals if not rewrites[k] and len(originals[k].split()) >= MIN_LLM_ORIGINAL_WORDS)
    rng.shuffle(lonely)
    versions += [Version(f"llmfake:{k}", originals[k], f"llmfake:{k}", "single", False) for k in lonely[:singles]]
    return versions


def _wmt(rng: random.Random, stories: int, tuning: bool, singles: int, sources: bool = False):
    from training.jsonl import read_jsonl
    from training.splits import HELDOUT_WMT_PAIR, HELDOUT_WMT_SYSTEMS, corpora_dir

    rows = list(read_jsonl(corpora_dir() / "machine-translation" / "wmt22-docs.jsonl"))
    by_doc = defaultdict(list)
    for row in rows:
        if row["label"] != "original_english" and (row["pair"] != HELDOUT_WMT_PAIR) == tuning:
            by_doc[(row["pair"], row["doc"])].append(row)
    eligible = sorted(d for d, group in by_doc.items()
                      if sum(r["label"] == "human_translation" for r in group) >= 1
                      and sum(r["label"] == "machine_translation" for r in group) >= MACHINE_PER_DOC)
    rng.shuffle(eligible)
    source_of = ({(r["pair"], r["doc"]): r["text"] for r in read_jsonl(corpora_dir() / "machine-translation"
                                                                      / "wmt22-sources.jsonl")} if sources else {})
    versions: list[Version] = []
    for pair, doc in eligible[:stories]:
        story = f"wmt22:{pair}:{doc}"
        group = by_doc[(pair, doc)]
        if (pair, doc) in source_of:
            versions.append(Version(f"{story}/source", source_of[(pair, doc)], story, "source", True))
        human = [r for r in group if r["label"] == "human_translation"][:HUMAN_PER_DOC]
        machine = sorted((r for r in group if r["label"] == "machine_translation"),
                         key=lambda r: (r["system"] not in HELDOUT_WMT_SYSTEMS, r["system"]))[:MACHINE_PER_DOC]
        for row in human + machine:
            kind = "human translation" if row["label"] == "human_translation" else "machine translation"
            versions.append(Version(f"{story}/{row['system']}", row["text"], story, kind, (pair, doc) in source_of))
    english = [r for r in rows if r["label"] == "original_english"]
    rng.shuffle(english)
    versions += [Version(r["id"], r["text"], r["id"], "single", False) for r in english[:singles]]
    return versions


def build_batch(scale: float, seed: int, tuning: bool, sources: bool = False) -> list[Version]:
    """The mixed batch, shuffled; `scale` 1 is about 900 documents. `sources`: WMT22 stories with their
    source documents (see the module docstring)."""
    rng = random.Random(seed)
    n = lambda count: max(1, round(count * scale))  # noqa: E731
    batch = (_bbc(rng, n(40), tuning, n(100)) + _llmfake(rng, n(40), tuning, n(40))
             + _wmt(rng, n(30), tuning, n(30), sources))
    rng.shuffle(batch)
    return batch


def evaluate(batch: list[Version], records: list[dict]) -> list[tuple[str, str]]:
    """Rows (measure, value) for one clustering of the batch."""
    from benchmarks.cluster_bench import b_cubed

    by_id = {r["id"]: r for r in records}
    truth = {v.id: v.story for v in batch}
    precision, recall = b_cubed({r["id"]: r["cluster"] for r in records}, truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    stories: dict[str, list[Version]] = defaultdict(list)
    for v in batch:
        stories[v.story].append(v)
    # The anchor (the original, or for WMT22 stories the first translation) is what the others join: it is
    # counted for its relation, not for joining.
    joined, join_total, relation_right, total = Counter(), Counter(), Counter(), Counter()
    relation_given: dict[str, Counter] = defaultdict(Counter)
    named = named_total = 0
    has_relation = any("relation" in r for r in records)
    for members in stories.values():
        if len(members) == 1:
            continue
        anchor = next((m for m in members if m.kind in ORIGINAL_KINDS), members[0])
        if anchor.has_original:
            named_total += 1
            named += by_id[anchor.id]["role"] == "original"
        for m in members:
            total[m.kind] += 1
            if m is not anchor:
                join_total[m.kind] += 1
                joined[m.kind] += by_id[m.id]["cluster"] == by_id[anchor.id]["cluster"]
            if has_relation:
                expected = RELATION_OF_KIND[m.kind]
                got = by_id[m.id].get("relation")
                relation_given[m.kind][got] += 1
                # A WMT22 story has no original in the batch: one of its translations must stand as the root.
                relation_right[m.kind] += got == expected or (not m.has_original and got == "original"
                                                               and by_id[m.id]["role"] == "original")
    sizes = Counter(r["cluster"] for r in records)
    apart = Counter()
    standalone = Counter()
    for v in batch:
        if v.kind in STANDALONE_KINDS:
            standalone[v.kind] += 1
            apart[v.kind] += sizes[by_id[v.id]["cluster"]] == 1
    rows = [("documents", f"{len(batch)} ({len([s for s in stories.values() if len(s) > 1])} stories "
                          f"with versions, {sum(standalone.values())} stand-alone)"),
            ("B-cubed precision / recall / F1", f"{precision:.3f} / {recall:.3f} / {f1:.3f}"),
            ("originals named `original`", f"{named / named_total:.3f} of {named_total}")]
    for kind in RELATION_OF_KIND:
        if kind in ORIGINAL_KINDS or not join_total[kind]:
            continue
        rows.append((f"{kind}: joins its story", f"{joined[kind] / join_total[kind]:.3f} of {join_total[kind]}"))
    for kind in RELATION_OF_KIND:
        if not total[kind]:
            continue
        given = ", ".join(f"{r} {n}" for r, n in relation_given[kind].most_common())
        rows.append((f"{kind}: relation right",
                     f"{relation_right[kind] / total[kind]:.3f} ({given})" if has_relation else "n/a"))
    for kind in STANDALONE_KINDS:
        rows.append((f"{kind}: stays a story of its own", f"{apart[kind] / standalone[kind]:.3f} of {standalone[kind]}"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="batch size factor (1: about 900 documents)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tuning", action="store_true", help="build the batch from the tuning side instead")
    parser.add_argument("--sources", action="store_true", help="WMT22 stories with their foreign-language sources")
    parser.add_argument("--meaning", action="store_true", help="cluster with meaning (the multilingual encoder)")
    parser.add_argument("--code", help="import spindetect from this checkout instead (e.g. today's main)")
    args = parser.parse_args()
    if args.code:
        sys.path.insert(0, args.code)
    from spindetect.index.cluster import cluster
    from spindetect.text import Document
    from training.splits import corpora_dir

    if not (corpora_dir() / "news" / "bbc-2004-2005.jsonl").exists():
        sys.exit(f"needs the shared corpora at {corpora_dir()}")
    import spindetect

    batch = build_batch(args.scale, args.seed, args.tuning, args.sources)
    documents = [Document(id=v.id, text=v.text) for v in batch]
    start = time.perf_counter()
    records = [a.to_record() for a in (cluster(documents, meaning=True) if args.meaning else cluster(documents))]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the whole process, batch included
    rows = evaluate(batch, records)
    rows.append(("clustering time, peak process memory", f"{seconds:.1f} s, {peak / 2**20:.0f} MiB"))
    print(f"spindetect from {spindetect.__file__}; {'tuning' if args.tuning else 'report'} side, seed {args.seed}, "
          f"scale {args.scale}{', with sources' if args.sources else ''}{', with meaning' if args.meaning else ''}\n")
    print("| measure | value |\n|---|---|")
    print("\n".join(f"| {name} | {value} |" for name, value in rows))


if __name__ == "__main__":
    main()
