"""The held-out evaluation table: the figures the project is judged by, on generators never trained on.

Every row is measured on the `test` split only (groups never seen in training or calibration). Rows
marked "held out: family" use only generator families that were excluded from training entirely.
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.metrics import roc_auc_score

from spindetect.learn import Example

from .corpus_io import FPR_BUDGETS
from .splits import (
    HELDOUT_LLM_GENERATORS, HELDOUT_MT_SYSTEM, HELDOUT_WMT_PAIRS, HELDOUT_WMT_SYSTEMS, UNSEEN_RESIDUE_FAMILY,
    is_heldout_wmt_system,
)
from .wmt import LLM_SYSTEMS


def heldout_rows(examples: list[Example], scores: np.ndarray, flagged: np.ndarray) -> list[dict]:
    """Rows of {measure, heldout, value, goal, n} for the README, the model card and the closing note.
    `flagged`: the model's own flags (Model.flags), which may use a threshold per label."""
    flagged = np.asarray(flagged, dtype=bool)
    # Rows without an index are measured on the groups scored without one; "with index" rows on the rest.
    indexed = np.array([bool(ex.extra.get("with_index")) for ex in examples])
    test = np.array([ex.split == "test" for ex in examples]) & ~indexed
    label = np.array([ex.label for ex in examples])
    heldout = np.array([bool(ex.extra.get("heldout")) for ex in examples])
    source = np.array([ex.source for ex in examples])
    generator = np.array([ex.generator for ex in examples])
    rate = np.array([float(ex.extra.get("params", {}).get("rate", 0.0) or 0.0) for ex in examples])
    clean = np.array([ex.clean_news for ex in examples]) & test
    originals = test & (label == "original")

    rows = [
        _rate("false-positive rate on clean human news", "groups", flagged, clean, "≤ 0.010"),
        _rate("false-positive rate on all originals (incl. Europarl, hard negatives)", "groups", flagged,
              originals, "—"),
    ]
    spun = test & (label == "spun") & (rate >= 0.3)
    rows.append(_rate("recall on spun, ≥30% substitution", "family", flagged, spun & heldout, "≥ 0.95"))
    for family in sorted(set(generator[spun & heldout])):
        rows.append(_rate(f"  recall on spun ≥30%: {family}", "family", flagged, spun & heldout & (generator == family), "—"))
    rows.append(_rate("recall on spun, ≥30% substitution (trained families, unseen groups)", "groups", flagged,
                      spun & ~heldout, "—"))
    # The rate above is the spinner's own (share of the words it knows how to replace); a small word table
    # at 30% changes only a few percent of all words. This row measures by share of all words changed.
    changed_share = np.array([_changed_share(ex) for ex in examples])
    rows.append(_rate("recall on spun, ≥10% of all words changed", "family", flagged,
                      test & (label == "spun") & heldout & (changed_share >= 0.10), "—"))
    low_spun = test & (label == "spun") & (rate < 0.3) & heldout
    rows.append(_rate("recall on spun, <30% substitution", "family", flagged, low_spun, "—"))
    copies = test & (label == "copy")
    rows.append(_rate("recall on farm copies", "family", flagged, copies & heldout, "≥ 0.98"))
    rows.append(_rate("recall on farm copies (trained templates, unseen groups)", "groups", flagged,
                      copies & ~heldout, "—"))
    europarl_originals = originals & (source == "europarl")
    translated = test & (label == "translated")
    rows.append(_auc(f"AUC translated vs original (MT system {HELDOUT_MT_SYSTEM})", "family", scores,
                     translated & heldout, europarl_originals, "≥ 0.90"))
    rows.append(_auc("AUC translated vs original (trained MT systems)", "groups", scores, translated & ~heldout,
                     europarl_originals, "—"))
    news_originals = originals & (source != "europarl")
    rewritten = test & (label == "rewritten")
    rows.append(_auc(f"AUC rewritten vs original ({', '.join(sorted(HELDOUT_LLM_GENERATORS))})", "family", scores,
                     rewritten & heldout, news_originals, "≥ 0.85"))
    rows.append(_auc("AUC rewritten vs original (trained generators)", "groups", scores, rewritten & ~heldout,
                     news_originals, "—"))
    rows += real_world_rows(examples, scores, flagged, test)
    # With a source index holding the story's original (the half of the groups scored "with index").
    test = np.array([ex.split == "test" for ex in examples]) & indexed
    clean = np.array([ex.clean_news for ex in examples]) & test
    spun = test & (label == "spun") & (rate >= 0.3)
    copies = test & (label == "copy")
    rewritten = test & (label == "rewritten")
    rows += [
        _rate("with index: false-positive rate on clean human news (own story not indexed)", "groups", flagged,
              clean, "—"),
        _rate("with index: recall on spun, ≥30% substitution", "family", flagged, spun & heldout, "≥ 0.95"),
        _rate("with index: recall on farm copies", "family", flagged, copies & heldout, "≥ 0.95"),
        _rate("with index: recall on LLM rewrites", "family", flagged, rewritten & heldout, "≥ 0.95"),
        _rate("with index: recall on spun, ≥30% substitution (trained families, unseen groups)", "groups", flagged,
              spun & ~heldout, "—"),
        _rate("with index: recall on farm copies (trained templates, unseen groups)", "groups", flagged,
              copies & ~heldout, "—"),
        _rate("with index: recall on LLM rewrites (trained generators, unseen groups)", "groups", flagged,
              rewritten & ~heldout, "—"),
    ]
    return rows


