"""Commands for the source index and story clustering: `index add|info`, `cluster`.

Exit codes follow `score`: 0 ok, 2 usage error (no index, incompatible index), 3 some inputs failed.
`index add` reports failed inputs as JSON error records on stderr and a summary on stdout; `cluster`
writes one record per input on stdout, error records included.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from ..errors import DocumentError, SourceIndexError
from ..io._readers import iter_inputs
from ..pipeline import prepare_document
from ._output import jsonl_line

EXIT_OK, EXIT_USAGE, EXIT_INPUT_FAILED = 0, 2, 3


def _error_record(doc_id: str, where: str, error: DocumentError) -> dict:
    return {"id": doc_id, "input": where, "error": error.to_dict()}


def _documents(inputs: tuple[str, ...], failures: list[dict]) -> Iterator:
    """Prepared Documents for every readable input; failures appended as error records."""
    for item in iter_inputs(list(inputs)):
        if item.error is not None:
            failures.append(_error_record(item.id, item.input, item.error))
            continue
        try:
            yield prepare_document(item)
        except DocumentError as exc:
            failures.append(_error_record(item.id, item.input, exc))


def _report_failures(failures: list[dict]) -> None:
    for record in failures:
        click.echo(jsonl_line(record), err=True)


@click.group()
def index():
    """Build and inspect a source index of known originals (for copy/spin attribution)."""


@index.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Processes preparing documents (worth it from a few thousand documents on).")
@click.option("--meaning", is_flag=True,
              help="Also keep each document's meaning (the multilingual encoder's vector of its lead), so "
                   "translations from other languages are traced to it; once on, for good (documents indexed "
                   "before gain theirs). Costs about 0.1 s a document on two cores.")
def add(directory, inputs, jobs, meaning):
    """Add INPUT documents to the index at DIRECTORY (created if absent); a known id is replaced."""
    from ..encoder import EncoderUnavailable
    from ..index import SourceIndex

    try:
        source_index = SourceIndex.open(directory, create=True)
    except SourceIndexError as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    failures: list[dict] = []
    try:
        added = source_index.add(((doc.id, doc.text) for doc in _documents(inputs, failures)), jobs=jobs,
                                 meaning=meaning)
    except (EncoderUnavailable, SourceIndexError) as exc:
        # Either nothing was written (the encoder could not load), or the documents were and only their
        # vectors are missing: the next `add --meaning` gives them theirs.
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    source_index.checkpoint()
    _report_failures(failures)
    summary = {"index": str(directory), "added": added, "failed": len(failures),
               "documents": source_index.info()["documents"]}
    click.echo(json.dumps(summary))
    sys.exit(EXIT_INPUT_FAILED if failures else EXIT_OK)


@index.command()
@click.argument("directory", type=click.Path(file_okay=False))
def info(directory):
    """Print the index's size and parameters as JSON."""
    from ..index import SourceIndex

    try:
        click.echo(json.dumps(SourceIndex.open(directory).info(), indent=1))
    except SourceIndexError as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--meaning", is_flag=True,
              help="Also join stories told in other languages (a foreign source and its English "
                   "translations) by the multilingual encoder's reading of their sentences. When the batch "
                   "holds more than one language, costs about 0.2 s a document on two cores.")
def cluster(inputs, meaning):
    """Group INPUT documents into stories; one JSONL record per document: id, cluster, role, derived_from,
    rank (0 for a story's original, then 1 = least derived) and similarity (to the original)."""
    from ..encoder import EncoderUnavailable, encoder
    from ..index.cluster import cluster as run_cluster

    try:
        if meaning:
            encoder()  # before reading the batch: a usage error, not a failed run
    except EncoderUnavailable as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    failures: list[dict] = []
    documents = list(_documents(inputs, failures))
    for assignment in run_cluster(documents, meaning=meaning):
        click.echo(jsonl_line(assignment.to_record()))
    # Every input gets a record on stdout, failures included (as `score` does).
    for record in failures:
        click.echo(jsonl_line(record))
    sys.exit(EXIT_INPUT_FAILED if failures else EXIT_OK)
