"""Reports moderators open in a browser: one self-contained HTML file for a batch.

    from spindetect.report import collect, render, stories_of
    entries = collect(["text ...", {"id": "a", "html": "<html>..."}])   # scores, keeping each text
    html = render(entries)                          # overview, and each document with its evidence marked
    html = render(entries, stories=stories_of(entries))                 # with the batch's stories
    html = render(verdicts)                         # from Verdicts or records alone: evidence listed, no text

`collect` takes a `Detector` (with a source index, each document is shown beside its matched original).
Modules: `_collect` (scoring, keeping texts), `_payload` (the page's data), `_side_by_side` (the aligned
original), `_stories` (the cluster adapter), `_page` (the HTML file); the page itself is `assets/`.
"""

from ._collect import ReportEntry, collect
from ._page import render
from ._stories import Story, stories_of

__all__ = ["ReportEntry", "Story", "collect", "render", "stories_of"]
