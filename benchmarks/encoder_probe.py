"""A linear probe on the multilingual encoder's embeddings: machine translation from languages never seen,
and LLM rewrites by generators never seen.

    OMP_NUM_THREADS=2 nice -n 10 python -m benchmarks.encoder_probe [--mt-cap 50] [--gpt4-cap 50]
        [--ht-cap 50] [--bbc 120] [--bbc-negatives 0] [--reps lead sentences] [--llm] [--llm-reps lead]
        [--llm-train-originals 200] [--llm-train-rewrites 300] [--llm-measured-originals 200]
        [--no-fast] [--cache build/encoder_probe]

What it measures. Each document is one vector of multilingual-e5-small (`spindetect.encoder`), in one of
two representations: `lead`, the encoder's document vector (`Encoder.documents`: the first 1,500
characters as one input), and `sentences`, the mean of the vectors of its sentences
(`index.meaning.meaning_sentences`, the first MAX_SENTENCES of them; not renormalised). A logistic
regression on standardised vectors (`training.fit_translation_probe.fit`, the language-model probe's own
fitting) reads them.

WMT (`training.wmt`): every pair-year into English of WMT21-23, sampled as `benchmarks.mt_pairs` samples
(`capped`: at most `--mt-cap` machine translations per year and language, the first by a hash of document
and system, GPT-4's among them), plus up to `--gpt4-cap` GPT-4 translations per pair-year and up to
`--ht-cap` human translations per pair-year (first by a hash of document and system), all of WMT22's
original English and `--bbc` BBC test-split articles (`mt_pairs.bbc_originals`). Per source language L
(`training.wmt.languages`), a fold trains on every other language's documents of every year plus the
training half of WMT22's original English (`training.wmt.leave_one_language_out`; label 1 = machine
translation, 0 = human translation or original), with C chosen on the training languages only: the C of
C_GRID with the best mean AUC (machine against human translation) over an inner leave-one-language-out
(`training.fit_translation_probe.leave_one_pair_out`). It is measured on L's documents and on the
original English no fold trains on (WMT22's measured half, the BBC test articles). With
`--bbc-negatives N`, a second probe per representation also trains on N BBC train-split articles as
original English (as `mt_pairs --bbc-negatives` does for its skeleton). Printed per pair-year
and per held-out language: AUC machine against human translation, GPT-4's translations against human
ones (WMT23), machine translation against original English; beside them the shipped fast model's
P(translated) on the same documents (`mt_pairs.fast_probabilities`; "(seen)" marks WMT22's cs, de and
ru, which it trained on).

LLM rewrites (`--llm`): LLMFake (`llm-rewrites/`), paraphrases and rewrites (`story_bench.LLM_METHODS`,
at least MIN_LLM_REWRITE_WORDS words). Trained on originals of the `train` split (`split_of`) against
rewrites of them by generators that are not held out (`is_heldout_generator`), C chosen by leave one
generator out among those; measured on the held-out generators' rewrites (vicuna-v1.3_33b, llama2_70b)
against originals, of the `test` split and of every split not trained on (test, calib, reference). AUC,
and recall at the score above which 1% of those originals fall.

Embeddings are cached under `--cache` (one .npz per representation, keyed by a digest of the encoder's
name, the representation and the text), so a rerun only embeds what is new. Asserts nothing; writes no
corpus text (only vectors and digests).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from benchmarks.mt_pairs import (
    FAST_SEEN, _auc, bbc_originals, capped, fast_probabilities, translations_by_pair_year,
)
from training.wmt import LLM_SYSTEMS, WmtDocument, languages, leave_one_language_out, load_wmt

REPRESENTATIONS = ("lead", "sentences")
MAX_SENTENCES = 40  # sentences averaged per document (cost: each is one encoder input)
C_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
SAVE_EVERY = 40  # documents embedded between writes of the cache


# ---------------------------------------------------------------------------------------------- embeddings

class Cache:
    """Vectors of one representation, by digest, in `<folder>/<representation>.npz`."""

    def __init__(self, folder: Path, representation: str) -> None:
        from spindetect.encoder import encoder

        self.path = folder / f"{representation}.npz"
        self.prefix = f"{encoder().name}\0{representation}\0"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))

    def key(self, text: str) -> str:
        return hashlib.sha256((self.prefix + text).encode("utf-8")).hexdigest()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(self.vectors)), vectors=np.array(list(self.vectors.values())))
        tmp.replace(self.path)


def _vector(text: str, representation: str) -> np.ndarray:
    from spindetect.encoder import encoder
    from spindetect.index.meaning import meaning_sentences

    if representation == "lead":
        return encoder().document(text)
    sentences = meaning_sentences(text)[:MAX_SENTENCES]
    if not sentences:  # no sentence of MIN_SENTENCE_CHARS: the lead stands for it
        return encoder().document(text)
    return encoder().sentences(sentences).mean(axis=0)


def embed(texts: list[str], representation: str, folder: Path) -> tuple[np.ndarray, float, int]:
    """(vectors, seconds spent embedding, documents embedded now) of `texts`, from and into the cache."""
    cache = Cache(folder, representation)
    keys = [cache.key(t) for t in texts]
    missing = {k: t for k, t in zip(keys, texts) if k not in cache.vectors}
    started = time.perf_counter()
    for done, (k, t) in enumerate(missing.items(), 1):
        cache.vectors[k] = _vector(t, representation).astype(np.float32)
        if done % SAVE_EVERY == 0 or done == len(missing):
            cache.save()
            print(f"  {representation}: {done}/{len(missing)} embedded ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    return np.array([cache.vectors[k] for k in keys], dtype=np.float64), time.perf_counter() - started, len(missing)


# ----------------------------------------------------------------------------------------------------- WMT

def _first(docs: list[WmtDocument], cap: int, salt: str) -> list[WmtDocument]:
    from spindetect.learn import hash_bucket

    return sorted(docs, key=lambda d: hash_bucket(f"{salt}:{d.doc}:{d.system}"))[:cap]


def wmt_sample(mt_cap: int, gpt4_cap: int, ht_cap: int, bbc: int,
               bbc_negatives: int = 0) -> tuple[list[WmtDocument], set[int]]:
    """The documents read: `capped` machine translations (as mt_pairs samples them), up to `gpt4_cap` GPT-4
    ones and `ht_cap` human ones per pair-year, WMT22's original English and `bbc` BBC test articles; and
    the indices of the `capped` machine translations (their systems in the proportions the corpus has:
    "machine translation" is measured on them, GPT-4 apart on every GPT-4 one)."""
    documents = load_wmt()
    machine = [d for d in documents if d.label == "machine_translation"]
    chosen = capped(machine, mt_cap)
    in_cap = {id(d) for d in chosen}
    by_pair = defaultdict(list)
    for d in documents:
        if d.system in LLM_SYSTEMS:
            by_pair[(d.pair_year, "gpt4")].append(d)
        elif d.label == "human_translation":
            by_pair[(d.pair_year, "human")].append(d)
    for (_, kind), docs in sorted(by_pair.items()):
        chosen += _first(docs, gpt4_cap if kind == "gpt4" else ht_cap, f"encoder-probe-{kind}")
    chosen += [d for d in documents if d.label == "original_english"]
    chosen += bbc_originals(bbc)
    chosen += bbc_originals(bbc_negatives, "train") if bbc_negatives else []
    unique = {}
    for d in chosen:
        unique.setdefault((d.year, d.pair, d.doc, d.system, d.label), d)
    out = list(unique.values())
    return out, {i for i, d in enumerate(out) if id(d) in in_cap}


def probe_folds(documents: list[WmtDocument], X: np.ndarray,
                bbc_negatives: bool = False) -> tuple[dict[int, dict[str, float]], dict[str, float]]:
    """Per held-out language, the fold's scores ({document index: log-odds}, over the held-out language's
    documents and the original English no fold trains on), and the C each fold chose. With `bbc_negatives`,
    every fold also trains on the BBC train-split articles of the sample (never measured)."""
    from training.fit_translation_probe import fit, leave_one_pair_out

    y = np.array([d.label == "machine_translation" for d in documents], dtype=int)
    index = {id(d): i for i, d in enumerate(documents)}
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    chosen_C = {}
    for language in languages(documents):
        train, measured = leave_one_language_out(documents, language)
        # BBC test articles are never trained on (as in mt_pairs): always measured
        measured = [d for d in measured if d.year != "bbc-test"] + [d for d in documents if d.year == "bbc-test"]
        measured = [d for d in measured if d.year != "bbc-train"]
        train = [d for d in train if d.year != "bbc-test" and d.year != "bbc-train"]
        train += [d for d in documents if d.year == "bbc-train"] if bbc_negatives else []
        rows = np.array([index[id(d)] for d in train])
        groups = np.array([d.language for d in train])
        inner = tuple(languages(train))
        mean_auc = {C: float(np.mean(list(leave_one_pair_out(X[rows], y[rows], groups, C, inner).values())))
                    for C in C_GRID}
        C = max(C_GRID, key=lambda c: mean_auc[c])
        chosen_C[language] = C
        probe = fit(X[rows], y[rows], C)
        measured_rows = np.array([index[id(d)] for d in measured])
        for r, value in zip(measured_rows, probe.log_odds_of(X[measured_rows])):
            scores[int(r)][language] = float(value)
        print(f"    without {language}: C={C} (inner mean AUC {mean_auc[C]:.3f})", flush=True)
    return scores, chosen_C


def _held_out_score(documents, scores, i):
    """A translation's score by the fold that held its language out."""
    return scores[i].get(documents[i].language, math.nan)


