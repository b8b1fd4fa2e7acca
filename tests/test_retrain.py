"""Retraining: reproducible, builds on a base, and learns a new spinner without forgetting the base."""

import json
import random

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import REPO, requires_shared
from spindetect.learn import read_batch
from spindetect.cli import main
from spindetect.model import load_model
from spindetect.learn._retrain import retrain

BUNDLED = REPO / "models" / "spindetect-default"


def _my_documents(n, seed):
    """Short synthetic news-like documents of our own: varied, deterministic."""
    rng = random.Random(seed)
    subjects = ["The council", "The company", "Local police", "The minister", "The school board", "Researchers"]
    verbs = ["announced", "approved", "rejected", "delayed", "reviewed", "criticised"]
    objects = ["a new budget", "the road plan", "a housing scheme", "the merger", "a safety report", "the strike"]
    tails = ["on Monday.", "after a long debate.", "despite protests.", "for the second time.", "late last night."]
    docs = []
    for _ in range(n):
        sentences = [f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(tails)}"
                     for _ in range(rng.randint(6, 12))]
        docs.append(" ".join(sentences))
    return docs


def _batch_file(path, docs_by_label):
    with path.open("w", encoding="utf-8") as stream:
        for label, docs in docs_by_label.items():
            for i, text in enumerate(docs):
                stream.write(json.dumps({"id": f"{label}-{i}", "text": text, "label": label, "group": f"{label}-{i}"})
                             + "\n")
    return path


def test_same_data_and_seed_give_identical_predictions(tmp_path):
    path = _batch_file(tmp_path / "b.jsonl", {"original": _my_documents(30, 1), "spun": _my_documents(30, 2)})
    batch = read_batch([path])
    a = retrain(batch, tmp_path / "a", seed=5, rounds=20, progress=False)
    b = retrain(batch, tmp_path / "b", seed=5, rounds=20, progress=False)
    assert a.manifest.training_data_sha256 == b.manifest.training_data_sha256
    model_a, model_b = load_model(tmp_path / "a"), load_model(tmp_path / "b")
    X = np.random.default_rng(0).normal(size=(40, len(model_a.manifest.feature_names))).astype(np.float32)
    assert np.array_equal(model_a.predict(X), model_b.predict(X))
    assert model_a.manifest.seed == 5 and model_a.manifest.versions["xgboost"]


def test_base_without_stored_features_is_refused_clearly(tmp_path, tiny_model_dir):
    path = _batch_file(tmp_path / "b.jsonl", {"spun": _my_documents(12, 3)})
    result = CliRunner().invoke(main, ["train", str(path), "--out", str(tmp_path / "m"), "--base",
                                       str(tiny_model_dir)])
    assert result.exit_code == 2 and "no stored training features" in result.stderr


