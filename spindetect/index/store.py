"""The on-disk index: one SQLite database (WAL) holding documents, signatures and LSH band keys.

Layout (FORMAT_VERSION 1):
    meta(key PRIMARY KEY, value)                   format version, MinHash backend and parameters
    docs(row INTEGER PRIMARY KEY, id UNIQUE, text BLOB (zlib), sketch BLOB, words INTEGER)
    bands(key INTEGER, row INTEGER, PRIMARY KEY (key, row)) WITHOUT ROWID

A query is an SQL lookup of its band keys in `bands` (a clustered primary-key index), so nothing is
loaded into memory whole. Each `add` batch is one transaction: a crash (even SIGKILL) loses at most the
batch in flight and never leaves a half-written document. Connections are per thread.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections.abc import Iterable
from pathlib import Path

from . import sketch as sk

FORMAT_VERSION = 1
DB_NAME = "index.sqlite"
# Candidates counted per query by shared band keys, before the signature comparison narrows them.
BAND_CANDIDATES = 50

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text BLOB NOT NULL,
                                 sketch BLOB NOT NULL, words INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key, row))
    WITHOUT ROWID;
"""


class SourceIndexError(Exception):
    """The directory holds no index, or one this version cannot read."""


def _parameters(backend: str) -> dict[str, str]:
    return {"format_version": str(FORMAT_VERSION), "backend": backend, "num_perm": str(sk.NUM_PERM),
            "rows": str(sk.ROWS), "seed": str(sk.SEED), "views": ",".join(sk.VIEWS),
            "shingles": ",".join(str(sk.SHINGLE_SIZE[v]) for v in sk.VIEWS)}


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
                conn.executemany("INSERT INTO meta VALUES (?, ?)", _parameters(sk.default_backend()).items())
                stored = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        expected = _parameters(stored.get("backend", ""))
        if stored != expected:
            raise SourceIndexError(f"{self.path}: index built with {stored}, this spindetect reads {expected}")
        self.backend = stored["backend"]

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=60.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a process crash loses nothing committed; power loss at worst the last
            # transactions, never the database's integrity.
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def write_batch(self, batch: Iterable[tuple[str, str, sk.Sketch, int]]) -> int:
        """Insert or replace (id, text, sketch, words) rows in one transaction; returns the count."""
        conn = self._connection()
        written = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            for doc_id, text, sketch, words in batch:
                old = conn.execute("SELECT row, sketch FROM docs WHERE id = ?", (doc_id,)).fetchone()
                if old is not None:
                    old_keys = sk.Sketch.from_bytes(old[1]).band_keys()
                    conn.executemany("DELETE FROM bands WHERE key = ? AND row = ?", ((k, old[0]) for k in old_keys))
                    conn.execute("DELETE FROM docs WHERE row = ?", (old[0],))
                cursor = conn.execute("INSERT INTO docs (id, text, sketch, words) VALUES (?, ?, ?, ?)",
                                      (doc_id, zlib.compress(text.encode("utf-8")), sketch.to_bytes(), words))
                row = cursor.lastrowid
                conn.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                                 ((k, row) for k in sketch.band_keys()))
                written += 1
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return written

    def candidates(self, query: sk.Sketch, limit: int = BAND_CANDIDATES) -> list[tuple[int, str, sk.Sketch]]:
        """(row, id, sketch) of the documents sharing the most band keys with `query`."""
        keys = query.band_keys()
        if not keys:
            return []
        conn = self._connection()
        marks = ",".join("?" * len(keys))
        rows = conn.execute(
            f"SELECT d.row, d.id, d.sketch FROM (SELECT row, COUNT(*) AS shared FROM bands WHERE key IN ({marks}) "
            f"GROUP BY row ORDER BY shared DESC, row LIMIT ?) AS c JOIN docs AS d ON d.row = c.row",
            (*keys, limit)).fetchall()
        return [(row, doc_id, sk.Sketch.from_bytes(blob)) for row, doc_id, blob in rows]

    def text(self, row: int) -> str:
        found = self._connection().execute("SELECT text FROM docs WHERE row = ?", (row,)).fetchone()
        return zlib.decompress(found[0]).decode("utf-8") if found else ""

    def info(self) -> dict:
        conn = self._connection()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        documents = conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        band_rows = conn.execute("SELECT COUNT(*) FROM bands").fetchone()[0]
        size = sum(p.stat().st_size for p in self.path.glob(DB_NAME + "*") if p.is_file())
        return {"path": str(self.path), "documents": documents, "band_rows": band_rows, "bytes": size,
                "bytes_per_document": size / documents if documents else 0.0,
                "format_version": int(meta["format_version"]), "backend": meta["backend"],
                "num_perm": int(meta["num_perm"]), "rows_per_band": int(meta["rows"]), "views": meta["views"]}