def _fmt(value: float, seen: bool = False) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.3f}{' (seen)' if seen else ''}"


def wmt_tables(documents: list[WmtDocument], in_cap: set[int],
               readers: dict[str, dict[int, dict[str, float]] | dict[int, float]],
               chosen_C: dict[str, dict[str, float]]) -> list[str]:
    """Markdown: per pair-year AUC machine vs human; per held-out language MT vs HT, GPT-4 vs HT, MT vs
    original English (per reader)."""
    def score(reader, i, language):
        s = readers[reader]
        value = s.get(i)
        if isinstance(value, dict):  # a probe: the fold of `language`
            return value.get(language, math.nan)
        return math.nan if value is None else value

    names = list(readers)
    originals = [i for i, d in enumerate(documents) if d.language == "en" and d.year != "bbc-train"
                 and all(not math.isnan(score(r, i, languages(documents)[0])) for r in names)]
    lines = ["Per pair-year: AUC of machine against human translation (the probe: the fold that held the "
             "language out)", "",
             "| pair-year | MT / HT docs | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    summary = defaultdict(list)
    for pair_year, mt, ht in translations_by_pair_year(documents, measured=in_cap.__contains__):
        language = pair_year.split()[1][:2]
        cells = []
        for r in names:
            auc = _auc([score(r, i, language) for i in mt], [score(r, i, language) for i in ht])
            seen = "shipped" in r and language in FAST_SEEN
            cells.append(_fmt(auc, seen))
            summary[r, "all"].append(auc)
            if language not in FAST_SEEN:
                summary[r, "unseen"].append(auc)
        lines.append(f"| {pair_year} | {len(mt)} / {len(ht)} | " + " | ".join(cells) + " |")
    lines.append("| **mean, every pair-year** | | " + " | ".join(
        f"**{np.nanmean(summary[r, 'all']):.3f}** ({len(summary[r, 'all'])})" for r in names) + " |")
    lines.append("| **mean over ha, he, is, zh (never seen by the shipped readers)** | | " + " | ".join(
        f"**{np.nanmean(summary[r, 'unseen']):.3f}** ({len(summary[r, 'unseen'])})" for r in names) + " |")
    lines.append("| **lowest** | | " + " | ".join(f"{np.nanmin(summary[r, 'all']):.3f}" for r in names) + " |")

    lines += ["", "Per held-out language (every year pooled): AUC machine vs human translation / GPT-4 (WMT23) vs "
              f"WMT23 human translation / machine translation vs original English ({len(originals)} originals: "
              "WMT22's measured half and BBC test articles, scored by the same fold)", "",
              "| held out | MT / GPT-4 / HT docs | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    per_reader = defaultdict(lambda: defaultdict(list))
    for language in languages(documents):
        mt_all = [i for i, d in enumerate(documents) if d.language == language and i in in_cap]
        gpt = [i for i, d in enumerate(documents) if d.language == language and d.system in LLM_SYSTEMS]
        ht = [i for i, d in enumerate(documents) if d.language == language and d.label == "human_translation"]
        ht23 = [i for i in ht if documents[i].year == "wmt23"]
        cells = []
        for r in names:
            a = _auc([score(r, i, language) for i in mt_all], [score(r, i, language) for i in ht])
            g = _auc([score(r, i, language) for i in gpt], [score(r, i, language) for i in ht23])
            o = _auc([score(r, i, language) for i in mt_all], [score(r, i, language) for i in originals])
            for name, v in (("mt", a), ("gpt", g), ("orig", o)):
                if not math.isnan(v):
                    per_reader[r][name].append(v)
            seen = "shipped" in r and language in FAST_SEEN
            C = f" C={chosen_C[r][language]:g}" if r in chosen_C else ""
            cells.append(f"{_fmt(a)} / {_fmt(g)} / {_fmt(o)}{' (seen)' if seen else ''}{C}")
        lines.append(f"| {language} | {len(mt_all)} / {len(gpt)} / {len(ht)} | " + " | ".join(cells) + " |")
    lines.append("| **mean** | | " + " | ".join(
        " / ".join(f"**{np.mean(per_reader[r][k]):.3f}**" if per_reader[r][k] else "—" for k in ("mt", "gpt", "orig"))
        for r in names) + " |")
    return lines


# ------------------------------------------------------------------------------------------- LLM rewrites

def llm_sample(train_originals: int, train_rewrites: int, measured_originals: int):
    """(rows, each {"text", "label" 1 = rewrite, "split", "generator", "role" train/measured}) of LLMFake."""
    from benchmarks.story_bench import LLM_METHODS, MIN_LLM_REWRITE_WORDS
    from spindetect.learn import hash_bucket
    from training.jsonl import read_jsonl
    from training.splits import corpora_dir, is_heldout_generator, split_of

    folder = corpora_dir() / "llm-rewrites"
    originals = {r["original_key"]: r["text"] for r in read_jsonl(folder / "llmfake-originals.jsonl")}
    split = {k: split_of(f"llmfake:{k}") for k in originals}
    rows = []
    train_o = sorted((k for k in originals if split[k] == "train"), key=lambda k: hash_bucket(f"ep-o:{k}"))
    other_o = sorted((k for k in originals if split[k] != "train"),
                     key=lambda k: (split[k] != "test", hash_bucket(f"ep-o:{k}")))  # every test one first
    rows += [{"text": originals[k], "label": 0, "split": "train", "generator": "original", "role": "train"}
             for k in train_o[:train_originals]]
    rows += [{"text": originals[k], "label": 0, "split": split[k], "generator": "original", "role": "measured"}
             for k in other_o[:measured_originals]]
    seen, held = [], []
    for row in read_jsonl(folder / "llmfake-rewrites.jsonl"):
        key = row.get("original_key")
        if row["method"] not in LLM_METHODS or key not in originals or len(row["text"].split()) < MIN_LLM_REWRITE_WORDS:
            continue
        if is_heldout_generator(f"llm:{row['generator']}"):
            if split[key] != "train":
                held.append(row)
        elif split[key] == "train":
            seen.append(row)
    seen.sort(key=lambda r: hash_bucket(f"ep-r:{r['original_key']}:{r['generator']}:{r['method']}:{r['text'][:50]}"))
    rows += [{"text": r["text"], "label": 1, "split": "train", "generator": r["generator"], "role": "train"}
             for r in seen[:train_rewrites]]
    rows += [{"text": r["text"], "label": 1, "split": split[r["original_key"]], "generator": r["generator"],
              "role": "measured"} for r in held]
    return rows


def recall_at_fpr(positive, negative, fpr: float = 0.01) -> float:
    positive = [p for p in positive if not math.isnan(p)]
    negative = [n for n in negative if not math.isnan(n)]
    if not positive or not negative:
        return math.nan
    threshold = np.quantile(np.asarray(negative), 1 - fpr)
    return float(np.mean(np.asarray(positive) > threshold))


def llm_table(rows, readers: dict[str, np.ndarray], chosen_C: dict[str, float]) -> list[str]:
    lines = ["| reader | measured on | rewrites / originals | AUC | recall at 1% of originals flagged |",
             "|---|---|---|---|---|"]
    for name, s in readers.items():
        for label, splits in (("test split", {"test"}), ("every split not trained on", {"test", "calib", "reference"})):
            pos = [s[i] for i, r in enumerate(rows) if r["role"] == "measured" and r["label"] == 1 and r["split"] in splits]
            neg = [s[i] for i, r in enumerate(rows) if r["role"] == "measured" and r["label"] == 0 and r["split"] in splits]
            C = f" (C={chosen_C[name]:g})" if name in chosen_C else ""
            lines.append(f"| {name}{C} | {label} | {len(pos)} / {len(neg)} | {_auc(pos, neg):.3f} | "
                         f"{recall_at_fpr(pos, neg):.3f} |")
    return lines


def llm_probe(rows, X: np.ndarray) -> tuple[np.ndarray, float]:
    """Scores of every row by a probe trained on the training rows, C chosen leaving one seen generator
    out (its rewrites against the originals of a hash half: originals carry no generator)."""
    from sklearn.metrics import roc_auc_score

    from spindetect.learn import hash_bucket
    from training.fit_translation_probe import fit

    y = np.array([r["label"] for r in rows])
    train = np.array([r["role"] == "train" for r in rows])
    gens = sorted({r["generator"] for r in rows if r["role"] == "train" and r["label"] == 1})
    # originals are assigned to one inner fold each (by hash), so every inner fold measures unseen originals
    fold = np.array([r["generator"] if r["label"] == 1 else gens[int(hash_bucket(f"ep-f:{r['text'][:80]}") * len(gens))]
                     for r in rows])
    best, best_auc = C_GRID[0], -1.0
    for C in C_GRID:
        aucs = []
        for g in gens:
            fit_rows = train & (fold != g)
            test_rows = train & (fold == g)
            probe = fit(X[fit_rows], y[fit_rows], C)
            aucs.append(roc_auc_score(y[test_rows], probe.log_odds_of(X[test_rows])))
        if np.mean(aucs) > best_auc:
            best, best_auc = C, float(np.mean(aucs))
    print(f"    LLM probe: C={best} (inner mean AUC {best_auc:.3f})", flush=True)
    probe = fit(X[train], y[train], best)
    return probe.log_odds_of(X), best


# -------------------------------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mt-cap", type=int, default=50)
    parser.add_argument("--gpt4-cap", type=int, default=50)
    parser.add_argument("--ht-cap", type=int, default=50)
    parser.add_argument("--bbc", type=int, default=120)
    parser.add_argument("--bbc-negatives", type=int, default=0,
                        help="BBC train-split articles a second probe per representation also trains on")
    parser.add_argument("--reps", nargs="*", default=list(REPRESENTATIONS), choices=REPRESENTATIONS)
    parser.add_argument("--no-fast", action="store_true", help="skip the shipped fast model's column")
    parser.add_argument("--no-wmt", action="store_true")
    parser.add_argument("--llm", action="store_true", help="also LLMFake rewrites by held-out generators")
    parser.add_argument("--llm-reps", nargs="*", default=["lead"], choices=REPRESENTATIONS)
    parser.add_argument("--llm-train-originals", type=int, default=200)
    parser.add_argument("--llm-train-rewrites", type=int, default=300)
    parser.add_argument("--llm-measured-originals", type=int, default=200)
    parser.add_argument("--embed-only", action="store_true", help="fill the cache and stop")
    parser.add_argument("--cache", type=Path, default=Path("build/encoder_probe"))
    args = parser.parse_args()

    started = time.perf_counter()
    if not args.no_wmt:
        documents, in_cap = wmt_sample(args.mt_cap, args.gpt4_cap, args.ht_cap, args.bbc,
                                     args.bbc_negatives)
        counts = defaultdict(int)
        for d in documents:
            counts["GPT-4" if d.system in LLM_SYSTEMS else d.label] += 1
        print(f"WMT sample: {len(documents)} documents ({dict(counts)}); --mt-cap {args.mt_cap} --gpt4-cap "
              f"{args.gpt4_cap} --ht-cap {args.ht_cap} --bbc {args.bbc} --bbc-negatives {args.bbc_negatives}", flush=True)
        vectors = {}
        for rep in args.reps:
            vectors[rep], seconds, n = embed([d.text for d in documents], rep, args.cache)
            print(f"  {rep}: {n} documents embedded in {seconds:.0f} s", flush=True)
    if args.llm:
        rows = llm_sample(args.llm_train_originals, args.llm_train_rewrites, args.llm_measured_originals)
        print(f"LLMFake sample: {sum(r['role'] == 'train' and r['label'] == 0 for r in rows)} training originals, "
              f"{sum(r['role'] == 'train' and r['label'] == 1 for r in rows)} training rewrites (seen generators), "
              f"{sum(r['role'] == 'measured' and r['label'] == 0 for r in rows)} measured originals, "
              f"{sum(r['role'] == 'measured' and r['label'] == 1 for r in rows)} held-out generators' rewrites",
              flush=True)
        llm_vectors = {}
        for rep in args.llm_reps:
            llm_vectors[rep], seconds, n = embed([r["text"] for r in rows], rep, args.cache)
            print(f"  LLMFake {rep}: {n} documents embedded in {seconds:.0f} s", flush=True)
    print(f"embedding done ({time.perf_counter() - started:.0f} s)", flush=True)
    if args.embed_only:
        return 0

    if not args.no_wmt:
        readers, chosen = {}, {}
        for rep in args.reps:
            print(f"  probe on {rep}", flush=True)
            name = f"encoder probe ({rep}), language held out"
            readers[name], chosen[name] = probe_folds(documents, vectors[rep])
            if args.bbc_negatives:
                name = f"encoder probe ({rep}), language held out, {args.bbc_negatives} BBC negatives"
                readers[name], chosen[name] = probe_folds(documents, vectors[rep], bbc_negatives=True)
        if not args.no_fast:
            readers["fast model P(translated) (shipped)"] = dict(enumerate(fast_probabilities(documents)))
        print(f"\n## WMT21-23 into English, one source language held out (`python -m benchmarks.encoder_probe`, "
              f"{time.perf_counter() - started:.0f} s)\n")
        print("\n".join(wmt_tables(documents, in_cap, readers, chosen)))
    if args.llm:
        readers, chosen = {}, {}
        for rep in args.llm_reps:
            name = f"encoder probe ({rep})"
            readers[name], chosen[name] = llm_probe(rows, llm_vectors[rep])
        if not args.no_fast:
            docs = [WmtDocument("llmfake", "en", str(i), r["generator"], "", r["text"]) for i, r in enumerate(rows)]
            score, rewritten = _fast_readings(docs)
            readers["fast model score (shipped)"] = np.array(score)
            readers["fast model P(rewritten) (shipped)"] = np.array(rewritten)
        print("\n## LLMFake: held-out generators' rewrites against originals\n")
        print("\n".join(llm_table(rows, readers, chosen)))
    return 0


def _fast_readings(documents) -> tuple[list[float], list[float]]:
    """The fast model's verdict score (what its held-out table's AUCs read) and P(rewritten)."""
    from benchmarks.mt_pairs import verdicts

    score, rewritten = [], []
    for v in verdicts(documents, "fast"):
        ok = v.error is None and v.score is not None
        score.append(float(v.score) if ok else math.nan)
        rewritten.append(v.probabilities.get("rewritten", math.nan) if v.error is None else math.nan)
    return score, rewritten


if __name__ == "__main__":
    raise SystemExit(main())
