"""Commands for teaching and managing models: `train`, `evaluate`, `models list|show|promote`.

Exit codes follow `score`: 0 ok, 2 usage error or unusable model, 3 the batch has errors (or warnings
under --strict), 4 the promotion gate refused the candidate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import ModelError

EXIT_OK, EXIT_USAGE, EXIT_BAD_BATCH, EXIT_GATE_REFUSED = 0, 2, 3, 4


def _load(model):
    from ..model import load_model

    try:
        return load_model(model)
    except ModelError as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _read_valid_batch(data: tuple[str, ...], strict: bool):
    from ..learn._batch import read_batch

    batch = read_batch(list(data))
    for problem in batch.problems:
        click.echo(str(problem), err=True)
    if not batch.ok(strict):
        grade = "errors or warnings (--strict)" if strict else "errors"
        click.echo(f"spindetect: the batch has {grade}; fix them and run again", err=True)
        sys.exit(EXIT_BAD_BATCH)
    return batch


def _cache_dir(cache: str | None) -> Path | None:
    if cache == "none":
        return None
    if cache:
        return Path(cache)
    from ..model import registry_home

    return registry_home() / "feature-cache"


@click.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Model directory to write.")
@click.option("--base", default=None, help="Start from this model (directory or name); 'default' for the default.")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--rounds", default=None, type=click.IntRange(1), help="Boosting rounds [base's, else 400].")
@click.option("--name", default=None, help="Model name [base's name, else spindetect-custom].")
@click.option("--version", "version", default=None, help="Model version [derived from base and data].")
@click.option("--batch-weight", default=None, type=click.FloatRange(0.0, min_open=True),
              help="Weight of each new document relative to a base document [automatic].")
@click.option("--fingerprint/--no-fingerprint", default=True, show_default=True,
              help="Learn the spinner's substitutions from spun pages given with their originals.")
@click.option("--strict", is_flag=True, help="Treat batch warnings as errors.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 256), help="Featurising processes.")
@click.option("--cache", default=None, help="Feature cache directory ('none' to disable) [registry cache].")
def train(data, out, base, seed, rounds, name, version, batch_weight, fingerprint, strict, jobs, cache):
    """Train a model on labelled JSONL batches: {"text"|"html", "label", "id"?, "group"?}."""
    from ..learn._retrain import retrain

    batch = _read_valid_batch(data, strict)
    base_model = _load(None if base == "default" else base) if base else None
    try:
        result = retrain(batch, Path(out), base=base_model, seed=seed, rounds=rounds, jobs=jobs,
                         cache_dir=_cache_dir(cache), name=name, version=version, batch_weight=batch_weight,
                         fingerprint=fingerprint)
    except (ValueError, ModelError) as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for problem in result.dropped:
        click.echo(f"dropped: {problem}", err=True)
    click.echo(json.dumps({"model": result.manifest.ref, "path": str(result.path),
                           "threshold": result.manifest.threshold, "metrics": result.manifest.metrics}, indent=1))


@click.command()
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--model", default=None, help="Model directory or name [default model].")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None, help="[the model's threshold]")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 256))
@click.option("--cache", default=None, help="Feature cache directory ('none' to disable).")
def evaluate(data, model, threshold, fmt, jobs, cache):
    """Report ROC/PR-AUC, P/R/F1/FPR, recall at low FPR, confusion and per-source figures on labelled data."""
    from ..learn._evaluation import evaluate as run_evaluation
    from ..learn._evaluation import format_table

    batch = _read_valid_batch(data, strict=False)
    report = run_evaluation(_load(model), batch, threshold=threshold, jobs=jobs, cache_dir=_cache_dir(cache))
    click.echo(json.dumps(report, indent=1) if fmt == "json" else format_table(report))


@click.group()
def models():
    """List, inspect and promote models (registry: $SPINDETECT_HOME, default ~/.local/share/spindetect)."""


@models.command("list")
def list_command():
    """Bundled and registered models; * marks the default."""
    from ..model import list_models

    for ref, path, is_default in list_models():
        click.echo(f"{'*' if is_default else ' '} {ref:<40} {path}")


@models.command()
@click.argument("model", required=False)
def show(model):
    """Print a model's manifest summary (MODEL defaults to the default model)."""
    loaded = _load(model)
    m = loaded.manifest
    summary = {"model": m.ref, "path": str(loaded.path), "threshold": m.threshold,
               "label_thresholds": m.label_thresholds, "residue_decides_at": m.residue_decides_at,
               "spinner_gate": m.spinner_gate, "labels": m.labels,
               "feature_families": m.feature_families, "features": len(m.feature_names),
               "feature_schema_sha256": m.feature_schema_sha256, "seed": m.seed,
               "training_data_sha256": m.training_data_sha256, "base_model": m.base_model, "versions": m.versions,
               "training": m.training, "metrics": m.metrics}
    click.echo(json.dumps(summary, indent=1))


@models.command()
@click.argument("model")
@click.option("--gate", "gate_data", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labelled JSONL: refuse if the candidate is worse than the current default on it.")
@click.option("--tolerance", default=0.01, show_default=True, type=click.FloatRange(0.0),
              help="How much worse (absolute) any gate metric may be.")
def promote(model, gate_data, tolerance):
    """Register MODEL and make it the user's default (never written inside site-packages)."""
    from ..model._promote import register, set_default

    candidate = _load(model)
    if gate_data:
        from ..learn._evaluation import evaluate as run_evaluation
        from ..learn._evaluation import gate, side_by_side

        batch = _read_valid_batch((gate_data,), strict=False)
        current = _load(None)
        # Both models usually share a feature schema: the cache lets the second evaluation reuse the rows.
        cache = _cache_dir(None)
        new_report = run_evaluation(candidate, batch, cache_dir=cache)
        old_report = run_evaluation(current, batch, cache_dir=cache)
        if "overall" not in new_report or "overall" not in old_report:
            click.echo("spindetect: error: nothing in the gate data could be scored", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(side_by_side(new_report, old_report))
        problems = gate(new_report, old_report, tolerance)
        if problems:
            click.echo("refused: the candidate is worse than the current default:", err=True)
            for problem in problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(EXIT_GATE_REFUSED)
    try:
        target = register(candidate.path)
    except ModelError as exc:
        click.echo(f"spindetect: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    set_default(target)
    click.echo(f"promoted {candidate.ref} ({target}) to the default model")
