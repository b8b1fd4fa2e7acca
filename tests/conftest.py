"""Shared fixtures: paths, the ../shared skip rule, and a tiny model with the real feature schema."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from training.splits import corpora_dir
from training.tiny_model import make_tiny_model

REPO = Path(__file__).resolve().parent.parent
__all__ = ["REPO", "make_tiny_model", "requires_shared", "with_manifest"]

requires_shared = pytest.mark.skipif(not corpora_dir().exists(),
                                     reason=f"needs the shared corpora at {corpora_dir()} (absent here)")


def with_manifest(model_dir: Path, target: Path, **changes) -> Path:
    """A copy of a model directory at `target` whose manifest has `changes` (file hashes cover every file but
    the manifest, so the copy still loads, and is refused only where a change is malformed)."""
    manifest = json.loads((model_dir / "manifest.json").read_text())
    manifest.update(changes)
    target.mkdir(parents=True)
    for path in model_dir.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


@pytest.fixture(autouse=True)
def _isolated_registry(tmp_path_factory, monkeypatch):
    """Never read or write the developer's real model registry from tests."""
    monkeypatch.setenv("SPINDETECT_HOME", str(tmp_path_factory.mktemp("spindetect-home")))


@pytest.fixture(scope="session", autouse=True)
def _isolated_model_cache():
    """The language model's built graphs (0.3-0.5 GB a precision) go to a folder of this test session,
    removed at its end: tests never read the developer's cache, nor fill a fresh HOME with them."""
    folder = tempfile.mkdtemp(prefix="spindetect-test-cache-")
    previous = os.environ.get("SPINDETECT_CACHE_DIR")
    os.environ["SPINDETECT_CACHE_DIR"] = folder
    yield folder
    if previous is None:
        os.environ.pop("SPINDETECT_CACHE_DIR", None)
    else:
        os.environ["SPINDETECT_CACHE_DIR"] = previous
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("models") / "tiny")
