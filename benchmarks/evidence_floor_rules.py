"""How should an evidence floor be set? Rules compared with real sites held out.

    python -m benchmarks.evidence_floor_rules [--docs 120] [--folds 5] [--seed 0]

Reads the clean documents `training.fit_evidence_floors` fits on (the first `--docs` calibration-split BBC
articles, the real pages of training and calibration sites; never the test split) and records, per document,
the strength of every span each shipped family scores. Then, `--folds` times, fits floors under each rule on
the other folds (pages split by site, so a fold's sites are never seen; articles by position) and counts, on
the held-out fold, the spans above a floor per 1,000 words, in all and by kind. Every span above its floor is
counted, shown or not (a record shows only those under reasons that argue for manipulation, once each), so
the figures bound what records show. Rules: the pooled quantile (the first floors), the larger of the
groups' quantiles, and a budget of spans per 1,000 words in each group (`group_floor`, the shipped rule).
Prints Markdown; asserts nothing. About 12-15 minutes on 2 cores, most of it the language model.
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict

import numpy as np

from spindetect import Detector
from training.fit_evidence_floors import clean_documents_by_site, collect, group_floor, shipped_families


def fit(rule: str, level: float, rows: list[dict]) -> dict[str, float]:
    """Floors under `rule` from the `rows` (each a document's group, words and spans)."""
    groups = sorted({row["group"] for row in rows})
    strengths = {g: defaultdict(list) for g in groups}
    words = {g: sum(row["words"] for row in rows if row["group"] == g) for g in groups}
    for row in rows:
        for source, _, strength in row["spans"]:
            strengths[row["group"]][source].append(strength)
    floors = {}
    for source in {s for g in groups for s in strengths[g]}:
        by_group = {g: np.array(strengths[g].get(source, [])) for g in groups}
        if rule == "pooled quantile":
            floor = float(np.quantile(np.concatenate(list(by_group.values())), level))
        elif rule == "per-group quantile":
            floor = max(float(np.quantile(v, level)) for v in by_group.values() if len(v))
        else:
            floor = group_floor(by_group, words, level)
        floors[source] = -np.inf if floor is None else floor
    return floors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    families = shipped_families(Detector.load())
    rows = []
    for group, site, document in clean_documents_by_site(args.docs):
        strengths, kinds = collect(families, [document])
        rows.append({"group": group, "site": site, "words": len(document.words),
                     "spans": [(source, kinds[source], s) for source, values in strengths.items() for s in values]})
    sites = sorted({row["site"] for row in rows if row["group"] == "real pages"})
    random.Random(args.seed).shuffle(sites)
    fold_of_site = {site: i % args.folds for i, site in enumerate(sites)}
    articles = [row for row in rows if row["group"] == "news articles"]
    for i, row in enumerate(articles):
        row["fold"] = i % args.folds
    for row in rows:
        row.setdefault("fold", fold_of_site.get(row["site"]))
    rules = [("pooled quantile", 0.95), ("pooled quantile", 0.97), ("per-group quantile", 0.95),
             ("per-group quantile", 0.97), ("budget per 1,000 words", 0.05), ("budget per 1,000 words", 0.1),
             ("budget per 1,000 words", 0.15)]
    kinds = sorted({kind for row in rows for _, kind, _ in row["spans"]})
    print(f"\n{len(articles)} articles, {len(rows) - len(articles)} pages of {len(sites)} sites; {args.folds} folds, "
          "pages by site. Spans above a floor per 1,000 words of the held-out fold.\n")
    print("| rule | articles | pages | pages, by kind: " + " / ".join(kinds) + " |")
    print("|---|---|---|---|")
    for rule, level in rules:
        shown, words = defaultdict(int), defaultdict(int)  # (group, kind) -> spans above a floor; group -> words
        for fold in range(args.folds):
            floors = fit(rule, level, [row for row in rows if row["fold"] != fold])
            for row in (row for row in rows if row["fold"] == fold):
                words[row["group"]] += row["words"]
                for source, kind, strength in row["spans"]:
                    shown[row["group"], kind] += strength > floors.get(source, -np.inf)

        def rate(group: str, kinds_counted) -> float:
            return 1000 * sum(shown[group, kind] for kind in kinds_counted) / words[group]

        by_kind = " / ".join(f"{rate('real pages', [kind]):.2f}" for kind in kinds)
        print(f"| {rule} {level:g} | {rate('news articles', kinds):.2f} | {rate('real pages', kinds):.2f} "
              f"| {by_kind} |")


if __name__ == "__main__":
    main()
