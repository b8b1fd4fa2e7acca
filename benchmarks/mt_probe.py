"""How well the bundled language model's hidden states tell machine from human translation (issue #11).

    python -m benchmarks.mt_probe [--max-tokens 128] [--cache build/mt_probe-128.npz]

An experiment, not a feature of the detector. For WMT22 documents (cs, de, ru, zh -> en: every human
translation and up to twice as many machine translations of each source document), the mean of SmolLM2's
final hidden states over the first `--max-tokens` tokens is the document's vector. A logistic probe on
those vectors is trained on three language pairs and measured on the fourth, which it never saw; its
regularisation is chosen by leave-one-pair-out inside the three. Beside it: the shipped fast model's
P(translated), and a two-input logistic combination of both fitted on the same three pairs. The shipped
model (`--fast`: the probe is compared with the features every document gets) was trained on cs, de and
ru-en documents of the held-out build's `train` split, so its column is a held-out figure only for zh-en.

"within document" subtracts each source document's mean score from its translations' scores: how well the
probe orders the translations of one text, which is easier than the plain AUC (the goal's measure), where
every document's translations compete with every other's.

The vectors are cached (`--cache`), since the language model takes ~0.4 s a document at 128 tokens on one
core. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from spindetect.lm._scoring import FIRST_WINDOW
from training.fit_translation_probe import choose_C, fit
from training.splits import corpora_dir

PAIRS = ("cs-en", "de-en", "ru-en", "zh-en")


def wmt_translations(seed: int) -> list[dict]:
    """Every human translation of each WMT22 document and up to twice as many machine translations of it."""
    path = corpora_dir() / "machine-translation" / "wmt22-docs.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_doc: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["pair"] in PAIRS and row["label"] in ("human_translation", "machine_translation"):
            by_doc.setdefault((row["pair"], row["doc"]), []).append(row)
    rng = random.Random(seed)
    chosen = []
    for _, members in sorted(by_doc.items()):
        human = [r for r in members if r["label"] == "human_translation"]
        machine = [r for r in members if r["label"] == "machine_translation"]
        rng.shuffle(machine)
        chosen += human + machine[:max(2, 2 * len(human))]
    return chosen


def hidden_state_means(rows: list[dict], max_tokens: int) -> np.ndarray:
    """What the shipped probe reads (`LanguageModel.state_mean`), for each row."""
    from spindetect.lm import language_model

    model = language_model()
    return np.array([model.state_mean(row["text"], max_tokens) for row in rows], dtype=np.float32)


def within_document(scores: np.ndarray, doc: np.ndarray) -> np.ndarray:
    out = scores.astype(float).copy()
    for key in np.unique(doc):
        members = doc == key
        out[members] -= out[members].mean()
    return out


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from spindetect import Detector

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.max_tokens > FIRST_WINDOW:
        parser.error(f"--max-tokens reads the first window only (at most {FIRST_WINDOW})")
    cache = args.cache or Path(f"build/mt_probe-{args.max_tokens}.npz")
    rows = wmt_translations(args.seed)
    ids = np.array([r["id"] for r in rows])
    cached = np.load(cache) if cache.exists() else None
    if cached is not None and np.array_equal(cached["ids"], ids):
        X = cached["X"]
    else:
        X = hidden_state_means(rows, args.max_tokens)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, X=X, ids=ids)
    y = np.array([r["label"] == "machine_translation" for r in rows], dtype=int)
    pair = np.array([r["pair"] for r in rows])
    doc = np.array([f"{r['pair']}:{r['doc']}" for r in rows])
    shipped = np.array([v.probabilities.get("translated", 0.0)
                        for v in Detector.load(mode="fast").score_many([r["text"] for r in rows])])

    print(f"{len(rows)} WMT22 translations ({int(y.sum())} machine, {int((1 - y).sum())} human); "
          f"hidden-state means of the first {args.max_tokens} tokens\n")
    print("| held-out pair | n | C (chosen on the other three) | probe AUC | within document | "
          "shipped P(translated) AUC | within document | probe + shipped AUC |")
    print("|---|---|---|---|---|---|---|---|")
    for held in PAIRS:
        train, test = pair != held, pair == held
        C, _ = choose_C(X[train], y[train], pair[train], tuple(other for other in PAIRS if other != held))
        log_odds = fit(X[train], y[train], C).log_odds_of(X)
        p = 1.0 / (1.0 + np.exp(-log_odds))
        # The combination is fitted on the training pairs' probe outputs, which the probe saw: a mild
        # optimism on its weight, not on the held-out pair.
        both = np.c_[log_odds, np.log((shipped + 1e-6) / (1 - shipped + 1e-6))]
        combined = LogisticRegression().fit(both[train], y[train]).predict_proba(both[test])[:, 1]
        print(f"| {held} | {int(test.sum())} | {C} | {roc_auc_score(y[test], p[test]):.3f} | "
              f"{roc_auc_score(y[test], within_document(p[test], doc[test])):.3f} | "
              f"{roc_auc_score(y[test], shipped[test]):.3f} | "
              f"{roc_auc_score(y[test], within_document(shipped[test], doc[test])):.3f} | "
              f"{roc_auc_score(y[test], combined):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
