"""Character-level obfuscation is undone before the features and counted as features, and detection
survives it: spun text obfuscated is flagged about as often as the plain spun text."""

import json
import random

import pytest

from conftest import REPO, requires_shared
from record_contract import BUNDLED_MODEL_DIR
from spindetect import Detector
from spindetect.text import normalize
from training.generators.obfuscation import KINDS, obfuscate
from training.splits import corpora_dir

ARTICLE = (REPO / "data" / "examples" / "original.txt").read_text(encoding="utf-8")
SPUN = (REPO / "data" / "examples" / "spun.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", [ARTICLE, SPUN, "", "I am a cat.", "Ünïcödé naïve café — “quoted”."])
def test_normalisation_undoes_every_obfuscation_exactly(kind, text):
    obfuscated = obfuscate(text, kind, rate=0.5, rng=random.Random(7))
    assert normalize(obfuscated).text == normalize(text).text


@pytest.mark.parametrize("kind, stat", [
    ("zero_width", "format_chars"), ("soft_hyphen", "soft_hyphens"), ("bidi", "bidi_controls"),
    ("fullwidth", "compatibility_forms"), ("homoglyph", "homoglyphs"),
])
def test_each_obfuscation_is_counted(kind, stat):
    obfuscated = obfuscate(ARTICLE, kind, rate=0.3, rng=random.Random(1))
    assert obfuscated != ARTICLE
    assert getattr(normalize(obfuscated).stats, stat) > 10
    assert normalize(ARTICLE).stats.total == 0


@pytest.mark.parametrize("kind, feature", [
    ("zero_width", "invisible_per_1k_chars"), ("soft_hyphen", "invisible_per_1k_chars"),
    ("bidi", "invisible_per_1k_chars"), ("fullwidth", "compatibility_per_1k_chars"),
    ("homoglyph", "homoglyphs_per_1k_chars"),
])
def test_obfuscation_reaches_the_obfuscation_features(tiny_model_dir, kind, feature):
    detector = Detector.load(tiny_model_dir, check_language=False)
    plain = detector.score(ARTICLE, explain=True)
    obfuscated = detector.score(obfuscate(ARTICLE, kind, 0.3, random.Random(2)), explain=True)

    def value(verdict):
        (reason,) = [r for r in verdict.reasons if r.feature == f"obfuscation.{feature}"]
        return reason.detail

    assert value(plain) != value(obfuscated)


def test_genuine_greek_and_cyrillic_words_are_left_alone():
    assert normalize("Москва").text == "Москва"
    assert normalize("Αθήνα").text == "Αθήνα"
    assert normalize("The word Москва means Moscow.").stats.homoglyphs == 0


# ---------------------------------------------------------------- recall with the bundled model

_RECALL_DOCS = 150
_RECALL_TOLERANCE = 0.02
_RATE = 0.15
_TRAINING_SPINNERS = ("moby_naive", "moby_rare", "moby_pos", "moby_phrase")


def _spun_dev_documents(n: int) -> list[str]:
    from training.generators.spinners import spin

    rng = random.Random(2005)
    spun = []
    with (corpora_dir() / "news" / "bbc-2004-2005.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("split") != "dev":
                continue
            family = _TRAINING_SPINNERS[len(spun) % len(_TRAINING_SPINNERS)]
            spun.append(spin(row["text"], family, rng.uniform(0.3, 0.6), rng).text)
            if len(spun) == n:
                break
    return spun


@requires_shared
def test_obfuscated_spun_text_is_flagged_as_often_as_plain_spun_text():
    # The fast model: normalisation undoes the tricks before any family, the language model's included, so
    # the parity measured here holds for the deep stage too, at a tenth of the time.
    detector = Detector.load(BUNDLED_MODEL_DIR, mode="fast")
    spun = _spun_dev_documents(_RECALL_DOCS)
    assert len(spun) == _RECALL_DOCS
    rng = random.Random(11)
    # Each document gets one trick (all five and "mixed" in rotation), so every trick is measured.
    obfuscated = [obfuscate(text, KINDS[i % len(KINDS)], _RATE, rng) for i, text in enumerate(spun)]
    plain_flags = [v.flagged for v in detector.score_many(spun)]
    obfuscated_flags = [v.flagged for v in detector.score_many(obfuscated)]
    plain_recall = sum(map(bool, plain_flags)) / len(spun)
    obfuscated_recall = sum(map(bool, obfuscated_flags)) / len(spun)
    # The comparison needs spins the model does flag. 0.1.0 flagged 57% of these plain spins; 0.2.0, whose
    # spun threshold holds real pages and translations within their budgets too, flags 41% (32-59% over
    # three training seeds), a loss stated in docs/evaluation.md (Limits in detail).
    assert plain_recall > 0.3, f"the bundled model flags only {plain_recall:.0%} of plain spun text"
    assert obfuscated_recall >= plain_recall - _RECALL_TOLERANCE, (plain_recall, obfuscated_recall)
