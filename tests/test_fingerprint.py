"""A spinner's fingerprint learned from a labelled batch: the substitutions, their reading, their storage."""

import json
import math
import random

import numpy as np
import pytest

from spindetect.errors import ModelError
from spindetect.features import registry
from spindetect.features.fingerprint import (
    Fingerprint, FingerprintV1, SpinnerFingerprint, pair_with_originals, substitutions,
)
from spindetect.learn._fingerprint import (
    FINGERPRINT_KEY, SPINNER_GATE_MARGIN, _fold, base_fingerprint, learn_fingerprint, spinner_gate,
)
from spindetect.learn._trainer import Example
from spindetect.io._records import as_input_item
from spindetect.text._document import Document

# A table of our own, applied to every listed word a text holds.
TABLE = {"said": "uttered", "company": "organisation", "people": "individuals", "new": "novel",
         "year": "twelve months", "help": "succour", "plan": "blueprint", "council": "assembly"}


def spin(text: str) -> str:
    import re

    return re.sub(r"[A-Za-z]+", lambda m: TABLE.get(m.group(), m.group()), text)


def story(seed: int) -> str:
    rng = random.Random(seed)
    subjects = ["The council", "The company", "Local people", "The minister", "A spokesman", "The new board"]
    middles = ["said it would help with", "said the plan for", "said people wanted", "agreed a new plan for",
               "said last year it backed"]
    objects = ["the budget", "a housing scheme", "the merger", "the road", "a safety report", "the strike"]
    return " ".join(f"{rng.choice(subjects)} {rng.choice(middles)} {rng.choice(objects)}." for _ in range(12))


def test_substitutions_are_word_for_word_where_runs_match_and_phrases_otherwise():
    found = substitutions("The company said a year ago that people", "The organisation uttered twelve months "
                          "ago that individuals")
    assert ("company", "organisation") in found and ("said", "uttered") in found
    assert ("people", "individuals") in found
    assert any(substitute == "twelve months" or substitute.endswith("months") for _, substitute in found)


def _learned() -> SpinnerFingerprint:
    originals = [story(seed) for seed in range(30)]
    return SpinnerFingerprint.learn([(text, spin(text)) for text in originals], originals)


def test_a_new_page_of_the_spinner_reads_for_it_and_an_unspun_page_against_it():
    fingerprint = _learned()
    assert fingerprint.replaces["uttered"] == "said" and fingerprint.replaces["individuals"] == "people"
    unseen = story(1000)
    spun_llr, swaps, slots, _, spans = fingerprint.read(spin(unseen))
    clean_llr, clean_swaps, clean_slots, _, _ = fingerprint.read(unseen)
    assert spun_llr > 5 and swaps == slots > 0
    assert clean_llr < 0 and clean_swaps == 0 and clean_slots > 0
    assert {original for _, _, original in spans} <= set(fingerprint.rates)


def test_a_substitute_used_on_purpose_among_the_original_words_does_not_add_up():
    """One "uttered" on a page that says "said" everywhere else: the slots it shares with "said" outweigh it."""
    fingerprint = _learned()
    page = "The minister uttered a curse. " + " ".join(f"A spokesman said {n} things." for n in range(8))
    assert fingerprint.read(page)[0] < 0


def test_a_writer_who_keeps_to_one_word_is_not_read_as_many_swaps():
    """Version 2's null is bursty: an article that says "individuals" all through (as a writer who chose it
    does) reads far less like the spinner than under the binomial null, while a page spun afresh in every
    slot reads for it under both."""
    fingerprint = SpinnerFingerprint({"individuals": "people", "uttered": "said"},
                                     {"people": (0.05, 0.6), "said": (0.02, 0.6)})
    chosen = " ".join(f"Many individuals joined rally {n} as the mayor said." for n in range(10))
    binomial, bursty = fingerprint.read(chosen, None)[0], fingerprint.read(chosen)[0]
    assert binomial > 15 and bursty < binomial - 10
    spun = " ".join(f"Many {'individuals' if n % 2 else 'people'} joined rally {n} as the mayor "
                    f"{'uttered' if n % 3 else 'said'}." for n in range(10))
    assert fingerprint.read(spun)[0] > 5 and fingerprint.read(spun, None)[0] > 5


