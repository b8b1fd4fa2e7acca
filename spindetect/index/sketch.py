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


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array (wrapping arithmetic)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


# A distinct salt per (view, band), so equal minima in different bands or views give different keys.
_POSITION_SALT = _mix64(np.arange(1, len(VIEWS) * BANDS + 1, dtype=np.uint64)
                        * np.uint64(0x9E3779B97F4A7C15)).reshape(len(VIEWS), BANDS)


@dataclass(frozen=True)
class Sketch:
    """A document's signatures, one row per view (shape len(VIEWS) x NUM_PERM, uint32)."""

    signatures: np.ndarray

    @classmethod
    def of_text(cls, text: str, backend: str) -> Sketch:
        return cls.of_views(*analyse(text), backend=backend)

    @classmethod
    def of_views(cls, canonical: list[str], invariant: list[str], names: list[str], *, backend: str) -> Sketch:
        """The sketch of `canonical.analyse`'s three token lists (callers that need them too analyse once)."""
        views = {"canonical": canonical, "invariant": invariant, "names": names}
        return cls(np.stack([minhash(shingles(views[v], SHINGLE_SIZE[v]), backend) for v in VIEWS]))

    @classmethod
    def from_bytes(cls, blob: bytes) -> Sketch:
        return cls(np.frombuffer(blob, dtype=np.uint32).reshape(len(VIEWS), NUM_PERM))

    def to_bytes(self) -> bytes:
        return self.signatures.astype(np.uint32).tobytes()

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per (view, band); empty views give no keys.

        A band's ROWS (=2) 32-bit minima and its (view, band) position are packed into 64 bits and mixed
        with SplitMix64's finaliser (Steele, Lea and Flood, OOPSLA 2014), vectorised over all bands."""
        signatures = self.signatures.astype(np.uint64).reshape(len(VIEWS), BANDS, ROWS)
        packed = (signatures[:, :, 0] << np.uint64(32)) | signatures[:, :, 1]
        keys = _mix64(packed ^ _POSITION_SALT)
        filled = ~(self.signatures == 0xFFFFFFFF).all(axis=1)
        return keys[filled].ravel().view(np.int64).tolist()  # SQLite integers are signed

    def jaccard(self, other: Sketch) -> np.ndarray:
        """Estimated Jaccard similarity per view."""
        empty = (self.signatures == 0xFFFFFFFF).all(axis=1) | (other.signatures == 0xFFFFFFFF).all(axis=1)
        estimate = (self.signatures == other.signatures).mean(axis=1)
        return np.where(empty, 0.0, estimate)
