"""Fit the language model's translation probe (`spindetect/lm/_probe.py`) and write it into the package.

    python -m training.build_corpus --out build/holdout.jsonl     # the held-out build
    python -m training.fit_translation_probe --corpus build/holdout.jsonl [--precision int8]

Rows: the held-out build's `train` split of WMT22 (cs, de and ru -> en; the held-out pair zh-en and the
held-out systems are never in `train`): machine translations (1) against human translations and original
English (0). Each row is the language model's mean hidden state over the first window of the text the
`lm` family reads (`prepare_document`), so the probe sees exactly what it will see at scoring time.
A standardisation and an L2-regularised logistic regression; the regularisation C is chosen by
leave-one-pair-out within the three pairs (the pair left out plays the unseen language pair).

The probe is fitted on the states of the model in `--precision` (int8, what scoring uses, by default;
float32 for the probe of `lm@3`). The states are cached in `build/translation_probe_states.<precision>.npz`
by text digest. Writes `spindetect/resources/lm/translation_probe.int8.json` (or `translation_probe.json`
for float32) with the rows' digest and counts. After a refit, bump `LanguageModelFeatures.version` (the feature cache knows a family by its version,
not by its resources) and refit the deep stage (`training/train_deep.py`), which reads the probe's output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from spindetect.features.language_model import MAX_TOKENS
from spindetect.learn import data_digest
from spindetect.learn._trainer import Example
from spindetect.lm import SCORING_PRECISION
from spindetect.lm._probe import PROBE_FILES, TranslationProbe
from spindetect.pipeline import prepare_document
from training.corpus_io import load_examples

PAIRS = ("cs-en", "de-en", "ru-en")
C_GRID = (0.0003, 0.001, 0.003, 0.01, 0.1)
RESOURCES = Path(__file__).resolve().parents[1] / "spindetect" / "resources" / "lm"


def probe_rows(examples: list[Example]) -> list[Example]:
    """Machine and human translations of PAIRS, and the original English of every WMT22 pair (en-hr and
    en-xx sources too: without them the probe read original English of other domains as translated, and
    the deep stage gave those documents' doubt to `spun`)."""
    return [ex for ex in examples
            if ex.split == "train" and ex.source == "wmt22" and not ex.extra.get("heldout")
            and ex.label in ("translated", "original")
            and (ex.group.split(":")[1] in PAIRS or ex.generator == "wmt_original")]


def state_means(texts: list[str], cache_path: Path, precision: str) -> np.ndarray:
    from spindetect.lm import language_model

    keys = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
    cached: dict[str, np.ndarray] = {}
    if cache_path.exists():
        with np.load(cache_path) as data:
            cached = dict(zip(data["keys"].tolist(), data["states"]))
    missing = [(key, text) for key, text in zip(keys, texts) if key not in cached]
    for done, (key, text) in enumerate(missing, 1):
        cached[key] = language_model(precision).state_mean(text, MAX_TOKENS)
        if done % 100 == 0 or done == len(missing):
            print(f"states: {done}/{len(missing)}", file=sys.stderr, flush=True)
            cache_path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cache_path, keys=np.array(list(cached)), states=np.array(list(cached.values())))
    return np.array([cached[key] for key in keys], dtype=np.float64)


def fit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    model = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(X), y)
    return TranslationProbe(scaler.mean_, scaler.scale_, model.coef_[0].astype(np.float64),
                            float(model.intercept_[0]))


def leave_one_pair_out(X: np.ndarray, y: np.ndarray, pair: np.ndarray, C: float,
                       pairs: tuple[str, ...] = PAIRS) -> dict[str, float]:
    """AUC on each of `pairs` of the probe fitted on every other row (a pair it never saw)."""
    from sklearn.metrics import roc_auc_score

    out = {}
    for held in pairs:
        probe = fit(X[pair != held], y[pair != held], C)
        out[held] = float(roc_auc_score(y[pair == held], probe.log_odds_of(X[pair == held])))
    return out


def choose_C(X: np.ndarray, y: np.ndarray, pair: np.ndarray,
             pairs: tuple[str, ...] = PAIRS) -> tuple[float, dict[float, dict[str, float]]]:
    """The C of C_GRID with the best mean leave-one-pair-out AUC over `pairs`, and every C's AUCs."""
    scores = {C: leave_one_pair_out(X, y, pair, C, pairs) for C in C_GRID}
    return max(C_GRID, key=lambda c: float(np.mean(list(scores[c].values())))), scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--precision", choices=tuple(PROBE_FILES), default=SCORING_PRECISION)
    parser.add_argument("--cache", type=Path, default=None,
                        help="default: build/translation_probe_states.<precision>.npz")
    parser.add_argument("--out", type=Path, default=None, help="default: the package's probe file for --precision")
    args = parser.parse_args(argv)
    cache = args.cache or Path(f"build/translation_probe_states.{args.precision}.npz")
    out = args.out or RESOURCES / PROBE_FILES[args.precision]

    rows = probe_rows(load_examples(args.corpus))
    X = state_means([prepare_document(ex.item).text for ex in rows], cache, args.precision)
    y = np.array([ex.label == "translated" for ex in rows], dtype=int)
    pair = np.array([ex.group.split(":")[1] for ex in rows])
    C, scores = choose_C(X, y, pair)
    probe = fit(X, y, C)
    about = {
        "what": "logistic probe: machine translation (1) against human translation and original English (0)",
        "fitted_by": f"python -m training.fit_translation_probe --corpus build/holdout.jsonl --precision {args.precision}",
        "precision": args.precision,
        "rows": {"machine": int(y.sum()), "human or original": int((1 - y).sum()),
                 "pairs": sorted(set(pair.tolist()))},
        "rows_sha256": data_digest(rows),
        "max_tokens": MAX_TOKENS,
        "C": C,
        "leave_one_pair_out_auc": {str(c): {k: round(v, 4) for k, v in s.items()} for c, s in scores.items()},
    }
    out.write_text(json.dumps(probe.to_dict(**about)) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in about.items() if k != "leave_one_pair_out_auc"}), file=sys.stderr)
    print(f"leave-one-pair-out AUC at C={C}: {scores[C]}; wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
