"""The shipped language model: its weights decode as ggml stores them, its forward pass is a language
model of English, and its word scores see a spinner's swaps."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from spindetect.lm import content_words, language_model
from spindetect.lm._transformer import RESOURCE_PACKAGE, dequantize
from spindetect.features.language_model import LanguageModelFeatures
from spindetect.text._document import Document

from conftest import REPO


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
    spun = (REPO / "data" / "examples" / "spun.txt").read_text()
    result = LanguageModelFeatures().extract(Document(id="spun", text=spun))
    pairs = {(e.text, e.replaced) for e in result.evidence["synonym_preferred_share"]}
    # data/examples/spun.txt is our own example: "debate" spun to "quarrel", "evening" to "dusk".
    assert ("quarrel", "debate") in pairs and ("dusk", "evening") in pairs


def test_spun_text_has_larger_synonym_gaps_than_its_original():
    family = LanguageModelFeatures()
    original = family.extract(Document(id="o", text=(REPO / "data/examples/original.txt").read_text()))
    spun = family.extract(Document(id="s", text=(REPO / "data/examples/spun.txt").read_text()))
    for name in ("synonym_gap_top_mean", "synonym_preferred_share", "surprise_top_mean"):
        assert spun.values[name] > original.values[name], name


@pytest.mark.parametrize("text", ["", "Too short to judge.", "12 34 56"])
def test_short_texts_are_not_measurable(text):
    values = LanguageModelFeatures().extract(Document(id="t", text=text)).values
    assert set(values) == set(LanguageModelFeatures.features)
    assert all(np.isnan(v) for v in values.values())
