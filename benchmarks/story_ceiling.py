"""How far story evidence can join translations and LLM versions without joining other stories (issue #13).

    python -m benchmarks.story_ceiling [--tuning] [--scale 1] [--seed 0]

On `benchmarks.story_bench`'s batch, every candidate pair the story level considers
(`story.candidate_pairs`, the blocking `cluster` uses) is scored with `story.story_score`. Each document
gets two numbers: its best link to another version of its own story, and its best link to a document of
another story. For each threshold, the table gives the share of each kind of version whose best own-story
link reaches it (the most that a join at that threshold could reach, pair by pair), beside the share of the
stand-alone kinds (same-topic stories, follow-ups, single articles) and of all documents whose best link to
another story reaches it (what the same threshold would join wrongly).

A ceiling of the pairwise score, not a clustering: union-find can also join a version through another
version of its story, and `cluster`'s numbers-conflict and quote rules part some pairs the score accepts.
The version kinds that share wording (copies, excerpts, spins) join before the story level and are left
out. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np

from benchmarks.story_bench import STANDALONE_KINDS, Version, build_batch

THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95)
VERSION_KINDS = ("LLM paraphrase", "LLM rewrite", "human translation", "machine translation")


def best_links(batch: list[Version]) -> tuple[np.ndarray, np.ndarray]:
    """(best story score to a document of the same story, best to a document of another story) for each
    document, over the story level's candidate pairs (0 where a document has no such candidate)."""
    from spindetect.index.align import prepare_sentences
    from spindetect.index.relation import article_body
    from spindetect.index.story import candidate_pairs, compare, story_evidence, story_score
    from spindetect.text import Document

    evidence = [story_evidence(prepare_sentences(article_body(Document(id=v.id, text=v.text)).sentences))
                for v in batch]
    own, other = np.zeros(len(batch)), np.zeros(len(batch))
    for i, j in candidate_pairs(evidence):
        score = story_score(compare(evidence[i], evidence[j]))
        best = own if batch[i].story == batch[j].story else other
        best[i], best[j] = max(best[i], score), max(best[j], score)
    return own, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tuning", action="store_true", help="the tuning side's batch instead of the report side's")
    args = parser.parse_args()
    batch = build_batch(args.scale, args.seed, args.tuning)
    own, other = best_links(batch)
    rows: dict[str, list[int]] = defaultdict(list)
    for n, v in enumerate(batch):
        rows[v.kind].append(n)
    side = "tuning" if args.tuning else "report"
    print(f"{side} side, seed {args.seed}: {len(batch)} documents\n")
    print("| best link at or above | " + " | ".join(f"{t}" for t in THRESHOLDS) + " |")
    print("|---|" + "---|" * len(THRESHOLDS))
    for kind in VERSION_KINDS:
        members = rows[kind]
        print(f"| {kind}: own story (n={len(members)}) | "
              + " | ".join(f"{np.mean(own[members] >= t):.3f}" for t in THRESHOLDS) + " |")
    for kind in STANDALONE_KINDS:
        members = rows[kind]
        print(f"| {kind}: another story (n={len(members)}) | "
              + " | ".join(f"{np.mean(other[members] >= t):.3f}" for t in THRESHOLDS) + " |")
    print(f"| every document: another story (n={len(batch)}) | "
          + " | ".join(f"{np.mean(other >= t):.3f}" for t in THRESHOLDS) + " |")


if __name__ == "__main__":
    main()
