"""The shipped language model: its weights decode as ggml stores them, its forward pass is a language
model of English, its word scores see a spinner's swaps, and its translation probe reads machine
translation as machine translation."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from spindetect.errors import ModelError
from spindetect.lm import content_words, language_model
from spindetect.lm._probe import TranslationProbe
from spindetect.lm._weights import RESOURCE_PACKAGE, dequantize
from spindetect.features.language_model import LanguageModelFeatures
from spindetect.text._document import Document

from conftest import REPO, requires_shared


def _q4_1_block(scale: float, minimum: float, values: list[int]) -> np.ndarray:
    packed = bytes((values[j] & 0x0F) | ((values[j + 16] & 0x0F) << 4) for j in range(16))
    return np.frombuffer(np.float16(scale).tobytes() + np.float16(minimum).tobytes() + packed, dtype=np.uint8)


def test_q4_1_block_decodes_low_nibbles_first_then_high_nibbles():
    values = list(range(16)) + list(range(15, -1, -1))
    row = _q4_1_block(0.5, -2.0, values)[None, :]
    np.testing.assert_allclose(dequantize(row, "Q4_1")[0], np.array(values) * 0.5 - 2.0)


def test_q8_0_block_decodes_signed_bytes_times_scale():
    values = np.arange(-16, 16, dtype=np.int8)
    row = np.frombuffer(np.float16(0.25).tobytes() + values.tobytes(), dtype=np.uint8)[None, :]
    np.testing.assert_allclose(dequantize(row, "Q8_0")[0], values * 0.25)


def test_unknown_tensor_type_is_a_model_error():
    from spindetect.errors import ModelError

    with pytest.raises(ModelError):
        dequantize(np.zeros((1, 18), np.uint8), "Q5_K")


def test_shipped_files_match_the_digests_in_lm_json():
    import hashlib

    folder = resources.files(RESOURCE_PACKAGE)
    config = json.loads((folder / "lm.json").read_text())
    assert config["licence"] == "Apache-2.0" and (folder / "LICENSE").read_text().strip()
    for name, key in (("smollm2-135m.npz", "weights_sha256"), ("tokenizer.json", "tokenizer_sha256")):
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == config[key], name
    smoothing = (folder / "int8_smoothing.npz").read_bytes()
    assert hashlib.sha256(smoothing).hexdigest() == config["int8_smoothing"]["sha256"]


@pytest.fixture(scope="module")
def lm():
    return language_model()


def _sentence_logprob(lm, text: str) -> float:
    ids = [lm.transformer.start_token_id] + lm.tokenizer.encode(text).ids
    states = lm.transformer.hidden_states(np.array([ids]))[0]
    logprobs = lm.transformer.log_probabilities(states[:-1])
    assert logprobs.dtype == np.float32  # a float64 scalar once promoted the whole pass (2x slower)
    np.testing.assert_allclose(np.exp(logprobs).sum(axis=1), 1.0, rtol=1e-3)
    return float(logprobs[np.arange(len(ids) - 1), ids[1:]].sum())


def test_english_is_far_more_likely_than_the_same_words_shuffled(lm):
    text = "The city council approved the plan to build new cycle lanes across the centre of town."
    words = text.rstrip(".").split()
    shuffled = " ".join(words[::2] + words[1::2]) + "."
    assert _sentence_logprob(lm, text) > _sentence_logprob(lm, shuffled) + 15


def test_padding_a_batch_row_does_not_change_its_states(lm):
    ids = [lm.transformer.start_token_id] + lm.tokenizer.encode("Ministers met on Tuesday.").ids
    alone = lm.transformer.hidden_states(np.array([ids]))[0]
    padded = np.zeros((2, len(ids) + 5), dtype=np.int64)
    padded[0, :len(ids)] = ids
    padded[1, :] = lm.transformer.start_token_id
    np.testing.assert_allclose(lm.transformer.hidden_states(padded)[0, :len(ids)], alone, atol=1e-3)


def test_content_words_skip_names_and_function_words_but_keep_sentence_starts():
    words = [w for _, _, w in content_words("Councillors met Mr Smith in London. Later they voted.")]
    assert words == ["Councillors", "met", "Later", "voted"]


def test_a_spinners_swaps_are_named_with_the_words_they_replaced(lm):
    """Left to right (lm@4), every word whose synonym was far likelier; both ways (lm@5), the swaps the rest
    of their sentence confirms, and none on the original."""
    from spindetect.features.fingerprint import substitutions
    from spindetect.features.language_model import LanguageModelFeaturesV4

    spun = (REPO / "data" / "examples" / "spun.txt").read_text()
    result = LanguageModelFeaturesV4().extract(Document(id="spun", text=spun))
    pairs = {(e.text, e.replaced) for e in result.evidence["synonym_preferred_share"]}
    # data/examples/spun.txt is our own example: "debate" spun to "quarrel", "evening" to "dusk".
    assert ("quarrel", "debate") in pairs and ("dusk", "evening") in pairs
    both_ways = LanguageModelFeatures().extract(Document(id="spun", text=spun)).evidence
    pairs = {(e.text, e.replaced) for e in both_ways["both_ways_confirmed_per_100_words"]}
    original = (REPO / "data" / "examples" / "original.txt").read_text()
    # Every confirmed span is a word the spin changed. The int8 kernels round differently by processor (VNNI
    # or AVX2 only), so a swap near the confirmation line may fall either side of it (an AVX2-only EPYC
    # drops "slash"): the names are checked on the two a VNNI Xeon confirms ("reduce" spun to "slash",
    # "transportation" to "conveyance"), one of them at least.
    spun_words = {word for _, substitute in substitutions(original, spun) for word in substitute.split()}
    assert len(pairs) >= 2 and {text.lower() for text, _ in pairs} <= spun_words, pairs
    assert pairs & {("slash", "reduce"), ("conveyance", "transportation")}, pairs
    assert not LanguageModelFeatures().extract(Document(id="o", text=original)).evidence[
        "both_ways_confirmed_per_100_words"]


def test_spun_text_has_larger_synonym_gaps_than_its_original():
    family = LanguageModelFeatures()
    original = family.extract(Document(id="o", text=(REPO / "data/examples/original.txt").read_text()))
    spun = family.extract(Document(id="s", text=(REPO / "data/examples/spun.txt").read_text()))
    for name in ("synonym_gap_top_mean", "synonym_preferred_share", "surprise_top_mean",
                 "both_ways_confirmed_per_100_words", "both_ways_top_mean", "rest_delta_median"):
        assert spun.values[name] > original.values[name], name


@pytest.mark.parametrize("text", ["", "Too short to judge.", "12 34 56"])
def test_short_texts_are_not_measurable(text):
    values = LanguageModelFeatures().extract(Document(id="t", text=text)).values
    assert set(values) == set(LanguageModelFeatures.features)
    assert all(np.isnan(v) for v in values.values())


def test_the_state_the_probe_reads_is_the_first_windows_mean_after_its_first_two_positions(lm):
    text = (REPO / "data" / "examples" / "original.txt").read_text()
    ids = [lm.transformer.start_token_id] + lm.tokenizer.encode(text).ids[:256]
    direct = lm.transformer.hidden_states(np.array([ids]))[0, 2:].mean(axis=0)
    np.testing.assert_allclose(lm.state_mean(text, 256), direct, atol=1e-4)
    assert lm.state_mean("", 256) is None


def test_the_experiments_token_reading_agrees_with_the_scorers_pass(lm):
    """`WordScorer.token_reading` (benchmarks.mt_lm_stats) is the same forward pass: its states average to
    the probe's state, a rank-0 token is the model's best guess, and its log-probabilities are those of a
    direct pass over the same tokens."""
    text = (REPO / "data" / "examples" / "original.txt").read_text()
    reading = lm._scorer.token_reading(text, 256)
    np.testing.assert_allclose(reading["states"].mean(axis=0), lm.state_mean(text, 256), atol=1e-4)
    n = len(reading["logprob"])
    assert n == min(256, len(lm.tokenizer.encode(text).ids)) == len(reading["rank"]) == len(reading["entropy"])
    assert (reading["rank"] >= 0).all() and (reading["entropy"] > 0).all()
    ids = lm.tokenizer.encode(text).ids[:12]
    states = lm.transformer.hidden_states(np.array([[lm.transformer.start_token_id] + ids]))[0]
    direct = lm.transformer.log_probabilities(states[:-1])[np.arange(12), ids]
    np.testing.assert_allclose(reading["logprob"][:12], direct, atol=1e-3)
    best = lm.transformer.log_probabilities(states[:-1]).max(axis=1)
    assert (reading["rank"][:12] == 0).tolist() == (direct >= best - 1e-6).tolist()
    assert lm._scorer.token_reading("", 256) is None


def test_a_probe_round_trips_through_its_json_and_refuses_the_wrong_shape():
    probe = TranslationProbe(np.array([1.0, 2.0]), np.array([2.0, 4.0]), np.array([0.5, -1.0]), 0.25)
    again = TranslationProbe.from_dict(json.loads(json.dumps(probe.to_dict(what="test"))), hidden=2)
    # ((3 - 1) / 2) * 0.5 + ((2 - 2) / 4) * -1 + 0.25
    assert again.log_odds(np.array([3.0, 2.0])) == pytest.approx(0.75)
    with pytest.raises(ModelError):
        TranslationProbe.from_dict(probe.to_dict(), hidden=3)
    with pytest.raises(ModelError):
        TranslationProbe.from_dict({**probe.to_dict(), "format": 99}, hidden=2)


@requires_shared
def test_the_bundled_probe_ranks_machine_above_human_translations_of_an_unseen_language_pair(lm):
    from sklearn.metrics import roc_auc_score

    from training.splits import corpora_dir

    assert lm.translation_probe is not None
    path = corpora_dir() / "machine-translation" / "wmt22-docs.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # zh-en: never used to fit the probe. The first 4 news documents, each with all its translations.
    docs = list(dict.fromkeys(r["doc"] for r in rows if r["pair"] == "zh-en" and r["domain"] == "news"))[:4]
    chosen = [r for r in rows if r["pair"] == "zh-en" and r["doc"] in docs
              and r["label"] in ("human_translation", "machine_translation")]
    machine = [r["label"] == "machine_translation" for r in chosen]
    assert 0 < sum(machine) < len(machine)
    log_odds = [lm.read(r["text"], 256)[1] for r in chosen]
    assert roc_auc_score(machine, log_odds) > 0.7


def test_each_family_version_reads_the_model_in_the_precision_it_was_trained_on():
    """lm@5 (what new deep stages use) and lm@4 read the int8 model and its probe; lm@3 still reads float32
    and the probe fitted on float32 states, so deep stages trained on it score as they did."""
    from spindetect.features.language_model import LanguageModelFeaturesV3, LanguageModelFeaturesV4
    from spindetect.lm import language_model

    text = (REPO / "data" / "examples" / "original.txt").read_text()
    assert (LanguageModelFeatures.version, LanguageModelFeatures.precision) == (5, "int8")
    assert (LanguageModelFeaturesV4.version, LanguageModelFeaturesV4.precision) == (4, "int8")
    assert (LanguageModelFeaturesV3.version, LanguageModelFeaturesV3.precision) == (3, "float32")
    for family, precision in ((LanguageModelFeatures(), "int8"), (LanguageModelFeaturesV4(), "int8"),
                              (LanguageModelFeaturesV3(), "float32")):
        model = language_model(precision)
        assert model.transformer.precision == precision
        _, probe = model.read(text, 256)
        assert family.extract(Document(id="o", text=text)).values["translation_probe"] == probe
    float32_words, float32_probe = language_model("float32").read(text, 256)
    int8_words, int8_probe = language_model("int8").read(text, 256)
    assert float32_probe != int8_probe  # two probes, two readings
    assert [w.word for w in float32_words] == [w.word for w in int8_words]
