"""The cascade: which documents reach the language model, whose verdict stands, and the deep stage on disk."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from spindetect import Detector
from spindetect.cli import main
from spindetect.errors import ModelError
from spindetect.io import as_input_item
from spindetect.model import load_model
from spindetect.model._cascade import DEEP_DIR, Cascade, load_deep_stage

from conftest import REPO

BUNDLED = REPO / "models" / "spindetect-default"
HAS_DEEP = (BUNDLED / DEEP_DIR / "manifest.json").exists()
needs_deep = pytest.mark.skipif(not HAS_DEEP, reason="the bundled model has no deep stage")


class _Stub:
    send_above = 0.5
    sends = Cascade.sends


def test_modes_decide_who_is_sent_to_the_language_model():
    scores = np.array([0.1, 0.5, 0.9, 0.95, 0.97])
    flagged = np.array([False, False, True, True, False])
    labels = np.array(["original", "original", "spun", "copy", "original"])
    assert Cascade.sends(_Stub(), scores, flagged, labels, "fast").tolist() == [False] * 5
    # A fast copy is sent like any document (its text may be spun); a translation or rewrite never is.
    assert Cascade.sends(_Stub(), scores, flagged, labels, "default").tolist() == [False, True, True, True, True]
    assert Cascade.sends(_Stub(), scores, flagged, labels, "deep").tolist() == [True] * 5
    translated = np.array(["original", "original", "translated", "rewritten", "original"])
    assert Cascade.sends(_Stub(), scores, flagged, translated, "deep").tolist() == [True, True, False, False, True]


@pytest.mark.parametrize("fast, deep, takes", [
    (("original", False), ("spun", True), True),      # the deep stage found spinning the fast one missed
    (("spun", True), ("spun", True), True),           # the same verdict, with the language model's evidence
    (("spun", True), ("original", False), False),     # it never clears a fast flag (the index may be behind it)
    (("spun", True), ("copy", True), False),
    (("copy", True), ("spun", True), True),           # a spun copy: the stronger finding names the page
    (("copy", True), ("translated", True), True),
    (("copy", True), ("original", False), False),     # the copy stands
    (("rewritten", True), ("spun", True), False),     # rewrites: the fast verdict stands
    (("translated", True), ("spun", False), False),
    (("original", False), ("copy", True), False),     # the deep stage does not flag copies on its own
    (("original", False), ("rewritten", True), False),
    (("original", False), ("translated", True), True),  # a machine translation the fast model missed
    (("translated", True), ("translated", True), True),
    (("spun", True), ("translated", True), False),    # a fast flag's label stands
    (("translated", True), ("original", False), False),
])
def test_the_deep_stage_adds_spinning_and_translation_and_takes_nothing_away(fast, deep, takes):
    assert bool(Cascade.takes_deep(fast[0], fast[1], deep[0], deep[1])) is takes
    vectorised = Cascade.takes_deep(np.array([fast[0]]), np.array([fast[1]]), np.array([deep[0]]),
                                    np.array([deep[1]]))
    assert vectorised.tolist() == [takes]


def test_unknown_mode_is_refused(tiny_model_dir):
    with pytest.raises(ValueError, match="mode"):
        Detector(load_model(tiny_model_dir), mode="turbo")


def test_fast_mode_never_loads_the_deep_stage():
    assert Detector.load(BUNDLED, mode="fast").cascade is None


@needs_deep
@pytest.mark.parametrize("key, value", [("fast_model", "someone-else@9"), ("fast_booster_sha256", "0" * 64)])
def test_a_deep_stage_trained_beside_another_model_is_refused(tmp_path, key, value):
    copy = tmp_path / "model"
    shutil.copytree(BUNDLED, copy)
    manifest_path = copy / DEEP_DIR / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["training"]["cascade"][key] = value
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="trained beside"):
        load_deep_stage(load_model(copy))


@needs_deep
@pytest.mark.parametrize("family, swaps", [("moby_naive", {("contrive", "plan")}),
                                           ("distributional", {("congress", "council")})])  # held out
def test_deep_mode_flags_a_spin_the_fast_model_misses_and_names_the_replaced_words(family, swaps):
    import random

    from training.generators.spinners import spin

    text = spin((REPO / "data/examples/original.txt").read_text(), family, 0.3, random.Random(1)).text
    assert not Detector.load(BUNDLED, mode="fast").score(text).flagged
    verdict = Detector.load(BUNDLED, mode="deep").score(text, explain=True)
    assert verdict.flagged and verdict.label == "spun"
    assert verdict.model.startswith("spindetect-default-deep@")
    pairs = {(e["text"], e.get("replaced")) for r in verdict.reasons if r.feature.startswith("lm.")
             for e in r.evidence}
    assert swaps <= pairs


@needs_deep
def test_deep_mode_leaves_the_original_and_the_farm_copy_as_the_fast_model_has_them():
    fast, deep = Detector.load(BUNDLED, mode="fast"), Detector.load(BUNDLED, mode="deep")
    for name in ("original.txt", "farm_copy.html"):
        path = REPO / "data" / "examples" / name
        document = {"html": path.read_text()} if name.endswith(".html") else path.read_text()
        a, b = fast.score(document), deep.score(document)
        assert (a.flagged, a.label) == (b.flagged, b.label), name


@needs_deep
def test_default_mode_sends_only_documents_the_fast_model_cannot_clear(monkeypatch):
    detector = Detector.load(BUNDLED)
    sent = []
    original = detector.cascade.sends

    def recording(scores, flagged, labels, mode):
        mask = original(scores, flagged, labels, mode)
        sent.extend(mask.tolist())
        return mask

    monkeypatch.setattr(detector.cascade, "sends", recording)
    verdicts = list(detector.score_many([(REPO / "data/examples/original.txt").read_text(),
                                         (REPO / "data/examples/spun.txt").read_text()]))
    fast = list(Detector.load(BUNDLED, mode="fast").score_many(
        [(REPO / "data/examples/original.txt").read_text(), (REPO / "data/examples/spun.txt").read_text()]))
    labels = detector.model.manifest.labels
    send_scores = detector.cascade.send_scores(np.array([[v.probabilities[label] for label in labels] for v in fast]),
                                               np.array([v.score for v in fast]))
    assert sent == [bool(s >= detector.cascade.send_above) and (not v.flagged or v.label == "spun")
                    for s, v in zip(send_scores, fast)]
    assert sent == [False, True]  # the clean original is cleared by the fast model; the spun text is sent
    assert len(verdicts) == 2


@needs_deep
@pytest.mark.parametrize("flag", ["--fast", "--deep"])
def test_cli_modes_score_every_document(flag, tmp_path):
    import random

    from training.generators.spinners import spin

    spun = tmp_path / "spun.txt"
    spun.write_text(spin((REPO / "data/examples/original.txt").read_text(), "moby_naive", 0.3, random.Random(1)).text)
    result = CliRunner().invoke(main, ["score", flag, "--format", "jsonl", str(spun),
                                       str(REPO / "data/examples/original.txt")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["flagged"] for r in records] == [flag == "--deep", False]
    assert all(r["model"].startswith("spindetect-default@") for r in records) == (flag == "--fast")


def test_the_ceiling_threshold_holds_every_group_of_originals_within_its_budget():
    from benchmarks.cascade import oracle_threshold

    # 100 plain-news originals allow one false positive at 1%; 10 real pages allow none, so the real
    # pages' top score binds even though a plain-news original scores higher.
    score = np.r_[np.linspace(0.0, 0.5, 98), 0.6, 0.9, np.linspace(0.0, 0.7, 10)]
    group = np.array(["plain news"] * 100 + ["real pages"] * 10)
    originals = np.ones(len(score), bool)
    assert oracle_threshold(score, originals, group) == pytest.approx(0.7)
    # Without the real pages, the plain news' second-highest score binds (the highest is its one allowed).
    assert oracle_threshold(score, originals & (group == "plain news"), group) == pytest.approx(0.6)


def test_a_deep_stage_of_any_language_model_version_belongs_to_its_fast_model():
    from spindetect.features import registry
    from spindetect.model._cascade import LM_FAMILY, is_deep_stage_of

    fast = ["readability@1", "boilerplate@4"]
    assert is_deep_stage_of(fast, fast + [LM_FAMILY])
    assert is_deep_stage_of(fast, fast + ["lm@1"])  # 0.2.0's deep stage, without the translation probe
    assert not is_deep_stage_of(fast, fast)
    assert not is_deep_stage_of(fast, ["readability@1", "boilerplate@2", LM_FAMILY])
    assert not is_deep_stage_of(fast, fast + ["collocations@1"])
    assert not is_deep_stage_of(fast, fast + ["lm@1", LM_FAMILY])
    # Each version keeps the columns of the one before and adds its own: lm@2 the probe, lm@5 both ways.
    first, fourth, new = (registry.feature_names(registry.build([key])) for key in ("lm@1", "lm@4", LM_FAMILY))
    assert first == [name for name in fourth if name != "lm.translation_probe"]
    assert new[:len(fourth)] == fourth and "lm.both_ways_confirmed_per_100_words" in new[len(fourth):]


def test_the_first_language_model_version_scores_without_the_probe():
    from spindetect.features.language_model import LanguageModelFeaturesV1
    from spindetect.text._document import Document

    values = LanguageModelFeaturesV1().extract(Document(id="t", text="Too short.")).values
    assert set(values) == set(LanguageModelFeaturesV1.features) and "translation_probe" not in values


def test_the_send_score_is_the_fast_probability_of_what_the_deep_stage_can_add():
    from spindetect.model._cascade import SEND_DEEP_LABELS, SEND_FAST_SCORE, send_score

    labels = ["original", "copy", "spun", "translated", "rewritten"]
    probabilities = np.array([[0.7, 0.1, 0.1, 0.05, 0.05], [0.2, 0.7, 0.05, 0.0, 0.05]])
    scores = np.array([0.3, 0.8])
    np.testing.assert_allclose(send_score(SEND_DEEP_LABELS, labels, probabilities, scores), [0.15, 0.05])
    # deep stages that name no send score keep the rule they were chosen with: the fast score
    np.testing.assert_allclose(send_score(SEND_FAST_SCORE, labels, probabilities, scores), scores)


@needs_deep
def test_the_shipped_deep_stage_sends_by_its_named_score():
    from spindetect.model import load_model
    from spindetect.model._cascade import SEND_DEEP_LABELS, load_deep_stage

    cascade = load_deep_stage(load_model(BUNDLED))
    assert cascade.send_score_name == SEND_DEEP_LABELS
    assert 0.0 < cascade.send_above < 1.0


def test_a_spun_copy_is_labelled_spun_and_keeps_its_copy_residue():
    from spindetect.detector import _with_copy_finding
    from spindetect.verdict import Reason, Verdict

    residue = Reason("boilerplate.residue_weight", 2.1, "residue: 1", ({"text": "Source link"},))
    fast = Verdict("d", "d", "m@1", score=0.99, flagged=True, label="copy",
                   reasons=[residue, Reason("stylometry.mattr", 0.2, "mattr")])
    deep = Verdict("d", "d", "m-deep@1", score=0.97, flagged=True, label="spun",
                   reasons=[Reason("lm.both_ways_top_mean", 1.5, "gap", ({"text": "vocalized"},))])
    named = _with_copy_finding(deep, fast)
    assert named.label == "spun" and named.note.startswith("also_copy: the fast model flagged this page as a copy")
    # The copy's page evidence stays in the record; its reasons without evidence do not crowd it.
    assert [r.feature for r in named.reasons] == ["lm.both_ways_top_mean", "boilerplate.residue_weight"]


@needs_deep
def test_a_fast_copy_of_an_html_page_is_sent_on_its_article_alone():
    """The page's furniture makes the fast model sure of a copy, which hides doubt about the copied text; the
    article alone is scored for the send rule as any document's text would be."""
    import random

    from spindetect.verdict import Verdict
    from training.generators.theme_pages import THEMES, theme_page

    detector = Detector.load(BUNDLED, mode="default")
    title, _, body = (REPO / "data" / "examples" / "spun.txt").read_text().partition("\n")
    page = theme_page(title.strip(), [p for p in body.split("\n\n") if p.strip()],
                      ["One other story here", "Two other story here", "Three other story here"], THEMES[0],
                      "source_link", random.Random(0))
    scored = [detector._prepare_safely(as_input_item({"html": page.html}, "page")),
              detector._prepare_safely(as_input_item((REPO / "data" / "examples" / "spun.txt").read_text(), "text"))]
    copy = Verdict("d", "d", "m@1", score=0.99, flagged=True, label="copy")
    article = Detector.load(BUNDLED, mode="fast").score(scored[0].document.text)
    expected = article.probabilities["spun"] + article.probabilities["translated"]
    assert expected >= detector.cascade.send_above
    raised = detector._with_article_doubt(scored, [copy, copy], np.zeros(2))
    assert raised[0] == pytest.approx(expected, rel=1e-5)
    assert raised[1] == 0.0  # a text input has no article apart from its page
    unflagged = Verdict("d", "d", "m@1", score=0.1, flagged=False, label="original")
    assert detector._with_article_doubt(scored, [unflagged, unflagged], np.zeros(2)).tolist() == [0.0, 0.0]


