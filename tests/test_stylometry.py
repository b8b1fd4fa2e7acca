"""Stylometry: hand-checked values per feature, MATTR, and the direction of the rhythm/redundancy signals."""

from __future__ import annotations

import math

import pytest

from spindetect.text import Document
from spindetect.features.stylometry import Stylometry, compression_ratio, moving_average_ttr

FAMILY = Stylometry()


def values(text: str) -> dict[str, float]:
    return FAMILY.extract(Document("t", text)).values


NAN = math.nan


@pytest.mark.parametrize(
    ("text", "feature", "expected"),
    [
        ("", "compression_ratio", NAN),
        ("", "common_word_share", NAN),
        ("", "type_token_ratio", NAN),
        ("", "mattr", NAN),
        ("", "sentence_length_mean", NAN),
        ("", "sentence_length_cv", NAN),
        ("", "word_length_mean", NAN),
        ("", "commas_per_100_words", NAN),
        ("", "capitalised_word_rate", NAN),
        ("", "digit_token_rate", NAN),
        ("the of and to", "common_word_share", 1.0),
        ("the the the the", "type_token_ratio", 0.25),
        ("Cats purr. Dogs bark loudly.", "sentence_length_mean", 2.5),
        ("Cats purr. Dogs bark loudly.", "sentence_length_std", 0.5),
        ("Cats purr. Dogs bark loudly.", "sentence_length_cv", 0.2),
        ("Cats purr. Dogs bark loudly.", "capitalised_word_rate", 0.4),
        ("ab abcd", "word_length_mean", 3.0),
        ("ab abcd", "word_length_std", 1.0),
        ("We won 3 of 4 games", "digit_token_rate", 2 / 6),
        ("Yes, no, maybe; well: fine", "commas_per_100_words", 40.0),
        ("Yes, no, maybe; well: fine", "semicolons_per_100_words", 20.0),
        ("Yes, no, maybe; well: fine", "colons_per_100_words", 20.0),
        ("Wait \u2014 what? Really! (Yes.) \"Fine\"", "dashes_per_100_words", 20.0),
        ("Wait \u2014 what? Really! (Yes.) \"Fine\"", "questions_per_100_words", 20.0),
        ("Wait \u2014 what? Really! (Yes.) \"Fine\"", "exclamations_per_100_words", 20.0),
        ("Wait \u2014 what? Really! (Yes.) \"Fine\"", "parentheses_per_100_words", 20.0),
        ("Wait \u2014 what? Really! (Yes.) \"Fine\"", "quotes_per_100_words", 40.0),
        ("A spaced - hyphen counts as a dash", "dashes_per_100_words", 100 / 7),
    ],
)
def test_feature_values(text: str, feature: str, expected: float) -> None:
    got = values(text)[feature]
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("words", "window", "expected"),
    [
        ([], 50, NAN),
        (["a", "b", "a", "b"], 2, 1.0),
        (["a", "a", "a"], 2, 0.5),
        (["a", "b", "c"], 50, 1.0),  # shorter than the window: plain TTR
        (["a", "a", "b", "c"], 3, (2 / 3 + 3 / 3) / 2),
    ],
)
def test_moving_average_ttr(words: list[str], window: int, expected: float) -> None:
    got = moving_average_ttr(words, window)
    assert math.isnan(got) if math.isnan(expected) else got == pytest.approx(expected)


def test_repetitive_text_compresses_better() -> None:
    repetitive = "Buy cheap shoes online today. " * 40
    varied = (
        "The river flooded the lower town overnight. Volunteers stacked sandbags along the quay while the "
        "council opened the school gym to displaced families. By morning, engineers reported that the old "
        "bridge had held, although the road to the hospital stayed closed until noon."
    )
    assert compression_ratio(repetitive) < compression_ratio(varied)


def test_uniform_sentences_have_lower_variation() -> None:
    uniform = "The plan was approved by the board. The vote was held on a Monday. The result was announced soon."
    varied = "No. The plan, after months of argument, was finally approved by the board on a wet Monday. Fine."
    assert values(uniform)["sentence_length_cv"] < values(varied)["sentence_length_cv"]


@pytest.mark.parametrize("text", ["", " ", "...", "123 456", "\u00fcber caf\u00e9", "x" * 10000])
def test_every_feature_present_and_no_exception(text: str) -> None:
    got = values(text)
    assert set(got) == set(Stylometry.features)
    assert all(isinstance(v, float) for v in got.values())
