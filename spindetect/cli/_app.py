"""Command line: `spindetect score ...` (and the training and registry commands).

Records go to stdout (or -o FILE) as JSON Lines by default when stdout is not a terminal; progress and
logs go to stderr only. Exit codes: 0 every input scored, 1 something flagged and --fail-on-flagged
given, 2 usage error (including an unusable model), 3 some inputs failed (takes precedence over 1).
The training and registry commands live in `_models`, the source-index ones in `_index`, the HTML report
in `_report`.
"""

from __future__ import annotations

import logging
import sys

import click

from ..detector import Detector
from ..errors import ModelError, SourceIndexError
from ..io._readers import DEFAULT_MAX_FILE_BYTES, iter_inputs
from ..pipeline import DEFAULT_MAX_CHARS
from ..resources import freeze_heap
from ._options import scoring_mode
from ._output import FORMATS, RecordWriter

EXIT_OK, EXIT_FLAGGED, EXIT_USAGE, EXIT_INPUT_FAILED = 0, 1, 2, 3
_PROGRESS_EVERY = 25

logger = logging.getLogger("spindetect")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spindetect")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def main(verbose: int) -> None:
    """Detect content-farm copies, spun text, machine translation and LLM rewrites of news."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="spindetect: %(levelname)s: %(message)s")
    # trafilatura warns "discarding data: None" whenever its precise pass finds no article, which the HTML
    # reader expects and answers with its recall pass (spindetect.io._html): noise, unless debugging.
    logging.getLogger("trafilatura").setLevel(level if verbose >= 2 else logging.ERROR)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format [default: table on a terminal, jsonl otherwise].")
@click.option("--model", "model", default=None, help="Model directory or registered name [default model].")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None,
              help="Flag when score >= T [default: the model's own threshold].")
@click.option("--explain", is_flag=True, help="Return every feature's contribution, not only the top ones.")
@click.option("--fail-on-flagged", is_flag=True, help="Exit 1 when any document is flagged.")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Worker processes.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write records here.")
@click.option("--max-chars", type=click.IntRange(1000), default=DEFAULT_MAX_CHARS, show_default=True,
              help="Score at most this many characters of each document (longer ones are noted as truncated).")
@click.option("--index", "index_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Source index (spindetect index add): find each document's original and what was changed.")
@scoring_mode
def score(inputs, fmt, model, threshold, explain, fail_on_flagged, jobs, output, max_chars, index_dir,
          mode) -> None:
    """Score INPUT files, directories, JSONL batches or - (stdin); one record per document."""
    from ..model import import_xgboost_without_sklearn

    import_xgboost_without_sklearn()  # scoring needs no scikit-learn; its import would double start-up
    try:
        detector = Detector.load(model, threshold=threshold, max_chars=max_chars, source_index=index_dir,
                                 mode=mode or "default")
    except (ModelError, SourceIndexError) as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if fmt is None:
        fmt = "table" if output.isatty() else "jsonl"
    writer = RecordWriter(output, fmt)
    items = iter_inputs(list(inputs), max_file_bytes=max(DEFAULT_MAX_FILE_BYTES, max_chars * 4))
    if jobs > 1:
        from ._parallel import score_parallel

        options = {"threshold": threshold, "max_chars": max_chars, "source_index": index_dir,
                   "mode": mode or "default"}
        verdicts = score_parallel(str(detector.model.path), items, jobs=jobs, explain=explain, options=options)
    else:
        verdicts = detector.score_items(items, explain=explain)

    show_progress = sys.stderr.isatty()
    failed = flagged = total = 0
    try:
        for verdict in verdicts:
            writer.write(verdict)
            total += 1
            if total == 1 and jobs == 1:
                freeze_heap()  # the first batch has loaded every reference table
            failed += not verdict.ok
            flagged += bool(verdict.flagged)
            if show_progress and total % _PROGRESS_EVERY == 0:
                click.echo(f"\rscored {total} documents ({flagged} flagged, {failed} failed)", err=True, nl=False)
    except BrokenPipeError:
        # The reader went away (`spindetect score ... | head`): stop quietly, as Unix tools do.
        sys.stderr.close()
        sys.exit(EXIT_OK if not failed else EXIT_INPUT_FAILED)
    except OSError as exc:
        click.echo(f"\nspindetect: error: cannot write output: {exc}", err=True)
        sys.exit(EXIT_INPUT_FAILED)
    if show_progress and total >= _PROGRESS_EVERY:
        click.echo(f"\rscored {total} documents ({flagged} flagged, {failed} failed)", err=True)
    logger.info("scored %d documents: %d flagged, %d failed", total, flagged, failed)
    if failed:
        sys.exit(EXIT_INPUT_FAILED)
    if fail_on_flagged and flagged:
        sys.exit(EXIT_FLAGGED)
    sys.exit(EXIT_OK)


def _register_commands() -> None:
    from ._index import cluster, index
    from ._models import evaluate, models, train
    from ._report import report

    for command in (train, evaluate, models, index, cluster, report):
        main.add_command(command)


_register_commands()


if __name__ == "__main__":
    main()
