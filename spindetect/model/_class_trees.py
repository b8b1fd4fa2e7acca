"""TreeSHAP over the trees of the classes a verdict needs, not over every class of the booster.

A multi-class xgboost booster grows one tree per class per round, and a class's margin (and so its
TreeSHAP contributions) is the sum over that class's trees only. A verdict's reasons need the
contributions of two classes per document (its label and the strongest rival), while
`Booster.predict(pred_contribs=True)` computes all five: the costliest step of scoring. So the booster is
split once into one single-output booster per class (same trees, same base score), and each document's
contributions are computed on the two it needs. The values are those of the full computation, bit for
bit (TreeSHAP is per tree; tests/test_class_trees.py checks it).

The DMatrix of a batch is built on one thread: it is microseconds of work, and a parallel region that has
to wait for a second thread costs milliseconds whenever the other cores are busy.
"""

from __future__ import annotations

import json

import numpy as np


def split_by_class(booster) -> list:
    """One regression booster per class, holding exactly that class's trees in their original order."""
    import xgboost as xgb

    raw = json.loads(booster.save_raw("json"))
    learner = raw["learner"]
    trees = learner["gradient_booster"]["model"]
    base_scores = json.loads(learner["learner_model_param"]["base_score"])
    n_classes = int(learner["learner_model_param"]["num_class"])
    boosters = []
    for k in range(n_classes):
        own = [dict(tree, id=i) for i, tree in
               enumerate(tree for tree, cls in zip(trees["trees"], trees["tree_info"]) if cls == k)]
        model = {
            "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": str(len(own))},
            "iteration_indptr": list(range(len(own) + 1)), "tree_info": [0] * len(own), "trees": own,
            "cats": trees.get("cats", {}),
        }
        single = {
            **learner,
            "gradient_booster": {**learner["gradient_booster"], "model": model},
            "learner_model_param": {**learner["learner_model_param"], "num_class": "0",
                                    "base_score": f"[{base_scores[k]!r}]"},
            # Contributions are margins, so the objective only has to be a single-output one with an
            # identity link: the base score then enters the bias column unchanged.
            "objective": {"name": "reg:squarederror", "reg_loss_param": {"scale_pos_weight": "1"}},
        }
        part = xgb.Booster()
        part.load_model(bytearray(json.dumps({"version": raw["version"], "learner": single}).encode()))
        boosters.append(part)
    return boosters


def contrast(class_boosters: list, features: np.ndarray, labels: np.ndarray, against: np.ndarray,
             feature_names: list[str]) -> np.ndarray:
    """Per row i: contributions of class labels[i] minus those of class against[i], shape (n, n_features + 1)."""
    import xgboost as xgb

    n = len(features)
    width = features.shape[1] + 1
    plus = np.empty((n, width), dtype=np.float32)
    minus = np.empty((n, width), dtype=np.float32)
    for k in np.union1d(labels, against).tolist():
        rows = np.flatnonzero((labels == k) | (against == k))
        matrix = xgb.DMatrix(features[rows], feature_names=feature_names, missing=np.nan, nthread=1)
        values = np.asarray(class_boosters[k].predict(matrix, pred_contribs=True))
        values = values.reshape(len(rows), width)
        plus[rows[labels[rows] == k]] = values[labels[rows] == k]
        minus[rows[against[rows] == k]] = values[against[rows] == k]
    return plus - minus