def real_world_rows(examples: list[Example], scores: np.ndarray, flagged: np.ndarray,
                    test: np.ndarray) -> list[dict]:
    """The real-world figures: real pages of held-out sites, real chrome, farm residue on real chrome, and real
    machine translation of a held-out language pair and held-out systems (test rows scored without index)."""
    label = np.array([ex.label for ex in examples])
    generator = np.array([ex.generator for ex in examples])
    heldout = np.array([bool(ex.extra.get("heldout")) for ex in examples])
    pair = np.array([str(ex.extra.get("params", {}).get("pair", "")) for ex in examples])
    system = np.array([str(ex.extra.get("params", {}).get("system", "")) for ex in examples])
    group = np.array([ex.extra.get("fpr_group") or "" for ex in examples])
    starts = np.vectorize(lambda g, prefix: g.startswith(prefix), otypes=[bool])
    rows = [_rate("false-positive rate on real pages (held-out sites), HTML and text", "sites", flagged,
                  test & starts(generator, "real_page"), "≤ 0.010"),
            _rate("false-positive rate on news transplanted into real pages' chrome (held-out sites)", "sites",
                  flagged, test & starts(generator, "real_chrome"), "≤ 0.010")]
    for name, budget in FPR_BUDGETS.items():
        rows.append(_rate(f"  false-positive rate: {name}", "groups", flagged, test & (group == name),
                          f"≤ {budget:.3f}"))
    farm = test & (label == "copy") & starts(generator, "farm_real")
    unseen = starts(generator, f"farm_real:{UNSEEN_RESIDUE_FAMILY}")
    rows += [
        _rate("recall on farm residue on real chrome (held-out sites), trained residue wording", "sites", flagged,
              farm & ~heldout, "≥ 0.98"),
        _rate("recall on farm residue on real chrome (held-out sites), held-out wording (known to the "
              "v2 signatures' author)", "family", flagged, farm & heldout & ~unseen, "—"),
        _rate("recall on farm residue on real chrome (held-out sites), unseen residue kinds", "family",
              flagged, farm & unseen, "≥ 0.98"),
    ]
    machine = test & (label == "translated") & starts(generator, "wmt:")
    human = test & (generator == "wmt_human")
    english = test & (generator == "wmt_original")
    held_pair = np.isin(pair, sorted(HELDOUT_WMT_PAIRS))
    held_system = np.array([is_heldout_wmt_system(name) for name in system], dtype=bool)
    gpt4 = np.isin(system, sorted(LLM_SYSTEMS))
    pairs = ", ".join(sorted(HELDOUT_WMT_PAIRS))
    rows += [
        _auc(f"AUC machine vs human translation, held-out pairs {pairs} (WMT21-23)", "pair", scores,
             machine & held_pair, human & held_pair, "≥ 0.90"),
        _auc(f"AUC machine translation ({pairs}) vs original English (WMT22)", "pair", scores,
             machine & held_pair, english, "≥ 0.95"),
        _auc(f"AUC GPT-4 translation ({pairs}, WMT23) vs human translation of the held-out pairs", "pair", scores,
             machine & held_pair & gpt4, human & held_pair, "≥ 0.85"),
        _auc(f"AUC machine vs human translation, held-out systems {', '.join(sorted(HELDOUT_WMT_SYSTEMS))}, "
             "trained pairs", "family", scores, machine & held_system & ~held_pair, human & ~held_pair, "—"),
        _auc("AUC machine vs human translation, trained pairs and systems (unseen documents)", "groups", scores,
             machine & ~heldout, human & ~held_pair, "—"),
        _rate(f"flag rate on machine translation, held-out pairs {pairs}", "pair", flagged,
              machine & held_pair, "≥ 0.70"),
        _rate(f"flag rate on human translation, held-out pairs {pairs}", "pair", flagged,
              human & held_pair, "≤ 0.02"),
    ]
    return rows


def _changed_share(ex: Example) -> float:
    changed = ex.extra.get("params", {}).get("changed")
    words = len(re.findall(r"\w+", ex.item.text or ""))
    return float(changed) / words if changed and words else 0.0


def _rate(measure: str, heldout: str, flagged: np.ndarray, mask: np.ndarray, goal: str) -> dict:
    n = int(mask.sum())
    return {"measure": measure, "heldout": heldout, "value": float(flagged[mask].mean()) if n else None,
            "goal": goal, "n": n}


def _auc(measure: str, heldout: str, scores: np.ndarray, positives: np.ndarray, negatives: np.ndarray,
         goal: str) -> dict:
    n_pos, n_neg = int(positives.sum()), int(negatives.sum())
    value = None
    if n_pos and n_neg:
        truth = np.r_[np.ones(n_pos), np.zeros(n_neg)]
        value = float(roc_auc_score(truth, np.r_[scores[positives], scores[negatives]]))
    return {"measure": measure, "heldout": heldout, "value": value, "goal": goal, "n": n_pos + n_neg}


def format_rows(rows: list[dict]) -> str:
    out = ["| measure | held out | value | goal | n |", "|---|---|---|---|---|"]
    for row in rows:
        value = "n/a" if row["value"] is None else f"{row['value']:.3f}"
        out.append(f"| {row['measure']} | {row['heldout']} | {value} | {row['goal']} | {row['n']} |")
    return "\n".join(out)
