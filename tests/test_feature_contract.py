"""The feature-family contract, checked for every registered family (issue #15): any text, the empty
string included, gives exactly the declared keys without raising; featurize refuses a family that breaks it."""

from __future__ import annotations

import math

import pytest

from spindetect.errors import FeatureContractError, ModelError, UnknownFeatureFamily
from spindetect.features import registry
from spindetect.features.base import FeatureFamily, FeatureResult
from spindetect.features.fingerprint import SpinnerFingerprint
from spindetect.pipeline import featurize, featurize_stages
from spindetect.text import Document

TEXTS = {
    "empty": "",
    "whitespace": " \n\t ",
    "one word": "Hello",
    "punctuation only": "... !!! ???",
    "digits": "2004 2005 3.14 10,000",
    "prose": ("The council met on Tuesday and agreed the budget for the coming year. Residents were pleased, "
              "and the mayor said the new library would open in the spring."),
    "non-latin": "Привет мир. 你好，世界。",
}


# A learned state for each stateful family (one learned from a batch; see `FeatureFamily.stateful`).
TABLE = SpinnerFingerprint({"stated": "said", "twelve months": "year"},
                           {"said": (0.01, 0.5), "year": (0.005, 0.4)}).to_state()
STATES = {key: TABLE for key in registry.available() if key.startswith("fingerprint@")}


@pytest.mark.parametrize("key", sorted(registry.available()))
@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_family_returns_exactly_its_declared_features(key, text):
    family = registry.build([key], STATES)[0]
    result = family.extract(Document(id="d", text=text))
    assert isinstance(result, FeatureResult)
    assert set(result.values) == set(family.features)
    for value in result.values.values():
        assert value is None or isinstance(value, (int, float)) and (math.isnan(value) or math.isfinite(value))
    assert set(result.evidence) <= set(family.features)


@pytest.mark.parametrize("key", sorted(registry.available()))
def test_family_metadata(key):
    cls = registry.available()[key]
    assert key == f"{cls.name}@{cls.version}"
    assert cls.features and all(isinstance(d, str) and d for d in cls.features.values())
    assert set(cls.evidence_from) <= set(cls.features)
    assert set(getattr(cls, "generator_specific", ())) <= set(cls.features)


class _Forgetful(FeatureFamily):
    name, version, features = "forgetful", 1, {"a": "declared", "b": "declared but never returned"}

    def extract(self, doc):
        return FeatureResult({"a": 1.0})


def test_featurize_raises_on_a_missing_declared_feature():
    with pytest.raises(FeatureContractError, match=r"forgetful@1 returned no value for \['b'\]"):
        featurize([_Forgetful()], Document(id="d", text="some text"))


class _TwoStages(FeatureFamily):
    """Reads a document in two stages (as the language model does: its first window, then the rest)."""
    name, version, features = "two_stages", 1, {"read": "how much was read"}

    def __init__(self):
        self.stages_read = 0

    def extract(self, doc):
        *_, (result, _more) = self.extract_stages(doc)
        return result

    def extract_stages(self, doc):
        self.stages_read += 1
        yield FeatureResult({"read": 0.5}), True
        self.stages_read += 1
        yield FeatureResult({"read": 1.0}), False


class _OneStage(FeatureFamily):
    name, version, features = "one_stage", 1, {"x": "a value", "y": "another"}

    def extract(self, doc):
        return FeatureResult({"x": 2.0, "y": 3.0})


def test_featurize_stages_reads_on_only_when_asked_and_ends_with_featurize():
    document = Document(id="d", text="some text")
    families = [_OneStage(), _TwoStages()]
    stages = list(featurize_stages(families, document))
    assert [(vector.tolist(), more) for vector, _results, more in stages] == [([2.0, 3.0, 0.5], True),
                                                                            ([2.0, 3.0, 1.0], False)]
    assert stages[-1][1]["two_stages"].values == {"read": 1.0} and set(stages[-1][1]) == {"one_stage", "two_stages"}
    vector, results = featurize(families, document)
    assert vector.tolist() == [2.0, 3.0, 1.0] and results["two_stages"].values == {"read": 1.0}
    # a caller that decides on the first stage never reads the second
    lazy = _TwoStages()
    next(featurize_stages([lazy], document))
    assert lazy.stages_read == 1
    # families of one stage have one
    assert [more for *_, more in featurize_stages([_OneStage()], document)] == [False]


def test_a_missing_feature_is_the_documents_internal_error_not_nan(tiny_model_dir, monkeypatch):
    from spindetect import Detector

    detector = Detector.load(tiny_model_dir)
    family = detector.model.families[0]
    real = family.extract

    def forgetful(doc):
        result = real(doc)
        result.values.pop(next(iter(family.features)))
        return result

    monkeypatch.setattr(family, "extract", forgetful)
    verdict = detector.score("The council met on Tuesday and agreed the budget.")
    assert verdict.score is None and verdict.error["type"] == "internal"
    assert "returned no value" in verdict.error["message"]


def test_unknown_family_is_a_model_error_and_still_a_key_error():
    with pytest.raises(UnknownFeatureFamily, match="unknown feature families") as caught:
        registry.build(["nonesuch@9"])
    assert isinstance(caught.value, ModelError) and isinstance(caught.value, KeyError)


def test_registry_holds_several_versions_of_a_family(monkeypatch):
    """A model names the family versions it was built from; an older and a newer one can be built side by side."""
    from spindetect.features.boilerplate import Boilerplate

    class BoilerplateNext(Boilerplate):
        version = Boilerplate.version + 1

    key = f"boilerplate@{BoilerplateNext.version}"
    monkeypatch.setitem(registry._FAMILIES, key, BoilerplateNext)
    old, new = registry.build([f"boilerplate@{Boilerplate.version}", key])
    assert type(old) is Boilerplate and type(new) is BoilerplateNext
    assert key not in registry.DEFAULT_FAMILIES
