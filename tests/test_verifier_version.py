"""The source index's verifier weights carry a version that the loader and every index check (issue #15)."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources

import pytest

from spindetect.errors import SourceIndexError, SpindetectError
from spindetect.index import SourceIndex
from spindetect.index import source_index as module
from spindetect.index import store

BUNDLED = json.loads(resources.files("spindetect.resources").joinpath("verifier.json").read_text())


def test_bundled_weights_load_with_this_version():
    verifier = module.load_verifier()
    assert verifier.version == store.VERIFIER_VERSION == BUNDLED["version"]
    assert [name for name, _ in verifier.weights] == list(module.VERIFIER_FEATURES)
    # the verifier's inputs are exactly what verification_features computes
    assert tuple(BUNDLED["features"]) == module.VERIFIER_FEATURES


@pytest.mark.parametrize("edit", [
    lambda d: d.update(version=d["version"] + 1),
    lambda d: d.update(format="something-else"),
    lambda d: d["weights"].pop("jaccard"),
    lambda d: d.update(features=d["features"][::-1]),
])
def test_a_verifier_file_of_another_version_or_shape_is_refused(tmp_path, edit):
    data = json.loads(json.dumps(BUNDLED))
    edit(data)
    path = tmp_path / "verifier.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SourceIndexError):
        module.load_verifier(path)


def test_an_index_records_the_verifier_version_and_refuses_another(tmp_path, monkeypatch):
    SourceIndex.open(tmp_path / "idx", create=True).add([("a", "The council met on Tuesday.")])
    with sqlite3.connect(tmp_path / "idx" / store.DB_NAME) as conn:
        stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    assert stored["verifier_version"] == str(store.VERIFIER_VERSION)
    monkeypatch.setattr(store, "VERIFIER_VERSION", store.VERIFIER_VERSION + 1)
    with pytest.raises(SourceIndexError, match="verifier_version") as caught:
        SourceIndex.open(tmp_path / "idx")
    assert isinstance(caught.value, SpindetectError)


def test_an_index_written_before_the_verifier_had_a_version_still_opens(tmp_path):
    SourceIndex.open(tmp_path / "idx", create=True).add([("a", "The council met on Tuesday.")])
    with sqlite3.connect(tmp_path / "idx" / store.DB_NAME) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'verifier_version'")
    SourceIndex.open(tmp_path / "idx")
    with sqlite3.connect(tmp_path / "idx" / store.DB_NAME) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta").fetchall())["verifier_version"] == "1"
