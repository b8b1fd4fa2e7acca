"""The on-disk index: one SQLite database (WAL) holding documents, signatures, LSH band keys and keywords.

Layout (FORMAT_VERSION 2; version 1 had no `terms` and hashed band keys with BLAKE2b, so it is rebuilt):
    meta(key PRIMARY KEY, value)                   format version, MinHash backend and parameters
    docs(row INTEGER PRIMARY KEY, id UNIQUE, text BLOB (zlib), sketch BLOB,
         keyword_weight REAL)                      (sum of its keywords' static weights)
    bands(key INTEGER, row INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID
    terms(key INTEGER, row INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID   keyword postings

An index built with meaning (`spindetect index add --meaning`) also holds, per document, the multilingual
encoder's vector of its lead (`spindetect.encoder`), and the encoder's name in `meta`:
    vectors(row INTEGER PRIMARY KEY, vector BLOB)  float16, DIMENSION wide
    vector_state(id = 0, generation)               bumped by every transaction that changes `vectors`
Older indexes gain the two (empty) tables when opened; their format is unchanged.

A query is an SQL lookup of its band keys in `bands` and of its keywords in `terms` (clustered
primary-key indexes), so nothing is loaded into memory whole. Each `add` batch is one transaction: a
crash (even SIGKILL) loses at most the batch in flight and never leaves a half-written document. Connections are per thread.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import SourceIndexError
from . import sketch as sk
from .canonical import KEYWORDS, analyse, keywords

FORMAT_VERSION = 2
# The version of the verifier weights (`spindetect/resources/verifier.json`) an index's matches are checked
# with. Stored with the other parameters, so an index is never silently queried under refitted weights.
VERIFIER_VERSION = 1
DB_NAME = "index.sqlite"
# Candidates counted per query by shared band keys, before the signature comparison narrows them.
BAND_CANDIDATES = 50
# A keyword held by more documents than this is too common to pick candidates (and reading its postings
# would cost more than it tells); rarer keywords are weighted by inverse document frequency.
MAX_POSTINGS = 400
# Page cache of a connection, in KiB (SQLite's default is 2 MiB); a connection that writes grows it to
# WRITE_CACHE_KIB, since band and keyword inserts land at random places in their B-trees.
CACHE_KIB = 64 * 1024
WRITE_CACHE_KIB = 256 * 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text BLOB NOT NULL,
                                 sketch BLOB NOT NULL, keyword_weight REAL NOT NULL);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key, row))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms (key INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key, row))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vectors (row INTEGER PRIMARY KEY, vector BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS vector_state (id INTEGER PRIMARY KEY CHECK (id = 0), generation INTEGER NOT NULL);
"""
# The meta key naming the encoder whose vectors an index holds (absent: an index without meaning).
ENCODER_KEY = "encoder"
# Vectors are float16 on disk and float32 in memory (1.5 KB a document: 1.5 GB at a million): numpy
# converts float16 at about 1 ns an element and multiplies it without BLAS, so a float16 matrix made a
# query over a million vectors cost about a second; float32 costs the memory once and a query the
# matrix-vector product (`benchmarks.index_meaning_cost`).


@dataclass(frozen=True)
class PreparedDocument:
    """One document as the store writes it, computed away from the writer (see `SourceIndex.add`)."""

    id: str
    compressed_text: bytes  # zlib, UTF-8
    sketch: bytes  # `Sketch.to_bytes`
    band_keys: list[int]
    term_keys: list[int]
    keyword_weight: float  # sum of `canonical.term_weight` over its keywords

    @classmethod
    def of(cls, doc_id: str, text: str, sketch: sk.Sketch, terms: list[str], keyword_weight: float) -> PreparedDocument:
        return cls(doc_id, zlib.compress(text.encode("utf-8")), sketch.to_bytes(), sketch.band_keys(),
                   [keyword_key(t) for t in terms], keyword_weight)


def keyword_key(term: str) -> int:
    """A keyword's signed 64-bit posting key."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def term_keys(text: str) -> list[int]:
    """Posting keys of a text's keywords (`canonical.keywords` of its canonical view)."""
    return [keyword_key(t) for t in keywords(analyse(text)[0])]


