"""The report in a real browser (headless Chromium): highlights, the side-by-side view, filtering, paging,
hostile documents, and a console without errors. Skipped, with the reason, where no Chromium or no
Playwright driver can be had."""

from __future__ import annotations

import json
import time

import pytest
from conftest import REPO
from report_pages import HOSTILE_TEXTS, hostile_records

from benchmarks.report_browser import open_page, why_no_browser
from spindetect import Detector
from spindetect.index import SourceIndex
from spindetect.io._readers import iter_inputs
from spindetect.report import collect, render, stories_of

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    """Examples (scored with an index holding the cycle-lanes original and story 0's), hostile documents,
    and stories, in one report."""
    folder = tmp_path_factory.mktemp("report")
    index = SourceIndex.open(folder / "index", create=True)
    batch = [json.loads(line) for line in (REPO / "data/examples/retrain-batch.jsonl").read_text().splitlines()
             if line.strip()]
    index.add([("cycle-lanes-original", (REPO / "data/examples/original.txt").read_text())]
              + [(r["id"], r["text"]) for r in batch if r["id"] == "story1-original"])
    detector = Detector.load(source_index=index)
    paths = [REPO / "data/examples" / name for name in ("farm_copy.html", "spun.txt", "batch.jsonl",
                                                        "retrain-batch.jsonl")]
    entries = collect(list(iter_inputs([str(p) for p in paths])), detector)
    entries += collect(hostile_records(), detector)
    path = folder / "report.html"
    path.write_text(render(entries, stories=stories_of(entries)), encoding="utf-8")
    ids = [entry.verdict.id for entry in entries]
    return path, ids


def _wait_until(page, predicate: str, timeout: float = 5.0) -> None:
    """Poll `predicate` (a JS function) from Python: Playwright's wait_for_function evaluates strings inside
    the page, which the report's Content-Security-Policy (no 'unsafe-eval') rightly refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        page.wait_for_timeout(50)


def _row_ids(page) -> list[str]:
    return page.eval_on_selector_all("#documents tbody tr td.doc-id", "cells => cells.map(c => c.textContent)")


def _open(page, ids, doc_id):
    page.evaluate("index => { location.hash = '#doc=' + index; }", ids.index(doc_id))
    page.wait_for_selector("#document:not([hidden]) .doc-title")
    assert page.text_content(".doc-title") == doc_id


def test_overview_filters_sorts_and_lists_errors(report_file):
    path, ids = report_file
    with open_page(path) as (page, log):
        assert len(_row_ids(page)) == len(ids)
        page.fill("#filter", "copy")
        _wait_until(page, f"() => document.querySelectorAll('#documents tbody tr').length < {len(ids)}")
        labels = page.eval_on_selector_all("#documents tbody tr", "rows => rows.map(r => r.textContent)")
        assert labels and all("copy" in row.lower() for row in labels)
        page.fill("#filter", "")
        page.click(".chip[data-label=error]")
        _wait_until(page, "() => [...document.querySelectorAll('#documents tbody td.label')]"
                          ".every(td => td.textContent === 'error')")
        page.click(".chip[data-label=error]")
        page.click("th[data-key=score]")  # from highest first to lowest first
        scores = page.eval_on_selector_all("#documents tbody td.number", "cells => cells.map(c => c.textContent)")
        numbers = [float(s) for s in scores if s != "–"]
        assert numbers == sorted(numbers)
        assert page.locator("#errors:not([hidden]) li").count() >= 1
        assert page.locator("#stories .story").count() >= 2
        page.click("#documents tbody tr td.doc-id a")
        page.wait_for_selector("#document:not([hidden]) .doc-title")
        assert page.is_hidden("#overview")
        assert not log.problems, log.problems


def test_document_view_marks_the_evidence_in_place(report_file):
    path, ids = report_file
    with open_page(path) as (page, log):
        _open(page, ids, str(REPO / "data/examples/farm_copy.html"))
        assert page.locator("#doc-text .m-furniture").count() >= 1
        # the copy's article is clean text: its garbles and its most MT-/LLM-like sentences are below their
        # evidence floors (tests/test_evidence_floors.py); the spun example's swaps are marked
        assert page.locator("#doc-text .m-garbled").count() == 0
        assert page.locator(".furniture-list .m-furniture").count() >= 1
        assert page.locator(".reason-chart .reason").count() >= 3
        width = page.eval_on_selector(".reason-chart .reason-bar", "bar => bar.getBoundingClientRect().width")
        assert width > 10  # the bar chart's widths were applied (a CSP that blocked them would leave 0)
        _open(page, ids, str(REPO / "data/examples/spun.txt"))
        garbled = page.locator("#doc-text .m-garbled")
        assert garbled.count() >= 1 and "probably replaced" in garbled.first.get_attribute("title")
        assert page.locator(".evidence-list .replaced").count() >= 1
        assert not log.problems, log.problems


def test_side_by_side_shows_the_original_with_its_substitutions(report_file):
    path, ids = report_file
    with open_page(path) as (page, log):
        _open(page, ids, "story1-spun55")
        rows = page.locator("#side-by-side table.aligned tbody tr.aligned-pair")
        assert rows.count() >= 5
        assert page.locator("#side-by-side .d-verbatim").count() >= 5
        substituted = page.locator("#side-by-side td.sentence .d-substituted")
        assert substituted.count() >= 3 and "on the other side" in substituted.first.get_attribute("title")
        assert "is a spin of it" in page.text_content("#side-by-side p.relation")
        _open(page, ids, str(REPO / "data/examples/farm_copy.html"))
        assert page.locator("#side-by-side tr.unaligned").count() >= 1  # the farm's added lines
        assert not log.problems, log.problems


def test_hostile_documents_run_nothing_and_show_as_text(report_file):
    path, ids = report_file
    with open_page(path) as (page, log):
        for i in range(len(HOSTILE_TEXTS)):
            _open(page, ids, f"hostile-{i}")
        _open(page, ids, "hostile-0")
        assert "</script><script>" in page.text_content("#doc-text")
        _open(page, ids, "hostile-4")
        assert page.locator("#doc-text .m-obfuscation.point").count() >= 1
        assert page.locator("#doc-text .m-obfuscation:not(.point)").count() >= 1
        for doc_id in ids[-4:]:
            _open(page, ids, doc_id)
        page.click(".doc-nav .back")
        page.fill("#filter", "pwned")
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img, svg, textarea, iframe").count() == 0
        assert not log.dialogs and not log.errors and not log.foreign_requests, log.problems
        assert not log.problems, log.problems


def test_large_overviews_are_paged(tmp_path):
    records = [{"id": f"doc-{i:04d}", "input": f"doc-{i:04d}", "score": i / 250, "flagged": i % 5 == 0,
                "label": "copy" if i % 5 == 0 else "original", "reasons": [], "source": None, "model": "m@1",
                "error": None, "note": None} for i in range(250)]
    path = tmp_path / "paged.html"
    path.write_text(render(records), encoding="utf-8")
    with open_page(path) as (page, log):
        assert page.locator("#documents tbody tr").count() == 100
        assert page.text_content(".page-of") == "page 1 of 3"
        page.click("#pager button:has-text('next')")
        assert page.text_content(".page-of") == "page 2 of 3"
        page.check("#flagged-only")
        assert page.locator("#documents tbody tr").count() == 50 and page.locator(".page-of").count() == 0
        assert not log.problems, log.problems
