"""Reading both ways (`spindetect.lm._rescoring`): the rest of a sentence rescored with a candidate put back
equals a full recompute of both sentences (float32), reads a spinner's swap inside a fixed phrase as a swap
and a writer's deliberate word as a choice (int8, as scoring runs), and leaves the left-to-right scores as
they were."""

from __future__ import annotations

import math
from dataclasses import astuple

import numpy as np
import pytest
from conftest import REPO

from spindetect.lm import language_model
from spindetect.lm._rescoring import MAX_REST, Candidate, rest_deltas
from spindetect.lm._scoring import FIRST_WINDOW, _sentence_ends


@pytest.fixture(scope="module")
def lm():
    return language_model()


def _candidate(lm, text: str, word: str, put_back: str) -> tuple[np.ndarray, Candidate]:
    """The text's window (start token first) and the candidate putting `put_back` in place of `word`, the
    rest running to the text's end."""
    encoding = lm.tokenizer.encode(text)
    at = text.index(word)
    first = 1 + next(k for k, (_s, e) in enumerate(encoding.offsets) if e > at)
    last = 1 + next(k for k, (_s, e) in enumerate(encoding.offsets) if e >= at + len(word))
    (token,) = lm.tokenizer.encode(" " + put_back).ids
    window = np.array([lm.transformer.start_token_id] + encoding.ids)
    return window, Candidate(first, last, token, len(window))


def _rest_logprob(transformer, window: np.ndarray, rest_from: int) -> float:
    states = transformer.hidden_states(window[None])[0]
    logprobs = transformer.log_probabilities(states[:-1])
    targets = np.arange(rest_from, len(window))
    return float(logprobs[targets - 1, window[targets]].sum())


def test_the_rest_delta_equals_a_full_recompute_of_both_sentences():
    lm = language_model("float32")
    text = "Officials called the vote a time of truth for the alliance and its members."
    window, candidate = _candidate(lm, text, "time", "moment")
    _, cache = lm.transformer.forward(window[None])
    (delta,) = rest_deltas(lm.transformer, window, cache, [candidate])
    variant = np.concatenate([window[:candidate.first], [candidate.token], window[candidate.last + 1:]])
    shift = (candidate.last - candidate.first + 1) - 1
    direct = (_rest_logprob(lm.transformer, variant, candidate.last + 1 - shift)
              - _rest_logprob(lm.transformer, window, candidate.last + 1))
    assert delta == pytest.approx(direct, abs=2e-3)


def test_several_candidates_in_one_call_equal_each_alone():
    """In float32 (in int8 a token's result also moves with the last bits of sums that differ between call
    shapes, by up to a few tenths of a nat over a rest: why each candidate's own text is rerun beside it)."""
    lm = language_model("float32")
    text = ("The minister said the government would slash taxes for small businesses. "
            "Officials called the vote a time of truth for the alliance.")
    window, slash = _candidate(lm, text, "slash", "cut")
    _, time_ = _candidate(lm, text, "time", "moment")
    _, cache = lm.transformer.forward(window[None])
    together = rest_deltas(lm.transformer, window, cache, [slash, time_])
    alone = [rest_deltas(lm.transformer, window, cache, [c])[0] for c in (slash, time_)]
    np.testing.assert_allclose(together, alone, atol=2e-3)


@pytest.mark.parametrize("text, word, put_back, sign", [
    # a spinner's swap inside a fixed phrase: the rest was written for the word it replaced
    ("Officials called the vote a time of truth for the alliance and its members.", "time", "moment", +1),
    ("The company said counterfeit intelligence would change how its engineers write software.",
     "counterfeit", "artificial", +1),
    # a writer's deliberate word: the rest was written for it
    ("The decision sparked a bitter quarrel between the two families, who have not spoken to each other since.",
     "quarrel", "debate", -1),
    ("She wore a crimson scarf that matched the colour of the autumn leaves outside her window.",
     "crimson", "red", -1),
])
def test_the_rest_of_the_sentence_testifies_for_the_word_it_was_written_for(lm, text, word, put_back, sign):
    window, candidate = _candidate(lm, text, word, put_back)
    _, cache = lm.transformer.forward(window[None])
    (delta,) = rest_deltas(lm.transformer, window, cache, [candidate])
    assert sign * delta > 0.5, delta


def test_a_candidate_with_nothing_after_it_has_no_delta(lm):
    window, candidate = _candidate(lm, "They met at dusk", "dusk", "evening")
    _, cache = lm.transformer.forward(window[None])
    assert math.isnan(rest_deltas(lm.transformer, window, cache, [candidate])[0])


