"""Evidence floors: a record shows a scored span only where its strength is unusual for clean text, strongest
first, and a flagged record never loses the evidence it rests on."""

from __future__ import annotations

import copy
import json
from types import SimpleNamespace

import numpy as np
import pytest

from conftest import REPO
from spindetect import Detector
from spindetect.model import _explain
from spindetect.model._floors import FLOORS_FILE, EvidenceFloors, Floor, evidence_floors, parse_floors, source_key
from spindetect.text import Document
from training.fit_evidence_floors import group_floor, shipped_families

ORIGINAL = (REPO / "data" / "examples" / "original.txt").read_text()
SPUN = (REPO / "data" / "examples" / "spun.txt").read_text()
NO_FLOORS = EvidenceFloors({}, {})


@pytest.fixture(scope="module")
def detector():
    return Detector.load()


def shown(verdict) -> list[dict]:
    return [item for reason in verdict.reasons for item in reason.evidence if item.get("start") is not None]


def score_with(detector, text: str, floors: EvidenceFloors, monkeypatch):
    monkeypatch.setattr(_explain, "evidence_floors", lambda: floors)
    return detector.score(text, explain=True)


def test_the_floors_file_loads_with_its_provenance_and_covers_every_scored_source(detector):
    floors = evidence_floors()
    provenance = floors.provenance
    assert {"datasets", "split", "budget_per_1000_words", "date", "script", "families", "groups",
            "rule"} <= set(provenance)
    assert "test" not in provenance["split"].replace("never the test split", "")
    assert set(provenance["groups"]) == {"news articles", "real pages"}
    # every span the shipped families score on the examples has a floor for its source, of its kind
    for text in (ORIGINAL, SPUN):
        document = Document(id="x", text=text)
        for family in shipped_families(detector):
            for source, items in family.extract(document).evidence.items():
                for item in items:
                    if item.strength is None or item.kind in _explain.UNSHOWN_EVIDENCE_KINDS:
                        continue
                    floor = floors.floor(family, source)
                    assert floor is not None, source_key(family, source)
                    assert floor.kind == item.kind and floor.floor is not None and floor.clean_spans > 0


@pytest.mark.parametrize("change", [
    lambda d: d.update(format=99),
    lambda d: d.update(extra=1),
    lambda d: next(iter(d["floors"].values())).update(flor=1.0),
    lambda d: next(iter(d["floors"].values())).update(floor="inf"),
])
def test_a_malformed_floors_file_fails_loudly(change):
    from importlib.resources import files

    data = json.loads(files("spindetect.resources").joinpath(FLOORS_FILE).read_text("utf-8"))
    parse_floors(copy.deepcopy(data))  # the shipped file is well formed
    change(data)
    with pytest.raises(ValueError):
        parse_floors(data)


def test_a_floor_holds_every_group_of_clean_text_to_its_budget_of_spans_per_1000_words():
    rng = np.random.default_rng(0)
    # real pages: fewer spans per word than news, but a heavier tail
    strengths = {"news articles": rng.normal(11.0, 1.5, 400), "real pages": rng.normal(11.5, 2.5, 300),
                 "no span of this source": np.array([])}
    words = {"news articles": 60_000, "real pages": 80_000, "no span of this source": 10_000}
    floor = group_floor(strengths, words, budget=0.1)
    shown = {group: int((values > floor).sum()) for group, values in strengths.items()}
    assert shown["news articles"] <= 6 and shown["real pages"] <= 8  # 0.1 per 1,000 words
    assert shown["real pages"] == 8  # the lowest such floor: the group with the heavier tail sets it
    pooled = np.sort(np.concatenate(list(strengths.values())))[::-1][int(0.1 * sum(words.values()) / 1000)]
    assert (strengths["real pages"] > pooled).sum() > 8  # what pooling the groups would have let pages show
    # a source rarer on clean text than its budget keeps all its spans
    assert group_floor({"news articles": np.array([12.0, 13.0])}, {"news articles": 60_000}, 0.1) is None


def test_a_floor_lets_through_only_what_is_stronger_and_unscored_spans():
    floor = Floor("garbled_collocation", 12.0, 100)
    assert floor.clears(12.5) and not floor.clears(12.0) and not floor.clears(3.0)
    assert floor.clears(None)  # a matched page line is a fact, not a measurement
    assert Floor("lm_both_ways", None, 0).clears(1.0)


