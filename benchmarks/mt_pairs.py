"""Machine translation from languages a reader never saw: leave one source language out, over WMT21-23.

    python -m benchmarks.mt_pairs [--c 0.5] [--fast-sample 60] [--probe-cap 120] [--flag-sample 50]
                                  [--bbc-negatives 400] [--out build/mt_pairs.json]

Documents: every English version in `wmt22-docs.jsonl` and `wmt-more-docs.jsonl` (`training.wmt`): machine
translations by each year's systems (GPT-4 among WMT23's), human references, and WMT22's original English;
plus BBC articles of the test split as original English news. Per source language (cs, de, ha, he, is, ru,
zh), a fold trains on the other six and measures on it (`training.wmt.leave_one_language_out`).

Readers, each a document score (higher = more machine-translated):
- `europarl skeleton (shipped)`: the translation family's Europarl model (`machine_translation`, trained
  on German only), the mean sentence log-odds;
- `news skeleton (shipped)`: its WMT22 news model (`news_machine_translation`, trained on cs, de and ru:
  figures on those languages are not held out, and are marked "seen");
- `news skeleton, language held out (C=...)`: the same masked-n-gram model (`training.learn_style_lexicons`)
  fitted per fold on the other languages' documents of every year (machine translations capped at
  `--mt-cap` per year and language by a hash of document and system; all human translations; original
  English of the training half; with `--bbc-negatives`, that many BBC train-split articles too);
- `fast model P(translated) (shipped)`: the bundled detector's `--fast` probability, on `--fast-sample`
  machine translations per pair-year and every human translation and original ("seen" as above);
- with `--probe-cap`, the language model's translation probe (the mean final hidden state over the first
  window, int8): as shipped ("seen" as above), and refitted per fold with its C chosen leave-one-language-out
  inside the six; both on a sample of `--probe-cap` machine translations per pair-year, every GPT-4 one and
  every human translation and original (the table's document counts are the full ones). The states are
  cached by text digest (`--states`).

Prints, per pair-year, AUC of machine against human translation for each reader, GPT-4's translations
against human ones, and machine translation against original English (WMT22's held-out half and BBC);
with `--flag-sample`, what the default mode flags per pair-year. Nothing is chosen on these figures but
what a reader's own C grid says. Asserts nothing; nothing from the corpora is written (only scores, to
`--out`).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from training.wmt import LLM_SYSTEMS, WmtDocument, languages, leave_one_language_out, load_wmt

FAST_SEEN = frozenset({"cs", "de", "ru"})  # WMT22 pairs the shipped news skeleton and fast model trained on


def _auc(positive, negative) -> float:
    from sklearn.metrics import roc_auc_score

    positive = [p for p in positive if not math.isnan(p)]
    negative = [n for n in negative if not math.isnan(n)]
    if not positive or not negative:
        return math.nan
    return float(roc_auc_score(np.r_[np.ones(len(positive)), np.zeros(len(negative))], np.r_[positive, negative]))


def capped(documents: list[WmtDocument], cap: int) -> list[WmtDocument]:
    """Every human translation and original; at most `cap` machine translations per year and language,
    the first by a hash of (document, system), so they spread over the documents and the systems alike (a
    sample of few documents would measure their topics)."""
    from spindetect.learn import hash_bucket

    by_key = defaultdict(list)
    out = []
    for d in documents:
        if d.label == "machine_translation":
            by_key[(d.year, d.language)].append(d)
        else:
            out.append(d)
    for docs in by_key.values():
        out += sorted(docs, key=lambda d: hash_bucket(f"mt-sample:{d.doc}:{d.system}"))[:cap]
    return out


class Skeletons:
    """Each document's masked sentences, n-grammed once, so every skeleton model scores them by lookups."""

    def __init__(self, texts: dict[str, str]) -> None:
        from spindetect.features.translation import ngrams
        from training.learn_style_lexicons import MT_MASKING, NGRAM_ORDER, split_and_mask

        self.grams = {key: [ngrams(tokens, NGRAM_ORDER) for tokens in split_and_mask(MT_MASKING, text)]
                      for key, text in texts.items()}

    def score(self, model, key: str) -> float:
        sentences = self.grams[key]
        if not sentences:
            return math.nan
        weights, intercept = model.weights, model.intercept
        return float(np.mean([intercept + sum(weights.get(g, 0.0) for g in grams) / math.sqrt(len(grams))
                              for grams in sentences]))


