"""What scoring one document returns, and its record form (the CLI's output contract).

The record keys and their meaning are a contract other tools parse; see docs/cli.md, "Output records".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    feature: str  # the model's feature name, e.g. "collocations.garbled_per_100_words"
    contribution: float  # log-odds this feature added to the verdict (positive supports it)
    detail: str  # human-readable: what the feature measures and its value here
    evidence: tuple[dict, ...] = ()

    def to_dict(self) -> dict:
        return {"feature": self.feature, "contribution": round(self.contribution, 4), "detail": self.detail,
                "evidence": list(self.evidence)}


@dataclass
class Verdict:
    id: str
    input: str
    model: str
    score: float | None = None
    flagged: bool | None = None
    label: str | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)
    source: dict | None = None
    # Credits on the page read as syndication (a publisher's own brand or a marked partner), not residue.
    syndication: list[dict] | None = None
    error: dict | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_record(self) -> dict:
        return {
            "id": self.id,
            "input": self.input,
            "score": None if self.score is None else round(self.score, 6),
            "flagged": self.flagged,
            "label": self.label,
            "reasons": [r.to_dict() for r in self.reasons],
            "source": self.source,
            "syndication": self.syndication,
            "model": self.model,
            "error": self.error,
            "note": self.note,
        }
