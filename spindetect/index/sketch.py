"""MinHash signatures of a text's two spin-proof views, and the LSH band keys that find candidates.

Three signatures per document, one per view (canonical 3-grams, invariant 5-grams, the bag of names and
numbers; see `canonical`), each
NUM_PERM values split into bands of ROWS rows (Indyk and Motwani's LSH; Broder 1997 for MinHash). Two
rows per band put the 50%-collision point near Jaccard (1/BANDS)^(1/ROWS) = 0.18: spun copies share far
less than verbatim ones, so candidate search must be generous; the alignment step does the precise work.

Backends: `rensa` (Rust, preferred) and `datasketch` (pure Python/numpy); the index records which one built
it, since their signatures differ.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from .canonical import analyse, shingles

NUM_PERM = 64
ROWS = 2
BANDS = NUM_PERM // ROWS
SEED = 1
VIEWS = ("canonical", "invariant", "names")
SHINGLE_SIZE = {"canonical": 3, "invariant": 5, "names": 1}


def default_backend() -> str:
    try:
        import rensa  # noqa: F401
    except ImportError:
        return "datasketch"
    return "rensa"


def minhash(items: set[str], backend: str) -> np.ndarray:
    """NUM_PERM uint32 minima of `items` (all 0xFFFFFFFF for an empty set, which matches nothing)."""
    if not items:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    if backend == "rensa":
        from rensa import RMinHash

        sketch = RMinHash(NUM_PERM, SEED)
        sketch.update(list(items))
        return np.asarray(sketch.digest(), dtype=np.uint32)
    if backend == "datasketch":
        from datasketch import MinHash

        sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
        sketch.update_batch([s.encode("utf-8") for s in items])
        return sketch.hashvalues.astype(np.uint32)
    raise ValueError(f"unknown MinHash backend {backend!r} (expected 'rensa' or 'datasketch')")


@dataclass(frozen=True)
class Sketch:
    """A document's signatures, one row per view (shape len(VIEWS) x NUM_PERM, uint32)."""

    signatures: np.ndarray

    @classmethod
    def of_text(cls, text: str, backend: str) -> Sketch:
        canonical, invariant, names = analyse(text)
        views = {"canonical": canonical, "invariant": invariant, "names": names}
        return cls(np.stack([minhash(shingles(views[v], SHINGLE_SIZE[v]), backend) for v in VIEWS]))

    @classmethod
    def from_bytes(cls, blob: bytes) -> Sketch:
        return cls(np.frombuffer(blob, dtype=np.uint32).reshape(len(VIEWS), NUM_PERM))

    def to_bytes(self) -> bytes:
        return self.signatures.astype(np.uint32).tobytes()

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per (view, band); empty views give no keys."""
        keys = []
        for v, signature in enumerate(self.signatures):
            if (signature == 0xFFFFFFFF).all():
                continue
            for b in range(BANDS):
                band = signature[b * ROWS:(b + 1) * ROWS].tobytes()
                digest = hashlib.blake2b(bytes((v, b)) + band, digest_size=8).digest()
                keys.append(int.from_bytes(digest, "little", signed=True))  # SQLite integers are signed
        return keys

    def jaccard(self, other: Sketch) -> np.ndarray:
        """Estimated Jaccard similarity per view."""
        empty = (self.signatures == 0xFFFFFFFF).all(axis=1) | (other.signatures == 0xFFFFFFFF).all(axis=1)
        estimate = (self.signatures == other.signatures).mean(axis=1)
        return np.where(empty, 0.0, estimate)
