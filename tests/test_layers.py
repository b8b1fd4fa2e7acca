"""The package's layers (issue #15): no import cycle, even through imports inside functions, and each
subpackage imports only what lies below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "spindetect"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every spindetect module `name` imports, at module level or inside a function."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                out.add(candidate if candidate in MODULES else target)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_import_cycles():
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(GRAPH[node]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def _within(prefix: str) -> list[str]:
    return [m for m in MODULES if m == prefix or m.startswith(prefix + ".")]


# subpackage -> the spindetect modules it must not import (what lies above it, or beside it)
FORBIDDEN = {
    "spindetect.text": ("spindetect.io", "spindetect.features", "spindetect.model", "spindetect.index",
                        "spindetect.learn", "spindetect.cli", "spindetect.pipeline", "spindetect.detector"),
    "spindetect.io": ("spindetect.features", "spindetect.model", "spindetect.index", "spindetect.learn",
                      "spindetect.cli", "spindetect.pipeline", "spindetect.detector"),
    "spindetect.features": ("spindetect.model", "spindetect.index", "spindetect.learn", "spindetect.cli",
                            "spindetect.pipeline", "spindetect.detector"),
    "spindetect.model": ("spindetect.index", "spindetect.learn", "spindetect.cli", "spindetect.detector"),
    "spindetect.learn": ("spindetect.cli", "spindetect.detector", "spindetect.index"),
    "spindetect.index": ("spindetect.learn", "spindetect.cli", "spindetect.detector", "spindetect.features.collocations"),
    "spindetect.pipeline": ("spindetect.model", "spindetect.learn", "spindetect.cli", "spindetect.detector"),
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer):
    bad = {f"{m} -> {dep}" for m in _within(layer) for dep in GRAPH[m]
           for forbidden in FORBIDDEN[layer] if dep == forbidden or dep.startswith(forbidden + ".")}
    assert not bad, sorted(bad)


def test_model_name_resolution_does_not_import_the_artifact():
    assert not GRAPH["spindetect.model._registry"] & {"spindetect.model._artifact", "spindetect.model._promote"}
