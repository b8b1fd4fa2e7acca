"""Reasons carry a feature's own evidence, or the evidence its family declares as explaining it, never
another feature's spans by accident."""

import pytest

from conftest import REPO
from spindetect.text import Document
from spindetect.model._explain import _evidence_for
from spindetect.features import registry
from spindetect.features.base import Evidence, FeatureResult
from spindetect.features.boilerplate import Boilerplate

FAMILIES = [registry.available()[key] for key in registry.DEFAULT_FAMILIES]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.name)
def test_declared_evidence_sources_are_features_of_the_family(family):
    for feature, sources in family.evidence_from.items():
        assert feature in family.features
        assert sources and all(source in family.features and source != feature for source in sources)


def test_a_feature_without_evidence_of_its_own_borrows_only_what_is_declared():
    comment_line = Evidence("Leave a Reply", kind="boilerplate:comment_form")
    result = FeatureResult({}, {"sig_comment_form": [comment_line]})
    assert _evidence_for(result, Boilerplate, "sig_comment_form") == [("sig_comment_form", comment_line)]
    # declared: with the feature that recorded it, whose floor it must clear
    assert _evidence_for(result, Boilerplate, "signature_weight") == [("sig_comment_form", comment_line)]
    assert _evidence_for(result, Boilerplate, "headline_run_lines") == []  # a comment form is not a headline
    assert _evidence_for(None, Boilerplate, "signature_weight") == []


def test_furniture_after_the_article_is_the_evidence_for_the_page_layout():
    body = ("The harbour authority said on Monday that repairs to the old grain pier would start in May "
            "and take most of the summer to finish.")
    text = body + "\nShare\nMore from us\nToday's horoscope\nbody\nbody\n"
    result = Boilerplate().extract(Document(id="t", text=text))
    after = [item.text for item in result.evidence["lines_after_last_prose"]]
    assert after == ["Share", "More from us", "Today's horoscope", "body", "body"]
    assert [item.text for item in result.evidence["repeated_line_share"]] == ["body"]
    assert text[result.evidence["repeated_line_share"][0].start:].startswith("body")


def test_kinds_that_mark_clean_text_as_often_as_spun_text_are_recorded_but_never_shown(monkeypatch):
    from spindetect import Detector
    from spindetect.features.plausibility import Plausibility
    from spindetect.model import _explain
    from spindetect.model._explain import UNSHOWN_EVIDENCE_KINDS
    from spindetect.model._floors import EvidenceFloors

    monkeypatch.setattr(_explain, "evidence_floors", lambda: EvidenceFloors({}, {}))  # hidden even unfloored

    text = (REPO / "data" / "examples" / "original.txt").read_text()
    recorded = Plausibility().extract(Document(id="o", text=text)).evidence
    assert any(e.kind == "unseen_common_pair" for items in recorded.values() for e in items)  # the family has them
    verdict = Detector.load(mode="fast").score(text, explain=True)
    shown = [item for reason in verdict.reasons for item in reason.evidence]
    assert shown and not any(item.get("kind") in UNSHOWN_EVIDENCE_KINDS for item in shown)
    # the features stay among the reasons
    assert any(reason.feature == "plausibility.unseen_common_pairs_per_100_words" for reason in verdict.reasons)


def test_evidence_is_shown_only_under_reasons_that_argue_for_manipulation(monkeypatch):
    """A flagged document's spans sit under reasons pushing towards its label; an original's only under
    reasons pushing towards its rival. The original example has spans under reasons that made it read as
    original (its collocations, its language), so the rule hides something there. (Without the evidence
    floors, which hide the rest of the original's spans: tests/test_evidence_floors.py.)"""
    from spindetect import Detector
    from spindetect.model import _explain
    from spindetect.model._floors import EvidenceFloors

    monkeypatch.setattr(_explain, "evidence_floors", lambda: EvidenceFloors({}, {}))

    detector = Detector.load(mode="fast")
    original = detector.score((REPO / "data" / "examples" / "original.txt").read_text(), explain=True)
    copy = detector.score({"html": (REPO / "data" / "examples" / "farm_copy.html").read_text()}, explain=True)
    assert not original.flagged and copy.flagged
    for verdict, sign in ((original, -1), (copy, +1)):
        with_evidence = [reason for reason in verdict.reasons if reason.evidence]
        assert with_evidence, verdict.id
        assert all(sign * reason.contribution > 0 for reason in with_evidence), verdict.id
    families = {family.name: family for family in detector.model.families}
    document = Document(id="o", text=(REPO / "data" / "examples" / "original.txt").read_text())
    hidden = [reason for reason in original.reasons if reason.contribution > 0 and not reason.evidence
              and _evidence_for(families[reason.feature.split(".")[0]].extract(document),
                                families[reason.feature.split(".")[0]], reason.feature.split(".", 1)[1])]
    assert hidden


def test_a_span_is_shown_once_under_the_strongest_reason_it_backs():
    """A swap the language model confirms backs five `lm` readings; the spun example's record showed its
    three swaps five times over."""
    from spindetect import Detector

    verdict = Detector.load(mode="deep").score((REPO / "data" / "examples" / "spun.txt").read_text(), explain=True)
    spans = [(e["text"], e.get("start"), e.get("end"), e.get("kind")) for r in verdict.reasons for e in r.evidence]
    assert verdict.label == "spun" and any(kind == "lm_both_ways" for *_, kind in spans)
    assert len(spans) == len(set(spans))
