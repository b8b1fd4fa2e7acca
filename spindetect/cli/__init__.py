"""The command line (`spindetect = "spindetect.cli:main"`): `_app` holds the group and `score`, `_index` the
source-index commands, `_models` training, evaluation and the registry, `_output` the record formats and
`_parallel` the worker processes of `score --jobs`."""

from __future__ import annotations

from ._app import main

__all__ = ["main"]
