"""The documents the deep (language-model) stage is trained, calibrated and measured on.

The language model costs ~0.6 s a document on 2 cores, so the deep stage learns from a stratified sample of
the held-out build (`build/holdout.jsonl`), not all of it: every real page, and a fixed number of
documents per label and per false-positive budget group. The sample is chosen by a hash of the document
id, so it is the same on every machine and grows stably when a quota is raised.

Quotas per split: `train` and `calib` never include held-out generator families (as for the fast
model); `test` is where they are measured (held-out spinner families, held-out sites, the held-out WMT
pair and systems).
"""

from __future__ import annotations

from collections.abc import Sequence

from spindetect.learn._trainer import Example, hash_bucket

# (label, budget group or generator prefix) -> documents per split. A generator prefix starts with "gen:".
QUOTAS: dict[str, dict[tuple[str, str], int]] = {
    "train": {
        ("spun", "*"): 450, ("copy", "*"): 120, ("translated", "*"): 120, ("rewritten", "*"): 120,
        ("original", "real pages"): 10_000, ("original", "news with chrome"): 200, ("original", "plain news"): 150,
        ("original", "human translations"): 120, ("original", "Europarl originals"): 60,
        ("original", "original English (WMT22)"): 10_000,
    },
    "calib": {
        ("spun", "*"): 150, ("copy", "*"): 50, ("translated", "*"): 50, ("rewritten", "*"): 50,
        ("original", "real pages"): 10_000, ("original", "news with chrome"): 120, ("original", "plain news"): 100,
        ("original", "human translations"): 100, ("original", "Europarl originals"): 50,
        ("original", "original English (WMT22)"): 10_000,
    },
    "test": {
        ("spun", "gen:handbook"): 100, ("spun", "gen:distributional"): 100, ("spun", "gen:moby"): 60,
        ("copy", "*"): 40, ("translated", "*"): 40, ("rewritten", "*"): 40,
        ("original", "real pages"): 10_000, ("original", "news with chrome"): 100, ("original", "plain news"): 100,
        ("original", "human translations"): 60, ("original", "Europarl originals"): 30,
        ("original", "original English (WMT22)"): 10_000,
    },
}
SPLIT_ORDER = ("train", "calib", "test")


def _stratum(example: Example, split: str) -> tuple[str, str] | None:
    label = example.label
    quotas = QUOTAS[split]
    if label == "original":
        key = (label, example.extra.get("fpr_group") or "")
        return key if key in quotas else None
    for quota_label, what in quotas:
        if quota_label == label and (what == "*" or (what.startswith("gen:")
                                                     and example.generator.startswith(what[4:]))):
            return (quota_label, what)
    return None


def deep_sample(examples: Sequence[Example]) -> list[Example]:
    """The sample, ordered train, calib, test (so a run that stops early has the fitting rows first)."""
    chosen: list[Example] = []
    for split in SPLIT_ORDER:
        measuring = split == "test"
        candidates = [ex for ex in examples if ex.split == split and (measuring or not ex.extra.get("heldout"))]
        by_stratum: dict[tuple[str, str], list[Example]] = {}
        for ex in candidates:
            stratum = _stratum(ex, split)
            if stratum is not None:
                by_stratum.setdefault(stratum, []).append(ex)
        for stratum, members in by_stratum.items():
            members.sort(key=lambda ex: hash_bucket(ex.id))
            chosen.extend(members[:QUOTAS[split][stratum]])
    return chosen
