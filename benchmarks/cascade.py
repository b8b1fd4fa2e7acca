"""Spinning recall and false positives of the cascade in its three modes, on the deep stage's test sample.

    python -m benchmarks.cascade [--corpus build/holdout.jsonl] [--model models/spindetect-default] [--default-only]

Documents: the test split of `training/deep_sample.py` (held-out spinner families `handbook` and
`distributional`, trained families for comparison, held-out sites' real pages, clean news, human
translations), plus spins of the same clean-news originals by the `embedding` family
(`training/generators/embedding_spinner.py`), which no model has seen in any form. Each mode flags as the
Detector does: the fast model, the deep stage on the documents sent to it (`send_above` from the deep
stage's manifest, or every document for `--deep`) and, in the default mode, read past their first window
(`stop_below`: `Cascade.clears_early`), and the cascade's rule for which verdict stands
(`Cascade.takes_deep`). Features come from the training feature cache (build/cache), so the language model
runs once per document across modes and runs. Prints Markdown tables; asserts nothing.

The second table is machine translation of the held-out language pairs (zh-en in WMT21, WMT22 and WMT23,
he-en in WMT23; `training.splits.HELDOUT_WMT_PAIRS`): per pair and year, every human translation, the
first `--wmt-machine` machine translations by hash and every GPT-4 translation, by mode: AUC of each mode's
score against the human translations, and the shares flagged.

The third table is a ceiling, not a result: per spinner family, the recall at the lowest threshold on a
score that would keep every group of these test originals within its false-positive budget (FPR_BUDGETS),
the threshold chosen *on the test documents themselves*. No calibration can beat it with these scores, so it
says how far the features are from a goal, apart from how well the thresholds were set.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

from spindetect.learn import featurize_examples, stderr_progress
from spindetect.learn._metrics import threshold_for_fpr
from spindetect.learn._trainer import Example, hash_bucket
from spindetect.io._records import InputItem
from spindetect.model import load_model
from spindetect.model._cascade import DEEP_DIR, LM_FAMILY, load_deep_stage
from training.corpus_io import FPR_BUDGETS, load_examples
from training.deep_sample import deep_sample
from training.train_deep import StageOutputs
from training.wmt import LLM_SYSTEMS

EMBEDDING_RATES = (0.15, 0.3, 0.45, 0.6)
MODES = ("fast", "default", "deep")
SPINNER_FAMILIES = ("handbook", "distributional", "embedding", "moby")


def embedding_spins(examples: list[Example], seed: int) -> list[Example]:
    """One embedding-family spin of every clean BBC test original in the sample, at a rate from
    EMBEDDING_RATES (cycled, so each rate has a quarter of them)."""
    from training.generators.embedding_spinner import EmbeddingSpinner

    spinner = EmbeddingSpinner()
    rng = random.Random(seed)
    out = []
    originals = [ex for ex in examples if ex.split == "test" and ex.label == "original" and ex.source == "bbc"
                 and ex.generator == "plain"]
    for k, ex in enumerate(originals):
        rate = EMBEDDING_RATES[k % len(EMBEDDING_RATES)]
        result = spinner.spin(ex.item.text, rate, rng)
        doc_id = f"{ex.id}:embedding"
        out.append(Example(id=doc_id, item=InputItem(doc_id, f"bench:{doc_id}", text=result.text), label="spun",
                           group=ex.group, split="test", source=ex.source, generator="embedding",
                           extra={"heldout": True, "params": {"rate": rate, "achieved_rate": result.achieved_rate}}))
    return out


def columns(examples: list[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per example: label, generator family, spinner rate (0 when none) and false-positive budget group."""
    label = np.array([ex.label for ex in examples])
    generator = np.array([ex.generator.split("+")[0] for ex in examples])
    rate = np.array([float(ex.extra.get("params", {}).get("rate") or 0.0) for ex in examples])
    group = np.array([ex.extra.get("fpr_group") or "" for ex in examples])
    return label, generator, rate, group


