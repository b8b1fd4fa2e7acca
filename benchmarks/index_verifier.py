"""Fit the source index's verifier (`spindetect/resources/verifier.json`) and check it on a second seed.

    python -m benchmarks.index_verifier [--fit-seed 0] [--check-seed 1] [--distractors N] [--write]

For each seed, builds the benchmark's index (BBC originals, LLMFake originals, remixed BBC distractors;
see `index_bench.py`) and queries it with LLM rewrites, 60%-spun BBC copies, BBC articles never indexed
and LLM rewrites with their original left out. The fit queries come only from `train`-split story groups
(training.splits), from LLM generators and a spinner family the classifier trains on; the check queries
come from the other groups, the held-out LLM generators included, and the held-out `distributional`
spinner. So the verifier is no more "seen" on the held-out rows of the model's table than the model is. Every retrieved candidate among the first
VERIFY_CANDIDATES is aligned; its `verification_features` are labelled 1 when it is the query's source.
A logistic regression on the fit seed gives the weights; the table shows top-1 (or, for queries without
an indexed source, the share left unmatched) on the check seed at several probability thresholds. Reads
the shared corpora at run time and writes nothing unless --write is given: then the rounded weights go to
`spindetect/resources/verifier.json`, under version `VERIFIER_VERSION` + 1 if they differ from the
current ones (bump `spindetect.index.store.VERIFIER_VERSION` to match; indexes then refuse the old
version). Needs scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

import numpy as np
from benchmarks.index_bench import remix_distractors

from spindetect.text import Document
from spindetect.index import SourceIndex
from spindetect.index.align import align
from spindetect.index.source_index import VERIFY_CANDIDATES, verification_features
from training.generators.spinners import spin
from training.jsonl import read_jsonl
from training.splits import HELDOUT_LLM_GENERATORS, corpora_dir, split_of


def collect(seed: int, distractor_count: int, queries: int, *, fit: bool) -> list[tuple[str, list[tuple[list[float], bool]]]]:
    """[(query kind, [(features, is the source) per verified candidate])]; `fit` picks the fitting queries."""
    rng = random.Random(seed)
    corpora = corpora_dir()
    bbc = list(read_jsonl(corpora / "news" / "bbc-2004-2005.jsonl"))
    rng.shuffle(bbc)
    asked_side = [r for r in bbc if (split_of(f"bbc:{r['id']}") == "train") == fit]
    other_side = [r for r in bbc if (split_of(f"bbc:{r['id']}") == "train") != fit]
    originals = asked_side[:600] + other_side[:600]
    unindexed, others = asked_side[600:750], asked_side[750:] + other_side[600:]
    llm = {f"llm:{r['original_key']}": r["text"] for r in read_jsonl(corpora / "llm-rewrites" / "llmfake-originals.jsonl")}
    twins: dict[str, set[str]] = defaultdict(set)
    for key, text in llm.items():
        twins[" ".join(text.lower().split())].add(key)
    same = {key: twins[" ".join(text.lower().split())] for key, text in llm.items()}
    rewrites = [r for r in read_jsonl(corpora / "llm-rewrites" / "llmfake-rewrites.jsonl")
                if f"llm:{r['original_key']}" in llm
                and (split_of(f"llmfake:{r['original_key']}") == "train") == fit
                and (r["generator"] not in HELDOUT_LLM_GENERATORS) == fit]
    spinner = "moby_naive" if fit else "distributional"
    corpus = ([(r["id"], r["text"]) for r in originals] + list(llm.items())
              + remix_distractors([r["text"] for r in others], distractor_count, rng))
    asked = [(f"llm {r['method']}", same[f"llm:{r['original_key']}"], r["text"], frozenset())
             for r in rng.sample(rewrites, 3 * queries)]
    asked += [("llm, source left out", set(), text, frozenset(truth)) for _, truth, text, _ in asked[:queries]]
    asked += [("unindexed bbc", set(), r["text"], frozenset()) for r in unindexed]
    asked += [("spun 60%", {r["id"]}, spin(r["text"], spinner, 0.6, random.Random(i)).text, frozenset())
              for i, r in enumerate(originals[:queries])]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        index = SourceIndex.open(Path(tmp) / "idx", create=True)
        index.add(corpus, jobs=2)
        for kind, truth, text, exclude in asked:
            document = Document(id="q", text=text)
            rows = []
            for candidate in index.candidates(document, exclude)[:VERIFY_CANDIDATES]:
                result = align(Document(id=candidate.id, text=index._store.text(candidate.row)).sentences,
                               document.sentences)
                rows.append((list(verification_features(result, candidate).values()), candidate.id in truth))
            out.append((kind, rows))
    return out


def top1(data, model, threshold: float) -> dict[str, float]:
    right: dict[str, list[bool]] = defaultdict(list)
    for kind, rows in data:
        best = None
        if rows:
            p = model.predict_proba(np.array([f for f, _ in rows]))[:, 1]
            best = rows[int(p.argmax())] if p.max() >= threshold else None
        is_source_query = kind.startswith("llm ") or kind.startswith("spun")
        right[kind].append(bool(best and best[1]) if is_source_query else best is None)
    return {k: sum(v) / len(v) for k, v in sorted(right.items())}


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit-seed", type=int, default=0)
    parser.add_argument("--check-seed", type=int, default=1)
    parser.add_argument("--distractors", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--write", action="store_true", help="Write the fitted weights to the verifier file.")
    args = parser.parse_args()
    fit = collect(args.fit_seed, args.distractors, args.queries, fit=True)
    check = collect(args.check_seed, args.distractors, args.queries, fit=False)
    x = np.array([f for _, rows in fit for f, _ in rows])
    y = np.array([label for _, rows in fit for _, label in rows])
    model = LogisticRegression(C=10, max_iter=1000).fit(x, y)
    names = list(verification_features(align([], []), _Zero()).keys())
    print("weights:", {n: round(float(w), 2) for n, w in zip(names, model.coef_[0])},
          "bias:", round(float(model.intercept_[0]), 2))
    print("| threshold | " + " | ".join(top1(check, model, 0.5)) + " |")
    for threshold in (0.3, 0.5, 0.7, 0.9):
        print(f"| {threshold} | " + " | ".join(f"{v:.3f}" for v in top1(check, model, threshold).values()) + " |")
    if args.write:
        write_verifier({n: round(float(w), 2) for n, w in zip(names, model.coef_[0])},
                       round(float(model.intercept_[0]), 2), args.fit_seed)


def write_verifier(weights: dict[str, float], bias: float, seed: int) -> None:
    """Write the verifier file; a change of weights gets the next version."""
    from importlib import resources

    from spindetect.index.source_index import VERIFIER_FEATURES, VERIFIER_FILE

    path = Path(str(resources.files("spindetect.resources") / VERIFIER_FILE))
    current = json.loads(path.read_text(encoding="utf-8"))
    assert tuple(weights) == VERIFIER_FEATURES, weights
    same = current["weights"] == weights and current["bias"] == bias
    version = current["version"] if same else current["version"] + 1
    data = {"format": "spindetect-verifier", "version": version,
            "fitted_by": f"python -m benchmarks.index_verifier (seed {seed}): logistic regression on train-split "
                         "story groups; see spindetect/index/source_index.py",
            "features": list(VERIFIER_FEATURES), "weights": weights, "bias": bias}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path} (version {version}{'' if same else '; bump spindetect.index.store.VERIFIER_VERSION'})")


class _Zero:
    jaccard = keyword_overlap = keyword_coverage = 0.0


if __name__ == "__main__":
    main()
