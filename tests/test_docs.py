"""The documentation: the site builds in strict mode, and the examples of the README and docs/ run.

- `mkdocs build --strict` fails on a broken link or anchor, a page left out of the nav, or an API reference
  to a name that no longer exists (docs/hooks.py brings in the pages that live outside docs/).
- Every `python` block runs as a script from the repository root (the README's index, Dask and Spark
  blocks are run, with their output checked, by tests/test_readme_examples.py).
- Every `sh` block made only of `spindetect` commands runs in a scratch directory that holds `data/`, each
  command with exit code 0 unless its comment says `# exit code N`. Blocks of other commands (installs,
  benchmarks that need ../shared/corpora) are not run, and none may stand in the README's quickstart.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# README blocks that tests/test_readme_examples.py runs and checks.
README_CHECKED_ELSEWHERE = ("score_dask", "mapInPandas", "SourceIndex.open")
EXIT_CODE = re.compile(r"#\s*exit code (\d+)")


def code_blocks(language: str) -> list[tuple[str, str]]:
    """(where, code) for every fenced block of `language` in the README and docs/."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(rf"^```{language}\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{page.relative_to(REPO)}:{line}", match.group(1)))
    return found


def commands(code: str) -> list[str]:
    """The commands of a shell block: continuation lines joined, blank lines and comment lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", code)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def runnable(code: str) -> bool:
    return all(command.startswith("spindetect ") for command in commands(code))


PYTHON_BLOCKS = [(where, code) for where, code in code_blocks("python")
                 if not (where.startswith("README.md") and any(s in code for s in README_CHECKED_ELSEWHERE))]
SHELL_BLOCKS = [(where, code) for where, code in code_blocks("sh") if runnable(code)]


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocstrings") is None,
                    reason="mkdocs and mkdocstrings[python] not installed (pip install '.[test]')")
def test_site_builds_strict(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(REPO / "mkdocs.yml"),
         "--site-dir", str(tmp_path / "site")],
        cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 0, result.stderr[-4000:]
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8").count("spindetect.") > 10


@pytest.mark.parametrize("where, code", PYTHON_BLOCKS, ids=[where for where, _ in PYTHON_BLOCKS])
def test_python_example(where, code):
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{where}:\n{result.stderr[-3000:]}"


@pytest.mark.parametrize("where, code", SHELL_BLOCKS, ids=[where for where, _ in SHELL_BLOCKS])
def test_shell_example(where, code, tmp_path):
    (tmp_path / "data").symlink_to(REPO / "data", target_is_directory=True)
    script = ['spindetect() { "$PYTHON" -m spindetect.cli "$@"; }']
    for command in commands(code):
        expected = int(m.group(1)) if (m := EXIT_CODE.search(command)) else 0
        script += [command, f'status=$?; if [ "$status" -ne {expected} ]; then '
                            f'echo "exit code $status, expected {expected}: "{shlex.quote(command)} >&2; exit 1; fi']
    result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=tmp_path, capture_output=True, text=True,
                            timeout=900, env={**os.environ, "PYTHON": sys.executable})
    assert result.returncode == 0, f"{where}:\n{result.stderr[-3000:]}"


def test_readme_quickstart_commands_all_run():
    """Every shell block of the README's quickstart is one the test above runs."""
    readme = REPO.joinpath("README.md").read_text(encoding="utf-8")
    quickstart = readme.split("\n## Quickstart\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", quickstart, flags=re.DOTALL | re.MULTILINE)
    shell = [code for language, code in blocks if language not in ("python", "json")]
    assert shell and all(runnable(code) for code in shell), shell


def test_record_examples_agree():
    """The record shown in docs/cli.md is the README's (which tests/test_readme_examples.py checks against
    the model)."""
    def record(page: str) -> dict:
        text = REPO.joinpath(page).read_text(encoding="utf-8")
        return json.loads(re.search(r"^```json\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE).group(1))

    assert record("docs/cli.md") == record("README.md")
