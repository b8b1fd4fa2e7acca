"""`spindetect cluster` on a batch of republished stories: are the stories found, and their originals named?

    python -m benchmarks.cluster_bench [--stories 60] [--singletons 150] [--seed 0] [--train-split]

A batch as a crawl would see it, built in memory from BBC articles outside the `train` split (nothing from
the corpora is written anywhere): each of `--stories` articles appears as itself and as five derivatives,
from least to most derived: a verbatim copy in the page furniture of a held-out farm template family
(`magazine`, `aggregator` or `forum`: structures the boilerplate features never trained on), a copy cut to
its first 60% of paragraphs, and spins by the held-out spinner families (`handbook` at 30%,
`distributional` at 30% and 60%). `--singletons` further articles appear once each; BBC stories share a
handful of topics (business, politics, sport, tech, entertainment), so every story has same-topic
neighbours that must not join it. The batch is shuffled, so batch order says nothing about which text came
first.

Measured: B-cubed precision and recall of the clusters against the true stories, how many stories come out
as exactly one cluster, how often the true original is the member named `original`, and how often two
derivatives that changed different amounts of wording (unchanged: the copy and the excerpt; 30% spins; the
60% spin) are ranked the right way round (`rank`: 1 = least reworded), when both hang off the true
original. Also: how often an LLMFake rewrite (150 per method) passes the join rule with its own original,
under the current rule and under the former one (similarity and coverage only).

`--train-split` builds the batch from `train`-split articles instead: the cluster thresholds were chosen on
that batch (`--train-split --stories 300 --singletons 560 --seed 1`), and the default batch reports them.
Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from spindetect.text import Document
from spindetect.index.align import align
from spindetect.index.cluster import cluster
from spindetect.index.relation import MIN_COVERAGE, MIN_SIMILARITY, article_body, shares_wording
from training.generators import Article, PageContext, copy_page, render_text, spin
from training.jsonl import read_jsonl
from training.splits import HELDOUT_TEMPLATE_FAMILIES, corpora_dir, split_of

DERIVATIVES = ("verbatim copy", "first 60%", "handbook 30%", "distributional 30%", "distributional 60%")
# How much of its wording each kind changed: `rank` should order kinds of different tiers this way round
# (kinds of one tier may come in either order).
REWORDING_TIER = {"verbatim copy": 0, "first 60%": 0, "handbook 30%": 1, "distributional 30%": 1,
                  "distributional 60%": 2}


def derivatives(title: str, text: str, other_titles: list[str], rng: random.Random) -> list[tuple[str, str]]:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    family = rng.choice(sorted(HELDOUT_TEMPLATE_FAMILIES))
    page = copy_page(family, Article(title, text), PageContext(rng, other_titles))
    return [
        ("verbatim copy", render_text(page, rng)),
        ("first 60%", "\n\n".join(paragraphs[:max(1, round(len(paragraphs) * 0.6))])),
        ("handbook 30%", spin(text, "handbook", 0.3, rng).text),
        ("distributional 30%", spin(text, "distributional", 0.3, rng).text),
        ("distributional 60%", spin(text, "distributional", 0.6, rng).text),
    ]


def b_cubed(predicted: dict[str, int], truth: dict[str, str]) -> tuple[float, float]:
    by_cluster: dict[int, set[str]] = {}
    by_story: dict[str, set[str]] = {}
    for doc_id, number in predicted.items():
        by_cluster.setdefault(number, set()).add(doc_id)
        by_story.setdefault(truth[doc_id], set()).add(doc_id)
    precision = recall = 0.0
    for doc_id in predicted:
        found, true = by_cluster[predicted[doc_id]], by_story[truth[doc_id]]
        precision += len(found & true) / len(found)
        recall += len(found & true) / len(true)
    return precision / len(predicted), recall / len(predicted)


def build_batch(stories_wanted: int, singles_wanted: int, seed: int, train_split: bool = False):
    """(batch of (id, text) in shuffled order, id -> story, story articles, single articles)."""
    rng = random.Random(seed)
    articles = [r for r in read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl")
                if (split_of(f"bbc:{r['id']}") == "train") == train_split]
    rng.shuffle(articles)
    stories, singles = articles[:stories_wanted], articles[stories_wanted:stories_wanted + singles_wanted]
    batch: list[tuple[str, str]] = []
    truth: dict[str, str] = {}
    other_titles = [a["title"] for a in singles]
    for article in stories:
        versions = derivatives(article["title"], article["text"], other_titles, rng)
        for kind, text in [("original", article["text"]), *versions]:
            batch.append((f"{article['id']}/{kind}", text))
            truth[f"{article['id']}/{kind}"] = article["id"]
    for article in singles:
        batch.append((article["id"], article["text"]))
        truth[article["id"]] = article["id"]
    rng.shuffle(batch)
    return batch, truth, stories, singles


def llm_pairs_joined(seed: int, per_method: int = 150) -> list[str]:
    """Rows: the share of LLMFake rewrites that the join rule ties to their own original, by method."""
    corpora = corpora_dir() / "llm-rewrites"
    originals = {r["original_key"]: r["text"] for r in read_jsonl(corpora / "llmfake-originals.jsonl")}
    rewrites = [r for r in read_jsonl(corpora / "llmfake-rewrites.jsonl") if r.get("original_key") in originals]
    rng = random.Random(seed)
    rows = []
    for method in ("paraphrase_generation", "rewrite_generation", "open_ended_generation"):
        pool = [r for r in rewrites if r["method"] == method]
        current = former = 0
        for row in rng.sample(pool, min(per_method, len(pool))):
            original = article_body(Document(id="o", text=originals[row["original_key"]]))
            rewrite = article_body(Document(id="r", text=row["text"]))
            current += shares_wording(original.sentences, rewrite.sentences)
            former += any(r.similarity >= MIN_SIMILARITY and r.coverage >= MIN_COVERAGE
                          for r in (align(original.sentences, rewrite.sentences),
                                    align(rewrite.sentences, original.sentences)))
        n = min(per_method, len(pool))
        rows.append(f"| {method} | {n} | {current / n:.3f} | {former / n:.3f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=60, help="articles republished five times each")
    parser.add_argument("--singletons", type=int, default=150, help="articles that appear once")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--train-split", action="store_true",
                        help="build the batch from `train`-split articles instead (for choosing thresholds)")
    args = parser.parse_args()
    if not (corpora_dir() / "news" / "bbc-2004-2005.jsonl").exists():
        sys.exit(f"needs the shared corpora at {corpora_dir()}")
    batch, truth, stories, singles = build_batch(args.stories, args.singletons, args.seed, args.train_split)

    documents = [Document(id=doc_id, text=text) for doc_id, text in batch]
    start = time.perf_counter()
    assignments = cluster(documents)
    seconds = time.perf_counter() - start
    by_id = {a.id: a for a in assignments}
    precision, recall = b_cubed({a.id: a.cluster for a in assignments}, truth)

    members: dict[int, list[str]] = {}
    for a in assignments:
        members.setdefault(a.cluster, []).append(a.id)
    story_ids = {article["id"] for article in stories}
    exact = sum(1 for members_ in members.values() if len({truth[m] for m in members_}) == 1
                and truth[members_[0]] in story_ids and len(members_) == 1 + len(DERIVATIVES))
    named = [by_id[f"{story}/original"].role == "original" for story in story_ids]
    ordered = total_pairs = 0
    misnamed_as_original: Counter = Counter()
    for story in story_ids:
        for kind in DERIVATIVES:
            if by_id[f"{story}/{kind}"].role == "original":
                misnamed_as_original[kind] += 1
        ranked = [(by_id[f"{story}/{kind}"].rank, REWORDING_TIER[kind]) for kind in DERIVATIVES
                  if by_id[f"{story}/{kind}"].derived_from == f"{story}/original"]
        for i, (rank_a, tier_a) in enumerate(ranked):
            for rank_b, tier_b in ranked[i + 1:]:
                if tier_a != tier_b:
                    total_pairs += 1
                    ordered += (rank_a < rank_b) == (tier_a < tier_b)
    single_alone = sum(1 for article in singles if len(members[by_id[article["id"]].cluster]) == 1)

    rows = [
        ("batch", f"{len(batch)} documents: {len(stories)} stories x {1 + len(DERIVATIVES)} versions, "
                  f"{len(singles)} single articles; seed {args.seed}"),
        ("B-cubed precision / recall", f"{precision:.3f} / {recall:.3f}"),
        ("stories recovered as exactly one cluster", f"{exact} / {len(stories)}"),
        ("single articles left alone", f"{single_alone} / {len(singles)}"),
        ("true original named `original`", f"{sum(named)} / {len(named)}"),
        ("derivatives named `original` instead, by kind",
         ", ".join(f"{k} {n}" for k, n in misnamed_as_original.most_common()) or "none"),
        ("derivative pairs of different rewording ranked the right way round (`rank`)",
         f"{ordered / total_pairs:.3f} of {total_pairs}" if total_pairs else "no pairs"),
        ("clustering time", f"{seconds:.1f} s ({len(batch) / seconds:.0f} docs/s)"),
    ]
    print("| measure | value |\n|---|---|")
    print("\n".join(f"| {name} | {value} |" for name, value in rows))
    print("\nLLMFake rewrites that the join rule ties to their own original:\n")
    print("| method | n | current rule | former rule (similarity and coverage only) |\n|---|---|---|---|")
    print("\n".join(llm_pairs_joined(args.seed)))


if __name__ == "__main__":
    main()
