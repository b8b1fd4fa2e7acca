"""What `pip install .` ships: every package in the source tree, so that a non-editable install (CI's, a
user's) imports what the editable one does. A subpackage missing from pyproject's explicit list installs
silently without it and fails only at run time (it once did: `spindetect.encoder`)."""
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_every_source_package_is_listed_in_pyproject():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    in_tree = {init.parent.relative_to(REPO).as_posix().replace("/", ".")
               for init in (REPO / "spindetect").rglob("__init__.py")}
    assert in_tree, "no packages found under spindetect/"
    assert in_tree - listed == set(), "packages in the tree that `pip install .` would leave out"