def fit_skeleton(documents: list[WmtDocument], c: float):
    from training.learn_style_lexicons import MT_MASKING, fit_style_model

    sentences, labels = [], []
    for d in documents:
        sentences.append(d.text)
        labels.append(int(d.label == "machine_translation"))
    return fit_style_model(MT_MASKING, sentences, labels, c)


def bbc_originals(limit: int, split: str = "test") -> list[WmtDocument]:
    from training.jsonl import read_jsonl
    from training.splits import bbc_split, corpora_dir

    out = []
    for row in read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl"):
        if bbc_split(row) == split:
            out.append(WmtDocument(f"bbc-{split}", "en", row["id"], "bbc", "original_english", row["text"]))
    return sorted(out, key=lambda d: d.doc)[:limit]


def verdicts(documents: list[WmtDocument], mode: str) -> list:
    """The bundled detector's records, in `mode`."""
    from spindetect import Detector

    detector = Detector.load(mode=mode)
    return list(detector.score_many({"id": str(i), "text": d.text} for i, d in enumerate(documents)))


def fast_probabilities(documents: list[WmtDocument]) -> list[float]:
    return [v.probabilities.get("translated", math.nan) if v.error is None else math.nan
            for v in verdicts(documents, "fast")]


def flag_table(documents: list[WmtDocument], per_pair_year: int) -> list[str]:
    """What a user sees at the default threshold in the default mode: per pair-year, the share of machine
    translations labelled `translated` (and flagged at all), of human translations flagged, of originals
    flagged; on up to `per_pair_year` documents of each kind (the first by a hash of document and system)."""
    from spindetect.learn import hash_bucket

    groups = defaultdict(list)
    for d in documents:
        kind = "GPT-4" if d.system in LLM_SYSTEMS else d.label
        groups[(d.pair_year if d.year != "bbc-test" else "BBC news (test split)", kind)].append(d)
    chosen = {key: sorted(docs, key=lambda d: hash_bucket(f"flag-sample:{d.doc}:{d.system}"))[:per_pair_year]
              for key, docs in groups.items()}
    flat = [d for docs in chosen.values() for d in docs]
    records = dict(zip(map(id, flat), verdicts(flat, "default")))
    header = ("| pair-year | MT labelled translated (flagged) | GPT-4 labelled translated | "
              "human translations flagged | n (MT / GPT-4 / human) |")
    lines = [header, "|---|---|---|---|---|"]
    for pair_year in sorted({p for p, _ in chosen}, key=lambda p: (p.split()[-1], p)):
        cells, counts = [], []
        for kind in ("machine_translation", "GPT-4", "human_translation", "original_english"):
            docs = chosen.get((pair_year, kind), [])
            counts.append(len(docs))
            if not docs:
                cells.append("—")
                continue
            labelled = np.mean([records[id(d)].label == "translated" for d in docs])
            flagged = np.mean([bool(records[id(d)].flagged) for d in docs])
            cells.append(f"{labelled:.3f} ({flagged:.3f})" if kind in ("machine_translation", "GPT-4")
                         else f"{flagged:.3f}")
        if counts[3]:  # original English: its own row shape
            lines.append(f"| {pair_year} (originals flagged) | — | — | {cells[3]} | {counts[3]} |")
        else:
            lines.append(f"| {pair_year} | {cells[0]} | {cells[1]} | {cells[2]} | "
                         f"{counts[0]} / {counts[1]} / {counts[2]} |")
    return lines


