"""The feature families a model is built from, under versioned names (as dolma's tagger registry).

A model's manifest records the family keys it was trained with (`"collocations@1"`, ...) and the ordered
feature names they declared; loading a model rebuilds exactly those families and checks the names' hash,
so a changed extractor can never silently feed a model columns in the wrong order.
"""

from __future__ import annotations

import hashlib
import json

from ..errors import UnknownFeatureFamily
from .base import FeatureFamily
from .boilerplate import Boilerplate
from .collocations import Collocations
from .obfuscation import Obfuscation
from .plausibility import Plausibility
from .readability import Readability
from .source import SourceSimilarity
from .stylometry import Stylometry
from .translation import Translation

_FAMILIES: dict[str, type[FeatureFamily]] = {}


def register(cls: type[FeatureFamily]) -> type[FeatureFamily]:
    """Register a family class under its versioned key `name@version`.

    Several versions of one family may be registered side by side (`boilerplate@1` for models trained on
    it, `boilerplate@2` for new ones): a model's manifest names the versions it was built from. Registering
    a key twice with different classes is an error.
    """
    key = f"{cls.name}@{cls.version}"
    if _FAMILIES.get(key, cls) is not cls:
        raise ValueError(f"feature family {key} is registered twice "
                         f"({_FAMILIES[key].__qualname__}, {cls.__qualname__})")
    _FAMILIES[key] = cls
    return cls


for _cls in (Readability, Stylometry, Boilerplate, Collocations, Plausibility, Translation, Obfuscation,
             SourceSimilarity):
    register(_cls)


def _newest_versions() -> tuple[str, ...]:
    """Each family's newest registered version, families in the order they were first registered."""
    newest: dict[str, type[FeatureFamily]] = {}
    for cls in _FAMILIES.values():
        if cls.name not in newest or cls.version > newest[cls.name].version:
            newest[cls.name] = cls
    return tuple(f"{cls.name}@{cls.version}" for cls in newest.values())


# The families a new model is built from, in column order: the newest version of each. A model already
# trained keeps the versions its manifest names.
DEFAULT_FAMILIES: tuple[str, ...] = _newest_versions()


def available() -> dict[str, type[FeatureFamily]]:
    """Every registered family by versioned key (what `spindetect features` would list)."""
    return dict(_FAMILIES)


def build(keys: tuple[str, ...] | list[str] = DEFAULT_FAMILIES) -> list[FeatureFamily]:
    """One instance per key, in order. Raises `UnknownFeatureFamily` (a `ModelError`) for a key this
    spindetect does not register, e.g. a model trained by a newer version."""
    unknown = [k for k in keys if k not in _FAMILIES]
    if unknown:
        raise UnknownFeatureFamily(f"unknown feature families {unknown}; this spindetect has {sorted(_FAMILIES)}")
    return [_FAMILIES[k]() for k in keys]


def feature_names(families: list[FeatureFamily]) -> list[str]:
    return [name for family in families for name in family.feature_names()]


def generator_specific_features(families: list[FeatureFamily], label: str) -> frozenset[str]:
    """Full names of the features that the families tag as knowing the training generators of `label`."""
    return frozenset(f"{family.name}.{short}" for family in families
                     for short, tagged in family.generator_specific.items() if tagged == label)


def schema_hash(names: list[str]) -> str:
    """sha256 of the ordered feature names: the model's column contract."""
    return hashlib.sha256(json.dumps(list(names)).encode()).hexdigest()
