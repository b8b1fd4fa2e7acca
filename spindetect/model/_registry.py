"""Where the user's models live, and which one is their default.

The registry is a directory (default `$XDG_DATA_HOME/spindetect`, or `~/.local/share/spindetect`;
override with `$SPINDETECT_HOME`), never inside site-packages: an upgrade of the package must not wipe a
team's promoted model. `default` is a small JSON file naming the promoted model's directory.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from ..errors import ModelError

DEFAULT_MODEL_NAME = "spindetect-default"


def registry_home() -> Path:
    env = os.environ.get("SPINDETECT_HOME")
    if env:
        return Path(env)
    data_home = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data_home) / "spindetect"


def models_dir() -> Path:
    return registry_home() / "models"


def _default_pointer() -> Path:
    return registry_home() / "default.json"


def default_model_path() -> Path:
    """The promoted default if the user has one, else the model shipped in the package."""
    pointer = _default_pointer()
    if pointer.is_file():
        try:
            path = Path(json.loads(pointer.read_text(encoding="utf-8"))["path"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{pointer}: unreadable default-model pointer ({exc}); fix or delete it") from exc
        if not path.is_dir():
            raise ModelError(f"{pointer}: the promoted default {path} no longer exists; promote another model")
        return path
    return bundled_models_dir() / DEFAULT_MODEL_NAME


def find_registered(name: str) -> Path | None:
    """A model in the registry by directory name or by `name@version`."""
    root = models_dir()
    if not root.is_dir():
        return None
    direct = root / name
    if direct.is_dir():
        return direct
    for candidate in sorted(root.iterdir()):
        manifest = candidate / "manifest.json"
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if f"{data.get('name')}@{data.get('version')}" == name:
                return candidate
    return None


def list_models() -> list[tuple[str, Path, bool]]:
    """(name@version, path, is_default) for the bundled models and every registered one."""
    try:
        default = default_model_path().resolve()
    except ModelError:
        default = None
    found = []
    for root in (bundled_models_dir(), models_dir()):
        if not root.is_dir():
            continue
        for candidate in sorted(root.iterdir()):
            manifest = candidate / "manifest.json"
            if not manifest.is_file():
                continue
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                ref = f"{data['name']}@{data['version']}"
            except (OSError, ValueError, KeyError):
                ref = f"{candidate.name} (unreadable manifest)"
            found.append((ref, candidate, candidate.resolve() == default))
    return found


def bundled_models_dir() -> Path:
    """Installed: the `spindetect.bundled_models` package data. Source checkout: the top-level models/."""
    try:
        return Path(str(resources.files("spindetect.bundled_models")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "models"


def resolve_model_path(model: str | os.PathLike | None) -> Path:
    """A model directory from a path, a bundled model's name, or None for the default."""
    if model is None:
        return default_model_path()  # the user's promoted default, else the bundled one
    path = Path(model)
    if path.is_dir():
        return path
    bundled = bundled_models_dir() / str(model)
    if bundled.is_dir():
        return bundled
    registered = find_registered(str(model))
    if registered is not None:
        return registered
    raise ModelError(f"no model directory or known model named {model!r}")
