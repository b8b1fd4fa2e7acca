"""The model directory: loads verified, refuses tampering and schema drift, writes atomically."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import REPO, make_tiny_model
from spindetect.errors import ModelError
from spindetect.features import registry
from spindetect.model import load_model


def test_tiny_model_loads_and_predicts(tiny_model_dir):
    model = load_model(tiny_model_dir)
    n = len(model.manifest.feature_names)
    probabilities, scores = model.scores(np.zeros((3, n), dtype=np.float32))
    assert probabilities.shape == (3, 5)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert ((0 <= scores) & (scores <= 1)).all()


def test_tampered_booster_is_refused(tiny_model_dir, tmp_path):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    with open(copy / "model.ubj", "ab") as stream:
        stream.write(b"\x00")
    with pytest.raises(ModelError, match="model.ubj: sha256 .* does not match"):
        load_model(copy)


def test_edited_manifest_feature_list_is_refused(tiny_model_dir, tmp_path):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["feature_names"] = list(reversed(manifest["feature_names"]))
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="feature_schema_sha256"):
        load_model(copy)


def test_schema_mismatch_with_this_code_is_refused_with_what_differs(tiny_model_dir, tmp_path):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["feature_names"] = manifest["feature_names"][:-1] + ["readability.retired_feature"]
    manifest["feature_schema_sha256"] = registry.schema_hash(manifest["feature_names"])
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="retired_feature"):
        load_model(copy)


def test_missing_or_foreign_directory_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no manifest.json"):
        load_model(tmp_path)
    with pytest.raises(ModelError, match="no model directory or known model"):
        load_model("no-such-model-anywhere")


def test_same_seed_same_predictions(tmp_path):
    a = load_model(make_tiny_model(tmp_path / "a", seed=3))
    b = load_model(make_tiny_model(tmp_path / "b", seed=3))
    X = np.random.default_rng(0).normal(size=(50, len(a.manifest.feature_names))).astype(np.float32)
    assert np.array_equal(a.predict(X), b.predict(X))


def test_killed_writer_leaves_the_previous_model_loadable(tiny_model_dir, tmp_path):
    """SIGKILL a process midway through writing a model over an existing one."""
    target = shutil.copytree(tiny_model_dir, tmp_path / "current")
    before = (target / "manifest.json").read_text()
    script = textwrap.dedent(f"""
        import sys, time
        import spindetect.model._artifact as m
        real = m._replace_directory
        def slow(staging, out):
            print("staged", flush=True)
            time.sleep(60)   # killed here: staging written, not yet swapped in
            real(staging, out)
        m._replace_directory = slow
        from training.tiny_model import make_tiny_model
        make_tiny_model(m.Path({str(target)!r}), seed=9)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert proc.stdout.readline().strip() == "staged"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (target / "manifest.json").read_text() == before
    load_model(target)  # still whole and verified
