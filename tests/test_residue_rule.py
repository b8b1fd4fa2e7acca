"""Farm residue that decides a verdict whatever the score (issue #11, "signatures that decide")."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import with_manifest
from spindetect import Detector
from spindetect.errors import ModelError
from spindetect.learn import residue_rule_weight
from spindetect.model import LABELS, RESIDUE_FEATURE, load_model

NAMES = ["a", RESIDUE_FEATURE, "b"]
ORIGINAL, COPY, SPUN = (LABELS.index(label) for label in ("original", "copy", "spun"))


def _rows(weights, labels):
    X = np.zeros((len(weights), len(NAMES)), dtype=np.float32)
    X[:, 1] = weights
    return X, np.array(labels)


def test_the_rule_weight_is_one_weakest_signature_above_the_highest_original_of_the_rows_it_is_given() -> None:
    X, y = _rows([1.7, 0.9, 4.0, 9.0], [ORIGINAL, ORIGINAL, COPY, ORIGINAL])
    fitting = np.array([True, True, True, False])  # the last original is a measuring row: it must not count
    assert residue_rule_weight(X, y, fitting, NAMES) == 2.3
    assert residue_rule_weight(X, y, np.ones(4, dtype=bool), NAMES) == 9.6


def test_the_rule_weight_never_falls_below_two_signatures_and_needs_originals_and_the_feature() -> None:
    X, y = _rows([0.0, np.nan, 3.0], [ORIGINAL, ORIGINAL, COPY])
    assert residue_rule_weight(X, y, np.ones(3, dtype=bool), NAMES) == 2.0
    assert residue_rule_weight(X, y, np.array([False, False, True]), NAMES) is None
    assert residue_rule_weight(X, y, np.ones(3, dtype=bool), ["a", "c", "b"]) is None


def _residue_matrix(model, weights):
    X = np.zeros((len(weights), len(model.manifest.feature_names)), dtype=np.float32)
    X[:, model.manifest.feature_names.index(RESIDUE_FEATURE)] = weights
    return X


def test_a_model_flags_strong_residue_as_a_copy_and_leaves_weaker_residue_to_its_score(tiny_model_dir,
                                                                                         tmp_path) -> None:
    plain = load_model(tiny_model_dir)
    assert plain.manifest.residue_decides_at is None
    model = load_model(with_manifest(tiny_model_dir, tmp_path / "model", residue_decides_at=2.3))
    X = _residue_matrix(model, [0.0, 2.2, 2.3, 3.8])
    by_score = plain.decide(X)
    assert not by_score.flagged.any()  # the tiny model scores these rows as originals
    decided = model.decide(X)
    assert decided.flagged.tolist() == [False, False, True, True]
    assert decided.by_residue.tolist() == [False, False, True, True]
    assert [LABELS[i] for i in decided.label_index] == ["original", "original", "copy", "copy"]
    assert [LABELS[i] for i in decided.against[2:]] == ["original", "original"]
    np.testing.assert_array_equal(decided.scores, by_score.scores)  # the rule flags; it does not rewrite scores
    assert model.decide(X, threshold=0.9999).flagged.tolist() == [False, False, True, True]  # evidence, not score


def test_a_row_its_score_flags_keeps_its_own_label_under_the_rule(tiny_model_dir, tmp_path) -> None:
    model = load_model(with_manifest(tiny_model_dir, tmp_path / "model", residue_decides_at=2.0))
    X = _residue_matrix(model, [3.0])
    X[0, SPUN] += 4.0  # the tiny model's class k is shifted along feature k
    decisions = model.decide(X)
    assert decisions.flagged.tolist() == [True]
    assert decisions.by_residue.tolist() == [False]
    assert LABELS[decisions.label_index[0]] == "spun"


@pytest.mark.parametrize("weight", [0, -1.0, "x"])
def test_a_malformed_rule_weight_is_refused(tiny_model_dir, tmp_path, weight) -> None:
    with pytest.raises(ModelError):
        load_model(with_manifest(tiny_model_dir, tmp_path / "model", residue_decides_at=weight))


def test_a_record_flagged_by_residue_says_the_residue_decided_and_shows_its_lines(tiny_model_dir, tmp_path) -> None:
    body = " ".join(["The council met on Tuesday to discuss the new budget for the town's schools."] * 12)
    # A feed footer and a scraper's "Source link": residue weight 2 (1.0 + 1.0) in registry version 3.
    text = (f"Council agrees school budget\n\n{body}\n\n"
            "The post Council agrees school budget appeared first on Daily News Hub.\nSource link\n")
    assert Detector.load(tiny_model_dir).score(text).flagged is False
    above = with_manifest(tiny_model_dir, tmp_path / "above", residue_decides_at=2.5)
    assert Detector.load(above).score(text).flagged is False
    model_dir = with_manifest(tiny_model_dir, tmp_path / "at", residue_decides_at=2.0)
    record = Detector.load(model_dir).score(text, id="farm").to_record()
    assert record["flagged"] is True and record["label"] == "copy"
    first = record["reasons"][0]
    assert first["feature"] == RESIDUE_FEATURE
    assert first["detail"].startswith("decided the verdict:")
    assert any("appeared first on" in item["text"] for item in first["evidence"])
