"""Retraining on a spinner the model never saw: recall on new pages of it, before and after, in each mode.

    python -m benchmarks.retrain_spinner [--family handbook] [--pages 100] [--originals paired|other]
        [--modes fast,default,deep] [--models base,retrained] [--keep DIR | --retrained DIR]

(`--keep` saves the retrained model; `--retrained` measures a kept one instead of retraining, with the same
options, so a slow mode can be measured in a second run.)

A labelled batch of `--pages` pages spun by a held-out family (30-60% substitution) plus `--pages`
originals, all from BBC `train`-split articles. With `--originals paired` (the default) the originals are
the spun pages' own, in the same groups, so `train` can learn the spinner's substitutions (its fingerprint,
`spindetect.features.fingerprint`); with `other` they are other articles, and no fingerprint can be learned.
`train --base default` on the batch (refitting the fast model and, beside it, the deep stage); then recall
on `--pages` new pages of that family spun from `test`-split articles at 30-60% and at 15%, and false
positives on `--measure-originals` other test-split articles and on the real pages of test sites (HTML),
for the base and the retrained model in each mode. Nothing from the corpora is kept. Prints a Markdown
table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import numpy as np

from spindetect import Detector
from spindetect.learn import read_batch
from spindetect.learn._retrain import retrain
from spindetect.model import load_model
from training.generators.spinners import spin
from training.jsonl import read_jsonl
from training.splits import corpora_dir, site_split, split_of

RATES = (0.3, 0.45, 0.6)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="handbook")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--originals", choices=("paired", "other"), default="paired")
    parser.add_argument("--measure-originals", type=int, default=300)
    parser.add_argument("--modes", default="fast,default,deep")
    parser.add_argument("--models", default="base,retrained", help="which rows to measure")
    parser.add_argument("--keep", type=Path, help="save the retrained model here (to measure it again later)")
    parser.add_argument("--retrained", type=Path,
                        help="measure this model, kept by an earlier run of the same options, instead of retraining")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = list(read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl"))
    by_split = {name: [a for a in articles if split_of(f"bbc:{a['id']}") == name] for name in ("train", "test")}
    n = args.pages
    train, test = by_split["train"][: 2 * n], by_split["test"][: n + args.measure_originals]

    def spins(docs, rates=RATES):
        return [spin(a["text"], args.family, rates[i % len(rates)], rng).text for i, a in enumerate(docs)]

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as out:
            for i, text in enumerate(spins(train[:n])):
                out.write(json.dumps({"id": f"s{i}", "text": text, "label": "spun", "group": f"g{i}"}) + "\n")
            originals = train[:n] if args.originals == "paired" else train[n:2 * n]
            for i, article in enumerate(originals):
                group = f"g{i}" if args.originals == "paired" else f"h{i}"
                out.write(json.dumps({"id": f"o{i}", "text": article["text"], "label": "original",
                                      "group": group}) + "\n")
        base = load_model(None)
        if args.retrained is not None:
            retrained = load_model(args.retrained)
        else:
            out = args.keep or Path(tmp) / "model"
            # Without a slow mode to measure, the deep stage is not refitted (its language-model pass over the
            # batch is most of a retrain's time).
            deep = bool({"default", "deep"} & set(args.modes.split(",")))
            retrained = load_model(retrain(read_batch([batch]), out, base=base, seed=args.seed, progress=False,
                                           deep_stage=deep).path)
        new_spins, low_spins = spins(test[:n]), spins(test[:n], rates=(0.15,))
        new_originals = [a["text"] for a in test[n:n + args.measure_originals]]
        pages = [{"id": r["id"], "html": r["html"]} for r in read_jsonl(corpora_dir() / "pages" / "real-pages.jsonl")
                 if site_split(r["site"]) == "test"]
        fingerprint = retrained.manifest.training.get("fingerprint")
        print(f"{n} {args.family} spins (rates {RATES}) + {n} originals ({args.originals}) retrained on; "
              f"fingerprint learned: {fingerprint}. Measured on {n} new spins at those rates and {n} at 0.15, "
              f"{len(new_originals)} other test-split originals and {len(pages)} real pages of test sites\n")
        print("| model | mode | recall, new spins 30-60% | recall, 15% | flagged: originals | flagged: real pages |")
        print("|---|---|---|---|---|---|")
        for name, model in (("base", base), ("retrained", retrained)):
            if name not in args.models.split(","):
                continue
            for mode in args.modes.split(","):
                detector = Detector(model, mode=mode)
                row = [np.mean([v.flagged for v in detector.score_many(docs)])
                       for docs in (new_spins, low_spins, new_originals, pages)]
                print(f"| {name} ({model.ref}) | {mode} | " + " | ".join(f"{x:.3f}" for x in row) + " |",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
