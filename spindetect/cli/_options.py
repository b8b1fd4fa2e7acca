"""Options that several commands share, declared once."""

from __future__ import annotations

import click


def scoring_mode(command):
    """`--fast` / `--deep` (default: neither), passed to the command as `mode`: whether the language model
    runs never, everywhere, or where the fast model cannot clear a document (`spindetect.model._cascade`)."""
    command = click.option("--deep", "mode", flag_value="deep",
                           help="Run the language model on every document [default: only where the fast "
                                "model cannot clear one].")(command)
    return click.option("--fast", "mode", flag_value="fast",
                        help="Never run the language model (the fast model only).")(command)
