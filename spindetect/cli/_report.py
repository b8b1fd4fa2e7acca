"""`spindetect report`: score a batch and write one self-contained HTML report for moderators.

Exit codes follow `score`: 0 every input scored, 2 usage error (unusable model or index, unwritable
output), 3 some inputs failed (their error records are in the report all the same).
"""

from __future__ import annotations

import sys

import click

from ..detector import Detector
from ..errors import ModelError, SourceIndexError
from ..io._readers import DEFAULT_MAX_FILE_BYTES, iter_inputs
from ..pipeline import DEFAULT_MAX_CHARS
from ._options import scoring_mode

EXIT_OK, EXIT_USAGE, EXIT_INPUT_FAILED = 0, 2, 3


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="Write the HTML report here.")
@click.option("--model", "model", default=None, help="Model directory or registered name [default model].")
@click.option("--index", "index_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Source index: show each matched original beside its document.")
@click.option("--cluster", "with_stories", is_flag=True, help="Group the batch into stories (as `cluster`).")
@click.option("--title", default=None, help="The report's title [default: spindetect report].")
@click.option("--max-chars", type=click.IntRange(1000), default=DEFAULT_MAX_CHARS, show_default=True,
              help="Score at most this many characters of each document.")
@scoring_mode
def report(inputs, output, model, index_dir, with_stories, title, max_chars, mode) -> None:
    """Score INPUT files, directories, JSONL batches or - (stdin) and write an HTML report of them all."""
    from ..report import collect, render, stories_of
    from ..report._page import DEFAULT_TITLE

    try:
        detector = Detector.load(model, max_chars=max_chars, source_index=index_dir, mode=mode or "default")
    except (ModelError, SourceIndexError) as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    items = iter_inputs(list(inputs), max_file_bytes=max(DEFAULT_MAX_FILE_BYTES, max_chars * 4))
    entries = collect(items, detector)
    stories = stories_of(entries) if with_stories else None
    page = render(entries, title=title or DEFAULT_TITLE, stories=stories)
    try:
        with open(output, "w", encoding="utf-8") as stream:
            stream.write(page)
    except OSError as exc:
        click.echo(f"spindetect: error: cannot write {output}: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    failed = sum(not entry.verdict.ok for entry in entries)
    flagged = sum(bool(entry.verdict.flagged) for entry in entries)
    click.echo(f"spindetect: wrote {output}: {len(entries)} documents, {flagged} flagged, {failed} failed", err=True)
    sys.exit(EXIT_INPUT_FAILED if failed else EXIT_OK)
