"""Promoting a model: copy a verified model directory into the user's registry and point the default at it.

The registry's locations and lookups are in `_registry`; this module writes to it (`spindetect models
promote`), and so needs the artifact loader, which `_registry` must not import (the loader resolves names
through `_registry`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import ModelError
from ._artifact import load_model
from ._registry import _default_pointer, models_dir

__all__ = ["register", "set_default"]


def register(model_dir: Path) -> Path:
    """Copy a model directory into the registry (atomically) unless it is already there; return its path."""
    model = load_model(model_dir)  # verify before registering: a tampered model never enters the registry
    root = models_dir()
    if Path(model_dir).resolve().parent == root.resolve():
        return Path(model_dir)
    target = root / f"{model.manifest.name}@{model.manifest.version}"
    if target.exists():
        if load_model(target).manifest.files == model.manifest.files:
            return target  # the very same model: promoting it again only re-points the default
        raise ModelError(f"{target} already exists in the registry with different files; give the new model "
                         "another version")
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming.", dir=root))
    shutil.copytree(model_dir, staging / "m")
    os.rename(staging / "m", target)
    shutil.rmtree(staging, ignore_errors=True)
    return target


def set_default(model_dir: Path) -> None:
    """Point the user's default at a registered model directory (atomic replace of the pointer file)."""
    pointer = _default_pointer()
    pointer.parent.mkdir(parents=True, exist_ok=True)
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(json.dumps({"path": str(Path(model_dir).resolve())}) + "\n", encoding="utf-8")
    os.replace(tmp, pointer)
