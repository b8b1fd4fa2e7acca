"""Pinned metric floors for the bundled model, on a small fixed set written by us (no corpus text).

    python -m training.metric_floors            # print the measured figures and any floor the model misses
    python -m training.metric_floors --write    # refresh tests/data/metric_floors.json (after a retrain)

`tests/test_metric_floors.py` checks the bundled model against the pinned file, in the way trafilatura's
evaluation gate pins its scores: the set's digest (a changed set must be re-pinned), floors on flag and
label accuracy and a ceiling on flagged originals (with a margin of two documents), each document's
pinned flag and label (at most two may change), and, only while the pinned model is the one installed,
every score within a tolerance. A retrained model passes if it is at least as good within the margins;
refresh the file with --write when the change is intended and say so in the commit.

The set: the example files in data/examples (original, spun, farm copy, and the labelled retrain batch),
plus documents generated from the batch's own original articles with the training generators: 60% spins
by a Moby spinner and by both held-out spinners, copies in two training templates (text) and a held-out
template (HTML), and a legitimate news-site page (an original).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "data" / "examples"
FLOORS_FILE = REPO / "tests" / "data" / "metric_floors.json"
MARGIN_DOCUMENTS = 2
MAX_CHANGED_DOCUMENTS = 2
SCORE_TOLERANCE = 0.02

SPINS = (("moby_naive", 0.6), ("handbook", 0.6), ("distributional", 0.6))
# Copy families with farm residue only: a chrome-only family ("wordpress": a comment form and a category
# line) makes originals since issue #11.
COPIES = (("source_link", "text"), ("rss_footer", "text"), ("magazine", "html"))


def floor_set() -> list[dict]:
    """The documents, in order: {"name", "label", "record"} with record {"id", "text"|"html"}."""
    from training.generators import Article, PageContext, copy_page, legit_page, render_html, render_text, spin

    docs = [
        {"name": "original.txt", "label": "original", "record": {"text": (EXAMPLES / "original.txt").read_text()}},
        {"name": "spun.txt", "label": "spun", "record": {"text": (EXAMPLES / "spun.txt").read_text()}},
        {"name": "farm_copy.html", "label": "copy", "record": {"html": (EXAMPLES / "farm_copy.html").read_text()}},
    ]
    batch = [json.loads(line) for line in (EXAMPLES / "retrain-batch.jsonl").read_text().splitlines() if line.strip()]
    docs += [{"name": row["id"], "label": row["label"], "record": {"text": row["text"]}} for row in batch]
    originals = [row for row in batch if row["label"] == "original"]
    articles = [Article(*row["text"].split("\n\n", 1)) for row in originals]
    titles = [article.title for article in articles]
    for number, (row, article) in enumerate(zip(originals, articles)):
        rng = random.Random(f"metric-floors:{row['id']}")
        family, rate = SPINS[number % len(SPINS)]
        docs.append({"name": f"{row['id']}~{family}", "label": "spun",
                     "record": {"text": spin(row["text"], family, rate, rng).text}})
        template, form = COPIES[number % len(COPIES)]
        page = copy_page(template, article, PageContext(rng, titles))
        content = render_html(page, rng)[0] if form == "html" else render_text(page, rng)
        docs.append({"name": f"{row['id']}~{template}", "label": "copy", "record": {form: content}})
    page = legit_page("news_site", articles[1], PageContext(random.Random("metric-floors:legit"), titles))
    docs.append({"name": f"{originals[1]['id']}~news_site", "label": "original",
                 "record": {"html": render_html(page, random.Random("metric-floors:legit-html"))[0]}})
    for doc in docs:
        doc["record"] = {"id": doc["name"], **doc["record"]}
    return docs


def set_digest(docs: list[dict]) -> str:
    payload = json.dumps([[d["name"], d["label"], d["record"]] for d in docs], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def measure(detector, docs: list[dict]) -> dict:
    """Per-document verdicts and the set's aggregate figures."""
    verdicts = list(detector.score_many([d["record"] for d in docs]))
    per_doc = {d["name"]: {"label": d["label"], "predicted": v.label, "flagged": v.flagged,
                           "score": None if v.score is None else round(v.score, 4)}
               for d, v in zip(docs, verdicts)}
    n = len(docs)
    truth_flag = [d["label"] != "original" for d in docs]
    figures = {
        "documents": n,
        "flag_accuracy": sum(bool(v.flagged) == t for v, t in zip(verdicts, truth_flag)) / n,
        "label_accuracy": sum(v.label == d["label"] for v, d in zip(verdicts, docs)) / n,
        "flagged_originals": sum(bool(v.flagged) and not t for v, t in zip(verdicts, truth_flag)),
        "errors": sum(v.error is not None for v in verdicts),
    }
    return {"figures": figures, "documents": per_doc}