def probe_scores(documents: list[WmtDocument], sample: list[int], cache: Path) -> dict[str, dict[int, float]]:
    """The translation probe's reader (`training.fit_translation_probe`: a logistic probe on the language
    model's mean hidden state over the first window, int8 as scoring reads it): the shipped probe (trained
    on WMT22 cs, de and ru), and the probe fitted per fold on the other languages' sampled documents, its C
    chosen by leave-one-language-out inside them."""
    from spindetect.io import as_input_item
    from spindetect.lm import SCORING_PRECISION, language_model
    from spindetect.pipeline import prepare_document
    from training.fit_translation_probe import choose_C, fit, state_means

    texts = [prepare_document(as_input_item(documents[i].text, str(i))).text for i in sample]
    X = state_means(texts, cache, SCORING_PRECISION)
    chosen = [documents[i] for i in sample]
    row_of = {id(d): r for r, d in enumerate(chosen)}
    y = np.array([d.label == "machine_translation" for d in chosen], dtype=int)
    shipped = language_model().translation_probe.log_odds_of(X)
    out = {}
    for language in languages(chosen):
        train, measured = leave_one_language_out(chosen, language)
        # BBC test articles are never trained on: always measured
        measured = [d for d in measured if d.year != "bbc-test"] + [d for d in chosen if d.year == "bbc-test"]
        train = [d for d in train if d.year != "bbc-test"]
        rows = np.array([row_of[id(d)] for d in train])
        C, _ = choose_C(X[rows], y[rows], np.array([d.language for d in train]), tuple(languages(train)))
        probe = fit(X[rows], y[rows], C)
        measured_rows = [row_of[id(d)] for d in measured]
        for r, value in zip(measured_rows, probe.log_odds_of(X[measured_rows])):
            out[sample[r]] = float(value)
        print(f"  probe without {language}: C={C}", flush=True)
    return {"language-model probe (shipped)": dict(zip(sample, map(float, shipped))),
            "language-model probe, language held out": out}


def translations_by_pair_year(documents: list[WmtDocument], measured=lambda i: True):
    """(pair-year, machine translations, human translations) as document indices, by language then year,
    for every pair-year that has both; `measured(i)` picks the machine translations that count."""
    by_pair = defaultdict(lambda: defaultdict(list))
    for i, d in enumerate(documents):
        if d.language != "en" and (d.label != "machine_translation" or measured(i)):
            by_pair[d.pair_year][d.label].append(i)
    for pair_year in sorted(by_pair, key=lambda p: (p.split()[1], p.split()[0])):
        mt, ht = by_pair[pair_year]["machine_translation"], by_pair[pair_year]["human_translation"]
        if mt and ht:
            yield pair_year, mt, ht