def rows_of(examples: list[Example], flags: dict[str, np.ndarray]) -> list[tuple[str, int, list[float]]]:
    label, generator, rate, group = columns(examples)
    rows = []
    spun = label == "spun"
    for family in SPINNER_FAMILIES:
        members = spun & np.char.startswith(generator, family)
        for name, part in ((f"recall, {family}, rate >= 0.3", members & (rate >= 0.3)),
                           (f"recall, {family}, rate < 0.3", members & (rate < 0.3))):
            if part.any():
                rows.append((name, int(part.sum()), [float(f[part].mean()) for f in flags.values()]))
    for name, part in (("false positives, held-out real pages", group == "real pages"),
                       ("false positives, news with chrome (held-out sites, our chrome)", group == "news with chrome"),
                       ("false positives, clean news", group == "plain news"),
                       ("false positives, human translations", group == "human translations"),
                       ("false positives, WMT22 original English", group == "original English (WMT22)"),
                       ("recall, copies", label == "copy"), ("recall, machine translation", label == "translated"),
                       ("recall, LLM rewrites", label == "rewritten")):
        if part.any():
            rows.append((name, int(part.sum()), [float(f[part].mean()) for f in flags.values()]))
    return rows


# The held-out language pairs (`training.splits.HELDOUT_WMT_PAIRS`) in every year that has them.
HELD_OUT_PAIR_YEARS = (("wmt22", "zh-en"), ("wmt21", "zh-en"), ("wmt23", "zh-en"), ("wmt23", "he-en"))


def _pair_year(ex: Example) -> str:
    return f"{ex.source} {ex.group.split(':')[1]}"


def _is_llm_translation(ex: Example) -> bool:
    return ex.extra.get("params", {}).get("system") in LLM_SYSTEMS


def held_out_pair_translations(examples: list[Example], machine: int) -> list[Example]:
    """Per held-out pair and year, its test-split originals (human translations), the first `machine` of
    its machine translations by hash, and every GPT-4 translation besides."""
    chosen = []
    for year, pair in HELD_OUT_PAIR_YEARS:
        docs = [ex for ex in examples
                if ex.split == "test" and ex.source == year and ex.group.startswith(f"{year}:{pair}:")]
        translations = sorted((ex for ex in docs if ex.label == "translated" and not _is_llm_translation(ex)),
                              key=lambda ex: hash_bucket(ex.id))
        chosen += [ex for ex in docs if ex.label == "original"] + translations[:machine]
        chosen += [ex for ex in docs if _is_llm_translation(ex)]
    return chosen


