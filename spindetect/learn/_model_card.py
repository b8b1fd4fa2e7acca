"""MODEL_CARD.md, regenerated from the manifest on every train (so it can never drift from the model)."""

from __future__ import annotations

import json


def render_model_card(manifest: dict, *, intended_use: str | None = None, data_notes: str | None = None,
                      limits: list[str] | None = None) -> str:
    metrics = manifest.get("metrics", {})
    training = manifest.get("training", {})
    lines = [
        f"# Model card: {manifest['name']}@{manifest['version']}",
        "",
        "## Intended use",
        intended_use or (
            "Flag English news-like documents that are not originals — verbatim farm copies republished with "
            "what a content farm adds to a page, article-spinner output, machine translations and LLM rewrites "
            "— for review by "
            "trust-and-safety, search-quality and ad-safety teams. A flag is evidence for a human or a "
            "downstream policy, not a verdict on its own. Not for: non-English text (returned unscored), "
            "judging factual accuracy, or attributing authorship."),
        "",
        "## Model",
        f"- xgboost multi-class booster over {len(manifest['feature_names'])} features from families "
        f"{', '.join(manifest['feature_families'])}; labels {', '.join(manifest['labels'])}.",
        f"- Score: P(not original), calibrated by centred isotonic regression on held-out groups "
        f"({training.get('calibration_rows', '?')} rows).",
        _threshold_line(manifest, training),
        *_level_lines(manifest),
        *_cascade_lines(training.get("cascade")),
        f"- Seed {manifest.get('seed')}; boosting rounds {training.get('rounds', '?')}; feature schema sha256 "
        f"`{manifest['feature_schema_sha256'][:16]}…`; training data sha256 "
        f"`{(manifest.get('training_data_sha256') or '?')[:16]}…`; base model {manifest.get('base_model') or 'none'}.",
        f"- Versions: {json.dumps(manifest.get('versions', {}), sort_keys=True)}",
        "",
        "## Training data",
        data_notes or "See data/README.md for provenance.",
        "",
    ]
    counts = training.get("counts")
    if counts:
        labels = manifest["labels"]
        lines += ["| split | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
        for split, row in counts.items():
            lines.append(f"| {split} | " + " | ".join(str(row.get(label, 0)) for label in labels) + " |")
        lines.append("")
    groups = training.get("threshold_groups_calib")
    if groups:
        lines += ["## Threshold groups", "",
                  "The thresholds are the lowest that keep every group of originals within half of its "
                  "false-positive budget on the calibration split (a few hundred documents per group estimate "
                  "a rate only roughly):", "",
                  "| group of originals | budget | flagged on calib | n |", "|---|---|---|---|"]
        lines += [f"| {name} | ≤ {group['budget']:.3f} | {_fmt(group['fpr'])} | {group['n']} |"
                  for name, group in groups.items()] + [""]
    heldout = metrics.get("heldout_table")
    if heldout:
        lines += ["## Evaluation on held-out groups and held-out generator families", "",
                  f"Command: `{metrics.get('command', '')}`", "",
                  "| measure | held out | value | goal | n |", "|---|---|---|---|---|"]
        lines += _table_rows(heldout) + [""]
        if metrics.get("heldout_note"):
            lines += [metrics["heldout_note"], ""]
    final = metrics.get("test_groups_table_final_fit")
    if final:
        lines += ["## This model on the test groups (every generator family seen in training)", "",
                  "| measure | held out | value | goal | n |", "|---|---|---|---|---|"]
        lines += _table_rows([row for row in final if row["value"] is not None]) + [""]
    lines += ["## Known limits"] + [f"- {limit}" for limit in (limits or DEFAULT_LIMITS)] + [""]
    return "\n".join(lines)


# What a card says of each level in the manifest that decides or gates a flag outside the threshold.
_LEVEL_LINES = {
    "residue_decides_at": (
        "- Residue rule: a document whose farm residue (`boilerplate.residue_weight`, the summed weight of the "
        "distinct signatures of what a farm adds) reaches {level:g} is flagged whatever its score, as a copy "
        "unless its score flags it as something else. It was chosen as the highest residue weight of any "
        "original in the training and calibration splits plus the weight of the weakest residue signature, "
        "and at least 2."),
    "spinner_gate": (
        "- Spinner gate: the fingerprint learned from the labelled spinner (`fingerprint.*`) adds a flag only "
        "where its log-likelihood ratio reaches {level:g}; elsewhere a document gets the verdict the model "
        "gives without it. The level was chosen above every original of the labelled batch, each read with a "
        "table learned without it."),
}


def _level_lines(manifest: dict) -> list[str]:
    return [line.format(level=manifest[key]) for key, line in _LEVEL_LINES.items() if manifest.get(key) is not None]


def _cascade_lines(cascade: dict | None) -> list[str]:
    """What a deep stage's card says of when documents reach it (`spindetect.model._cascade`)."""
    if not cascade:
        return []
    lines = [f"- Cascade: the deep stage of `{cascade.get('fast_model')}`; in the default mode a document goes to "
             f"it when the fast model's {cascade.get('send_score', 'fast score')} reaches {cascade['send_above']:g}, "
             "and with `--deep` every document does."]
    if cascade.get("stop_below") is not None:
        lines.append(f"- Reading in stages: in the default mode a sent document's first window is scored first, "
                     f"and the rest is read only where this model's P(spun) + P(translated) on it reaches "
                     f"{cascade['stop_below']:g}; under it the fast verdict stands. Chosen on the calibration "
                     f"split so that at most {cascade.get('stop_lost_share', 0):g} of this model's findings there "
                     "would be cleared (`training/fit_deep_stop.py`).")
    return lines


def _threshold_line(manifest: dict, training: dict) -> str:
    per_label = manifest.get("label_thresholds")
    if per_label:
        listed = ", ".join(f"{label} {value:.4f}" for label, value in per_label.items())
        return (f"- Thresholds, one per flagged label: {listed} (a document is flagged when its score reaches the "
                f"threshold of the label it would get; a single threshold holding every budget would be "
                f"{manifest['threshold']:.4f}). Chosen on the calibration split so that no group of originals "
                "exceeds its false-positive budget there (see Threshold groups).")
    if training.get("threshold_groups_calib"):
        return (f"- Threshold: {manifest['threshold']:.4f}, chosen on the calibration split so that no group of "
                "originals exceeds its false-positive budget there (see Threshold groups).")
    return (f"- Threshold: {manifest['threshold']:.4f}, chosen on the calibration split so that at most "
            f"{training.get('max_fpr', 0.01):.0%} of clean human news there is flagged.")


def _table_rows(rows: list[dict]) -> list[str]:
    return [f"| {row['measure']} | {row['heldout']} | {_fmt(row['value'])} | {row['goal']} | {row['n']} |" for row in rows]


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


DEFAULT_LIMITS = [
    "English only; other languages are returned with `label: null` and a note.",
    "A verbatim copy with no page furniture is indistinguishable from its original without a source index.",
    "Spun and farm training material is synthetic (our own spinners and templates); figures on held-out "
    "families estimate, but do not guarantee, behaviour on unseen real spinners and templates.",
    "Translated training material is Europarl (German to English) and WMT22 news, social and e-commerce "
    "documents from Czech, German, Russian and Chinese; other source languages and newer MT systems are "
    "measured only through the held-out pair and systems.",
    "Real pages in training come from 126 sites of two extraction benchmarks; farm pages are built on their "
    "chrome with residue we wrote, not crawled from real farms.",
    "A farm copy without residue (no attribution, footer or placeholder) looks like its site's own page: "
    "that is a job for a source index (`--index`), not a guess.",
    "LLM rewrites come from 2023-era models (ChatGPT-3.5, Llama-2, Vicuna); newer models may read more human.",
    "Very short texts (a few sentences) carry little signal; scores on them are less reliable.",
]
