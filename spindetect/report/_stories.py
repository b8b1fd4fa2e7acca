"""Stories for the report: the batch grouped by `index.cluster`, each story's original first.

Cluster records are read in one place, `_member`, and only by key with defaults, so fields that the
cluster records gain (a `relation` such as "copy" or "spin", a story id) show up without other changes here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..index.cluster import cluster
from ._collect import ReportEntry


@dataclass
class Story:
    key: str
    members: list[dict] = field(default_factory=list)  # `_member` dicts, the original first


def stories_of(entries: Sequence[ReportEntry]) -> list[Story]:
    """Stories of two or more documents, largest first (single documents are not stories to review)."""
    documents = [entry.document for entry in entries if entry.document is not None]
    grouped: dict[str, Story] = {}
    for assignment in cluster(documents):
        member = _member(assignment.to_record())
        grouped.setdefault(member["story"], Story(member["story"])).members.append(member)
    stories = [story for story in grouped.values() if len(story.members) > 1]
    for story in stories:
        story.members.sort(key=lambda m: (m["role"] != "original", m["rank"]))
    return sorted(stories, key=lambda story: -len(story.members))


def _member(record: dict) -> dict:
    """What the report shows of one cluster record."""
    role = record.get("role") or "derived"
    return {"id": record["id"], "story": str(record.get("story", record.get("cluster"))), "role": role,
            "relation": record.get("relation") or role, "derived_from": record.get("derived_from"),
            "similarity": record.get("similarity"), "rank": record.get("rank") or 0}
