"""The common interface of the feature families.

Each family is one module with one `FeatureFamily` subclass that *declares* its feature names; the
model's ordered feature list is derived from those declarations (see `spindetect.features.registry`),
never maintained by hand. A family computes into a `FeatureResult`: numeric values plus the concrete
evidence behind them, which the explanation step turns into reasons.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from ..text._document import Document

MISSING = math.nan  # "not measurable here"; xgboost treats NaN as missing and learns a default branch


@dataclass(frozen=True)
class Evidence:
    """A concrete piece of text behind a feature value.

    `text` is the span as it stands in the document (or a page line), `start`/`end` are character offsets
    into `Document.text` when the span lies there, and `replaced` is the phrase the span probably replaced
    (for spun collocations) or None. `strength` is how far the span is from ordinary text by the family's own
    measure of it (a garble's ln ratio over chance, a sentence's MT log-odds; larger is stronger), or None
    for a span that is a match, not a measurement (a boilerplate line). The explanation step shows a scored
    span only above its floor, the strength that clean text reaches (`spindetect.model._floors`), and shows
    the strongest first; the record itself does not carry it.
    """

    text: str
    start: int | None = None
    end: int | None = None
    replaced: str | None = None
    kind: str = ""
    strength: float | None = None

    def to_dict(self) -> dict:
        out: dict = {"text": self.text}
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        if self.replaced is not None:
            out["replaced"] = self.replaced
        if self.kind:
            out["kind"] = self.kind
        return out


@dataclass
class FeatureResult:
    values: dict[str, float]
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)


class FeatureFamily(ABC):
    """One family of features: readability, boilerplate, collocations, ...

    Subclasses set `name`, `version` and `features` (feature name -> one-line human description used in
    reasons) and implement `extract`. `extract` must return a value for every declared feature (NaN for
    "not measurable"), must not raise on any text including the empty string, and must be safe to call
    from several threads at once (no per-call state on `self`). Heavy resources are loaded lazily and
    shared through `spindetect.resources`.
    """

    name: ClassVar[str]
    version: ClassVar[int]
    features: ClassVar[dict[str, str]]
    # Aggregate features with no spans of their own -> the features whose evidence is what moved them
    # ("mean share of known word pairs" is lowered by exactly the unseen pairs). A reason shows a feature's
    # own evidence, else what is declared here, and never another feature's spans by accident.
    evidence_from: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Features whose values know the vocabulary of our own training generators -> the label those generators
    # produce (the signature registry knows our page templates: "copy"; the Moby thesaurus our spinners:
    # "spun"). Training hides them on a share of that label's rows, so that the model does not learn our
    # generators' wording (`training/train_default.py`, `registry.generator_specific_features`).
    generator_specific: ClassVar[dict[str, str]] = {}
    # True for a family learned from a user's batch: `registry.build` makes it with `from_state(state)`, the
    # JSON its model directory stores, instead of with no arguments.
    stateful: ClassVar[bool] = False

    @classmethod
    def feature_names(cls) -> list[str]:
        return [f"{cls.name}.{short}" for short in cls.features]

    @classmethod
    def describe(cls, short_name: str) -> str:
        return cls.features.get(short_name, short_name)

    @classmethod
    def cache_identity(cls) -> tuple[str, ...]:
        """What fixes this family's values besides its name, version and feature names, for the keys of
        training caches: a version edited in place (an experiment) must not be served the rows of its
        earlier code. Empty unless a family reads tables that can change under one version."""
        return ()

    @abstractmethod
    def extract(self, doc: Document) -> FeatureResult:
        """Compute every declared feature of one document."""

    def extract_stages(self, doc: Document) -> Iterator[tuple[FeatureResult, bool]]:
        """The family's result read in stages, each from more of the document, as (result, whether another
        stage follows); the last is `extract`'s. A caller that can decide on an early stage stops iterating
        (the cascade: `Detector`). A family that reads the document at once has one stage."""
        yield self.extract(doc), False


def ratio(numerator: float, denominator: float, empty: float = MISSING) -> float:
    """A ratio with a guarded denominator: `empty` (NaN by default) when there is nothing to divide by."""
    return numerator / denominator if denominator else empty
