"""Garbled collocations: spinner swaps are found with what they replaced, clean English is left alone."""

from __future__ import annotations

import json
import math
import random
import threading

import pytest

from spindetect.text import Document
from spindetect.features.collocations import FUNCTION_WORDS, Collocations
from spindetect.resources import lexicon
from training.splits import corpora_dir

FAMILY = Collocations()


def _garbles(text: str) -> list[tuple[str, str]]:
    result = FAMILY.extract(Document(id="t", text=text))
    evidence = result.evidence.get("garbled_per_100_words", []) + result.evidence.get(
        "gapped_garbled_per_100_words", [])
    for e in evidence:
        assert text[e.start:e.end] == e.text and e.kind == "garbled_collocation"
    return [(e.text, e.replaced) for e in evidence]


@pytest.mark.parametrize(("text", "expected"), [
    ("Experts say counterfeit consciousness will reshape offices.",
     ("counterfeit consciousness", "artificial intelligence")),  # both words swapped
    ("Officials blamed worldwide warming for the floods.", ("worldwide warming", "global warming")),
    ("Lenders lifted concern rates again in March.", ("concern rates", "interest rates")),
    ("Voters backed the plan in a general plebiscite last spring.", ("general plebiscite", "general election")),
    ("For the coach it was a time for truth.", ("time for truth", "moment of truth")),  # across "for"
])
def test_spun_phrases_are_found(text: str, expected: tuple[str, str]) -> None:
    assert expected in _garbles(text)


@pytest.mark.parametrize("text", [
    "",
    "Artificial intelligence is changing how newsrooms work.",
    "The company reported strong growth in its third quarter and plans to hire more staff.",
    "She walked her dog along the river before breakfast every morning.",
    "The council will vote on the new housing plan next week.",
    "It was the moment of truth for the young goalkeeper.",
    "Prices rose sharply after the storm damaged several bridges.",
])
def test_clean_sentences_have_no_garbles(text: str) -> None:
    assert _garbles(text) == []


@pytest.mark.parametrize("text", [
    "",
    "   \n\n  ",
    "1234 5678",
    "!!! ???",
    "Counterfeit",
    "naïve café déjà vu \u200b zero-width",
])
def test_every_feature_has_a_value(text: str) -> None:
    values = FAMILY.extract(Document(id="t", text=text)).values
    assert set(values) == set(Collocations.features)
    assert all(isinstance(v, float) for v in values.values())


@pytest.mark.parametrize(("text", "feature", "expected"), [
    ("", "garbled_per_100_words", 0.0),
    ("", "oov_rate", math.nan),
    ("Experts say counterfeit consciousness will reshape offices.", "garbled_per_100_words", 100 / 7),
    ("The river rose.", "garbled_per_100_words", 0.0),
    ("the qqqzzx blorfed", "oov_rate", 2 / 3),
])
def test_feature_values(text: str, feature: str, expected: float) -> None:
    value = FAMILY.extract(Document(id="t", text=text)).values[feature]
    assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(expected)


def test_proper_nouns_are_not_swap_candidates() -> None:
    # "Worldwide Warming" mid-sentence reads as a name, so it is not judged as a garbled "global warming".
    assert _garbles("We met the band Worldwide Warming at the festival.") == []


def test_rare_synonyms_raise_the_zipf_gap() -> None:
    plain = FAMILY.extract(Document(id="a", text="The big firm made a good profit this year.")).values
    rare = FAMILY.extract(Document(id="b", text="The gargantuan firm made a laudable profit this twelvemonth.")).values
    assert rare["mean_zipf_gap"] > plain["mean_zipf_gap"]


def test_thread_safe_results() -> None:
    texts = ["Experts say counterfeit consciousness will reshape offices.",
             "The council will vote on the new housing plan next week."] * 8
    expected = [FAMILY.extract(Document(id="s", text=t)).values for t in texts]
    got: dict[int, dict] = {}

    def work(i: int) -> None:
        got[i] = FAMILY.extract(Document(id="p", text=texts[i])).values

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [got[i] for i in range(len(texts))] == expected


@pytest.mark.shared
@pytest.mark.skipif(not (corpora_dir() / "news").exists(), reason="needs ../shared/corpora/news")
def test_spun_news_scores_above_clean_news() -> None:
    """On real news, a quick Moby swap at 30% must raise the garble rate well above the originals'."""
    lex = lexicon()
    rows = [json.loads(line) for line in (corpora_dir() / "news" / "bbc-2004-2005.jsonl").open()]
    texts = [r["text"] for r in rows if r["split"] == "train"][:60]
    rng = random.Random(0)

    def spin(text: str) -> str:
        out = []
        for word in text.split(" "):
            if word.isalpha() and word.islower() and word not in FUNCTION_WORDS and rng.random() < 0.3:
                options = [s for s in lex.synonyms(word) if s.isalpha() and lex.zipf(s) > 2.0]
                word = rng.choice(options) if options else word
            out.append(word)
        return " ".join(out)

    def mean_rate(docs: list[str]) -> float:
        rates = [FAMILY.extract(Document(id="n", text=t)).values["garbled_per_100_words"] for t in docs]
        return sum(rates) / len(rates)

    assert mean_rate([spin(t) for t in texts]) > 1.8 * mean_rate(texts)


def test_rare_synonyms_are_evidence_with_the_common_word_they_probably_replaced() -> None:
    result = FAMILY.extract(Document(id="t", text="The offspring slept at dusk near the conveyance."))
    found = {(e.text, e.replaced) for e in result.evidence["rare_synonym_rate"]}
    assert ("offspring", "child") in found and ("dusk", "evening") in found
    assert all(e.kind == "rare_synonym" and e.replaced not in FUNCTION_WORDS
               for e in result.evidence["rare_synonym_rate"])
    plain = FAMILY.extract(Document(id="t", text="The child slept at home in the evening."))
    assert "rare_synonym_rate" not in plain.evidence