def table(documents: list[WmtDocument], scores: dict[str, dict[int, float]], originals: list[int]) -> list[str]:
    readers = list(scores)
    lines = ["| pair-year | MT / HT docs | " + " | ".join(readers) + " |", "|---|---|" + "---|" * len(readers)]
    summary = defaultdict(list)
    for pair_year, mt, ht in translations_by_pair_year(documents):
        cells = []
        for reader in readers:
            s = scores[reader]
            auc = _auc([s[i] for i in mt if i in s], [s[i] for i in ht if i in s])
            seen = pair_year.split()[1][:2] in FAST_SEEN and "(shipped)" in reader and "europarl" not in reader
            cells.append("—" if math.isnan(auc) else f"{auc:.3f}{' (seen)' if seen else ''}")
            if not seen and not math.isnan(auc):
                summary[reader].append(auc)
        lines.append(f"| {pair_year} | {len(mt)} / {len(ht)} | " + " | ".join(cells) + " |")
    lines.append("| **mean over pair-years not seen** | | " + " | ".join(
        f"**{np.mean(summary[r]):.3f}** ({len(summary[r])})" if summary[r] else "—" for r in readers) + " |")
    lines.append("| **lowest** | | " + " | ".join(
        f"{min(summary[r]):.3f}" if summary[r] else "—" for r in readers) + " |")
    gpt = [i for i, d in enumerate(documents) if d.system in LLM_SYSTEMS]
    gpt_ht = [i for i, d in enumerate(documents) if d.label == "human_translation" and d.year == "wmt23"]
    lines.append(f"| GPT-4 (WMT23) against WMT23 human translations | {len(gpt)} / {len(gpt_ht)} | " + " | ".join(
        f"{_auc([scores[r][i] for i in gpt if i in scores[r]], [scores[r][i] for i in gpt_ht if i in scores[r]]):.3f}"
        for r in readers) + " |")
    all_mt = [i for i, d in enumerate(documents) if d.label == "machine_translation"]
    lines.append(f"| all MT against original English (WMT22 measured half, BBC test) | {len(all_mt)} / "
                 f"{len(originals)} | " + " | ".join(
                     f"{_auc([scores[r][i] for i in all_mt if i in scores[r]], [scores[r][i] for i in originals if i in scores[r]]):.3f}"
                     for r in readers) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mt-cap", type=int, default=400)
    parser.add_argument("--c", type=float, nargs="*", default=[0.1, 0.5, 2.0])
    parser.add_argument("--fast-sample", type=int, default=60, help="MT docs per pair-year the fast model scores; 0: skip")
    parser.add_argument("--bbc", type=int, default=300, help="BBC test-split articles measured as original English")
    parser.add_argument("--bbc-negatives", type=int, default=0,
                        help="BBC train-split articles the language-held-out skeletons also train on as original English")
    parser.add_argument("--probe-cap", type=int, default=0,
                        help="MT docs per pair-year the language-model probe reads (and every GPT-4 one); 0: skip")
    parser.add_argument("--flag-sample", type=int, default=0,
                        help="documents of each kind per pair-year scored in the default mode; 0: skip")
    parser.add_argument("--states", type=Path, default=Path("build/mt_pairs_states.int8.npz"))
    parser.add_argument("--out", type=Path, default=Path("build/mt_pairs.json"))
    args = parser.parse_args()

    from spindetect.features.translation import lexicons

    started = time.perf_counter()
    documents = load_wmt() + bbc_originals(args.bbc)
    print(f"{len(documents)} documents; languages measured: {', '.join(languages(documents))}", flush=True)
    skeletons = Skeletons({i: d.text for i, d in enumerate(documents)})
    lex = lexicons()
    scores: dict[str, dict[int, float]] = {
        "europarl skeleton (shipped)": {i: skeletons.score(lex.machine_translation, i) for i in range(len(documents))},
        "news skeleton (shipped)": {i: skeletons.score(lex.news_machine_translation, i) for i in range(len(documents))},
    }
    index = {id(d): i for i, d in enumerate(documents)}
    # Original English no fold trains on: WMT22's measured half (the same in every fold) and the BBC test articles.
    measured_ids = {id(d) for d in leave_one_language_out(documents, languages(documents)[0])[1]}
    originals = sorted(index[id(d)] for d in documents
                       if d.language == "en" and (d.year == "bbc-test" or id(d) in measured_ids))
    for c in args.c:
        name = f"news skeleton, language held out (C={c:g}{', BBC negatives' if args.bbc_negatives else ''})"
        scores[name] = {}
        for language in languages(documents):
            train, measured = leave_one_language_out(documents, language)
            negatives = bbc_originals(args.bbc_negatives, "train") if args.bbc_negatives else []
            model = fit_skeleton(capped([d for d in train if d.year != "bbc-test"], args.mt_cap) + negatives, c)
            # BBC test articles are never trained on: always measured
            measured += [d for d in train if d.year == "bbc-test"]
            for d in measured:
                scores[name][index[id(d)]] = skeletons.score(model, index[id(d)])
        print(f"  C={c:g} done ({time.perf_counter() - started:.0f} s)", flush=True)
    if args.fast_sample:
        sample = [i for i in range(len(documents)) if documents[i].label != "machine_translation"]
        sample += [index[id(d)] for d in capped([d for d in documents if d.label == "machine_translation"],
                                                 args.fast_sample)]
        sample = sorted(set(sample))
        probabilities = fast_probabilities([documents[i] for i in sample])
        scores["fast model P(translated) (shipped)"] = dict(zip(sample, probabilities))
    if args.probe_cap:
        machine = [d for d in documents if d.label == "machine_translation"]
        sample = [i for i in range(len(documents)) if documents[i].label != "machine_translation"]
        sample += [index[id(d)] for d in capped(machine, args.probe_cap)]
        sample += [index[id(d)] for d in machine if d.system in LLM_SYSTEMS]
        scores.update(probe_scores(documents, sorted(set(sample)), args.states))
    lines = table(documents, scores, originals)
    print("\nAUC, machine translation against human translation of the same documents, per pair-year "
          f"(`python -m benchmarks.mt_pairs`, {time.perf_counter() - started:.0f} s)\n")
    print("\n".join(lines))
    if args.flag_sample:
        print(f"\nAt the default threshold, default mode (`--flag-sample {args.flag_sample}`)\n")
        print("\n".join(flag_table(documents, args.flag_sample)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "documents": [{"year": d.year, "language": d.language, "doc": d.doc, "system": d.system, "label": d.label}
                      for d in documents],
        "scores": {r: {str(i): v for i, v in s.items()} for r, s in scores.items()}}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
