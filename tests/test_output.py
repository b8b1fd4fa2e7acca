"""JSON Lines output: one record per line whatever characters the record holds."""

import json

import pytest

from spindetect.cli._output import jsonl_line


@pytest.mark.parametrize("text", ["", "plain", "a\u2028b", "a\u2029b", "a\x85b", "a\nb\rc", "\x1c\x1d\x1e\x0b\x0c"])
def test_a_record_is_one_line_and_round_trips(text):
    line = jsonl_line({"id": text, "evidence": [{"text": text}]})
    assert len(line.splitlines()) == 1
    assert json.loads(line) == {"id": text, "evidence": [{"text": text}]}
