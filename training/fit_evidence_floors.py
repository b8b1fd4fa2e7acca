"""Fit the evidence floors: per evidence source, the span strength clean text reaches.

    python -m training.fit_evidence_floors [--docs 200] [--quantile 0.95] [--write]

Reads clean documents of the calibration split only: BBC articles (`news/bbc-2004-2005.jsonl` rows whose
`training.splits.bbc_split` is "calib", the corpus's rule, in file order, the first `--docs`) and the real pages
of the calibration sites (`pages/real-pages.jsonl`, `training.splits.site_split`), all originals. Runs every
family of the shipped models (the fast model's and the deep stage's language-model family) and collects,
per evidence source (one feature's evidence list in one family version), the strengths of the spans it
records (`Evidence.strength`; kinds no record shows are left out). A source's floor is the `--quantile` of
those strengths: a record shows a span only when it is stronger (`spindetect.model._floors`). A source no
clean document showed has no floor (its spans are shown; tests/test_evidence_floors.py checks that every
source the examples show has one).

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
SPLIT = "calib"


def clean_documents(docs: int) -> list[Document]:
    """The calibration split's BBC articles (the first `docs`) and the real pages of its sites."""
    news = corpora_dir() / "news" / "bbc-2004-2005.jsonl"
    articles = [Document(id=f"bbc:{r['id']}", text=r["text"]) for r in read_jsonl(news)
                if bbc_split(r) == SPLIT][:docs]
    pages = [prepare_document(as_input_item({"id": r["id"], "html": r["html"]}, r["id"]))
             for r in read_jsonl(corpora_dir() / "pages" / "real-pages.jsonl") if site_split(r["site"]) == SPLIT]
    return articles + pages


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
    parser.add_argument("--docs", type=int, default=200, help="calibration-split BBC articles to read")
    parser.add_argument("--quantile", type=float, default=0.95)
    parser.add_argument("--write", action="store_true", help=f"write spindetect/resources/{FLOORS_FILE}")
    args = parser.parse_args()
    detector = Detector.load()
    families = shipped_families(detector)
    documents = clean_documents(args.docs)
    words = sum(len(d.words) for d in documents)
    strengths, kinds = collect(families, documents)
    floors = {}
    print(f"\n{len(documents)} clean calibration-split documents, {words} words; floor = the "
          f"{args.quantile:g} quantile of each source's span strengths\n")
    print("| evidence source | kind | clean spans per 1,000 words | floor | above the floor, per 1,000 words |")
    print("|---|---|---|---|---|")
    for key in sorted(strengths):
        values = np.array(strengths[key])
        floor = round(float(np.quantile(values, args.quantile)), 4)
        above = int((values > floor).sum())
        floors[key] = {"kind": kinds[key], "floor": floor, "clean_spans": len(values)}
        print(f"| {key} | {kinds[key]} | {1000 * len(values) / words:.2f} | {floor} "
              f"| {1000 * above / words:.2f} |")
    ids = "\n".join(d.id for d in documents).encode()
    data = {
        "format": FLOORS_FORMAT,
        "provenance": {
            "script": "python -m training.fit_evidence_floors "
                      f"--docs {args.docs} --quantile {args.quantile:g} --write",
            "datasets": ["news/bbc-2004-2005.jsonl", "pages/real-pages.jsonl"],
            "split": f"{SPLIT} only: BBC articles by training.splits.bbc_split (the first {args.docs} "
                     "in file order); real pages whose site training.splits.site_split puts in calib; "
                     "all originals",
            "documents": len(documents), "words": words,
            "document_ids_sha256": hashlib.sha256(ids).hexdigest(),
            "quantile": args.quantile,
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
