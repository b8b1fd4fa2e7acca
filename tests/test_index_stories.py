"""Story evidence read across translations: one spelling per number and per word variant, many-to-one reach."""

import pytest

from spindetect.index.align import prepare_sentences
from spindetect.index.canonical import canonical_word
from spindetect.index.story import MAX_NUMBERS_CONFLICT, compare, number_key, story_evidence, story_terms


@pytest.mark.parametrize("surface, expected", [
    ("1,500", "1500"), ("1.500", "1500"), ("1500", "1500"), ("12,500,000", "12500000"),
    ("92,3", "92.3"), ("92.3", "92.3"), ("2.5", "2.5"), ("2019", "2019"), ("five", "5"), ("twenty", "20"),
])
def test_number_key_spells_a_number_one_way(surface, expected):
    assert number_key(surface) == expected


@pytest.mark.parametrize("surface, expected", [
    ("isn\u2019t", ("isn't",)),  # a curly apostrophe is the straight one
    ("nhl's", ("nhl",)),  # a possessive is its name
    ("e-mails", (canonical_word("emails"),)),  # a hyphenated spelling the lexicon knows joined
    ("goal-keeper", (canonical_word("goalkeeper"),)),
    ("pilsen-born", (canonical_word("pilsen"), canonical_word("born"))),  # a compound it does not, as parts
    ("thirty-one", ("30",)),  # "one" is a function word
    ("92,3", ("92.3",)),
    ("mayor", (canonical_word("mayor"),)),
])
def test_story_terms(surface, expected):
    assert story_terms(surface, canonical_word(surface)) == expected


def evidence(text: str):
    return story_evidence(prepare_sentences(text.split("\n")))


# Two translations of one Czech report: one translator keeps the decimal comma and curly apostrophes.
CZECH_STYLE = (
    "Goalkeeper Pavel Francouz\u2019s save rate in the KHL reached 92,3 percent last season.\n"
    "Francouz played 36 games for Chelyabinsk before the NHL\u2019s Colorado Avalanche signed him.\n"
    "His coach in Pilsen said the 31-year-old had earned his chance."
)
ENGLISH_STYLE = (
    "Goalkeeper Pavel Francouz's save percentage in the KHL was 92.3 last season.\n"
    "Francouz appeared in 36 games for Chelyabinsk before the NHL's Colorado Avalanche signed him.\n"
    "His former coach in Pilsen said the 31-year-old deserved the chance."
)


def test_two_spellings_of_a_translation_share_their_numbers_and_names():
    a, b = evidence(CZECH_STYLE), evidence(ENGLISH_STYLE)
    assert frozenset().union(*a.numbers) == frozenset().union(*b.numbers) == {"92.3", "36", "31"}
    comparison = compare(a, b)
    assert comparison.numbers_conflict == 0.0 < MAX_NUMBERS_CONFLICT
    assert comparison.pairs == 3 and comparison.ordered == 3
    assert "nhl" in a.terms and "nhl" in b.terms


def test_a_sentence_that_merges_two_reaches_both_though_it_pairs_with_one():
    source = evidence("Mayor Odell opened the Millbrook bridge in Harlow.\n"
                      "The Millbrook bridge cost Harlow 40 million pounds.")
    merged = evidence("Mayor Odell opened the Millbrook bridge in Harlow, which cost Harlow 40 million pounds.")
    comparison = compare(source, merged)
    assert comparison.pairs == 1
    assert comparison.coverage_long < 1.0
    assert comparison.reached_long == pytest.approx(1.0)
    assert comparison.reached_short == pytest.approx(1.0)


@pytest.mark.parametrize("lead, own_share, overlap, quotes", [
    (0, 0.9, 1.0, False),  # an excerpt's source: its own sentences come after the shared ones
    (1, 0.9, 1.0, False), (2, 0.2, 1.0, False),  # one sentence of its own first; a few of its own
    (2, 0.3, 0.8, True), (6, 0.5, 1.0, True),  # a follow-up: its own sentences first, and many, pasted
    (10, 0.9, 0.5, False),  # a summary that starts further in, in its own words
])
def test_quotes_the_other(lead, own_share, overlap, quotes):
    from spindetect.index.story import StoryComparison, quotes_the_other

    comparison = StoryComparison(pairs=4, lead=lead, own_share=own_share, pair_overlap=overlap)
    assert quotes_the_other(comparison) is quotes
