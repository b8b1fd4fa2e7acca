"""Translation family: masking, scoring direction on own texts, the shipped lexicon's provenance, and the
training split rules."""

from __future__ import annotations

import importlib.resources
import json
import math
import re

import pytest

from spindetect.text import Document
from spindetect.features.translation import (
    FUNCTION_WORDS,
    LEXICON_FILE,
    Masking,
    Translation,
    fold_typography,
    lexicons,
    ngrams,
    sentence_spans,
)

from training.splits import corpora_dir

FAMILY = Translation()
MT_MASKING = Masking(FUNCTION_WORDS, mark_capitals=True, drop_quotes=False)
LOWER_MASKING = Masking(FUNCTION_WORDS, mark_capitals=False, drop_quotes=True)

# Own texts. LITERAL is German word order rendered word for word into English; IDIOMATIC says the same
# things as a native speaker would.
LITERAL = (
    "In the framework of this report would I like to the Commission my thanks express. It concerns itself "
    "here around a question, which for all citizens of great meaning is. We must us therefore the question "
    "put, whether the measures also really to the goal lead. The Council has itself until now not to this "
    "expressed, what I very regrettable find."
)
IDIOMATIC = (
    "I want to thank the Commission for this report. This matters to every citizen. So we have to ask "
    "whether these measures will actually work. The Council still hasn't said a word about it, which is a "
    "real shame."
)


def values(text: str) -> dict[str, float]:
    return FAMILY.extract(Document("t", text)).values


@pytest.mark.parametrize(
    ("masking", "sentence", "expected"),
    [
        (MT_MASKING, "", []),
        (MT_MASKING, "The minister's report, however, didn't arrive.",
         ["the", "W", "'s", "W", ",", "however", ",", "did", "not", "W", "."]),
        (MT_MASKING, "He met Angela Merkel in 2005.", ["he", "W", "C", "C", "in", "0", "."]),
        (MT_MASKING, "It's 40% \u2014 can't be!", ["it", "is", "0", "W", "-", "can", "not", "be", "!"]),
        (MT_MASKING, "COVID-19 cases rose...", ["W", "W", "W", "..."]),
        (LOWER_MASKING, "He met Angela Merkel.", ["he", "W", "W", "W", "."]),
        (LOWER_MASKING, "She said \u201cno\u201d.", ["she", "W", "no", "."]),
        (LOWER_MASKING, "\u00d2pushing orders.\u00d3", ["W", "W", "."]),  # mojibake quotes: dropped
    ],
)
def test_masking(masking: Masking, sentence: str, expected: list[str]) -> None:
    assert masking.tokens(sentence) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", ""), ("\u201cHi\u201d \u2013 it\u2019s\u2026", '"Hi" - it\'s...'), ("caf\u00e9", "caf")],
)
def test_fold_typography(text: str, expected: str) -> None:
    assert fold_typography(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("One. Two three!", ["One.", "Two three!"]),
        ("Title line\nBody text here.", ["Title line", "Body text here."]),
        ('He said "Stop." Then left.', ['He said "Stop."', "Then left."]),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_ngrams_include_boundaries() -> None:
    assert ngrams(["the", "W"], 2) == {"<s>", "the", "W", "</s>", "<s> the", "the W", "W </s>"}


NAN = math.nan


@pytest.mark.parametrize(
    ("text", "feature", "expected"),
    [
        ("", "mt_score_mean", NAN),
        ("", "mt_score_max", NAN),
        ("", "mt_share_positive", NAN),
        ("", "llm_score_mean", NAN),
        ("", "llm_share_positive", NAN),
        ("", "function_word_rate", NAN),
        ("", "function_word_mt_llr", NAN),
        ("Too short.", "mt_score_mean", NAN),  # under four words: not scored
        ("the of and to", "function_word_rate", 1.0),
        ("Cats purr loudly", "function_word_rate", 0.0),
        ("Cats purr loudly", "function_word_mt_llr", NAN),  # no function words to profile
    ],
)
def test_feature_values(text: str, feature: str, expected: float) -> None:
    got = values(text)[feature]
    assert math.isnan(got) if math.isnan(expected) else got == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "...", "\n\n\n", "42 17 99", "\u00fcber \u00e4rger", LITERAL * 30])
def test_every_feature_present_and_no_exception(text: str) -> None:
    got = values(text)
    assert set(got) == set(Translation.features)
    assert all(isinstance(v, float) for v in got.values())


def test_literal_translation_scores_higher_than_idiomatic_english() -> None:
    assert values(LITERAL)["mt_score_mean"] > values(IDIOMATIC)["mt_score_mean"]


def test_evidence_points_at_the_most_translated_sentence() -> None:
    result = FAMILY.extract(Document("t", LITERAL))
    [evidence] = result.evidence["mt_score_max"]
    assert LITERAL[evidence.start:evidence.end] == evidence.text
    assert evidence.text in LITERAL


def test_lexicon_file_records_provenance() -> None:
    data = json.loads(importlib.resources.files("spindetect.resources").joinpath(LEXICON_FILE).read_text())
    mt = data["models"]["machine_translation"]["provenance"]
    assert mt["dataset"].endswith("europarl-de-en-sentences.jsonl")
    assert re.fullmatch(r"[0-9a-f]{64}", mt["sha256"])
    assert "train" in mt["rows"] and "madlad" in mt["rows"]
    llm = data["models"]["llm_rewrite"]["provenance"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in llm["datasets"].values())
    assert len(llm["datasets"]) == 3
    for model in data["models"].values():
        assert model["heldout_metrics"]
        assert model["weights"]


def test_lexicons_parse_and_keep_their_masking() -> None:
    lex = lexicons()
    assert lex.machine_translation.masking.mark_capitals
    assert not lex.llm_rewrite.masking.mark_capitals
    assert "additionally" in lex.llm_rewrite.masking.keep_words
    assert set(lex.function_word_log_ratio) == set(FUNCTION_WORDS)


@pytest.mark.skipif(not corpora_dir().exists(), reason="needs ../shared/corpora (training data)")
def test_training_detokeniser_and_grouping() -> None:
    from training.learn_style_lexicons import detokenise
    from training.splits import europarl_sentence_group as europarl_group

    assert detokenise("we don ' t want \" more rules \" , said the members ' group ( today ) .") == (
        "We don't want \"more rules\", said the members' group (today)."
    )
    group = europarl_group("some sentence .")
    assert re.fullmatch(r"europarl-sent:[0-9a-f]{16}", group)


def test_page_furniture_is_never_shown_as_a_machine_translated_sentence(monkeypatch) -> None:
    """A comment form left in a scraped text scores like any sentence (the values are unchanged), but the
    sentence shown as MT-like comes from the article's prose."""
    from spindetect.features import translation

    text = ("The council approved the budget on Tuesday after a long debate.\n"
            "Officials said the money would go to schools and roads in the north of the city.\n"
            "Leave a Reply\n"
            "Your email address will not be published. Required fields are marked *\n"
            "Save my name, email, and website in this browser for the next time I comment.\n")
    furniture_start = text.index("Leave a Reply")
    result = Translation().extract(Document(id="d", text=text))
    shown = [e for items in result.evidence.values() for e in items]
    assert shown and all(e.end <= furniture_start for e in shown)
    monkeypatch.setattr(translation, "_furniture_spans", lambda doc: [])
    unfiltered = Translation().extract(Document(id="d", text=text))
    assert unfiltered.values == result.values
    # without the filter, the comment form's line is what the reader would have been shown
    assert any(e.start >= furniture_start for items in unfiltered.evidence.values() for e in items)
