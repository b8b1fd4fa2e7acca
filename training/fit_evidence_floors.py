"""Fit the evidence floors: per evidence source, the span strength clean text reaches.

    python -m training.fit_evidence_floors [--docs 120] [--budget 0.1] [--write]

Reads clean documents of two groups, never the `test` split: news articles (`news/bbc-2004-2005.jsonl` rows
whose `training.splits.bbc_split` is "calib", the corpus's rule, in file order, the first `--docs`) and the
real pages of the training and calibration sites (`pages/real-pages.jsonl`, `training.splits.site_split`), all
originals. Runs every family of the shipped models (the fast model's and the deep stage's language-model
family) and collects, per evidence source (one feature's evidence list in one family version) and group, the
strengths of the spans it records (`Evidence.strength`; kinds no record shows are left out).

A source's floor is set so that neither group's clean text shows more than `--budget` of its spans per 1,000
words (`group_floor`): a record shows a span only when it is stronger (`spindetect.model._floors`). A budget
of spans per 1,000 words rather than a share of each source's spans, because that is what a moderator reading
clean text sees: a share let the noisiest source show the most (a news article has about 6.6 garbled word
pairs per 1,000 words and one swap the language model confirms) and held the most precise one to the same 5%
as the noisiest. Per group, as the thresholds bound every group of originals: real pages have heavier tails
than news prose, and pooled with the articles they were under-counted. Pages of the training sites are read
too, because one split's 49 pages gave a tail the next sites' pages did not keep to (docs/evaluation.md,
"Evidence floors"). A source whose clean spans fit within its budget in every group has no floor (all its
spans are shown).

Prints per source the clean spans per 1,000 words before and above the floor; `--write` writes
`spindetect/resources/evidence_floors.json` with its provenance. Only numbers are written, never text.
Single process; set SPINDETECT_LM_THREADS to bound the language model's threads.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from spindetect import Detector
from spindetect.io import as_input_item
from spindetect.model._explain import UNSHOWN_EVIDENCE_KINDS
from spindetect.model._floors import FLOORS_FILE, FLOORS_FORMAT, parse_floors, source_key
from spindetect.pipeline import prepare_document
from spindetect.text import Document
from training.jsonl import read_jsonl
from training.splits import bbc_split, corpora_dir, site_split

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "spindetect" / "resources" / FLOORS_FILE
NEWS_SPLIT = "calib"
PAGE_SPLITS = ("train", "calib")
SPLIT_RULE = ("news articles: the first {docs} in file order whose training.splits.bbc_split is calib; real pages "
              "whose site training.splits.site_split puts in train or calib; all originals, never the test split")


def clean_documents_by_site(docs: int) -> list[tuple[str, str, Document]]:
    """(group, site, document): the calibration split's BBC articles (the first `docs`; site "bbc") and the
    real pages of the training and calibration sites."""
    news = corpora_dir() / "news" / "bbc-2004-2005.jsonl"
    articles = [("news articles", "bbc", Document(id=f"bbc:{r['id']}", text=r["text"]))
                for r in read_jsonl(news) if bbc_split(r) == NEWS_SPLIT][:docs]
    pages = [("real pages", r["site"], prepare_document(as_input_item({"id": r["id"], "html": r["html"]}, r["id"])))
             for r in read_jsonl(corpora_dir() / "pages" / "real-pages.jsonl")
             if site_split(r["site"]) in PAGE_SPLITS]
    return articles + pages


def clean_documents(docs: int) -> dict[str, list[Document]]:
    """The two groups of clean documents (`clean_documents_by_site`): news articles and real pages."""
    groups: dict[str, list[Document]] = {"news articles": [], "real pages": []}
    for group, _, document in clean_documents_by_site(docs):
        groups[group].append(document)
    return groups


def group_floor(strengths_by_group: dict[str, np.ndarray], words_by_group: dict[str, int],
                budget: float) -> float | None:
    """The lowest floor under which no group's clean text shows more than `budget` spans of the source per
    1,000 words: per group, the strength of its (n + 1)-th strongest span, where n = budget x words / 1,000
    (a span is shown only when stronger than the floor), the largest of the groups'. None when every group's
    spans fit within the budget: all of them may be shown."""
    floors = []
    for group, values in strengths_by_group.items():
        allowed = int(budget * words_by_group[group] / 1000)
        if allowed < len(values):
            floors.append(float(np.sort(values)[::-1][allowed]))
    return max(floors) if floors else None


def shipped_families(detector: Detector) -> list:
    """The families of the fast model and of the deep stage (which holds the fast ones plus its own)."""
    families = list(detector.model.families)
    if detector.cascade is not None:
        families += [f for f in detector.cascade.deep.families if (f.name, f.version) not in
                     {(g.name, g.version) for g in families}]
    return families


def collect(families: list, documents: list[Document]) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Per evidence source, the strengths of its spans on `documents`, and the kind of each source."""
    strengths: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for n, document in enumerate(documents, 1):
        for family in families:
            for source, items in family.extract(document).evidence.items():
                for item in items:
                    if item.strength is None or item.kind in UNSHOWN_EVIDENCE_KINDS:
                        continue
                    strengths[source_key(family, source)].append(float(item.strength))
                    kinds[source_key(family, source)] = item.kind
        if n % 25 == 0:
            print(f"{n}/{len(documents)} documents", file=sys.stderr)
    return strengths, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120, help="calibration-split BBC articles to read")
    parser.add_argument("--budget", type=float, default=0.1,
                        help="spans of one source a group of clean text may show per 1,000 words")
    parser.add_argument("--write", action="store_true", help=f"write spindetect/resources/{FLOORS_FILE}")
    args = parser.parse_args()
    detector = Detector.load()
    families = shipped_families(detector)
    groups = clean_documents(args.docs)
    words = {group: sum(len(d.words) for d in documents) for group, documents in groups.items()}
    strengths, kinds = {}, {}
    for group, documents in groups.items():
        strengths[group], group_kinds = collect(families, documents)
        kinds.update(group_kinds)
    floors = {}
    print(f"\n{', '.join(f'{len(d)} {g} ({words[g]} words)' for g, d in groups.items())}, all clean; each "
          f"source's floor lets no group show more than {args.budget:g} of its spans per 1,000 words\n")
    print("| evidence source | kind | floor | " + " | ".join(
        f"{g}: clean spans / above the floor, per 1,000 words" for g in groups) + " |")
    print("|---|---|---|" + "---|" * len(groups))
    for key in sorted(kinds):
        by_group = {group: np.array(strengths[group].get(key, [])) for group in groups}
        floor = group_floor(by_group, words, args.budget)
        floor = None if floor is None else round(floor, 4)
        shown = {g: int((v > floor).sum()) if floor is not None else len(v) for g, v in by_group.items()}
        floors[key] = {"kind": kinds[key], "floor": floor,
                       "clean_spans": sum(len(values) for values in by_group.values())}
        print(f"| {key} | {kinds[key]} | {floor} | " + " | ".join(
            f"{1000 * len(v) / words[g]:.2f} / {1000 * shown[g] / words[g]:.2f}"
            for g, v in by_group.items()) + " |")
    documents = [d for group in groups.values() for d in group]
    ids = "\n".join(d.id for d in documents).encode()
    data = {
        "format": FLOORS_FORMAT,
        "provenance": {
            "script": "python -m training.fit_evidence_floors "
                      f"--docs {args.docs} --budget {args.budget:g} --write",
            "datasets": ["news/bbc-2004-2005.jsonl", "pages/real-pages.jsonl"],
            "split": SPLIT_RULE.format(docs=args.docs),
            "groups": {group: len(documents) for group, documents in groups.items()},
            "rule": "per source, the lowest floor above which no group shows more than the budget's spans "
                    "per 1,000 words of its clean text",
            "documents": len(documents), "words": sum(words.values()),
            "document_ids_sha256": hashlib.sha256(ids).hexdigest(),
            "budget_per_1000_words": args.budget,
            "families": [f"{f.name}@{f.version}" for f in families],
            "date": datetime.date.today().isoformat(),
        },
        "floors": floors,
    }
    parse_floors(data)  # what is written must load
    if args.write:
        OUT.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"\nwrote {OUT.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
