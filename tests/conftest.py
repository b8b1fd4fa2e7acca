"""Shared fixtures: paths, the ../shared skip rule, and a tiny model with the real feature schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.splits import corpora_dir
from training.tiny_model import make_tiny_model

REPO = Path(__file__).resolve().parent.parent
__all__ = ["REPO", "make_tiny_model", "requires_shared"]

requires_shared = pytest.mark.skipif(not corpora_dir().exists(),
                                     reason=f"needs the shared corpora at {corpora_dir()} (absent here)")


@pytest.fixture(autouse=True)
def _isolated_registry(tmp_path_factory, monkeypatch):
    """Never read or write the developer's real model registry from tests."""
    monkeypatch.setenv("SPINDETECT_HOME", str(tmp_path_factory.mktemp("spindetect-home")))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("models") / "tiny")