def pin(detector, docs: list[dict]) -> dict:
    measured = measure(detector, docs)
    figures, n = measured["figures"], len(docs)
    margin = MARGIN_DOCUMENTS / n
    return {
        "about": "Pinned by `python -m training.metric_floors --write`; checked by tests/test_metric_floors.py.",
        "model": detector.model_ref,
        "booster_sha256": booster_digest(detector),
        "set_sha256": set_digest(docs),
        "floors": {
            "flag_accuracy": math.floor((figures["flag_accuracy"] - margin) * 1000) / 1000,
            "label_accuracy": math.floor((figures["label_accuracy"] - margin) * 1000) / 1000,
            "max_flagged_originals": figures["flagged_originals"] + MARGIN_DOCUMENTS,
            "max_errors": 0,
        },
        "max_changed_documents": MAX_CHANGED_DOCUMENTS,
        "score_tolerance": SCORE_TOLERANCE,
        "measured": figures,
        "documents": measured["documents"],
    }


def booster_digest(detector) -> str:
    """The sha256 of the booster that scores, and of the deep stage's where the detector has one: the
    pinned scores hold only for exactly these trees."""
    digest = detector.model.manifest.files.get("model.ubj")
    if detector.cascade is not None:
        digest += "+" + detector.cascade.deep.manifest.files.get("model.ubj")
    return digest


def check(pinned: dict, measured: dict, *, same_model: bool) -> list[str]:
    """Every way the measured figures miss the pinned floors, as messages (empty: all floors hold)."""
    floors, figures = pinned["floors"], measured["figures"]
    problems = []
    for name in ("flag_accuracy", "label_accuracy"):
        if figures[name] < floors[name]:
            problems.append(f"{name} {figures[name]:.3f} is below its floor {floors[name]:.3f}")
    if figures["flagged_originals"] > floors["max_flagged_originals"]:
        problems.append(f"{figures['flagged_originals']} originals flagged (at most {floors['max_flagged_originals']})")
    if figures["errors"] > floors["max_errors"]:
        problems.append(f"{figures['errors']} documents failed to score")
    changed = [name for name, doc in measured["documents"].items()
               if (doc["flagged"], doc["predicted"]) != (pinned["documents"][name]["flagged"],
                                                         pinned["documents"][name]["predicted"])]
    if len(changed) > pinned["max_changed_documents"]:
        problems.append(f"{len(changed)} documents changed flag or label (at most {pinned['max_changed_documents']}): "
                        f"{changed[:6]}")
    if same_model:
        drifted = [name for name, doc in measured["documents"].items()
                   if doc["score"] is not None and abs(doc["score"] - pinned["documents"][name]["score"])
                   > pinned["score_tolerance"]]
        if drifted:
            problems.append(f"scores moved by more than {pinned['score_tolerance']} with the same model: {drifted[:6]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="Model directory or name [the bundled default].")
    parser.add_argument("--write", action="store_true", help=f"Rewrite {FLOORS_FILE.relative_to(REPO)}.")
    args = parser.parse_args(argv)
    from spindetect import Detector

    detector = Detector.load(args.model)
    docs = floor_set()
    if args.write:
        pinned = pin(detector, docs)
        FLOORS_FILE.write_text(json.dumps(pinned, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps(pinned["measured"], indent=1))
        print(f"wrote {FLOORS_FILE}", file=sys.stderr)
        return 0
    measured = measure(detector, docs)
    print(json.dumps(measured["figures"], indent=1))
    if FLOORS_FILE.exists():
        pinned = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
        same = pinned["booster_sha256"] == booster_digest(detector)
        for problem in check(pinned, measured, same_model=same):
            print(f"floor missed: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
