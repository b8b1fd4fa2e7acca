"""`python -m training.rebuild` runs the whole model rebuild in order; its dry run prints the plan."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from training import rebuild


def test_dry_run_prints_every_step_in_order_and_runs_nothing(tmp_path):
    out = subprocess.run([sys.executable, "-m", "training.rebuild", "--dry-run", "--build-dir", str(tmp_path / "b")],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout.splitlines()
    modules = [line.split()[2] for line in out]
    assert modules == ["training.compile_resources", "training.compile_syllables", "training.compile_reference",
                       "training.learn_style_lexicons", "training.calibrate_lm", "training.build_corpus", "training.train_default",
                       "training.evaluate", "training.fit_translation_probe", "training.train_deep"]
    assert all(line.startswith("python -m training.") for line in out)
    holdout_fit = out[6]
    assert f"--write-heldout {tmp_path / 'b' / 'heldout.json'}" in holdout_fit
    assert "--out models/spindetect-default" in holdout_fit  # the held-out fit is the shipped model
    assert not any("--all-families" in line for line in out)
    assert not (tmp_path / "b").exists()


def test_the_final_fit_is_optional_and_never_shipped(tmp_path):
    plan = rebuild.steps(tmp_path, tmp_path / "models" / "m", final_fit=True)
    final = [step for step in plan if "--heldout-from" in step]
    assert len(final) == 1 and str(tmp_path / "final-model") in final[0]
    assert ("training.build_corpus", "--out", str(tmp_path / "final.jsonl"), "--all-families") in plan


def test_every_step_is_a_runnable_module():
    import importlib.util

    for step in rebuild.steps(REPO / "build", REPO / "models" / "x"):
        assert importlib.util.find_spec(step[0]) is not None, step[0]
    assert rebuild.steps(REPO / "b", REPO / "m", resources=False) == rebuild.steps(REPO / "b", REPO / "m")[
        len(rebuild.RESOURCE_STEPS):]