def test_invalid_batch_stops_before_training(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine words here", "label": "spun"}\n{"text": "x", "label": "nonsense"}\n')
    result = CliRunner().invoke(main, ["train", str(path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 3
    assert f"{path}:2" in result.stderr and "unknown label" in result.stderr
    assert not (tmp_path / "m").exists()


# A spinner no model here has seen: its own small word table, applied to every listed word it meets.
NEW_SPINNER = {
    "said": "verbalised", "says": "verbalises", "year": "annum", "years": "annums", "people": "persons of the realm",
    "government": "administration apparatus", "company": "business concern", "firm": "business concern",
    "new": "newfangled", "told": "apprised", "first": "foremost", "last": "ultimate", "more": "additional",
    "also": "furthermore", "would": "might well", "could": "may conceivably", "market": "marketplace",
    "deal": "accord", "plans": "blueprints", "plan": "blueprint", "added": "appended", "because": "on account of",
    "however": "nonetheless", "time": "juncture", "week": "sennight", "match": "fixture contest",
    "film": "motion picture", "game": "contest", "team": "squad unit", "club": "association", "money": "funds",
    "help": "succour", "work": "toil", "show": "exhibit", "big": "sizeable", "make": "fabricate", "good": "goodly",
}


def _new_spin(text: str) -> str:
    import re

    def swap(match):
        word = match.group()
        replacement = NEW_SPINNER.get(word.lower())
        if replacement is None:
            return word
        return replacement.capitalize() if word[0].isupper() else replacement

    return re.sub(r"[A-Za-z]+", swap, text)


@requires_shared
def test_retraining_on_a_new_spinner_raises_its_recall_without_forgetting(tmp_path):
    """A small batch of a spinner the base never saw: recall on it rises; base figures hold within 1 point."""
    from training.splits import corpora_dir

    articles = [json.loads(line) for line in (corpora_dir() / "news" / "bbc-2004-2005.jsonl").open()]
    # BBC train-split stories only: the base's measuring rows come from other groups (test split, dev).
    train_articles = [a for a in articles if a["split"] == "train"][:260]
    spun = [_new_spin(a["text"]) for a in train_articles]
    batch_docs, probe_docs = spun[:160], spun[160:]
    path = _batch_file(tmp_path / "new-spinner.jsonl", {"spun": batch_docs})
    base = load_model(BUNDLED)
    result = retrain(read_batch([path]), tmp_path / "retrained", base=base, seed=0, progress=False)
    retrained = load_model(result.path)

    def recall(model, docs):
        from spindetect import Detector

        # The fast model's: the refitted deep stage reads the language model over every document sent, about
        # a second each; it is checked below on a few documents.
        return np.mean([v.flagged for v in Detector(model, mode="fast").score_many(docs)])

    before, after = recall(base, probe_docs), recall(retrained, probe_docs)
    assert after > before + 0.05, (before, after)
    # The refitted deep stage is the retrained cascade's: --deep scores with it, and it flags the new spins.
    from spindetect import Detector
    from spindetect.model._cascade import load_deep_stage

    refitted = load_deep_stage(retrained)
    assert refitted is not None and refitted.deep.ref != load_deep_stage(base).deep.ref
    # The base's stop_below was chosen on the base deep stage's scores: the refitted one reads in full.
    assert refitted.stop_below is None and not refitted.reads_in_stages("default")
    deep = list(Detector(retrained, mode="deep").score_many(probe_docs[:8]))
    assert {v.model for v in deep} <= {refitted.deep.ref, retrained.ref}
    assert np.mean([v.flagged for v in deep]) >= 0.5
    # "Not forgetting" is judged on the threshold-free figures of the base's own measuring rows. Recall at
    # 1% FPR hangs on ~11 negatives and moves by about 2 points from refitting alone (measured with batch
    # weights 1, 3 and 7: +1.7, -1.8, +1.8), so a 1-point bound on it would test noise, not forgetting.
    old, new = result.manifest.metrics["base_measuring_before"], result.manifest.metrics["base_measuring_after"]
    assert new["roc_auc"] >= old["roc_auc"] - 0.01
    assert new["pr_auc"] >= old["pr_auc"] - 0.01
    assert retrained.manifest.base_model == base.ref


# A spinner whose swaps are plain English (no garbled pair, no rare word): only its table can tell it.
PLAIN_SPINNER = {"announced": "declared", "approved": "endorsed", "rejected": "refused", "delayed": "postponed",
                 "reviewed": "examined", "criticised": "condemned"}


def _paired_batch(path, originals):
    """A batch of each original beside its plain spin, in one group per pair."""
    with path.open("w", encoding="utf-8") as stream:
        for i, text in enumerate(originals):
            for label, body in (("original", text), ("spun", _plain_spin(text))):
                stream.write(json.dumps({"id": f"{label}-{i}", "text": body, "label": label, "group": f"g{i}"})
                             + "\n")
    return path


def _plain_spin(text: str) -> str:
    import re

    return re.sub(r"[A-Za-z]+", lambda m: PLAIN_SPINNER.get(m.group(), m.group()), text)


def test_spun_pages_with_their_originals_teach_the_spinners_substitutions(tmp_path):
    """Pages of a spinner beside their originals: the model learns the spinner's table (its fingerprint), keeps
    it as hash-checked JSON, flags new pages of it and names each swap with the word it replaced."""
    import pytest

    from spindetect import Detector
    from spindetect.errors import ModelError
    from spindetect.learn._fingerprint import FINGERPRINT_KEY
    from spindetect.model._artifact import FAMILY_STATES_FILE

    path = _paired_batch(tmp_path / "paired.jsonl", _my_documents(60, 7))
    result = retrain(read_batch([path]), tmp_path / "m", seed=0, rounds=30, progress=False)
    assert result.manifest.feature_families[-1] == FINGERPRINT_KEY
    assert result.manifest.spinner_gate is None  # no base rows to teach the verdict without the fingerprint
    assert result.manifest.training["fingerprint"]["paired_spun_pages"] == 60
    assert FAMILY_STATES_FILE in result.manifest.files
    model = load_model(result.path)
    assert {s: o for s, o in model.family_states[FINGERPRINT_KEY]["replaces"].items()} == \
        {s: o for o, s in PLAIN_SPINNER.items()}
    detector = Detector(model, mode="fast")
    for seed in (97, 98, 99):
        story = _my_documents(1, seed)[0]
        assert not detector.score(story).flagged
        verdict = detector.score(_plain_spin(story), explain=True)
        assert verdict.flagged and verdict.label == "spun"
        shown = [e for reason in verdict.reasons for e in reason.evidence if e.get("kind") == "learned swap"]
        assert shown and all(PLAIN_SPINNER[e["replaced"]] == e["text"] for e in shown)
    # The state is part of what the manifest's hashes protect.
    states = tmp_path / "m" / FAMILY_STATES_FILE
    states.write_text(states.read_text().replace('"declared"', '"stated"'))
    with pytest.raises(ModelError, match="does not match"):
        load_model(tmp_path / "m")


def test_the_learned_fingerprint_adds_a_flag_only_above_its_gate(tmp_path):
    """On a base, the fingerprint is gated above every batch original read out of fold; below the gate a page
    gets the verdict the model gives without the fingerprint (which the base's rows, where it is missing,
    teach it), with that verdict's score and reasons."""
    from conftest import with_manifest
    from spindetect import Detector
    from spindetect.io._records import as_input_item
    from spindetect.learn._fingerprint import SPINNER_GATE_MARGIN

    path = _paired_batch(tmp_path / "paired.jsonl", _my_documents(60, 7))
    result = retrain(read_batch([path]), tmp_path / "m", base=load_model(BUNDLED), seed=0, rounds=30,
                     progress=False, deep_stage=False)
    gate = result.manifest.training["spinner_gate"]
    assert result.manifest.spinner_gate == gate["level"] and gate["originals"] == 60
    assert f"reaches {gate['level']:g}" in (result.path / "MODEL_CARD.md").read_text()
    stored = load_model(result.path).training_data()
    llr = stored.X[:, result.manifest.feature_names.index("fingerprint.llr")]
    batch_originals = ~np.isnan(llr) & (stored.y == 0)
    assert batch_originals.sum() == 60
    assert gate["level"] == pytest.approx(llr[batch_originals].max() + SPINNER_GATE_MARGIN, abs=1e-3)

    model = load_model(result.path)
    detector = Detector(model, mode="fast")
    page = _plain_spin(_my_documents(1, 99)[0])
    X = detector.featurize(detector.prepare(as_input_item(page, "p")))[0][None, :]
    page_llr = float(X[0, model.manifest.feature_names.index("fingerprint.llr")])
    assert page_llr >= model.manifest.spinner_gate and model.decide(X).flagged[0]
    blind = model.decide(model.without_fingerprint(X))
    assert not blind.flagged[0]  # the plain spinner is invisible without its table
    gated = load_model(with_manifest(result.path, tmp_path / "gated", spinner_gate=page_llr + 1.0))
    decided = gated.decide(X)
    assert not decided.flagged[0] and decided.ungated[0] and decided.scores[0] == blind.scores[0]
    record = Detector(gated, mode="fast").score(page, explain=True)
    assert not record.flagged and record.label == "original" and record.score == pytest.approx(blind.scores[0])
    assert not any(e.get("kind") == "learned swap" for reason in record.reasons for e in reason.evidence)


def test_no_fingerprint_learns_no_table(tmp_path):
    path = _paired_batch(tmp_path / "paired.jsonl", _my_documents(30, 7))
    result = CliRunner().invoke(main, ["train", str(path), "--out", str(tmp_path / "m"), "--rounds", "10",
                                       "--no-fingerprint", "--cache", "none"])
    assert result.exit_code == 0, result.output
    manifest = load_model(tmp_path / "m").manifest
    assert not any(key.startswith("fingerprint@") for key in manifest.feature_families)
    assert "fingerprint" not in manifest.training
