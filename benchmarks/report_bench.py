"""The HTML report at scale: file size, generation time, and how fast Chromium opens and filters it.

    python -m benchmarks.report_bench [--docs 1000 10000] [--no-browser]

The example documents (`data/examples/*`: 25 records, 1.4 KB of text each on average, with every kind of
evidence the features emit) are scored once with `--explain` (as `spindetect report` scores), then
repeated under new ids up to each size, so the report holds N distinct documents of realistic content
without scoring N documents (scoring speed is `benchmarks/run.py`'s subject). Measured:

- `render`: `spindetect.report.render` on the N entries (the page's data built and escaped), seconds;
- size of the HTML file, MB;
- in headless Chromium (when there is one): time from navigation to the report drawn (`report-ready`
  mark: the JSON parsed, the overview's first page and counts drawn), a filter typed into the search box
  until the table is redrawn (including the page's 80 ms wait for typing to stop), and opening one
  document's view (median of three).

Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from spindetect.io._readers import iter_inputs
from spindetect.report import collect, render

from .report_browser import open_page, why_no_browser

REPO = Path(__file__).resolve().parent.parent

# Sets the filter box as typing does and times, inside the page, until the "shown" count is redrawn: the
# 80 ms pause the page waits for the typing to stop included.
_TIME_FILTER = """async (query) => {
  const input = document.getElementById('filter'), shown = document.getElementById('shown');
  const before = shown.textContent, start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event('input'));
  await new Promise(resolve => new MutationObserver((_, observer) => { observer.disconnect(); resolve(); })
    .observe(shown, {childList: true, characterData: true, subtree: true}));
  return performance.now() - start;
}"""
_TIME_OPEN = """async (index) => {
  const start = performance.now();
  location.hash = '#doc=' + index;
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  return performance.now() - start;
}"""


def scaled_entries(n: int, examples):
    return [replace(example, verdict=replace(example.verdict, id=f"{example.verdict.id}#{i}"))
            for i, example in zip(range(n), _cycle(examples))]


def _cycle(items):
    while True:
        yield from items


def browser_times(path: Path) -> dict[str, float]:
    with open_page(path) as (page, log):
        ready = page.evaluate("() => performance.getEntriesByName('report-ready')[0].startTime")
        filters = [page.evaluate(_TIME_FILTER, query) for query in ("copy", "story3", "garbled", "")]
        opened = [page.evaluate(_TIME_OPEN, i) for i in (1, 2, 4)]
        problems = log.problems
    return {"ready_ms": ready, "filter_ms": statistics.median(filters), "open_ms": statistics.median(opened),
            "problems": len(problems)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    examples = collect(iter_inputs(sorted(str(p) for p in (REPO / "data/examples").iterdir())))
    browser = None if args.no_browser else why_no_browser()
    if browser:
        print(f"(no browser timings: {browser})")
    print("| documents | HTML size, MB | render, s | Chromium: drawn, ms | filter, ms (with the 80 ms typing pause) | open a document, ms |")
    print("|---|---|---|---|---|---|")
    for n in args.docs:
        entries = scaled_entries(n, examples)
        start = time.perf_counter()
        page = render(entries)
        seconds = time.perf_counter() - start
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "report.html"
            path.write_text(page, encoding="utf-8")
            size = path.stat().st_size / 1e6
            times = browser_times(path) if not (args.no_browser or browser) else None
        cells = (f"{times['ready_ms']:.0f} | {times['filter_ms']:.0f} | {times['open_ms']:.0f}"
                 + (f" ({times['problems']} console problems)" if times["problems"] else "")
                 if times else "– | – | –")
        print(f"| {n:,} | {size:.1f} | {seconds:.2f} | {cells} |")


if __name__ == "__main__":
    main()
