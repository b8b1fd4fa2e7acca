"""The library API: Detector.score / score_many on text, dicts and HTML; isolation; thread safety."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO
from spindetect import Detector, Verdict

EXAMPLES = REPO / "data" / "examples"
ORIGINAL = (EXAMPLES / "original.txt").read_text()
SPUN = (EXAMPLES / "spun.txt").read_text()
FARM = (EXAMPLES / "farm_copy.html").read_text()


@pytest.fixture(scope="module")
def detector(tiny_model_dir):
    return Detector.load(tiny_model_dir)


def test_score_text_returns_a_complete_verdict(detector):
    verdict = detector.score(ORIGINAL, id="a")
    assert isinstance(verdict, Verdict)
    assert verdict.id == "a" and verdict.ok
    assert 0 <= verdict.score <= 1 and verdict.flagged == (verdict.score >= detector.threshold)
    assert abs(sum(verdict.probabilities.values()) - 1) < 1e-4
    assert len(verdict.reasons) >= 3
    contributions = [r.contribution for r in verdict.reasons]
    assert contributions == sorted(contributions, reverse=True)


def test_label_agrees_with_flag(detector):
    for verdict in detector.score_many([ORIGINAL, SPUN, {"html": FARM}]):
        assert (verdict.label != "original") == verdict.flagged


@pytest.mark.parametrize("bad, kind", [("", "empty"), ("   \n", "empty"), ({"text": 3}, "invalid_text"),
                                       ({"id": "x"}, "missing_text"), (17, "invalid_record"),
                                       ({"html": "<html><script>var a=1;</script></html>"}, "no_text")])
def test_bad_documents_become_error_verdicts_and_the_batch_goes_on(detector, bad, kind):
    verdicts = list(detector.score_many([ORIGINAL, bad, SPUN]))
    assert len(verdicts) == 3
    assert verdicts[0].ok and verdicts[2].ok
    assert verdicts[1].error["type"] == kind
    assert verdicts[1].score is None and verdicts[1].label is None and verdicts[1].flagged is None


def test_html_furniture_reaches_the_features(detector):
    verdict = detector.score({"id": "farm", "html": FARM}, explain=True)
    evidence = [e for r in verdict.reasons for e in r.evidence]
    assert any("Leave a Reply" in e["text"] or "email address" in e["text"] for e in evidence)


def test_non_english_is_not_scored_but_noted(detector):
    german = ("Der Stadtrat hat am Dienstag einen Plan gebilligt, zwölf Meilen geschützte Radwege durch die "
              "Innenstadt zu bauen. Die ersten Abschnitte sollen im nächsten Frühjahr fertig sein.")
    verdict = detector.score(german)
    assert verdict.ok and verdict.score is None and verdict.label is None and verdict.flagged is False
    assert verdict.note.startswith("unsupported_language")


def test_eight_threads_agree_with_serial_scoring(detector):
    documents = [ORIGINAL, SPUN, {"html": FARM}, ORIGINAL[:400], SPUN[::-1]] * 8
    serial = [v.to_record() for v in detector.score_many(documents)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda d: detector.score(d).to_record(), documents))
    for a, b in zip(serial, threaded):
        a.pop("id"), a.pop("input"), b.pop("id"), b.pop("input")
    assert threaded == serial