@needs_deep
def test_the_default_mode_clears_a_sent_document_on_its_first_window_under_stop_below(monkeypatch):
    from spindetect.lm._scoring import Reading

    read = []
    advance = Reading.advance

    def recording(self, windows=None):
        advance(self, windows)
        read.append(self.windows)

    monkeypatch.setattr(Reading, "advance", recording)
    spun = (REPO / "data/examples/spun.txt").read_text()
    text = "\n\n".join([spun] * 3)  # three windows
    fast = Detector.load(BUNDLED, mode="fast").score(text)
    deep = Detector.load(BUNDLED, mode="deep").score(text)

    detector = Detector.load(BUNDLED)
    detector.cascade.stop_below = 1.0  # P(spun) + P(translated) is always under it: every sent document is cleared
    read.clear()
    cleared = detector.score(text)
    assert read == [(1, 3)]  # sent, read to the end of its first window, and no further
    assert (cleared.flagged, cleared.label, cleared.score, cleared.model) == (fast.flagged, fast.label, fast.score,
                                                                              fast.model)
    detector.cascade.stop_below = 0.0  # nothing is under it: every sent document is read to its end
    read.clear()
    whole = detector.score(text)
    assert read == [(1, 3), (3, 3)]
    assert (whole.flagged, whole.label, whole.score, whole.model) == (deep.flagged, deep.label, deep.score, deep.model)
    # --deep reads every document to its end, whatever stop_below says
    deep_detector = Detector.load(BUNDLED, mode="deep")
    deep_detector.cascade.stop_below = 1.0
    read.clear()
    assert deep_detector.score(text).score == deep.score and read[-1] == (3, 3)