def _postings_in_key_order(rows: range, keys: list[list[int]]) -> Iterable[tuple[int, int]]:
    """(key, row) pairs sorted by key (B-tree inserts in key order touch each page once), sorted in numpy."""
    flat = np.fromiter((k for doc_keys in keys for k in doc_keys), dtype=np.int64)
    owners = np.repeat(np.fromiter(rows, dtype=np.int64), [len(doc_keys) for doc_keys in keys])
    order = np.argsort(flat, kind="stable")
    return zip(flat[order].tolist(), owners[order].tolist())


def _parameters(backend: str) -> dict[str, str]:
    return {"format_version": str(FORMAT_VERSION), "verifier_version": str(VERIFIER_VERSION), "backend": backend,
            "num_perm": str(sk.NUM_PERM),
            "rows": str(sk.ROWS), "seed": str(sk.SEED), "views": ",".join(sk.VIEWS),
            "shingles": ",".join(str(sk.SHINGLE_SIZE[v]) for v in sk.VIEWS), "keywords": str(KEYWORDS)}


class Store:
    def __init__(self, path: Path, *, create: bool) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_NAME
        self._local = threading.local()
        if not self.db_path.exists():
            if not create:
                raise SourceIndexError(f"{self.path}: no source index here (create one with `spindetect index add`)")
            self.path.mkdir(parents=True, exist_ok=True)
        conn = self._connection()
        with conn:
            conn.executescript(_SCHEMA)
            stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if not stored:
                # OR IGNORE: another process may be creating the same index at this moment (a reader
                # polling for it, as the crash test does); the first writer's values stand and are checked.
                conn.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", _parameters(sk.default_backend()).items())
                stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        # The encoder is a choice of the index's builder, not a parameter every index must share.
        self.encoder_name = stored.pop(ENCODER_KEY, None)
        expected = _parameters(stored.get("backend", ""))
        if "verifier_version" not in stored and stored == {k: v for k, v in expected.items() if k != "verifier_version"}:
            # Written before the verifier had a version: its matches were verified with version 1, the weights
            # that were then in the code. Record that, so a later refit of the weights is noticed.
            with conn:
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('verifier_version', '1')")
            stored["verifier_version"] = "1"
        if stored != expected:
            raise SourceIndexError(f"{self.path}: index built with {stored}, this spindetect reads {expected}")
        self.backend = stored["backend"]
        self._matrix_lock = threading.Lock()
        self._matrix: tuple[int, np.ndarray, np.ndarray] | None = None  # (generation, rows, float32 vectors)

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=60.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a process crash loses nothing committed; power loss at worst the last
            # transactions, never the database's integrity.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def write_batch(self, batch: Iterable[PreparedDocument]) -> int:
        """Insert or replace prepared documents in one transaction; returns the count.

        An id given twice in one batch keeps its last version. Rows are numbered here and the band and
        keyword postings of the whole batch are inserted in key order with one statement each."""
        latest = {doc.id: doc for doc in batch}
        if not latest:
            return 0
        conn = self._connection()
        conn.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._delete(conn, list(latest))
            first = (conn.execute("SELECT MAX(row) FROM docs").fetchone()[0] or 0) + 1
            rows = range(first, first + len(latest))
            conn.executemany("INSERT INTO docs (row, id, text, sketch, keyword_weight) VALUES (?, ?, ?, ?, ?)",
                             ((row, doc.id, doc.compressed_text, doc.sketch, doc.keyword_weight)
                              for row, doc in zip(rows, latest.values())))
            conn.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                             _postings_in_key_order(rows, [doc.band_keys for doc in latest.values()]))
            conn.executemany("INSERT OR IGNORE INTO terms VALUES (?, ?)",
                             _postings_in_key_order(rows, [doc.term_keys for doc in latest.values()]))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return len(latest)

    @staticmethod
    def _delete(conn: sqlite3.Connection, ids: list[str]) -> None:
        """Remove the documents with these ids, with their band and keyword postings."""
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            old = conn.execute(f"SELECT row, text, sketch FROM docs WHERE id IN ({','.join('?' * len(chunk))})",
                               chunk).fetchall()
            for row, text, sketch in old:
                conn.executemany("DELETE FROM bands WHERE key = ? AND row = ?",
                                 ((k, row) for k in sk.Sketch.from_bytes(sketch).band_keys()))
                # Keywords are not stored per document: they are derived again from the stored text.
                conn.executemany("DELETE FROM terms WHERE key = ? AND row = ?",
                                 ((k, row) for k in term_keys(zlib.decompress(text).decode("utf-8"))))
                conn.execute("DELETE FROM docs WHERE row = ?", (row,))
                if conn.execute("DELETE FROM vectors WHERE row = ?", (row,)).rowcount:
                    Store._bump_vector_generation(conn)

    def candidates(self, query: sk.Sketch, limit: int = BAND_CANDIDATES) -> list[tuple[int, str, sk.Sketch, float]]:
        """(row, id, sketch, keyword weight) of the documents sharing the most band keys with `query`."""
        keys = query.band_keys()
        if not keys:
            return []
        conn = self._connection()
        marks = ",".join("?" * len(keys))
        rows = conn.execute(
            f"SELECT d.row, d.id, d.sketch, d.keyword_weight FROM (SELECT row, COUNT(*) AS shared FROM bands "
            f"WHERE key IN ({marks}) "
            f"GROUP BY row ORDER BY shared DESC, row LIMIT ?) AS c JOIN docs AS d ON d.row = c.row",
            (*keys, limit)).fetchall()
        return [(row, doc_id, sk.Sketch.from_bytes(blob), weight) for row, doc_id, blob, weight in rows]

    def keyword_scores(self, keys: list[tuple[int, float]]) -> tuple[dict[int, tuple[float, float]], float]:
        """Keyword overlap with the query's (key, static weight) keywords.

        Returns ({row: (sum of ln(1 + N / df) over shared keywords, sum of their static weights)}, the
        query's own IDF sum over all its keywords), skipping keywords held by over MAX_POSTINGS documents.
        N is approximated by the highest row number (O(1), unlike counting)."""
        conn = self._connection()
        total = conn.execute("SELECT MAX(row) FROM docs").fetchone()[0] or 0
        scores: dict[int, tuple[float, float]] = {}
        possible = 0.0
        for key, weight in keys:
            postings = conn.execute("SELECT row FROM terms WHERE key = ? LIMIT ?", (key, MAX_POSTINGS + 1)).fetchall()
            if len(postings) > MAX_POSTINGS:
                continue
            # A keyword no indexed document holds still counts towards the query's total (at the highest
            # weight): the overlap is the share of what the query says that a document also says.
            idf = math.log(1.0 + total / max(1, len(postings)))
            possible += idf
            for (row,) in postings:
                idf_sum, weight_sum = scores.get(row, (0.0, 0.0))
                scores[row] = (idf_sum + idf, weight_sum + weight)
        return scores, possible

    def sketches(self, rows: list[int]) -> list[tuple[int, str, sk.Sketch, float]]:
        """(row, id, sketch, keyword weight) of the given rows that exist."""
        if not rows:
            return []
        found = self._connection().execute(
            f"SELECT row, id, sketch, keyword_weight FROM docs WHERE row IN ({','.join('?' * len(rows))})",
            rows).fetchall()
        return [(row, doc_id, sk.Sketch.from_bytes(blob), weight) for row, doc_id, blob, weight in found]

    def enable_meaning(self, encoder_name: str) -> None:
        """Record that this index holds vectors of `encoder_name` (documents gain them with `write_vectors`).
        Raises SourceIndexError when it holds another encoder's vectors, which do not compare with these."""
        if self.encoder_name not in (None, encoder_name):
            raise SourceIndexError(f"{self.path}: index holds vectors of the encoder {self.encoder_name}; this "
                                   f"spindetect reads {encoder_name} (rebuild the index)")
        if self.encoder_name is None:
            conn = self._connection()
            with conn:
                conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (ENCODER_KEY, encoder_name))
            self.encoder_name = encoder_name

    def rows_without_vectors(self, limit: int, after: int = 0) -> list[tuple[int, str]]:
        """Up to `limit` (row, text) of documents after row `after` that have no vector yet, in row order
        (a caller walking the index passes the last row it got, so that each batch does not rescan)."""
        found = self._connection().execute(
            "SELECT d.row, d.text FROM docs AS d LEFT JOIN vectors AS v ON v.row = d.row "
            "WHERE v.row IS NULL AND d.row > ? ORDER BY d.row LIMIT ?", (after, limit)).fetchall()
        return [(row, zlib.decompress(text).decode("utf-8")) for row, text in found]

    def write_vectors(self, rows: list[int], vectors: np.ndarray) -> None:
        """Store one vector per row (as float16), in one transaction; rows deleted meanwhile are skipped."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            existing = {row for (row,) in conn.execute(
                f"SELECT row FROM docs WHERE row IN ({','.join('?' * len(rows))})", rows)} if rows else set()
            conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                             ((row, vector.astype(np.float16).tobytes())
                              for row, vector in zip(rows, vectors) if row in existing))
            self._bump_vector_generation(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @staticmethod
    def _bump_vector_generation(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO vector_state VALUES (0, 1) ON CONFLICT(id) DO UPDATE SET generation = generation + 1")

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, str, float]]:
        """(row, id, cosine) of the `k` documents whose vectors are closest to `vector` (L2-normalised),
        closest first. Exact search over every vector, in memory: the matrix is read from the database on
        first use and again only after a transaction changed the vectors."""
        rows, matrix = self._vector_matrix()
        if not len(rows) or k <= 0:
            return []
        scores = matrix @ vector.astype(np.float32)
        top = np.argpartition(-scores, min(k, len(rows)) - 1)[:k]
        top = top[np.lexsort((rows[top], -scores[top]))]
        ids = dict(self._connection().execute(
            f"SELECT row, id FROM docs WHERE row IN ({','.join('?' * len(top))})", rows[top].tolist()).fetchall())
        return [(int(rows[n]), ids[int(rows[n])], float(scores[n])) for n in top if int(rows[n]) in ids]

    def _vector_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        conn = self._connection()
        found = conn.execute("SELECT generation FROM vector_state WHERE id = 0").fetchone()
        generation = found[0] if found else 0
        with self._matrix_lock:
            if self._matrix is None or self._matrix[0] != generation:
                self._matrix = (generation, *self._read_vectors(conn))
            return self._matrix[1], self._matrix[2]

    @staticmethod
    def _read_vectors(conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
        """(rows, float32 matrix) of every stored vector, in row order. Streamed into arrays sized up front
        (in one read transaction, so the count holds): a million vectors take their 1.5 GB once, not again
        as Python bytes."""
        conn.execute("BEGIN")
        try:
            count = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
            first = conn.execute("SELECT vector FROM vectors LIMIT 1").fetchone()
            width = len(first[0]) // 2 if first else 0
            rows = np.empty(count, dtype=np.int64)
            matrix = np.empty((count, width), dtype=np.float32)
            for n, (row, blob) in enumerate(conn.execute("SELECT row, vector FROM vectors ORDER BY row")):
                rows[n] = row
                matrix[n] = np.frombuffer(blob, dtype=np.float16)
        finally:
            conn.execute("COMMIT")
        return rows, matrix

    def checkpoint(self) -> None:
        self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def text(self, row: int) -> str:
        found = self._connection().execute("SELECT text FROM docs WHERE row = ?", (row,)).fetchone()
        return zlib.decompress(found[0]).decode("utf-8") if found else ""

    def text_of(self, doc_id: str) -> str | None:
        found = self._connection().execute("SELECT text FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return zlib.decompress(found[0]).decode("utf-8") if found else None

    def info(self) -> dict:
        conn = self._connection()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        documents = conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        band_rows = conn.execute("SELECT COUNT(*) FROM bands").fetchone()[0]
        term_rows = conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0]
        size = sum(p.stat().st_size for p in self.path.glob(DB_NAME + "*") if p.is_file())
        return {"path": str(self.path), "documents": documents, "band_rows": band_rows, "keyword_rows": term_rows,
                "bytes": size,
                "bytes_per_document": size / documents if documents else 0.0,
                "format_version": int(meta["format_version"]), "backend": meta["backend"],
                "num_perm": int(meta["num_perm"]), "rows_per_band": int(meta["rows"]), "views": meta["views"],
                "keywords_per_document": int(meta["keywords"]), "encoder": meta.get(ENCODER_KEY),
                "vectors": conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]}