def test_sentence_ends_close_on_stops_and_line_breaks_but_not_abbreviation_dots_inside_words(lm):
    text = "It rose 2.5% on Monday. Then \"it fell!\" she said\nNew line here"
    encoding = lm.tokenizer.encode(text)
    starts = np.array([s for s, _ in encoding.offsets])
    ends = np.array([e for _, e in encoding.offsets])
    closing = [text[s:e] for s, e, flag in zip(starts, ends, _sentence_ends(text, starts, ends)) if flag]
    assert closing[:2] == [".", "!\""] and closing[2:] in ([" said"], ["\n"]), closing


def test_rescoring_reads_the_spun_example_both_ways_and_leaves_left_scores_unchanged(lm):
    spun = (REPO / "data" / "examples" / "spun.txt").read_text()
    plain = lm.score_words(spun, 4096)
    both = lm.score_words(spun, 4096, rescore=16)
    assert [(w.start, w.word, w.synonym) for w in plain] == [(w.start, w.word, w.synonym) for w in both]
    np.testing.assert_allclose([w.logprob for w in plain], [w.logprob for w in both], atol=0.05)
    assert all(math.isnan(w.rest_delta) for w in plain)
    rescored = [w for w in both if not math.isnan(w.rest_delta)]
    assert 0 < len(rescored) <= 16 * (1 + len(lm.tokenizer.encode(spun).ids) // 192)
    # the rescored words are those whose synonym beat them by the most at their own place
    assert min(w.synonym_gap for w in rescored) >= np.sort([w.synonym_gap for w in both if w.synonym])[-len(rescored)]
    # our own example's swaps read as swaps both ways: "Metropolis" for "Government", "slash" for "reduce"
    confirmed = {(w.word, w.synonym) for w in rescored if w.rest_delta > 1.0}
    assert {("Metropolis", "Government"), ("slash", "reduce")} <= confirmed, confirmed
    assert MAX_REST >= 16


def _same(a, b) -> bool:
    """Two word scores alike, NaN equal to NaN."""
    return all(x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
               for x, y in zip(astuple(a), astuple(b)))


def test_a_reading_window_by_window_ends_where_one_read_at_once_does(lm):
    spun = (REPO / "data" / "examples" / "spun.txt").read_text()
    text = "\n\n".join([spun] * 3)  # three copies: more than one window
    at_once = lm.score_words(text, 1024, rescore=8)
    reading = lm.reading(text, 1024, rescore=8)
    assert reading.windows[0] == 0 and reading.windows[1] > 1 and not reading.done
    reading.advance(1)
    first = reading.words()
    assert reading.windows[0] == 1 and not reading.done
    reading.advance()
    assert reading.done and reading.windows[0] == reading.windows[1]
    assert len(at_once) == len(reading.words())
    assert all(_same(a, b) for a, b in zip(at_once, reading.words()))
    # the first window's words are the first of the whole reading, each with every token read, scored as
    # the whole reading scores them
    assert 0 < len(first) < len(at_once)
    assert all(_same(a, b) for a, b in zip(first, at_once))
    ids = lm.tokenizer.encode(text)
    window_end = ids.offsets[FIRST_WINDOW - 1][1]
    assert all(w.end <= window_end for w in first)
    assert at_once[len(first)].end > window_end
    # the translation probe reads the first window, so it is known after it
    words, translation = lm.read(text, 1024, rescore=8)
    assert lm.translation_log_odds(reading.state_mean) == pytest.approx(translation)


def test_the_lm_family_reads_in_two_stages_and_ends_with_its_extract(lm):
    from spindetect.features.language_model import LanguageModelFeatures
    from spindetect.text._document import Document

    spun = (REPO / "data" / "examples" / "spun.txt").read_text()
    family = LanguageModelFeatures()
    long_doc = Document(id="long", text="\n\n".join([spun] * 3))
    stages = list(family.extract_stages(long_doc))
    assert [more for _, more in stages] == [True, False]
    first, last = stages[0][0].values, stages[1][0].values
    full = family.extract(long_doc).values
    assert set(first) == set(last) == set(full) == set(family.features)
    assert all(last[k] == full[k] or (math.isnan(last[k]) and math.isnan(full[k])) for k in full)
    assert first["translation_probe"] == pytest.approx(full["translation_probe"])
    assert first["both_ways_confirmed_per_100_words"] != full["both_ways_confirmed_per_100_words"] \
        or first["synonym_gap_top_mean"] != full["synonym_gap_top_mean"]
    # a text of one window has one stage
    assert [more for _, more in family.extract_stages(Document(id="short", text=spun))] == [False]
