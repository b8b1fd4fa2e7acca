"""Evidence floors: how strong a span must be before a record shows it.

A family measures each span it records (`Evidence.strength`: a garble's ln ratio over chance, a sentence's
MT log-odds, the nats a synonym gains a sentence). Clean text has such spans too; a moderator should see a
span only where its strength is unusual for clean text. The floor of an evidence source (one feature's
evidence list, in one family version) is the strength above which clean documents (news articles and real
pages, never the test split) show at most 0.1 of that source's spans per 1,000 words in either group,
fitted by `training/fit_evidence_floors.py` and shipped as plain JSON
(`spindetect/resources/evidence_floors.json`, its provenance inside; nothing in it is executed).

A source the file does not name (a family version it was not fitted for) keeps every span, as before
floors; a span without a strength (a matched boilerplate line: a fact, not a measurement) is always shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..resources import Lazy, bundled_json

FLOORS_FILE = "evidence_floors.json"
FLOORS_FORMAT = 1
_TOP_KEYS = frozenset({"format", "provenance", "floors"})
_FLOOR_KEYS = frozenset({"kind", "floor", "clean_spans"})


@dataclass(frozen=True)
class Floor:
    kind: str
    floor: float | None  # None: the clean documents showed no span of this source, so every span clears it
    clean_spans: int

    def clears(self, strength: float | None) -> bool:
        return strength is None or self.floor is None or strength > self.floor


@dataclass(frozen=True)
class EvidenceFloors:
    floors: dict[str, Floor]  # "family@version.feature" -> its floor
    provenance: dict

    def floor(self, family, source: str) -> Floor | None:
        """The floor of the evidence `family` (a FeatureFamily) records under its feature `source`."""
        return self.floors.get(source_key(family, source))


def source_key(family, source: str) -> str:
    return f"{family.name}@{family.version}.{source}"


def parse_floors(data: dict) -> EvidenceFloors:
    """Validate the file's structure (unknown keys and formats fail loudly) and build the floors."""
    if not isinstance(data, dict) or set(data) != _TOP_KEYS:
        raise ValueError(f"{FLOORS_FILE}: expected exactly the keys {sorted(_TOP_KEYS)}")
    if data["format"] != FLOORS_FORMAT:
        raise ValueError(f"{FLOORS_FILE}: format {data['format']!r}, this spindetect reads {FLOORS_FORMAT}")
    floors = {}
    for key, entry in data["floors"].items():
        if not isinstance(entry, dict) or set(entry) != _FLOOR_KEYS:
            raise ValueError(f"{FLOORS_FILE}: {key}: expected exactly the keys {sorted(_FLOOR_KEYS)}")
        value = entry["floor"]
        if value is not None and not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f"{FLOORS_FILE}: {key}: floor must be a finite number or null")
        floors[key] = Floor(str(entry["kind"]), None if value is None else float(value), int(entry["clean_spans"]))
    return EvidenceFloors(floors, dict(data["provenance"]))


_FLOORS = Lazy(lambda: parse_floors(bundled_json(FLOORS_FILE)))


def evidence_floors() -> EvidenceFloors:
    """The shipped floors, parsed once on first use."""
    return _FLOORS.get()
