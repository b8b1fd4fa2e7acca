"""The onnxruntime forward pass against the numpy reference it replaced (`training/lm_reference.py`), and its
key/value cache against a full recompute: in float32 the same states and log-probabilities as the
reference, whichever path (cache, batch, padding, threads, file, memory or cache folder) ran; in int8 (what
scoring uses) log-probabilities within a stated distance of them, and padded batches equal to each row."""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

from spindetect.lm import language_model
from spindetect.lm._transformer import CACHE_VARIABLE, MASKED, Transformer, causal_mask
from spindetect.lm._weights import quantized_tensors

from training.lm_reference import ReferenceTransformer

# Float32 sums in another order: states agree to ~1e-4 on values of up to ~50; log-probabilities likewise.
STATE_TOLERANCE = 2e-3
LOGPROB_TOLERANCE = 2e-3
# int8 products against the float32 reference, over the texts' positions: the mean absolute change of the
# log p of each next token, and the share of positions whose most likely next token is the same. On held-out
# news the mean change is ~0.19 nats (`benchmarks/lm_runtime.py`).
INT8_MEAN_LOGPROB_CHANGE = 0.35
INT8_TOP_AGREEMENT = 0.8

TEXTS = ("Ministers met on Tuesday to discuss the budget.",
         "The city council approved the plan to build new cycle lanes across the centre of town, officials said.",
         "Artificial intelligence is changing how newsrooms work, and a moment of truth is near.")


@pytest.fixture(scope="module")
def lm():
    return language_model()


@pytest.fixture(scope="module")
def reference():
    return ReferenceTransformer.load()


@pytest.fixture(scope="module")
def float32():
    return language_model("float32").transformer


@pytest.fixture(scope="module")
def int8(lm):
    assert lm.transformer.precision == "int8"  # what scoring uses
    return lm.transformer


def _ids(lm, text: str) -> np.ndarray:
    return np.array([[lm.transformer.start_token_id] + lm.tokenizer.encode(text).ids])


@pytest.mark.parametrize("text", TEXTS)
def test_float32_states_and_log_probabilities_equal_the_reference(lm, float32, reference, text):
    ids = _ids(lm, text)
    states = float32.hidden_states(ids)
    expected = reference.hidden_states(ids)
    np.testing.assert_allclose(states, expected, atol=STATE_TOLERANCE)
    np.testing.assert_allclose(float32.log_probabilities(states[0]),
                               reference.log_probabilities(expected[0]), atol=LOGPROB_TOLERANCE)


def test_int8_log_probabilities_stay_near_the_reference(lm, int8, reference):
    changes, agreements = [], []
    for text in TEXTS:
        ids = _ids(lm, text)
        got = int8.log_probabilities(int8.hidden_states(ids)[0])
        expected = reference.log_probabilities(reference.hidden_states(ids)[0])
        positions = np.arange(ids.shape[1] - 1)
        changes.append(np.abs(got[positions, ids[0, 1:]] - expected[positions, ids[0, 1:]]))
        agreements.append(got.argmax(axis=1) == expected.argmax(axis=1))
    change, agreement = np.concatenate(changes), np.concatenate(agreements)
    assert change.mean() <= INT8_MEAN_LOGPROB_CHANGE
    assert agreement.mean() >= INT8_TOP_AGREEMENT
    assert change.mean() > 0  # int8 is not float32 in disguise


def test_a_batch_of_padded_rows_equals_each_row_alone(lm, float32, int8, reference):
    rows = [_ids(lm, text)[0] for text in TEXTS]
    batch = np.full((len(rows), max(map(len, rows))), float32.start_token_id)
    for i, row in enumerate(rows):
        batch[i, :len(row)] = row
    float32_states = float32.hidden_states(batch)
    int8_states = int8.hidden_states(batch)
    for i, row in enumerate(rows):
        np.testing.assert_allclose(float32_states[i, :len(row)], reference.hidden_states(row[None])[0],
                                   atol=STATE_TOLERANCE)
        # int8 activations are quantised per token, so a row reads the same whatever shares its batch
        np.testing.assert_allclose(int8_states[i, :len(row)], int8.hidden_states(row[None])[0],
                                   atol=STATE_TOLERANCE)


def test_the_cached_suffix_pass_equals_a_full_recompute(lm, float32):
    """In float32. (In int8 a token's result also depends on the last bits of float32 sums that differ
    between paths, amplified to whole int8 steps: docs/evaluation.md, the runtime section.)"""
    transformer = float32
    ids = _ids(lm, TEXTS[1])
    full = transformer.hidden_states(ids)[0]
    for split in (1, 5, ids.shape[1] - 1):
        _, cache = transformer.forward(ids[:, :split])
        assert cache.length == split
        suffix, extended = transformer.forward(ids[:, split:], cache=cache)
        np.testing.assert_allclose(suffix[0], full[split:], atol=1e-4)
        assert extended.length == ids.shape[1]


