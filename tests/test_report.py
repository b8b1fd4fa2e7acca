"""`spindetect report` and `spindetect.report`: structure, evidence placement, escaping (issue #14).

The page is read back with html.parser; what the browser makes of it is tests/test_report_browser.py.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO
from report_pages import (
    HOSTILE_IDS,
    HOSTILE_TEXTS,
    example_entries,
    hostile_records,
    parse_report,
    sha256_source,
)

from spindetect import Detector
from spindetect.cli import main
from spindetect.index import SourceIndex
from spindetect.index.align import word_runs
from spindetect.index.canonical import canonical_sequence
from spindetect.io._readers import iter_inputs
from spindetect.report import collect, render, stories_of
from spindetect.text._normalize import normalize
from spindetect.text._undone import undone_spans

EXAMPLES = sorted((REPO / "data" / "examples").iterdir())
SAFE_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "a", "p", "main", "section", "div",
             "input", "select", "option", "label", "span", "table", "thead", "tr", "th", "tbody", "nav", "h2", "ul",
             "script"}


@pytest.fixture(scope="module")
def entries():
    return example_entries(EXAMPLES)


@pytest.fixture(scope="module")
def page(entries):
    return render(entries, stories=stories_of(entries))


@pytest.fixture(scope="module")
def hostile_page():
    return render(collect(hostile_records()), title="</title><script>window.pwned=1</script>")


# ------------------------------------------------------------------ structure


def test_every_input_record_is_in_the_report_errors_included(entries, page):
    expected = [item.id for item in iter_inputs([str(p) for p in EXAMPLES])]
    documents = parse_report(page).data["documents"]
    assert [doc["id"] for doc in documents] == expected
    errors = [doc for doc in documents if doc["error"]]
    assert errors and all(doc["error"]["type"] and doc["top"] for doc in errors)
    assert {"copy", "original"} <= {doc["label"] for doc in documents}


def test_the_page_is_self_contained_and_its_policy_allows_only_its_own_style_and_script(page):
    parsed = parse_report(page)
    tags = {tag for tag, _ in parsed.start_tags}
    assert tags <= SAFE_TAGS, tags - SAFE_TAGS
    for tag, attrs in parsed.start_tags:
        assert "src" not in attrs and tag not in ("link", "img", "iframe", "object"), (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    assert len(parsed.scripts) == 2 and len(parsed.styles) == 1
    csp = parsed.csp
    assert "default-src 'none'" in csp
    assert sha256_source(parsed.inline_script) in csp and sha256_source(parsed.styles[0]) in csp
    assert "unsafe-inline" not in csp and "http" not in csp


def test_evidence_offsets_index_the_text_shown(entries, page):
    documents = parse_report(page).data["documents"]
    placed = {}
    for doc in documents:
        for kind, text, _, start, end in doc["evidence"]:
            if start >= 0 and not kind.startswith("obfuscation:"):
                assert doc["text"][start:end] == text, (doc["id"], kind, text)
                placed[kind] = placed.get(kind, 0) + 1
    # What the records show for the examples, each placed in its text: the farm copy's residue and a swap in
    # the spun example; never the kinds no record shows. The examples' most MT-like and LLM-like sentences
    # and the spun example's garbled pairs are as ordinary as clean text's: below their evidence floors, not
    # shown (tests/test_evidence_floors.py).
    from spindetect.model._explain import UNSHOWN_EVIDENCE_KINDS

    assert "boilerplate:attribution" in placed, placed
    assert {"garbled_collocation", "lm_both_ways"} & set(placed), placed
    assert not UNSHOWN_EVIDENCE_KINDS & set(placed)


def test_html_pages_show_their_extracted_normalised_text_and_the_furniture_dropped(entries, page):
    farm = next(doc for doc in parse_report(page).data["documents"] if doc["id"].endswith("farm_copy.html"))
    entry = next(e for e in entries if e.verdict.id == farm["id"])
    assert farm["text"] == entry.document.text and "<" not in farm["text"][:200]
    kinds = {kind for _, kind in farm["furniture"]}
    assert any(kind.startswith("boilerplate:") for kind in kinds)
    assert any(kind.startswith("boilerplate:") and start < 0 for kind, _, _, start, _ in farm["evidence"])


def test_reasons_are_charted_strongest_first_with_their_contributions(page):
    farm = next(doc for doc in parse_report(page).data["documents"] if doc["id"].endswith("farm_copy.html"))
    contributions = [c for _, c, _ in farm["reasons"]]
    assert farm["reasons"][0][0] == "boilerplate.residue_weight"
    assert contributions == sorted(contributions, reverse=True) and 0 < len(contributions) <= 12


def test_render_takes_plain_verdicts_and_records_without_text():
    detector = Detector.load()
    verdicts = list(detector.score_many([(REPO / "data/examples/spun.txt").read_text(), ""]))
    for items in (verdicts, [v.to_record() for v in verdicts]):
        documents = parse_report(render(items)).data["documents"]
        assert [doc["text"] for doc in documents] == [None, None]
        assert documents[0]["evidence"] and all(start == -1 for *_, start, _ in documents[0]["evidence"])
        assert documents[1]["error"]["type"] == "empty"


# ------------------------------------------------------------------ escaping


def test_hostile_documents_stay_data(hostile_page):
    parsed = parse_report(hostile_page)
    tags = {tag for tag, _ in parsed.start_tags}
    assert tags <= SAFE_TAGS, tags - SAFE_TAGS
    assert len(parsed.scripts) == 2 and not parsed.comments
    documents = parsed.data["documents"]
    ids = [doc["id"] for doc in documents]
    assert ids[len(HOSTILE_TEXTS):len(HOSTILE_TEXTS) + len(HOSTILE_IDS)] == HOSTILE_IDS
    for doc, text in zip(documents, HOSTILE_TEXTS):
        assert doc["error"] is None
        assert doc["text"] == normalize(text * 3).text  # the strings survive the round trip exactly
    raw_block = hostile_page.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    for breaker in ("<", ">", "\u2028", "\u2029"):
        assert breaker not in raw_block
    assert "</title><script>" not in hostile_page and parsed.data["title"].startswith("</title>")


def test_hostile_page_script_never_writes_markup():
    script = (REPO / "spindetect/report/assets/report.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "setAttribute(\"style"):
        assert sink not in script
    assert "</script" not in script.lower()


def test_obfuscation_is_placed_where_it_was_in_the_text(hostile_page):
    doc = parse_report(hostile_page).data["documents"][4]
    marks = [(kind, start, end) for kind, _, _, start, end in doc["evidence"] if kind.startswith("obfuscation:")]
    assert ("obfuscation:format", 4, 4) in marks  # "Zero|width": the zero-width space stood after "Zero"
    homoglyphs = [(start, end) for kind, start, end in marks if kind == "obfuscation:homoglyph"]
    assert [doc["text"][start:end] for start, end in homoglyphs][:2] == ["a", "c"]
    bidi = parse_report(hostile_page).data["documents"][3]
    assert any(kind == "obfuscation:bidi_control" for kind, *_ in bidi["evidence"])


@pytest.mark.parametrize("raw, kinds", [
    ("", []),
    ("plain text", []),
    ("ele\u200bction", [("format", 3, 3)]),
    ("p\u0430yment", [("homoglyph", 1, 2)]),
    ("\uff21\uff22C", [("compatibility", 0, 1), ("compatibility", 1, 2)]),
    ("line\r\nnext\u00ad", [("soft_hyphen", 9, 9)]),
    ("caf\u0065\u0301 \u202eevil", [("bidi_control", 5, 5)]),  # composing an accent is not a disguise
])
def test_undone_spans(raw, kinds):
    spans = undone_spans(raw)
    assert [(s.kind, s.start, s.end) for s in spans] == kinds
    text = normalize(raw).text
    assert all(0 <= s.start <= s.end <= len(text) for s in spans)


def test_undone_spans_refuse_to_guess_when_chunked_nfkc_differs():
    assert undone_spans("\u1100\u1161 Hangul jamo compose across starters") is None


# ------------------------------------------------------------------ side by side and stories


def test_word_runs_split_verbatim_and_substituted_words():
    runs = word_runs(canonical_sequence("the council approved the plan"),
                     canonical_sequence("the council endorsed the plan"))
    assert [run.kind for run in runs] == ["verbatim", "swap", "verbatim"] or \
        [run.kind for run in runs] == ["verbatim", "synonym", "verbatim"]


def test_with_an_index_the_matched_original_is_aligned_sentence_by_sentence(tmp_path):
    original = REPO / "data/examples/original.txt"
    index = SourceIndex.open(tmp_path / "index", create=True)
    index.add([("the-original", original.read_text())])
    detector = Detector.load(source_index=index)
    entries = collect(iter_inputs([str(REPO / "data/examples/farm_copy.html"), str(original)]), detector)
    farm = parse_report(render(entries)).data["documents"][0]
    source = farm["source"]
    assert source["id"] == "the-original" and source["similarity"] > 0.7
    assert (source["relation"], source["matched_by"]) == ("excerpt", "wording")  # its first seven sentences
    aligned = [row for row in source["rows"] if row["similarity"] is not None]
    assert len(aligned) == len(entries[0].verdict.source["aligned"]) >= 8
    for row in source["rows"]:
        for side, marks in (("original", "original_marks"), ("copy", "copy_marks")):
            assert all(0 <= start < end <= len(row[side]) for start, end, _, _ in row[marks])
    assert any(kind == "verbatim" for row in aligned for _, _, kind, _ in row["copy_marks"])
    # The copy's added furniture has no original sentence.
    assert any(row["similarity"] is None and row["copy"] for row in source["rows"])


def test_spun_copy_shows_its_substitutions_word_by_word(tmp_path):
    index = SourceIndex.open(tmp_path / "index", create=True)
    records = [json.loads(line) for line in (REPO / "data/examples/retrain-batch.jsonl").read_text().splitlines()
               if line.strip()]
    story = [r for r in records if str(r.get("id", "")).startswith("story0-")]
    index.add([(r["id"], r["text"]) for r in story if r["id"].endswith("original")])
    spun = next(r for r in story if r["id"].endswith("spun55"))
    entries = collect([spun], Detector.load(source_index=index))
    rows = parse_report(render(entries)).data["documents"][0]["source"]["rows"]
    substituted = [(row["copy"][s:e], other) for row in rows for s, e, kind, other in row["copy_marks"]
                   if kind == "substituted"]
    assert len(substituted) >= 5 and all(other for _, other in substituted)


def test_stories_put_the_original_first_with_each_version_s_relation(entries, page):
    data = parse_report(page).data
    assert data["clustered"] and data["stories"]
    for story in data["stories"]:
        assert story["members"][0]["role"] == "original" and len(story["members"]) > 1
        assert all(member["relation"] for member in story["members"])
        assert all(data["documents"][m["doc"]]["id"] == m["id"] for m in story["members"])


# ------------------------------------------------------------------ command line and packaging


def test_cli_report_writes_the_page_and_exits_3_when_an_input_failed(tmp_path):
    output = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(REPO / "data/examples/batch.jsonl"),
                                       str(tmp_path / "missing.txt"), "-o", str(output), "--cluster"])
    assert result.exit_code == 3, result.output
    documents = parse_report(output.read_text(encoding="utf-8")).data["documents"]
    assert documents[-1]["error"]["type"] == "not_found"
    assert "documents" in result.output  # the summary line on stderr


def test_cli_report_exit_0_and_usage_errors(tmp_path):
    output = tmp_path / "report.html"
    ok = CliRunner().invoke(main, ["report", str(REPO / "data/examples/original.txt"), "-o", str(output)])
    assert ok.exit_code == 0 and output.stat().st_size > 0
    missing_index = CliRunner().invoke(main, ["report", str(REPO / "data/examples/original.txt"), "-o",
                                              str(output), "--index", str(tmp_path / "no-index")])
    assert missing_index.exit_code == 2
    no_output = CliRunner().invoke(main, ["report", str(REPO / "data/examples/original.txt")])
    assert no_output.exit_code == 2


def test_the_page_assets_are_package_data():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "spindetect.report" in config["tool"]["setuptools"]["packages"]
    patterns = config["tool"]["setuptools"]["package-data"]["spindetect.report"]
    assets = [p.relative_to(REPO / "spindetect/report").as_posix()
              for p in Path(REPO / "spindetect/report/assets").iterdir()]
    assert assets and all(any(fnmatch.fnmatch(a, pattern) for pattern in patterns) for a in assets)
