"""Fit `story.STORY_WEIGHTS` on the tuning side of the story benchmark, and check it on the report side.

    python -m benchmarks.story_tuning [--seed 0] [--report]

Builds `benchmarks.story_bench`'s batch from its tuning side (BBC `train`, LLMFake `train`, WMT22 cs-en,
de-en, ru-en), takes every pair the story blocking proposes (`story.candidate_pairs`) whose documents do not
share their wording (`relation.shares_wording`: those join as versions before story evidence is asked, so
the story score never decides them; among them are the corpus's duplicate BBC articles, which tell one
story under two ids and would teach the score that a perfect retelling is a different story), labels it by
whether both documents tell one story, and fits a logistic regression over `StoryComparison.features`. Prints the
weights to paste into `story.py`, then, at a few score thresholds, the pairs passed and the
wrong ones; `--report` adds the report side's counts (to read once a design is fixed, never to choose by).
Needs scikit-learn (a development dependency only).
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.story_bench import build_batch
from spindetect.index.align import prepare_sentences
from spindetect.index.relation import article_body, shares_wording
from spindetect.index.story import (FEATURES, StoryComparison, candidate_pairs, compare, story_evidence,
                                    story_score)
from spindetect.text import Document


def labelled_pairs(tuning: bool, seed: int) -> tuple[list[StoryComparison], np.ndarray]:
    batch = build_batch(1.0, seed, tuning)
    sentences = [prepare_sentences(article_body(Document(id=v.id, text=v.text)).sentences) for v in batch]
    evidence = [story_evidence(s) for s in sentences]
    pairs = [(i, j) for i, j in candidate_pairs(evidence) if not shares_wording(sentences[i], sentences[j])]
    labels = np.array([batch[i].story == batch[j].story for i, j in pairs])
    return [compare(evidence[i], evidence[j]) for i, j in pairs], labels


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--report", action="store_true", help="also count the report side's pairs")
    args = parser.parse_args()
    comparisons, labels = labelled_pairs(True, args.seed)
    model = LogisticRegression(C=10.0, max_iter=5000).fit([c.features() for c in comparisons], labels)
    weights = dict(zip(FEATURES, (round(float(w), 3) for w in model.coef_[0])))
    print(f"STORY_WEIGHTS = {weights}\nSTORY_BIAS = {round(float(model.intercept_[0]), 3)}\n")
    print("Scores below from the weights in story.py (paste the above first to see the fitted ones).\n")
    print("| side | threshold | same-story pairs passed | different-story pairs passed |\n|---|---|---|---|")
    for side, tuning in (("tuning", True), ("report", False))[:2 if args.report else 1]:
        side_comparisons, y = (comparisons, labels) if tuning else labelled_pairs(False, args.seed)
        scores = np.array([story_score(c) for c in side_comparisons])
        for threshold in (0.5, 0.65, 0.8, 0.9, 0.95):
            passed = scores >= threshold
            print(f"| {side} | {threshold} | {(passed & y).sum()} / {y.sum()} | {(passed & ~y).sum()} / {(~y).sum()} |")


if __name__ == "__main__":
    main()