@needs_deep
def test_the_bundled_stop_below_was_chosen_on_calibration_and_loses_few_findings():
    cascade = load_deep_stage(load_model(BUNDLED))
    manifest = cascade.deep.manifest
    assert cascade.stop_below is not None and 0.0 < cascade.stop_below < 1.0
    budget = manifest.training["cascade"]["stop_lost_share"]
    curve = sorted(manifest.metrics["stop_curve_calib"], key=lambda row: row["stop_below"])
    chosen = next(row for row in curve if row["stop_below"] == cascade.stop_below)
    assert chosen["lost_share"] <= budget and chosen["originals_cleared"] > 0.0
    # the largest value within the budget: the next one loses more
    larger = [row for row in curve if row["stop_below"] > cascade.stop_below]
    assert not larger or larger[0]["lost_share"] > budget
    # the deep stage's card says when documents reach it and when their reading stops
    card = (BUNDLED / DEEP_DIR / "MODEL_CARD.md").read_text()
    assert f"reaches {cascade.send_above:g}" in card and f"on it reaches {cascade.stop_below:g}" in card


def test_stop_below_is_the_largest_value_whose_lost_findings_stay_within_the_budget():
    from training.fit_deep_stop import choose_stop_below

    curve = [{"stop_below": v, "lost_share": lost} for v, lost in
             [(0.0, 0.0), (0.01, 0.0), (0.02, 0.005), (0.03, 0.02), (0.04, 0.02)]]
    assert choose_stop_below(curve, 0.01) == 0.02
    assert choose_stop_below(curve, 0.0) == 0.01
    assert choose_stop_below([{"stop_below": 0.01, "lost_share": 0.5}], 0.01) == 0.0  # nothing within: clear none