def test_the_clean_example_shows_fewer_spans_than_without_floors(detector, monkeypatch):
    before = score_with(detector, ORIGINAL, NO_FLOORS, monkeypatch)
    after = score_with(detector, ORIGINAL, evidence_floors(), monkeypatch)
    assert not before.flagged and not after.flagged
    assert shown(before)  # without floors the original example showed spans
    assert len(shown(after)) < len(shown(before))
    assert [r.contribution for r in after.reasons] == [r.contribution for r in before.reasons]  # values unchanged


def test_the_spun_example_still_shows_its_real_swaps_strongest_first(detector):
    from benchmarks.evidence_quality import replaced_ranges

    verdict = detector.score(SPUN, explain=True)
    spans = shown(verdict)
    replaced = replaced_ranges(ORIGINAL, SPUN)
    covering = [s for s in spans if any(a < s["end"] and s["start"] < b for a, b in replaced)]
    assert verdict.flagged and verdict.label == "spun"
    # "Metropolis" where the original has "City"; no span on a word the spinner left alone
    assert len(covering) >= 1 and len(covering) == len(spans)
    # within a reason, the spans come strongest first by their family's own measure
    document = Document(id="s", text=SPUN)
    strength = {(e.start, e.end, e.kind): e.strength for family in shipped_families(detector)
                for items in family.extract(document).evidence.values() for e in items}
    for reason in verdict.reasons:
        values = [strength[(e["start"], e["end"], e["kind"])] for e in reason.evidence if "start" in e]
        assert values == sorted(values, reverse=True), reason.feature


def test_a_flagged_record_keeps_the_evidence_it_rests_on_when_no_span_clears_a_floor(detector, monkeypatch):
    unreachable = EvidenceFloors({key: Floor(f.kind, 1e9, f.clean_spans)
                                  for key, f in evidence_floors().floors.items()}, {})
    unfloored = score_with(detector, SPUN, NO_FLOORS, monkeypatch)
    verdict = score_with(detector, SPUN, unreachable, monkeypatch)
    assert verdict.flagged
    strongest = next(reason for reason in unfloored.reasons if reason.evidence)
    assert [(r.feature, r.evidence) for r in verdict.reasons if r.evidence] == [(strongest.feature, strongest.evidence)]


class _Model:
    """Just what `build_reasons` reads of a model."""

    def __init__(self, families, names):
        self.families = families
        self.manifest = SimpleNamespace(feature_names=names, residue_decides_at=1.0)


@pytest.mark.parametrize("label, flagged, expected", [
    ("translated", True, {"translation.mt_score_max": ["Sentence."], "collocations.garbled_per_100_words": ["c d"]}),
    ("spun", True, {"translation.mt_score_max": [], "collocations.garbled_per_100_words": ["c d"]}),
    # an original: reasons pushing towards the rival show what clears its floor; no label exception
    ("translated", False, {"translation.mt_score_max": [], "collocations.garbled_per_100_words": ["c d"]}),
])
def test_floors_the_label_exception_and_the_order(label, flagged, expected):
    from spindetect.features.base import Evidence, FeatureResult
    from spindetect.features.collocations import Collocations
    from spindetect.features.translation import Translation

    names = ["translation.mt_score_max", "collocations.garbled_per_100_words"]
    results = {
        "translation": FeatureResult({}, {"mt_score_max": [
            Evidence("Sentence.", 0, 9, kind="machine_translated_sentence", strength=1.0)]}),
        "collocations": FeatureResult({}, {"garbled_per_100_words": [
            Evidence("a b", 10, 13, kind="garbled_collocation", strength=11.0),
            Evidence("e f", 20, 23, kind="garbled_collocation", strength=16.0),
            Evidence("c d", 14, 17, kind="garbled_collocation", strength=20.0)]}),
    }
    floors = EvidenceFloors({source_key(Translation, "mt_score_max"): Floor("machine_translated_sentence", 5.0, 9),
                             source_key(Collocations, "garbled_per_100_words"): Floor("garbled_collocation", 16.0, 9)},
                            {})
    sign = 1 if flagged else -1
    reasons = _explain.build_reasons(_Model([Translation, Collocations], names), np.array([1.0, 2.0]),
                                     np.array([0.5, 0.4]) * sign, results, limit=None, flagged=flagged,
                                     label=label, floors=floors)
    assert {r.feature: [e["text"] for e in r.evidence] for r in reasons} == expected
    both = EvidenceFloors({}, {})  # no floors: every span, strongest first
    reasons = _explain.build_reasons(_Model([Translation, Collocations], names), np.array([1.0, 2.0]),
                                     np.array([0.5, 0.4]), results, limit=None, flagged=True, label=label,
                                     floors=both)
    assert [e["text"] for e in reasons[1].evidence] == ["c d", "e f", "a b"]