def test_variants_changed_at_different_places_run_in_one_call_on_one_cache(lm, float32):
    """The rescoring pass: each row replaces one token of the text and reruns only the tokens from there,
    on the whole text's cache, seeing only the cache before its change (mask) at its own positions."""
    transformer = float32
    ids = _ids(lm, TEXTS[2])[0]
    _, cache = transformer.forward(ids[None])
    replacement = lm.tokenizer.encode(" fake").ids[0]
    changes = [3, 7, 11]
    length = len(ids) - min(changes)
    tokens = np.full((len(changes), length), transformer.start_token_id)
    positions = np.zeros((len(changes), length), dtype=np.int64)
    mask = np.full((len(changes), 1, length, len(ids) + length), MASKED, dtype=np.float32)
    for row, at in enumerate(changes):
        variant = ids.copy()
        variant[at] = replacement
        n = len(ids) - at
        tokens[row, :n] = variant[at:]
        positions[row, :n] = np.arange(at, len(ids))
        positions[row, n:] = len(ids)  # padding: any position; no real token sees it
        mask[row, 0, :, :at] = 0.0  # the cached text before the change
        mask[row, 0, :, len(ids):] = causal_mask(1, length)[0, 0]  # its own new tokens, causally
    states, _ = transformer.forward(tokens, positions=positions, mask=mask, cache=cache)
    for row, at in enumerate(changes):
        variant = ids.copy()
        variant[at] = replacement
        direct = transformer.hidden_states(variant[None])[0, at:]
        np.testing.assert_allclose(states[row, :len(ids) - at], direct, atol=1e-3)
    # and the change mattered: the variant's states differ from the text's own
    assert np.abs(states[0, 1] - transformer.hidden_states(ids[None])[0, changes[0] + 1]).max() > 0.1


def test_one_thread_gives_the_same_states(lm, float32):
    with quantized_tensors() as tensors:
        single = Transformer(float32.config, tensors, threads=1)
    ids = _ids(lm, TEXTS[0])
    np.testing.assert_allclose(single.hidden_states(ids), float32.hidden_states(ids), atol=1e-4)


def test_weights_handed_over_in_memory_give_the_same_log_probabilities(lm, float32):
    """Where no temporary file can be written, onnxruntime gets the weights file's bytes in memory."""
    with quantized_tensors() as tensors:
        in_memory = Transformer(float32.config, tensors, in_memory=True)
    ids = _ids(lm, TEXTS[1])
    np.testing.assert_array_equal(in_memory.log_probabilities(in_memory.hidden_states(ids)[0]),
                                  float32.log_probabilities(float32.hidden_states(ids)[0]))


def test_no_temporary_file_is_left_behind(lm, float32, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with quantized_tensors() as tensors:
        Transformer(float32.config, tensors, threads=1)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_temporary_directory_falls_back_to_memory(lm, float32, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with quantized_tensors() as tensors:
        fallback = Transformer(float32.config, tensors, threads=1)
    ids = _ids(lm, TEXTS[0])
    np.testing.assert_allclose(fallback.hidden_states(ids), float32.hidden_states(ids), atol=1e-4)


def test_the_shipped_model_is_built_once_into_its_cache_and_mapped_from_it_after(lm, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    first = Transformer.load(threads=1)
    folders = [path for path in tmp_path.iterdir()]
    assert [path.name.startswith("lm-float32-") for path in folders] == [True]
    assert (folders[0] / "complete.json").is_file()
    modified = {path.name: path.stat().st_mtime_ns for path in folders[0].iterdir()}
    second = Transformer.load(threads=1)
    assert {path.name: path.stat().st_mtime_ns for path in folders[0].iterdir()} == modified  # not rebuilt
    ids = _ids(lm, TEXTS[1])
    np.testing.assert_array_equal(second.hidden_states(ids), first.hidden_states(ids))


def test_a_damaged_cache_is_rebuilt(lm, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    reference = Transformer.load(threads=1)
    (folder,) = tmp_path.iterdir()
    (folder / "body.onnx").write_bytes(b"not a graph")
    rebuilt = Transformer.load(threads=1)
    ids = _ids(lm, TEXTS[0])
    np.testing.assert_array_equal(rebuilt.hidden_states(ids), reference.hidden_states(ids))
    assert (folder / "complete.json").is_file() and (folder / "body.onnx").stat().st_size > 1000


def test_the_cache_can_be_turned_off(lm, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    Transformer.load(threads=1)
    assert not (tmp_path / "cache").exists()
