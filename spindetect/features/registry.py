"""The feature families a model is built from, under versioned names (as dolma's tagger registry).

A model's manifest records the family keys it was trained with (`"collocations@1"`, ...) and the ordered
feature names they declared; loading a model rebuilds exactly those families and checks the names' hash,
so a changed extractor can never silently feed a model columns in the wrong order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from ..errors import ModelError, UnknownFeatureFamily
from .base import FeatureFamily
from .boilerplate import Boilerplate, BoilerplateV1, BoilerplateV2, BoilerplateV3
from .collocations import Collocations
from .fingerprint import Fingerprint, FingerprintV1
from .language_model import (
    LanguageModelFeatures, LanguageModelFeaturesV1, LanguageModelFeaturesV3, LanguageModelFeaturesV4,
)
from .obfuscation import Obfuscation
from .plausibility import Plausibility
from .readability import Readability
from .source import SourceSimilarity
from .stylometry import Stylometry
from .translation import Translation, TranslationV1

_CURRENT = (Readability, Stylometry, Boilerplate, Collocations, Plausibility, Translation, Obfuscation,
            SourceSimilarity)
# Earlier versions that models in the wild may still name; never part of a new model.
_SUPERSEDED = (BoilerplateV1, BoilerplateV2, BoilerplateV3, TranslationV1, LanguageModelFeaturesV1,
               LanguageModelFeaturesV3, LanguageModelFeaturesV4, FingerprintV1)
# Families a model may name but that are not in the default set: the language model is the deep stage's
# only (`spindetect.model._cascade`), too slow to run on every document. The fingerprint is learned from a
# user's labelled spinner pages (`spindetect.learn._retrain`) and is built from the state its model stores.
_OPTIONAL = (LanguageModelFeatures, Fingerprint)
_FAMILIES: dict[str, type[FeatureFamily]] = {f"{cls.name}@{cls.version}": cls
                                             for cls in _CURRENT + _SUPERSEDED + _OPTIONAL}

DEFAULT_FAMILIES: tuple[str, ...] = tuple(f"{cls.name}@{cls.version}" for cls in _CURRENT)


def available() -> dict[str, type[FeatureFamily]]:
    """Every registered family by versioned key (what `spindetect features` would list)."""
    return dict(_FAMILIES)


def build(keys: tuple[str, ...] | list[str] = DEFAULT_FAMILIES,
          states: Mapping[str, dict] | None = None) -> list[FeatureFamily]:
    """One instance per key, in order. Raises `UnknownFeatureFamily` (a `ModelError`) for a key this
    spindetect does not register, e.g. a model trained by a newer version. A family with learned state
    (`stateful`) is built from `states[key]`, the JSON its model stores; a missing or malformed state raises
    `ModelError`."""
    unknown = [k for k in keys if k not in _FAMILIES]
    if unknown:
        raise UnknownFeatureFamily(f"unknown feature families {unknown}; this spindetect has {sorted(_FAMILIES)}")
    return [_instance(key, states or {}) for key in keys]


def _instance(key: str, states: Mapping[str, dict]) -> FeatureFamily:
    cls = _FAMILIES[key]
    if not cls.stateful:
        return cls()
    if key not in states:
        raise ModelError(f"feature family {key} is learned from a labelled batch, and no learned state was given")
    try:
        return cls.from_state(states[key])
    except (TypeError, ValueError) as exc:
        raise ModelError(f"feature family {key}: its learned state is malformed ({exc})") from exc


def is_stateful(key: str) -> bool:
    return key in _FAMILIES and _FAMILIES[key].stateful


def feature_names(families: list[FeatureFamily]) -> list[str]:
    return [name for family in families for name in family.feature_names()]


def generator_specific_features(families: list[FeatureFamily], label: str) -> frozenset[str]:
    """Full names of the features that the families tag as knowing the training generators of `label`."""
    return frozenset(f"{family.name}.{short}" for family in families
                     for short, tagged in family.generator_specific.items() if tagged == label)


def schema_hash(names: list[str]) -> str:
    """sha256 of the ordered feature names: the model's column contract."""
    return hashlib.sha256(json.dumps(list(names)).encode()).hexdigest()
