"""Do richer statistics of the language model's one forward pass tell machine from human translation better
than its mean final hidden state (issue #11)?

    python -m benchmarks.mt_lm_stats [--cache build/mt_lm_stats-256.npz] [--compute-only]

An experiment, not a feature of the detector. Rows: `benchmarks.mt_probe.wmt_translations(0)` (every human
translation of each WMT22 cs, de, ru and zh -> en document and up to twice as many machine translations) and
every WMT22 row labelled `original_english` (en-hr and en-xx sources: the four pairs have none of their own).
Each text's first 256 tokens go through SmolLM2 once (`WordScorer.token_reading`); from that pass come

- poolings of the final hidden states (positions 2..n, as the shipped probe): mean (the baseline, what
  `benchmarks.mt_probe` measures), std, max, the second half's mean minus the first half's, and the two
  halves' means;
- 19 scalar statistics of the text under the model: mean / median / std / 10-25-75-90 % quantiles of
  log p(token | prefix), the share of tokens that are the model's top-1 (and top-5) prediction, mean and
  median and std of the entropy of the predictive distribution, mean log2(1 + rank), shares of tokens with
  surprise over 8 nats and of rank 100 or worse, the lag-1 autocorrelation of surprise (burstiness), and
  within-document contrasts that cancel a genre's overall predictability: top-decile surprise minus median
  surprise, mean surprise minus mean entropy (how much more surprising the text is than the model expected
  it to be), and the second half's mean log p minus the first half's.

Protocol, for each held-out pair: fit a standardisation and an L2 logistic regression on the other three
pairs only (machine translation 1, human translation 0; original English is 0 too when it is in the fit),
choose C by leave-one-pair-out inside those three (`training.fit_translation_probe.choose_C`), measure AUC on
the held-out pair. Original English has no pair: its 102 documents are dealt into four folds by document
hash, one fold per pair, and a fold is in the test set exactly when its pair is held out (so the
"+ orig. English" column never scores an original-English document the fit saw). Two protocols: "MT vs HT"
trains and tests on translations only; "MT vs HT+EN" trains and tests with original English among the
negatives. A last table fits only on rows of the held-out build's `train` split (`training.splits.wmt_split`,
held-out systems dropped from training, as `training/fit_translation_probe.py`), which is what a shipped probe
could use.

The per-document vectors are cached by row id (`--cache`; ~0.45 s a document on two cores, ~20 min for all
~2,500); an interrupted run resumes. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.mt_probe import PAIRS, within_document, wmt_translations
from training.splits import HELDOUT_WMT_SYSTEMS, corpora_dir, wmt_split

MAX_TOKENS = 256
POOLS = ("mean", "std", "max", "half_diff")


def original_english() -> list[dict]:
    path = corpora_dir() / "machine-translation" / "wmt22-docs.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["label"] == "original_english"]


def all_rows(seed: int) -> list[dict]:
    return wmt_translations(seed) + original_english()


def reading_order(rows: list[dict]) -> list[dict]:
    """Human translations, original English and each document's first machine translation before the
    other machine translations, so a run cut short leaves a balanced sample in the cache."""
    seen: dict[tuple[str, str], int] = {}
    keyed = []
    for k, row in enumerate(rows):
        rank = 0
        if row["label"] == "machine_translation":
            rank = seen.get((row["pair"], row["doc"]), 0)
            seen[(row["pair"], row["doc"])] = rank + 1
        keyed.append((min(rank, 1), k, row))
    return [row for _, _, row in sorted(keyed, key=lambda t: t[:2])]


def _load(path: Path, store: dict[str, dict]) -> None:
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    for k, rid in enumerate(arrays["ids"].tolist()):
        store[rid] = {key: value[k] for key, value in arrays.items() if key != "ids"}


def read_documents(rows: list[dict], cache: Path, shard: tuple[int, int] | None = None) -> dict[str, dict]:
    """Per row id: the four poolings of the final states and the padded per-token arrays; cached by id.
    With `shard` (k, n) only every n-th missing row from the k-th is read, into a shard file beside the
    cache (run n workers with OPENBLAS_NUM_THREADS=1: on a busy machine that is several times faster than
    one worker on all cores); without it, shard files are merged into the cache first."""
    from spindetect.lm import language_model

    store: dict[str, dict] = {}
    if cache.exists():
        _load(cache, store)
    shards = sorted(cache.parent.glob(cache.stem + ".shard*.npz"))
    if shard is None and shards:
        for path in shards:
            _load(path, store)
        _save(cache, store)
        for path in shards:
            path.unlink()
    missing = [r for r in reading_order(rows) if r["id"] not in store]
    if shard is not None:
        k, n = shard
        missing = missing[k::n]
        cache = cache.with_name(f"{cache.stem}.shard{k}.npz")
        store = {}
        if cache.exists():
            _load(cache, store)
            missing = [r for r in missing if r["id"] not in store]
    if missing:
        scorer = language_model()._scorer
        started = time.time()
        for done, row in enumerate(missing, 1):
            reading = scorer.token_reading(row["text"], MAX_TOKENS)
            n = len(reading["logprob"])
            states = reading["states"].astype(np.float64)
            half = len(states) // 2
            entry = {
                "mean": states.mean(axis=0), "std": states.std(axis=0), "max": states.max(axis=0),
                "half_diff": (states[half:].mean(axis=0) - states[:max(half, 1)].mean(axis=0)),
                "length": np.int32(n),
            }
            for key in ("logprob", "rank", "entropy"):
                padded = np.full(MAX_TOKENS, np.nan if key != "rank" else -1,
                                 dtype=np.float32 if key != "rank" else np.int32)
                padded[:n] = reading[key]
                entry[key] = padded
            for pool in POOLS:
                entry[pool] = entry[pool].astype(np.float32)
            store[row["id"]] = entry
            if done % 100 == 0 or done == len(missing):
                rate = (time.time() - started) / done
                print(f"read {done}/{len(missing)} ({rate:.2f} s a document, "
                      f"~{rate * (len(missing) - done) / 60:.0f} min left)", file=sys.stderr, flush=True)
                _save(cache, store)
    return store


def _save(cache: Path, store: dict[str, dict]) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    keys = list(next(iter(store.values())))
    tmp = cache.with_name("." + cache.stem + ".partial.npz")  # not matched by the shard glob
    np.savez(tmp, ids=np.array(list(store)), **{k: np.stack([e[k] for e in store.values()]) for k in keys})
    tmp.replace(cache)



# ============================================================================================ features

SCALARS = ("lp_mean", "lp_median", "lp_std", "lp_q10", "lp_q25", "lp_q75", "lp_q90", "top1", "top5",
           "entropy_mean", "entropy_median", "log2_rank", "surprise_q90_minus_median",
           "surprise_minus_entropy", "lp_half_diff", "entropy_std", "share_surprise_over_8",
           "share_rank_100_plus", "surprise_autocorr")


def scalar_stats(entry: dict) -> np.ndarray:
    """The text-under-the-model statistics of one document, over its tokens from the third on (the
    positions the state mean covers: the first two tokens see almost no context)."""
    n = int(entry["length"])
    lp = entry["logprob"][2:n].astype(np.float64)
    rank = entry["rank"][2:n].astype(np.float64)
    entropy = entry["entropy"][2:n].astype(np.float64)
    if len(lp) < 2:
        return np.full(len(SCALARS), np.nan)
    q10, q25, q50, q75, q90 = np.quantile(lp, (0.1, 0.25, 0.5, 0.75, 0.9))
    surprise = -lp
    half = len(lp) // 2
    return np.array([
        lp.mean(), q50, lp.std(), q10, q25, q75, q90, (rank == 0).mean(), (rank < 5).mean(),
        entropy.mean(), np.median(entropy), np.log2(1 + rank).mean(),
        np.quantile(surprise, 0.9) - np.median(surprise), (surprise - entropy).mean(),
        lp[half:].mean() - lp[:half].mean(), entropy.std(), (surprise > 8).mean(), (rank >= 100).mean(),
        np.corrcoef(surprise[:-1], surprise[1:])[0, 1] if len(lp) > 3 else np.nan,
    ])


def feature_blocks(store: dict[str, dict], ids: list[str]) -> dict[str, np.ndarray]:
    blocks = {pool: np.stack([store[i][pool] for i in ids]).astype(np.float64) for pool in POOLS}
    blocks["scalars"] = np.stack([scalar_stats(store[i]) for i in ids])
    # The halves' own means, from the mean and their difference: m states, the first m // 2 in the first.
    m = np.array([int(store[i]["length"]) - 1 for i in ids], dtype=np.float64)[:, None]
    later = (m - m // 2) / m
    blocks["first_half"] = blocks["mean"] - later * blocks["half_diff"]
    blocks["second_half"] = blocks["first_half"] + blocks["half_diff"]
    return blocks


# Feature sets: the blocks they join. "stack" = the mean-state probe's log-odds (out of fold on the
# training pairs) beside the scalars, in a second small logistic regression.
FEATURE_SETS = {
    "mean state (baseline)": ("mean",),
    "scalars (19 LM stats)": ("scalars",),
    "mean + scalars": ("mean", "scalars"),
    "mean + scalars (scalars weighted x6)": ("mean", "scalars", "weighted"),
    "stack: mean-probe log-odds + scalars": "stack",
    "std state": ("std",),
    "mean + std": ("mean", "std"),
    "max state": ("max",),
    "mean + max": ("mean", "max"),
    "mean + half diff": ("mean", "half_diff"),
    "first-half mean + second-half mean": ("first_half", "second_half"),
    "second-half mean": ("second_half",),
    "mean state, C grid down to 3e-5": ("mean", "wide"),
    "mean + half diff, C grid down to 3e-5": ("mean", "half_diff", "wide"),
    "mean + std + scalars": ("mean", "std", "scalars"),
}
SMALL_GRID = (0.001, 0.01, 0.1, 1.0, 10.0)
# The project's C_GRID (0.0003 ... 0.1) stops where "mean + half diff" chose its C: is its gain only
# regularisation?
WIDE_GRID = (0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.1)


# ============================================================================================ protocol


def _fit_scores(X_train, y_train, X_test, C, weights=None):
    """The project's probe fit (`training.fit_translation_probe.fit`); with `weights`, each standardised
    column is multiplied by its weight before the L2 fit (a weight w is a penalty 1/w^2 on that column)."""
    from sklearn.linear_model import LogisticRegression

    from training.fit_translation_probe import fit

    if weights is None:
        return fit(X_train, y_train, C).log_odds_of(X_test)
    mean, scale = X_train.mean(axis=0), X_train.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((X_train - mean) / scale * weights, y_train)
    return model.decision_function((X_test - mean) / scale * weights)


def _auc(y, s) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def choose(X, y, group, pairs, grid, weights=None) -> float:
    """C with the best mean AUC over leave-one-of-`pairs`-out (rows of other groups always train)."""
    best, best_score = grid[0], -1.0
    for C in grid:
        score = np.mean([_auc(y[group == p],
                              _fit_scores(X[group != p], y[group != p], X[group == p], C, weights))
                         for p in pairs])
        if score > best_score:
            best, best_score = C, score
    return best


def probe_scores(X, y, group, train, test, pairs, grid, weights=None):
    C = choose(X[train], y[train], group[train], pairs, grid, weights)
    return _fit_scores(X[train], y[train], X[test], C, weights), C


def stacked_scores(blocks, y, group, train, test, pairs):
    """Out-of-fold mean-probe log-odds on the training rows (each training pair's from a probe fitted on the
    other training rows, at the C chosen for the whole training set), then a small logistic regression on
    [log-odds, scalars] with its own C chosen leave-one-pair-out; the held-out rows get the full probe's."""
    from training.fit_translation_probe import C_GRID

    X, S = blocks["mean"], blocks["scalars"]
    C = choose(X[train], y[train], group[train], pairs, C_GRID)
    train_idx = np.flatnonzero(train)
    oof = np.zeros(len(y))
    for p in pairs:
        inner = train_idx[group[train_idx] == p]
        rest = train_idx[group[train_idx] != p]
        oof[inner] = _fit_scores(X[rest], y[rest], X[inner], C)
    held = _fit_scores(X[train], y[train], X[test], C)
    Z_train = np.c_[oof[train], S[train]]
    Z_test = np.c_[held, S[test]]
    C2 = choose(Z_train, y[train], group[train], pairs, SMALL_GRID)
    return _fit_scores(Z_train, y[train], Z_test, C2), (C, C2)


