"""Where the user's models live, and which one is their default.

The registry is a directory (default `$XDG_DATA_HOME/spindetect`, or `~/.local/share/spindetect`;
override with `$SPINDETECT_HOME`), never inside site-packages: an upgrade of the package must not wipe a
team's promoted model. `default` is a small JSON file naming the promoted model's directory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import ModelError


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
    from .model import DEFAULT_MODEL_NAME, bundled_models_dir

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


def register(model_dir: Path) -> Path:
    """Copy a model directory into the registry (atomically) unless it is already there; return its path."""
    import shutil
    import tempfile

    from .model import load_model

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


def list_models() -> list[tuple[str, Path, bool]]:
    """(name@version, path, is_default) for the bundled models and every registered one."""
    from .model import bundled_models_dir

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
