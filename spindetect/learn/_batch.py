"""Labelled batches for retraining and evaluation: reading and validating them before any training.

A batch is JSONL, one labelled document per line: `{"text"|"html", "label", "id"?, "group"?, "source"?}`
where `label` is one of original|copy|spun|translated|rewritten, or 0/1 for binary batches (1 = flagged).

Validation reports every problem with file and line, in two grades: errors (the line cannot be used:
invalid JSON, unknown label, missing text, duplicate id) and warnings (the batch is usable but suspect:
near-duplicate texts under different labels, a class too small to learn from). `--strict` turns warnings
into errors.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..io._records import item_from_record
from ..model import LABELS
from ._trainer import Example

BINARY_FLAGGED = "flagged"  # placeholder label of a binary 1 until the base model names its class
MIN_EXAMPLES_PER_CLASS = 5
# Near-duplicate texts: Jaccard similarity of word 5-gram sets above this, estimated with MinHash.
NEAR_DUPLICATE_JACCARD = 0.8
_MINHASH_PERMUTATIONS = 64
_BANDS = 16  # 16 bands of 4 rows: pairs above ~0.7 Jaccard collide with near certainty


@dataclass
class Problem:
    where: str
    message: str
    severity: str  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


@dataclass
class LabelledBatch:
    examples: list[Example] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    binary: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def read_batch(paths: list[str | Path], *, min_per_class: int = MIN_EXAMPLES_PER_CLASS) -> LabelledBatch:
    """Read and validate labelled JSONL files; problems are collected, never raised."""
    batch = LabelledBatch()
    seen_ids: dict[str, str] = {}
    label_kinds: set[str] = set()
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_bytes().splitlines()
        except OSError as exc:
            batch.problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}", "error"))
            continue
        for lineno, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            example = _parse_line(raw, where, batch.problems, label_kinds)
            if example is None:
                continue
            if example.id in seen_ids:
                batch.problems.append(Problem(where, f"duplicate id {example.id!r} (first at {seen_ids[example.id]})",
                                              "error"))
                continue
            seen_ids[example.id] = where
            batch.examples.append(example)
    if label_kinds == {"binary", "named"}:
        batch.problems.append(Problem(", ".join(map(str, paths)), "mixes 0/1 labels with named labels; use one "
                                      "kind per batch", "error"))
    batch.binary = label_kinds == {"binary"}
    _check_class_sizes(batch, min_per_class)
    _check_near_duplicates(batch)
    return batch


def _parse_line(raw: bytes, where: str, problems: list[Problem], label_kinds: set[str]) -> Example | None:
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        problems.append(Problem(where, f"invalid JSON ({exc})", "error"))
        return None
    if not isinstance(record, dict):
        problems.append(Problem(where, f"expected a JSON object, got {type(record).__name__}", "error"))
        return None
    item = item_from_record(record, where)  # the document part reads as in `spindetect score`
    if item.error is not None:
        problems.append(Problem(where, f"missing text: needs a non-empty string \"text\" or \"html\" "
                                f"({item.error.kind})", "error"))
        return None
    label = _parse_label(record.get("label"))
    if label is None:
        problems.append(Problem(where, f"unknown label {record.get('label')!r}; use one of {', '.join(LABELS)} "
                                "or 0/1", "error"))
        return None
    label_kinds.add("binary" if label in ("original-binary", BINARY_FLAGGED) else "named")
    label = "original" if label == "original-binary" else label
    doc_id = item.id
    group = str(record.get("group", doc_id))
    return Example(id=doc_id, item=item, label=label, group=group, source=str(record.get("source", "")),
                   clean_news=label == "original")


def _parse_label(value) -> str | None:
    if isinstance(value, bool):
        return None
    if value in (0, "0"):
        return "original-binary"
    if value in (1, "1"):
        return BINARY_FLAGGED
    if isinstance(value, str) and value.strip().lower() in LABELS:
        return value.strip().lower()
    return None


def _check_class_sizes(batch: LabelledBatch, min_per_class: int) -> None:
    counts = Counter(ex.label for ex in batch.examples)
    for label, count in sorted(counts.items()):
        if count < min_per_class:
            batch.problems.append(Problem(
                "batch", f"class {label!r} has only {count} example(s); at least {min_per_class} are needed to "
                "learn from it (add more, or drop them)", "warning"))
    if batch.examples and "original" not in counts:
        batch.problems.append(Problem("batch", "no 'original' examples: the retrained model needs originals to "
                                      "calibrate its false-positive rate (a --base model supplies them)", "warning"))


def _check_near_duplicates(batch: LabelledBatch) -> None:
    """Warn when (near-)identical texts carry different labels: a labelling error, not a lesson."""
    signatures = np.array([_minhash(_content(ex)) for ex in batch.examples]) if batch.examples else np.zeros((0, 0))
    rows_per_band = _MINHASH_PERMUTATIONS // _BANDS
    candidates: set[tuple[int, int]] = set()
    for band in range(_BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for i, signature in enumerate(signatures):
            buckets[signature[band * rows_per_band:(band + 1) * rows_per_band].tobytes()].append(i)
        for members in buckets.values():
            for a_pos, a in enumerate(members):
                for b in members[a_pos + 1:]:
                    if batch.examples[a].label != batch.examples[b].label:
                        candidates.add((a, b))
    for a, b in sorted(candidates):
        similarity = float((signatures[a] == signatures[b]).mean())
        if similarity >= NEAR_DUPLICATE_JACCARD:
            first, second = batch.examples[a], batch.examples[b]
            batch.problems.append(Problem(
                second.item.input, f"near-duplicate of {first.item.input} (similarity {similarity:.2f}) but labelled "
                f"{second.label!r} there {first.label!r}; the same text cannot be both", "warning"))


def _content(example: Example) -> str:
    return example.item.text if example.item.text is not None else re.sub(r"<[^>]+>", " ", example.item.html or "")


_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20261123)  # fixed: signatures must be comparable across runs
_A = _rng.integers(1, _PRIME, size=_MINHASH_PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=_MINHASH_PERMUTATIONS, dtype=np.uint64)


def _minhash(text: str) -> np.ndarray:
    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i:i + 5]) for i in range(max(len(words) - 4, 1))}
    hashes = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 4
                       for s in shingles], dtype=np.uint64)
    # (a*x + b) mod p in uint64 wraps; the wrapped value is still a fine hash for MinHash purposes.
    permuted = (hashes[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    return permuted.min(axis=0)
