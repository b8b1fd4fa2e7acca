"""Screenshots of the HTML report for the README: the overview, a document view, the side-by-side view.

    python -m benchmarks.report_screenshots [--out docs]

The overview and the document view show the report of the example documents as `spindetect report
data/examples/* --cluster -o report.html` makes it; the side-by-side view is the same report made with
`--index` of an index holding the original of story 1, so that its spins are shown beside it. Needs Chromium and the Playwright driver (the `test` extra).
Writes docs/report-overview.png, docs/report-document.png and docs/report-side-by-side.png.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from spindetect import Detector
from spindetect.index import SourceIndex
from spindetect.io._readers import iter_inputs
from spindetect.report import collect, render, stories_of

from .report_browser import open_page, why_no_browser

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "data" / "examples"
WIDTH, HEIGHT = 1200, 760


def example_report(folder: Path, *, indexed: bool) -> tuple[Path, list[str]]:
    """The examples' report as `spindetect report data/examples/* --cluster` makes it (with `indexed`,
    `--index` of story 1's original too); its path and document ids."""
    detector = Detector.load()
    if indexed:
        index = SourceIndex.open(folder / "index", create=True)
        batch = [json.loads(line) for line in (EXAMPLES / "retrain-batch.jsonl").read_text().splitlines()
                 if line.strip()]
        index.add([(r["id"], r["text"]) for r in batch if r["id"] == "story1-original"])
        detector = Detector.load(source_index=index)
    # Named as the command run from the repository root names them.
    inputs = [os.path.relpath(path) for path in sorted(EXAMPLES.iterdir())]
    entries = collect(iter_inputs(inputs), detector)
    path = folder / ("indexed.html" if indexed else "report.html")
    path.write_text(render(entries, title="spindetect report data/examples/*", stories=stories_of(entries)),
                    encoding="utf-8")
    return path, [entry.verdict.id for entry in entries]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    reason = why_no_browser()
    if reason:
        sys.exit(f"cannot take screenshots: {reason}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path, ids = example_report(Path(folder), indexed=False)
        with open_page(path, width=WIDTH, height=HEIGHT) as (page, log):
            page.screenshot(path=str(args.out / "report-overview.png"))
            page.evaluate("index => { location.hash = '#doc=' + index; }", ids.index("data/examples/farm_copy.html"))
            page.wait_for_selector("#doc-text")
            page.screenshot(path=str(args.out / "report-document.png"))
            problems = log.problems
        path, ids = example_report(Path(folder), indexed=True)
        with open_page(path, width=WIDTH, height=HEIGHT) as (page, log):
            page.evaluate("index => { location.hash = '#doc=' + index; }", ids.index("story1-spun55"))
            page.wait_for_selector("#side-by-side")
            page.eval_on_selector("#side-by-side", "section => section.scrollIntoView({block: 'start'})")
            box = page.locator("#side-by-side").bounding_box()  # in viewport coordinates, after the scroll
            page.screenshot(path=str(args.out / "report-side-by-side.png"),
                            clip={"x": box["x"], "y": box["y"], "width": box["width"],
                                  "height": min(box["height"], HEIGHT - box["y"])})
            problems += log.problems
    if problems:
        sys.exit(f"the page reported problems: {problems}")
    for name in ("report-overview.png", "report-document.png", "report-side-by-side.png"):
        print(f"{args.out / name}: {(args.out / name).stat().st_size / 1000:.0f} KB")


if __name__ == "__main__":
    main()