def test_version_1_still_reads_with_the_binomial_null():
    fingerprint = SpinnerFingerprint({"uttered": "said"}, {"said": (0.02, 0.6)})
    text = "He uttered it. She said it. They said it."
    expected = math.log(0.6 / 0.02) + 2 * math.log(0.4 / 0.98)
    assert FingerprintV1(fingerprint).extract_text(text)["llr"] == pytest.approx(expected)
    assert Fingerprint(fingerprint).extract_text(text)["llr"] != pytest.approx(expected)
    assert registry.build(["fingerprint@1"], {"fingerprint@1": fingerprint.to_state()})[0].version == 1


def test_the_spinner_gate_sits_just_above_every_original_read_out_of_fold(caplog):
    columns = np.full((5, len(Fingerprint.features)), np.nan, dtype=np.float32)
    columns[:, 0] = [-3.0, 1.5, 40.0, np.nan, 0.5]
    labels = ["original", "original", "spun", "original", "original"]
    gate = spinner_gate(columns, labels)
    assert gate.level == pytest.approx(1.5 + SPINNER_GATE_MARGIN) and gate.originals == 3
    assert gate.expected_false_positive_rate == 0.25
    assert "3 originals only" in caplog.text  # too few to promise a 1% budget, and train says so
    assert spinner_gate(columns, ["spun"] * 5) is None


def test_the_family_shows_each_swap_with_the_word_it_replaced():
    family = Fingerprint(_learned())
    text = spin("The company said people liked the plan.")
    result = family.extract(Document(id="d", text=text))
    shown = {(e.text, e.replaced) for e in result.evidence["llr"]}
    assert ("uttered", "said") in shown and ("individuals", "people") in shown
    assert all(e.kind == "learned swap" and e.strength > 0 for e in result.evidence["llr"])
    assert set(result.values) == set(Fingerprint.features)
    empty = family.extract(Document(id="e", text="12 34"))
    assert math.isnan(empty.values["llr"]) and math.isnan(empty.values["swap_share"])


def test_state_round_trips_and_bad_state_is_refused():
    fingerprint = _learned()
    again = SpinnerFingerprint.from_state(json.loads(json.dumps(fingerprint.to_state())))
    assert again.rates == fingerprint.rates and again.replaces == fingerprint.replaces
    assert again.digest() == fingerprint.digest()
    with pytest.raises(ValueError):
        SpinnerFingerprint.from_state({"format": 1, "replaces": {}, "rates": {"said": [0.1, 1.5]}})
    with pytest.raises(ModelError, match="no learned state"):
        registry.build([FINGERPRINT_KEY])
    with pytest.raises(ModelError, match="malformed"):
        registry.build([FINGERPRINT_KEY], {FINGERPRINT_KEY: {"format": 99}})
    built = registry.build([FINGERPRINT_KEY], {FINGERPRINT_KEY: fingerprint.to_state()})
    assert built[0].fingerprint.rates == fingerprint.rates


def test_merging_keeps_the_earlier_spinners_table_for_phrases_the_new_one_did_not_learn():
    first = _learned()
    second = SpinnerFingerprint({"voiced": "said"}, {"said": (0.01, 0.5)})
    merged = second.merged_with(first)
    assert merged.rates["said"] == (0.01, 0.5) and merged.replaces["voiced"] == "said"
    assert "uttered" not in merged.replaces  # "said" is the new spinner's now
    assert merged.replaces["individuals"] == "people"


def test_spun_pages_pair_with_their_group_then_with_the_original_they_copy():
    originals = [story(seed) for seed in range(5)]
    spun = [spin(originals[3]), spin(originals[1]), "Nothing here is like any of them at all, none of it."]
    assert pair_with_originals(spun, originals, [0, None, None]) == [0, 1, None]


