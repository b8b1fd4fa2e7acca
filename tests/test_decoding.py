import codecs

import pytest

from spindetect.io import decode_bytes
from spindetect.errors import DocumentError

TEXT = "Caf\u00e9 owners said the \u201cnew\u201d rules were costly."


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("cp1252"),
])
def test_encodings_decode_to_the_same_text(data):
    assert decode_bytes(data) == TEXT


def test_latin1_prose_decodes():
    text = "Le caf\u00e9 est ferm\u00e9 depuis hier, a d\u00e9clar\u00e9 le g\u00e9rant du march\u00e9."
    assert decode_bytes(text.encode("latin-1")) == text


def test_empty_bytes_decode_to_empty_text():
    assert decode_bytes(b"") == ""


@pytest.mark.parametrize("data", [bytes(range(256)) * 20, b"\x00" * 100 + b"abc"])
def test_binary_is_refused(data):
    with pytest.raises(DocumentError) as info:
        decode_bytes(data, "blob.bin")
    assert info.value.kind == "binary"
    assert "blob.bin" in info.value.message


def test_a_stray_nul_is_tolerated():
    text = ("word " * 200).encode() + b"\x00"
    assert decode_bytes(text).startswith("word word")