def run_set(name, blocks, y, group, train, test, pairs):
    from training.fit_translation_probe import C_GRID

    spec = FEATURE_SETS[name]
    if spec == "stack":
        return stacked_scores(blocks, y, group, train, test, pairs)
    weights = None
    grid = C_GRID
    if spec[-1] == "wide":
        spec, grid = spec[:-1], WIDE_GRID
    if spec[-1] == "weighted":
        # The 19 scalars beside 576 state dimensions: x6 (about sqrt(576 / 19) = 5.5) gives the block as much
        # room under the L2 penalty as the state's.
        spec = spec[:-1]
        weights = np.concatenate([np.full(blocks[b].shape[1], 6.0 if b == "scalars" else 1.0) for b in spec])
    X = np.concatenate([blocks[b] for b in spec], axis=1)
    grid = SMALL_GRID if spec == ("scalars",) else grid
    return probe_scores(X, y, group, train, test, pairs, grid, weights)


def english_fold(doc: str) -> str:
    """The pair whose held-out test set an original-English document joins (by document hash)."""
    return PAIRS[int(hashlib.sha256(doc.encode()).hexdigest()[:8], 16) % len(PAIRS)]


def fmt(v: float) -> str:
    return "n/a" if np.isnan(v) else f"{v:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(f"build/mt_lm_stats-{MAX_TOKENS}.npz"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--compute-only", action="store_true", help="read the documents, print nothing")
    parser.add_argument("--shard", default=None,
                        help="K/N: read only the K-th of N shares (with --compute-only)")
    parser.add_argument("--cached-only", action="store_true",
                        help="measure on the rows already in the cache (a partial run), reading nothing")
    parser.add_argument("--sets", default=None,
                        help="comma-separated numbers of FEATURE_SETS to run (1-based)")
    args = parser.parse_args()
    rows = all_rows(args.seed)
    shard = tuple(int(v) for v in args.shard.split("/")) if args.shard else None
    if args.cached_only:
        store: dict[str, dict] = {}
        for path in [args.cache, *sorted(args.cache.parent.glob(args.cache.stem + ".shard*.npz"))]:
            if path.exists():
                _load(path, store)
        rows = [r for r in rows if r["id"] in store]
    else:
        store = read_documents(rows, args.cache, shard)
    if args.compute_only:
        return 0
    started = time.time()
    ids = [r["id"] for r in rows]
    blocks = feature_blocks(store, ids)
    label = np.array([r["label"] for r in rows])
    y = (label == "machine_translation").astype(int)
    english = label == "original_english"
    pair = np.array([english_fold(r["doc"]) if r["label"] == "original_english" else r["pair"] for r in rows])
    names = list(FEATURE_SETS)
    if args.sets:
        names = [names[int(k) - 1] for k in args.sets.split(",")]
    print(f"{len(rows)} WMT22 documents ({int(y.sum())} machine translations, "
          f"{int(((label == 'human_translation')).sum())} human translations, {int(english.sum())} original "
          f"English dealt into the four pairs' folds); one forward pass over the first {MAX_TOKENS} tokens\n")

    # Raw single statistics: no fitting, so the direction shows (AUC < 0.5: machine translation is lower).
    # "within document" subtracts each source document's mean (as benchmarks.mt_probe): whether the statistic
    # orders the translations of one text, with the document's genre and topic taken out.
    print("### Single statistics, MT vs HT AUC on each pair: plain / within document (no fitting; < 0.5 "
          "means lower for MT)\n")
    print("| statistic | " + " | ".join(PAIRS) + " |")
    print("|---|" + "---|" * len(PAIRS))
    translations = ~english
    source_doc = np.array([f"{r['pair']}:{r['doc']}" for r in rows])
    for k, stat in enumerate(SCALARS):
        cells = []
        for p in PAIRS:
            m = (pair == p) & translations
            values = blocks["scalars"][m, k]
            within = within_document(values, source_doc[m])
            cells.append(f"{fmt(_auc(y[m], values))} / {fmt(_auc(y[m], within))}")
        print(f"| {stat} | " + " | ".join(cells) + " |")
    print()

    results: dict[tuple[str, str, str], float] = {}
    chosen: dict[tuple[str, str, str], object] = {}
    for protocol in ("MT vs HT", "MT vs HT+EN"):
        usable = translations if protocol == "MT vs HT" else np.ones(len(y), dtype=bool)
        for name in names:
            for held in PAIRS:
                others = tuple(p for p in PAIRS if p != held)
                train = usable & (pair != held)
                test = usable & (pair == held)
                scores, C = run_set(name, blocks, y, pair, train, test, others)
                results[(protocol, name, held)] = _auc(y[test], scores)
                chosen[(protocol, name, held)] = C
            print(f"  {protocol} / {name}: {time.time() - started:.0f} s", file=sys.stderr, flush=True)
        print(f"### {protocol}: AUC on the held-out pair (fit on the other three, C chosen "
              f"leave-one-pair-out inside them)\n")
        print("| feature set | " + " | ".join(PAIRS) + " | mean | C (per held-out pair) |")
        print("|---|" + "---|" * (len(PAIRS) + 2))
        for name in names:
            values = [results[(protocol, name, p)] for p in PAIRS]
            cs = ", ".join(str(chosen[(protocol, name, p)]) for p in PAIRS)
            print(f"| {name} | " + " | ".join(fmt(v) for v in values)
                  + f" | {fmt(float(np.mean(values)))} | {cs} |")
        print()

    # What a shipped probe could use: the held-out build's train split only.
    # The baseline and the two best other sets by mean "MT vs HT+EN" AUC over the held-out pairs.
    best = sorted((n for n in names if n != "mean state (baseline)"),
                  key=lambda n: -np.mean([results[("MT vs HT+EN", n, p)] for p in PAIRS]))[:2]
    system = np.array([r["system"] for r in rows])
    doc = np.array([r["doc"] for r in rows])
    source_pair = np.array([r["pair"] for r in rows])
    print(f"### Fitted on the held-out build's `train` split only (as `training/fit_translation_probe.py`): "
          f"MT 1 against HT and original English 0, held-out systems "
          f"({', '.join(sorted(HELDOUT_WMT_SYSTEMS))}) out of training; original English of its own `train` "
          f"split always in the fit; C chosen leave-one-pair-out over the three training pairs. zh-en is "
          f"the build's held-out pair; for the other rows the split is `wmt_split(holdout=False)` (zh-en "
          f"documents then train too)\n")
    print("| held-out pair | n test (MT/HT/EN) | feature set | MT vs HT | MT vs HT+EN |")
    print("|---|---|---|---|---|")
    for held in PAIRS:
        holdout = held == "zh-en"
        split = np.array([wmt_split(sp, d, holdout) for sp, d in zip(source_pair, doc)])
        others = tuple(p for p in PAIRS if p != held)
        train = (split == "train") & ~np.isin(system, list(HELDOUT_WMT_SYSTEMS))
        train &= english | np.isin(source_pair, others)
        test_tr = (source_pair == held) & translations
        test_en = english & (split != "train")
        test = test_tr | test_en
        group = np.where(english, "en", source_pair)
        for name in ("mean state (baseline)", *best):
            scores, _ = run_set(name, blocks, y, group, train, test, others)
            s = np.full(len(y), np.nan)
            s[test] = scores
            counts = f"{int((y * test).sum())}/{int((test_tr & (y == 0)).sum())}/{int(test_en.sum())}"
            print(f"| {held} | {counts} | "
                  f"{name} | {fmt(_auc(y[test_tr], s[test_tr]))} | {fmt(_auc(y[test], s[test]))} |")
    print(f"\n({time.time() - started:.0f} s of fitting)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