def mode_scores(stages: StageOutputs, deep_scores: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """The score each document's verdict carries in a mode: the deep one where the deep verdict stands."""
    return np.where(sent & stages.takes_deep, deep_scores, stages.fast_scores)


def print_translation_table(examples, rows, stages, sent, flags, deep_scores, probabilities, labels) -> None:
    """Machine (and GPT-4) against human translation of the held-out pairs, per pair and year, by mode."""
    from sklearn.metrics import roc_auc_score

    translated = labels.index("translated")
    scores = {mode: mode_scores(stages, deep_scores, sent[mode]) for mode in MODES}
    machine = np.array([ex.label == "translated" for ex in examples])
    llm = np.array([_is_llm_translation(ex) for ex in examples])
    pair_year = np.array([_pair_year(ex) for ex in examples])
    print("\nMachine against human translation of the held-out pairs (test split; never trained or calibrated "
          "on): AUC of each mode's verdict score (machine and GPT-4 against human), and shares flagged by mode "
          "(--fast / default / --deep)\n")
    print("| pair-year | machine / GPT-4 / human | AUC --fast / default / --deep | machine flagged | "
          "GPT-4 flagged | human flagged |")
    print("|---|---|---|---|---|---|")

    def shares(mask):
        return " / ".join(f"{flags[m][mask].mean():.3f}" for m in MODES) if mask.any() else "—"

    for year, pair in HELD_OUT_PAIR_YEARS:
        part = rows & (pair_year == f"{year} {pair}")
        mt, gpt, human = part & machine & ~llm, part & llm, part & ~machine
        if not part.any():
            continue
        auc = " / ".join(f"{roc_auc_score(machine[part], scores[m][part]):.3f}" for m in MODES) \
            if human.any() and (mt | gpt).any() else "— (no human translations)"
        print(f"| {year} {pair} | {int(mt.sum())} / {int(gpt.sum())} / {int(human.sum())} | {auc} | "
              f"{shares(mt)} | {shares(gpt)} | {shares(human)} |")
    every = rows & (pair_year != "wmt23 zh-en")  # the pair-years that have human translations
    if (every & ~machine).any():
        p_fast, p_deep = probabilities["fast"][:, translated], probabilities["deep"][:, translated]
        print(f"\nAll of them together: AUC of P(translated) {roc_auc_score(machine[every], p_fast[every]):.3f} "
              f"(fast model) / {roc_auc_score(machine[every], p_deep[every]):.3f} (deep stage)")


def oracle_threshold(score: np.ndarray, originals: np.ndarray, group: np.ndarray) -> float:
    """The lowest threshold (flag when score >= it) at which every budget group of `originals` stays within
    its budget: the largest of the groups' own thresholds."""
    return max((threshold_for_fpr(score[originals & (group == name)], budget)
                for name, budget in FPR_BUDGETS.items() if (originals & (group == name)).any()),
               default=-np.inf)


def ceiling_rows(examples: list[Example], scores: dict[str, np.ndarray]) -> list[tuple[str, int, list[float]]]:
    """Per spinner family at rate >= 0.3: recall at each score's oracle threshold (`oracle_threshold`)."""
    label, generator, rate, group = columns(examples)
    originals = label == "original"
    thresholds = {name: oracle_threshold(score, originals, group) for name, score in scores.items()}
    rows = []
    for family in SPINNER_FAMILIES:
        members = (label == "spun") & np.char.startswith(generator, family) & (rate >= 0.3)
        if members.any():
            rows.append((f"oracle recall, {family}, rate >= 0.3", int(members.sum()),
                         [float((score[members] >= thresholds[name]).mean()) for name, score in scores.items()]))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", type=Path, default=Path("models/spindetect-default"))
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wmt-machine", type=int, default=200,
                        help="machine translations per held-out pair and year to score (with all its originals "
                             "and GPT-4 translations)")
    parser.add_argument("--default-only", action="store_true",
                        help="only the default mode, read in stages and read in full, beside --fast, on the test "
                             "sample and its embedding spins: the language model reads only what the default mode "
                             "sends (no translation or ceiling table)")
    args = parser.parse_args()

    cascade = load_deep_stage(load_model(args.model))
    if cascade is None:
        raise SystemExit(f"{args.model} has no deep stage ({args.model / DEEP_DIR})")
    corpus = load_examples(args.corpus)
    sample = [ex for ex in deep_sample(corpus) if ex.split == "test"]
    if args.default_only:
        return print_default_mode(cascade, sample + embedding_spins(sample, args.seed), args.cache, args.jobs)
    in_sample = {ex.id for ex in sample}
    pair_all = held_out_pair_translations(corpus, args.wmt_machine)
    pair = [ex for ex in pair_all if ex.id not in in_sample]
    examples = sample + embedding_spins(sample, args.seed) + pair
    keys = list(cascade.fast.manifest.feature_families) + [LM_FAMILY]
    X, errors = featurize_examples(examples, keys, cache_dir=args.cache, jobs=args.jobs,
                                   progress=stderr_progress("featurised"))
    keep = [i for i, e in enumerate(errors) if e is None]
    examples, X = [examples[i] for i in keep], X[keep]
    # Both stages once, on every row; each mode only changes which rows are sent (the Detector's rule).
    stages = StageOutputs.of(cascade.fast, cascade.deep, X[:, :len(cascade.fast.manifest.feature_names)], X)
    send_scores = cascade.send_scores(stages.fast_probabilities, stages.fast_scores)
    sent = {mode: cascade.sends(send_scores, stages.fast_flags, stages.fast_labels, mode) for mode in MODES}
    # The default mode reads a sent document's first window and reads on only where the deep stage does not
    # clear it there (`Cascade.clears_early`); a cleared document keeps its fast verdict, as if not sent.
    read_on = {mode: sent[mode].copy() for mode in MODES}
    if cascade.reads_in_stages("default"):
        rows = np.flatnonzero(sent["default"])
        X_first, first_errors = featurize_examples([examples[i] for i in rows], [LM_FAMILY], cache_dir=args.cache,
                                                   jobs=1, first_stage=True, progress=stderr_progress("first windows"))
        fast_columns = len(cascade.fast.manifest.feature_names)
        cleared = cascade.clears_early(np.hstack([X[rows, :fast_columns], X_first]))
        cleared &= np.array([e is None for e in first_errors])
        read_on["default"][rows[cleared]] = False
    flags = {mode: stages.flags_when_sent(read_on[mode]) for mode in MODES}
    # The pair's extra documents count only in the translation table; the others, in the other two.
    extra_ids = {ex.id for ex in pair}
    sample_rows = np.array([ex.id not in extra_ids for ex in examples])
    pair_ids = {ex.id for ex in pair_all}
    pair_rows = np.array([ex.id in pair_ids for ex in examples])
    sampled = [ex for ex, keep in zip(examples, sample_rows) if keep]
    print(f"send score {cascade.send_score_name}, send_above {cascade.send_above}; deep stage {cascade.deep.ref}; "
          f"{len(sampled)} documents of the test sample\n")
    print("| measure | n | --fast | default | --deep |")
    print("|---|---|---|---|---|")
    for name, n, values in rows_of(sampled, {m: f[sample_rows] for m, f in flags.items()}):
        print(f"| {name} | {n} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    originals = np.array([ex.label == "original" for ex in examples])
    print(f"| share of documents sent to the language model | {len(sampled)} | "
          + " | ".join(f"{sent[m][sample_rows].mean():.3f}" for m in MODES) + " |")
    print(f"| share of originals sent to the language model | {int(originals[sample_rows].sum())} | "
          + " | ".join(f"{sent[m][sample_rows & originals].mean():.3f}" for m in MODES) + " |")
    print(f"| share of documents read past the first window | {len(sampled)} | "
          + " | ".join(f"{read_on[m][sample_rows].mean():.3f}" for m in MODES) + " |")
    print(f"| share of originals read past the first window | {int(originals[sample_rows].sum())} | "
          + " | ".join(f"{read_on[m][sample_rows & originals].mean():.3f}" for m in MODES) + " |")

    fast_probabilities, _ = cascade.fast.scores(X[:, :len(cascade.fast.manifest.feature_names)])
    deep_probabilities, deep_scores = cascade.deep.scores(X)
    print_translation_table(examples, pair_rows, stages, read_on, flags, deep_scores,
                            {"fast": fast_probabilities, "deep": deep_probabilities}, cascade.deep.manifest.labels)

    spun = cascade.deep.manifest.labels.index("spun")
    ceilings = {"fast score": stages.fast_scores, "fast P(spun)": fast_probabilities[:, spun],
                "deep score": deep_scores, "deep P(spun)": deep_probabilities[:, spun]}
    print("\nCeiling: recall at the best threshold for these test documents (every group of their originals "
          "within its budget; chosen on the test documents, so an upper bound, not a result)\n")
    print("| measure | n | " + " | ".join(ceilings) + " |")
    print("|---|---|" + "---|" * len(ceilings))
    for name, n, values in ceiling_rows(sampled, {k: v[sample_rows] for k, v in ceilings.items()}):
        print(f"| {name} | {n} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    return 0


def print_default_mode(cascade, examples: list[Example], cache: Path, jobs: int) -> int:
    """The first table for `--fast` and the default mode, read in stages and read in full."""
    from training.fit_deep_stop import stage_readings

    rows, deep_full, deep_first, fast, fast_labels = stage_readings(cascade, examples, cache, jobs)
    full = cascade.deep.decide(deep_full)
    takes = cascade.takes_deep(fast_labels[rows], fast.flagged[rows],
                               np.array(cascade.deep.manifest.labels)[full.label_index], full.flagged)
    read_on = ~cascade.clears_early(deep_first)
    flags = {"--fast": fast.flagged, "default, read in full": fast.flagged.copy(), "default": fast.flagged.copy()}
    flags["default, read in full"][rows[takes]] = full.flagged[takes]
    flags["default"][rows[takes & read_on]] = full.flagged[takes & read_on]
    originals = np.array([ex.label == "original" for ex in examples])
    sent = np.zeros(len(examples), dtype=bool)
    sent[rows] = True
    print(f"send score {cascade.send_score_name}, send_above {cascade.send_above}, stop_below {cascade.stop_below}; "
          f"deep stage {cascade.deep.ref}; {len(examples)} documents of the test sample\n")
    print("| measure | n | " + " | ".join(flags) + " |")
    print("|---|---|" + "---|" * len(flags))
    for name, n, values in rows_of(examples, flags):
        print(f"| {name} | {n} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    print(f"| share of documents sent to the language model | {len(examples)} | 0.000 | {sent.mean():.3f} | "
          f"{sent.mean():.3f} |")
    print(f"| share of originals read past the first window | {int(originals.sum())} | 0.000 | "
          f"{sent[originals].mean():.3f} | {np.isin(np.flatnonzero(originals), rows[read_on]).mean():.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