def _example(i: int, text: str, label: str, group: str) -> Example:
    return Example(id=f"{label}-{i}", item=as_input_item({"id": f"{label}-{i}", "text": text}, f"{label}-{i}"),
                   label=label, group=group)


def test_the_batch_rows_are_read_out_of_fold():
    """Each batch row is read with a fingerprint learned without its group: a word only group g0's spin uses
    is a learned swap of the whole batch's table, but not when g0's own row is read."""
    examples, labels = [], []
    for seed in range(40):
        text = story(seed)
        spun = spin(text)
        if seed == 0:
            text, spun = text + " Zebras grazed.", spun + " Quaggas grazed."
        examples += [_example(seed, text, "original", f"g{seed}"), _example(seed, spun, "spun", f"g{seed}")]
        labels += ["original", "spun"]
    learned = learn_fingerprint(examples, labels, None, 10_000)
    assert learned is not None and learned.paired_pages == 40
    assert learned.fingerprint.replaces.get("quaggas") == "zebras"
    fold = _fold(examples[1])
    kept = [i for i in range(0, 80, 2) if _fold(examples[i]) != fold]
    without_g0 = SpinnerFingerprint.learn([(examples[i].item.text, examples[i + 1].item.text) for i in kept],
                                          [examples[i].item.text for i in kept])
    assert "quaggas" not in without_g0.replaces
    expected = Fingerprint(without_g0).extract_text(examples[1].item.text)
    assert learned.columns[1].tolist() == pytest.approx([expected[k] for k in Fingerprint.features])
    in_sample = Fingerprint(learned.fingerprint).extract_text(examples[1].item.text)
    assert in_sample["swaps_per_100_words"] > expected["swaps_per_100_words"]


def test_too_few_paired_pages_learn_nothing():
    examples = [_example(i, spin(story(i)), "spun", f"s{i}") for i in range(3)]
    assert learn_fingerprint(examples, ["spun"] * 3, None, 10_000) is None


def test_a_deep_stage_keeps_its_fast_models_families_first():
    """The deep stage reads its fast model's columns, then the language model's: the fingerprint goes before
    the language model in both, so the pair still loads as a cascade."""
    from spindetect.learn._retrain import _with_fingerprint
    from spindetect.model._cascade import LM_FAMILY, is_deep_stage_of

    fast = _with_fingerprint(list(registry.DEFAULT_FAMILIES))
    deep = _with_fingerprint(list(registry.DEFAULT_FAMILIES) + [LM_FAMILY])
    assert fast[-1] == FINGERPRINT_KEY and deep[-2:] == [FINGERPRINT_KEY, LM_FAMILY]
    assert is_deep_stage_of(fast, deep)


def test_stored_rows_are_arranged_by_feature_name():
    from spindetect.learn._retrain import _arranged

    X = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    out = _arranged(X, ["a", "b", "lm"], ["a", "b", "fp", "lm"])
    assert out[0, [0, 1, 3]].tolist() == [1.0, 2.0, 3.0] and np.isnan(out[0, 2])


@pytest.mark.parametrize("level", [1.0, "nan"])
def test_a_spinner_gate_needs_the_fingerprint_and_a_number(tiny_model_dir, tmp_path, level):
    """The tiny model has no fingerprint family: a gate in its manifest is refused, as is a NaN gate."""
    from conftest import with_manifest
    from spindetect.model import load_model

    with pytest.raises(ModelError, match="spinner_gate"):
        load_model(with_manifest(tiny_model_dir, tmp_path / "model", spinner_gate=level))


def test_a_base_read_with_version_1_hands_its_table_to_the_next_retrain():
    table = SpinnerFingerprint({"uttered": "said"}, {"said": (0.02, 0.6)})
    assert base_fingerprint({"fingerprint@1": table.to_state()}) == table
    assert base_fingerprint({FINGERPRINT_KEY: table.to_state()}) == table
    assert base_fingerprint({}) is None
