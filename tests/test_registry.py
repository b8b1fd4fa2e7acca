"""The model registry: list, show, promote, and a promotion gate that refuses a worse model."""

import json

from click.testing import CliRunner

from conftest import make_tiny_model
from spindetect.cli import main
from spindetect.learn._evaluation import gate
from spindetect.model import default_model_path, registry_home


def _invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_promote_registers_outside_the_package_and_becomes_the_default(tiny_model_dir):
    result = _invoke("models", "promote", str(tiny_model_dir))
    assert result.exit_code == 0, result.output
    target = registry_home() / "models" / "tiny@1"
    assert (target / "manifest.json").is_file()
    assert default_model_path() == target.resolve()
    listing = _invoke("models", "list").output
    assert any(line.startswith("* tiny@1") for line in listing.splitlines())
    shown = json.loads(_invoke("models", "show").output)
    assert shown["model"] == "tiny@1"
    # the registered name now works wherever a model is chosen
    assert _invoke("models", "show", "tiny@1").exit_code == 0


def test_promoting_the_same_version_twice_is_refused(tiny_model_dir):
    assert _invoke("models", "promote", str(tiny_model_dir)).exit_code == 0
    again = _invoke("models", "promote", str(tiny_model_dir))
    assert again.exit_code == 0  # the very same model again: only re-points the default
    copy = make_tiny_model(registry_home().parent / "elsewhere" / "tiny", seed=1)  # same name@version
    refused = _invoke("models", "promote", str(copy))
    assert refused.exit_code == 2 and "already exists" in refused.stderr


def test_promote_refuses_a_tampered_model(tiny_model_dir, tmp_path):
    import shutil

    copy = shutil.copytree(tiny_model_dir, tmp_path / "t")
    (copy / "MODEL_CARD.md").write_text("edited\n")
    result = _invoke("models", "promote", str(copy))
    assert result.exit_code == 2 and "MODEL_CARD.md" in result.stderr
    assert not (registry_home() / "models").exists()


def _report(**overall):
    base = {"roc_auc": 0.95, "pr_auc": 0.9, "recall": 0.9, "recall_at_1pct_fpr": 0.8, "fpr": 0.01}
    return {"model": "m", "overall": {**base, **overall}}


def test_gate_rule():
    current = _report()
    assert gate(_report(), current, 0.01) == []
    assert gate(_report(roc_auc=0.945), current, 0.01) == []  # within tolerance
    (problem,) = gate(_report(recall=0.85), current, 0.01)
    assert problem.startswith("recall:")
    (problem,) = gate(_report(fpr=0.05), current, 0.01)  # a higher false-positive rate is worse
    assert problem.startswith("fpr:")


def test_gate_refuses_a_worse_candidate_and_shows_both(tiny_model_dir, tmp_path):
    """The bundled model is the current default; the tiny synthetic model is much worse on real text (the
    evaluation gate's documents, written by us: originals, spins, farm copies)."""
    from training.metric_floors import floor_set

    gate_data = tmp_path / "gate.jsonl"
    gate_data.write_text("".join(json.dumps({**doc["record"], "label": doc["label"]}) + "\n" for doc in floor_set()))
    result = CliRunner().invoke(main, ["models", "promote", str(tiny_model_dir), "--gate", str(gate_data)])
    assert result.exit_code == 4, result.output
    assert "candidate tiny@1" in result.stdout and "current spindetect-default@" in result.stdout
    assert "refused" in result.stderr
    assert not (registry_home() / "default.json").exists()


def test_gate_lets_an_equal_candidate_through():
    from conftest import REPO

    gate_data = REPO / "data" / "examples" / "retrain-batch.jsonl"
    bundled = REPO / "models" / "spindetect-default"
    result = CliRunner().invoke(main, ["models", "promote", str(bundled), "--gate", str(gate_data)])
    assert result.exit_code == 0, result.output
    assert "promoted spindetect-default@" in result.stdout
