"""Evaluation gate: the bundled model keeps its pinned flags and labels on a small fixed set written by us.

The floors live in tests/data/metric_floors.json. After an intended model change (a retrain), refresh them
with `python -m training.metric_floors --write` and say so in the commit; see training/metric_floors.py
for what is pinned and with which margins.
"""

from __future__ import annotations

import json

import pytest

from training import metric_floors

PINNED = json.loads(metric_floors.FLOORS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def docs():
    return metric_floors.floor_set()


@pytest.fixture(scope="module")
def detector():
    from spindetect import Detector

    return Detector.load()


def test_the_set_is_the_pinned_one(docs):
    assert metric_floors.set_digest(docs) == PINNED["set_sha256"], (
        "the floor set changed (data/examples or the generators): re-pin with "
        "`python -m training.metric_floors --write`")
    assert sorted(PINNED["documents"]) == sorted(d["name"] for d in docs)
    assert {d["label"] for d in docs} == {"original", "copy", "spun"}


def test_bundled_model_meets_the_pinned_floors(docs, detector):
    measured = metric_floors.measure(detector, docs)
    same_model = PINNED["booster_sha256"] == metric_floors.booster_digest(detector)
    problems = metric_floors.check(PINNED, measured, same_model=same_model)
    assert not problems, ("; ".join(problems) + f" (model {detector.model_ref}, pinned for {PINNED['model']}; "
                          "after an intended change run `python -m training.metric_floors --write`)")


def test_the_gate_fails_a_model_that_flags_nothing(docs):
    share = sum(d["label"] == "original" for d in docs) / len(docs)
    measured = {"figures": {**PINNED["measured"], "flag_accuracy": share, "label_accuracy": share},
                "documents": {name: {**doc, "flagged": False, "predicted": "original"}
                              for name, doc in PINNED["documents"].items()}}
    problems = metric_floors.check(PINNED, measured, same_model=False)
    assert any("flag_accuracy" in p for p in problems) and any("changed flag or label" in p for p in problems)
