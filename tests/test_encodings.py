"""Encodings: the same article in UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM, Latin-1 and Windows-1252
must decode to the same text and get the same record (compared through the CLI)."""

import pytest

from record_contract import score_cli, verdict_fields
from spindetect.io import decode_bytes

# Our own article; Windows-1252 punctuation (curly quotes, dashes, euro, pound) and Latin-1 letters.
ARTICLE_1252 = (
    "Caf\u00e9 owners on the high street said the new \u201cpedestrian first\u201d rules had cost them "
    "\u00a3200 a week \u2014 a claim the council disputes. The na\u00efve plan, one owner said, "
    "\u2018ignored deliveries entirely\u2019.\n\n"
    "The council\u2019s transport lead, Ren\u00e9e M\u00fcller, replied that footfall had risen by 8% since "
    "the scheme began, and that the \u20ac1.2m grant from the regional fund would pay for new loading bays "
    "before Christmas. Shops in the old quarter \u2013 most of them small \u2013 will be consulted first.\n"
) * 3
# Latin-1 has no curly quotes, dashes or euro sign: a variant limited to what ISO 8859-1 can encode.
ARTICLE_LATIN1 = (
    "Caf\u00e9 owners on the high street said the new \"pedestrian first\" rules had cost them \u00a3200 a "
    "week, a claim the council disputes. The na\u00efve plan, one owner said, ignored deliveries entirely.\n\n"
    "The council's transport lead, Ren\u00e9e M\u00fcller, replied that footfall had risen by 8% since the "
    "scheme began, and that the grant from the regional fund would pay for new loading bays before "
    "Christmas. Shops in the old quarter, most of them small, will be consulted first.\n"
) * 3

ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf-16-le-bom": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "windows-1252": lambda t: t.encode("cp1252"),
    "latin-1": lambda t: t.encode("latin-1"),
}


def _cases():
    for name in ENCODINGS:
        if name != "latin-1":
            yield name, ARTICLE_1252
        if name != "windows-1252":
            yield name, ARTICLE_LATIN1


@pytest.mark.parametrize("encoding, text", list(_cases()))
def test_every_encoding_decodes_to_the_same_text(encoding, text):
    assert decode_bytes(ENCODINGS[encoding](text), "x") == text


@pytest.mark.parametrize("suffix", [".txt", ".html"])
@pytest.mark.parametrize("encoding, text", list(_cases()))
def test_every_encoding_scores_the_same_as_utf8(tiny_model_dir, tmp_path, encoding, text, suffix):
    def body(t):
        return f"<html><body><article><p>{t}</p></article></body></html>" if suffix == ".html" else t

    reference, encoded = tmp_path / f"utf8{suffix}", tmp_path / f"{encoding}{suffix}"
    reference.write_bytes(body(text).encode("utf-8"))
    encoded.write_bytes(ENCODINGS[encoding](body(text)))
    code, (expected, actual) = score_cli([str(reference), str(encoded)], tiny_model_dir)
    assert code == 0
    assert expected["score"] is not None
    assert verdict_fields(actual) == verdict_fields(expected)


@pytest.mark.parametrize("encoding", ["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "windows-1252"])
def test_jsonl_in_other_encodings_scores_the_same(tiny_model_dir, tmp_path, encoding):
    import json

    line = json.dumps({"id": "a", "text": ARTICLE_1252}, ensure_ascii=False) + "\n"
    reference, encoded = tmp_path / "utf8.jsonl", tmp_path / f"{encoding}.jsonl"
    reference.write_bytes(line.encode("utf-8"))
    encoded.write_bytes(ENCODINGS[encoding](line))
    code, (expected, actual) = score_cli([str(reference), str(encoded)], tiny_model_dir)
    assert code == 0
    assert verdict_fields(actual) == verdict_fields(expected)
