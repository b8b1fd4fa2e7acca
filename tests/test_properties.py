"""Property tests: any unicode text (Detector.score) and any bytes (written to a file and read through the
CLI's reader) give exactly one valid record with the contract keys, and nothing raises."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from record_contract import assert_valid_record, score_cli
from spindetect import Detector

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])
# Text that looks like documents often enough to reach the features: words, markup, controls, any unicode.
WORDY = st.lists(st.one_of(
    st.sampled_from(["the", "council", "said", "plan", ".", ",", "\n\n", "<p>", "</div>", "<html>", "\u200b",
                     "\u00ad", "\u202e", "\u0430", "\uff21", "\x00", "\ud800", "&amp;", "Москва", "市"]),
    st.text(max_size=20)), max_size=200).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=2000), WORDY)


@pytest.fixture(scope="module")
def detector(tiny_model_dir):
    return Detector.load(tiny_model_dir)


@SETTINGS
@given(text=ANY_TEXT)
def test_any_text_gives_a_valid_record(detector, text):
    assert_valid_record(detector.score(text).to_record())


@SETTINGS
@given(text=ANY_TEXT, as_html=st.booleans())
def test_any_dict_document_gives_a_valid_record(detector, text, as_html):
    assert_valid_record(detector.score({"id": "d", "html" if as_html else "text": text}).to_record())


@SETTINGS
@given(data=st.one_of(st.binary(max_size=4000), WORDY.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".html", ".jsonl", ".md", ".bin"]))
def test_any_bytes_in_a_file_give_valid_records_through_the_cli(tiny_model_dir, tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("prop") / f"doc{suffix}"
    path.write_bytes(data)
    code, records = score_cli([str(path)], tiny_model_dir)
    assert code in (0, 3)
    assert (code == 3) == any(r["error"] is not None for r in records)
    if suffix != ".jsonl":
        assert len(records) == 1
    elif not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 is split after decoding
        assert len(records) == sum(1 for line in data.split(b"\n") if line.strip())  # blank lines skipped
    for record in records:
        assert_valid_record(record)
