"""Fit `story.STORY_WEIGHTS` on the tuning side of the story benchmark, and check it on the report side.

    python -m benchmarks.story_tuning [--seed 0]

Builds `benchmarks.story_bench`'s batch from its tuning side (BBC `train`, LLMFake `train`, WMT22 cs-en,
de-en, ru-en), takes every pair the story blocking proposes (`story.candidate_pairs`), labels it by whether
both documents tell one story, and fits a logistic regression over `StoryComparison.features`. Prints the
weights to paste into `story.py`, then, at a few score thresholds, the pairs passed on both sides and the
wrong ones. Needs scikit-learn (a development dependency only).
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.story_bench import build_batch
from spindetect.index.align import prepare_sentences
from spindetect.index.relation import article_body
from spindetect.index.story import (FEATURES, StoryComparison, candidate_pairs, compare, story_evidence,
                                    story_score)
from spindetect.text import Document


def labelled_pairs(tuning: bool, seed: int) -> tuple[list[StoryComparison], np.ndarray]:
    batch = build_batch(1.0, seed, tuning)
    evidence = [story_evidence(prepare_sentences(article_body(Document(id=v.id, text=v.text)).sentences))
                for v in batch]
    pairs = candidate_pairs(evidence)
    labels = np.array([batch[i].story == batch[j].story for i, j in pairs])
    return [compare(evidence[i], evidence[j]) for i, j in pairs], labels


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    comparisons, labels = labelled_pairs(True, args.seed)
    model = LogisticRegression(C=10.0, max_iter=5000).fit([c.features() for c in comparisons], labels)
    weights = dict(zip(FEATURES, (round(float(w), 3) for w in model.coef_[0])))
    print(f"STORY_WEIGHTS = {weights}\nSTORY_BIAS = {round(float(model.intercept_[0]), 3)}\n")
    print("Scores below from the weights in story.py (paste the above first to see the fitted ones).\n")
    print("| side | threshold | same-story pairs passed | different-story pairs passed |\n|---|---|---|---|")
    for side, tuning in (("tuning", True), ("report", False)):
        side_comparisons, y = (comparisons, labels) if tuning else labelled_pairs(False, args.seed)
        scores = np.array([story_score(c) for c in side_comparisons])
        for threshold in (0.5, 0.8, 0.9, 0.95):
            passed = scores >= threshold
            print(f"| {side} | {threshold} | {(passed & y).sum()} / {y.sum()} | {(passed & ~y).sum()} / {(~y).sum()} |")


if __name__ == "__main__":
    main()
