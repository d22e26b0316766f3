"""SQLite document store: WAL, migrations, one writer, idempotent upserts, FTS5 search.

Tables: ``raw`` (original bytes by SHA-256), ``inputs`` (one row per input position: path#line,
its raw hash, the config hash it was analysed with, status and error), ``documents`` (full v1
records, ok and failed), ``documents_fts`` (FTS5 over title, text and labels), ``corpus``
(the cross-document record and link tables written by linkers), ``runs``.

Re-running the same inputs with the same config is a no-op (resume): the pipeline asks
:meth:`Store.done` before analysing an input. Each input is committed on its own (batched in
transactions of a few documents), so a crash or Ctrl-C loses at most the batch in flight and
doubles nothing.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narrascope.errors import StoreError
from narrascope.store.base import INPUT_COLUMNS, best_duplicate, filter_clauses, list_row
from narrascope.store.base import search_labels as _labels

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE IF NOT EXISTS raw (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL,
                                    created REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS inputs (key TEXT PRIMARY KEY, path TEXT, line INTEGER, url TEXT,
                                       sha256 TEXT, format TEXT, doc_id TEXT, status TEXT NOT NULL,
                                       error_code TEXT, error_message TEXT, config_hash TEXT,
                                       seq INTEGER NOT NULL, updated REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, status TEXT NOT NULL, title TEXT, site TEXT,
                                          published TEXT, language TEXT, duplicate_of TEXT, input_key TEXT,
                                          config_hash TEXT, record TEXT NOT NULL, seq INTEGER NOT NULL,
                                          updated REAL NOT NULL);
    CREATE INDEX IF NOT EXISTS documents_seq ON documents(seq);
    CREATE INDEX IF NOT EXISTS documents_site ON documents(site);
    CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
    CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(id UNINDEXED, title, text, labels,
                                                                tokenize='unicode61 remove_diacritics 2');
    CREATE TABLE IF NOT EXISTS fingerprints (doc_id TEXT PRIMARY KEY, signature BLOB NOT NULL, seq INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS lsh_bands (band INTEGER NOT NULL, bucket TEXT NOT NULL, doc_id TEXT NOT NULL,
                                          PRIMARY KEY (band, bucket, doc_id));
    CREATE TABLE IF NOT EXISTS corpus (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated REAL NOT NULL);
    CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL, finished REAL,
                                     config_hash TEXT, n_ok INTEGER, n_failed INTEGER, n_skipped INTEGER,
                                     status TEXT);
    """,
]


class Store:
    """A narrascope store over one SQLite file. Use one writer; readers open read-only."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        try:
            if read_only:
                if not Path(self.path).exists():
                    raise StoreError(
                        f"{self.path}: no such store; run `narrascope analyze ... --db {self.path}`"
                    )
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
                self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row

    # -- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for i, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.conn:
                self.conn.executescript(script)
                self.conn.execute(f"PRAGMA user_version={i}")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> sqlite3.Connection:
        """``with store.transaction(): ...`` commits on success, rolls back on error."""
        return self.conn

    def add_fingerprint(self, doc_id: str, signature: Any, seq: int) -> None:
        """Store a MinHash signature and its LSH band buckets (first writer wins)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO fingerprints (doc_id, signature, seq) VALUES (?,?,?)",
            (doc_id, signature.tobytes(), seq),
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO lsh_bands (band, bucket, doc_id) VALUES (?,?,?)",
            [(b, k, doc_id) for b, k in _dedup_mod().bands(signature)],
        )

    # -- writes -------------------------------------------------------------------------
    def put_raw(self, sha256: str, data: bytes) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO raw (sha256, size, data, created) VALUES (?, ?, ?, ?)",
            (sha256, len(data), data, time.time()),
        )

    def next_seq(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM inputs").fetchone()
        return int(row[0]) + 1

    def put_input(self, record: dict[str, Any], key: str, config_hash: str, seq: int) -> None:
        """Upsert one input's outcome and its document record (idempotent)."""
        inp = record.get("input") or {}
        err = record.get("error") or {}
        now = time.time()
        self.conn.execute(
            """INSERT INTO inputs (key, path, line, url, sha256, format, doc_id, status, error_code, error_message,
                                   config_hash, seq, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(key) DO UPDATE SET sha256=excluded.sha256, format=excluded.format,
                 doc_id=excluded.doc_id, status=excluded.status, error_code=excluded.error_code,
                 error_message=excluded.error_message, config_hash=excluded.config_hash, updated=excluded.updated""",
            (
                key,
                inp.get("path"),
                inp.get("line"),
                inp.get("url"),
                inp.get("sha256"),
                inp.get("format"),
                record["id"],
                record["status"],
                err.get("code"),
                err.get("message"),
                config_hash,
                seq,
                now,
            ),
        )
        self.put_record(record, key, config_hash, seq)

    def put_record(self, record: dict[str, Any], input_key: str, config_hash: str, seq: int) -> None:
        pub = (record.get("published") or {}).get("value")
        self.conn.execute(
            """INSERT INTO documents (id, status, title, site, published, language, duplicate_of, input_key,
                                      config_hash, record, seq, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(id) DO UPDATE SET status=excluded.status, title=excluded.title, site=excluded.site,
                 published=excluded.published, language=excluded.language, duplicate_of=excluded.duplicate_of,
                 config_hash=excluded.config_hash, record=excluded.record, updated=excluded.updated""",
            (
                record["id"],
                record["status"],
                record.get("title"),
                record.get("site"),
                pub,
                record.get("language"),
                record.get("duplicate_of"),
                input_key,
                config_hash,
                json.dumps(record, ensure_ascii=False),
                seq,
                time.time(),
            ),
        )
        self.conn.execute("DELETE FROM documents_fts WHERE id = ?", (record["id"],))
        if record["status"] == "ok":
            self.conn.execute(
                "INSERT INTO documents_fts (id, title, text, labels) VALUES (?,?,?,?)",
                (record["id"], record.get("title") or "", record.get("text") or "", _labels(record)),
            )

    def put_corpus(self, corpus: dict[str, Any], key: str = "corpus") -> None:
        with self.conn:
            self.conn.execute(
                "INSERT INTO corpus (key, value, updated) VALUES (?,?,?) ON CONFLICT(key) DO UPDATE SET "
                "value=excluded.value, updated=excluded.updated",
                (key, json.dumps(corpus, ensure_ascii=False), time.time()),
            )

    def commit(self) -> None:
        self.conn.commit()

    # -- reads --------------------------------------------------------------------------
    def done(self, key: str, sha256: str, config_hash: str) -> dict[str, Any] | None:
        """The stored record when ``key`` was already processed from the same bytes and config."""
        row = self.conn.execute(
            "SELECT doc_id FROM inputs WHERE key=? AND sha256=? AND config_hash=?", (key, sha256, config_hash)
        ).fetchone()
        return self.get_record(row[0]) if row else None

    def input_row(self, key: str) -> dict[str, Any] | None:
        """Where input ``key`` came from and its document id (``doc_id, path, line, url, sha256, format``)."""
        row = self.conn.execute(
            f"SELECT {', '.join(INPUT_COLUMNS)} FROM inputs WHERE key=?", (key,)
        ).fetchone()
        return dict(zip(INPUT_COLUMNS, row, strict=True)) if row else None

    def find_duplicate(self, doc_id: str, signature: Any, threshold: float) -> str | None:
        """The earliest stored document whose MinHash similarity to ``signature`` ≥ ``threshold``."""
        cands: set[str] = set()
        for b, k in _dedup_mod().bands(signature):
            sql = "SELECT doc_id FROM lsh_bands WHERE band=? AND bucket=?"
            cands.update(r[0] for r in self.conn.execute(sql, (b, k)))
        cands.discard(doc_id)
        rows = (
            self.conn.execute(
                "SELECT doc_id, signature, seq FROM fingerprints WHERE doc_id=?", (c,)
            ).fetchone()
            for c in sorted(cands)
        )
        best = best_duplicate(signature, ((r[0], r[1], r[2]) for r in rows if r is not None), threshold)
        if best is None:
            return None
        dup_row = self.conn.execute("SELECT duplicate_of FROM documents WHERE id=?", (best[1],)).fetchone()
        return str(dup_row[0]) if dup_row and dup_row[0] else best[1]

    def get_record(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT record FROM documents WHERE id=?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def get_raw(self, sha256: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM raw WHERE sha256=?", (sha256,)).fetchone()
        return bytes(row[0]) if row else None

    def get_corpus(self, key: str = "corpus") -> dict[str, Any] | None:
        row = self.conn.execute("SELECT value FROM corpus WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def iter_records(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        """All document records in input order (ok and failed unless ``status`` is given)."""
        sql = "SELECT record FROM documents" + (" WHERE status=?" if status else "") + " ORDER BY seq, id"
        for row in self.conn.execute(sql, (status,) if status else ()):
            yield json.loads(row[0])

    def input_records(self, keys: list[str]) -> Iterator[dict[str, Any]]:
        """Records for the given input keys, in that order (one per input, duplicates included)."""
        for key in keys:
            row = self.conn.execute("SELECT doc_id FROM inputs WHERE key=?", (key,)).fetchone()
            if row:
                rec = self.get_record(row[0])
                if rec is not None:
                    yield rec

    def count_records(self) -> dict[str, int]:
        out = {"ok": 0, "failed": 0}
        for status, n in self.conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status"):
            out[str(status)] = int(n)
        return out

    def _where(self, filters: dict[str, Any] | None) -> tuple[str, list[Any]]:
        clauses, params = filter_clauses(filters, "?")
        f = filters or {}
        if f.get("label"):
            clauses.append("d.id IN (SELECT id FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append("labels:" + _fts_quote(str(f["label"])))
        return (" AND ".join(clauses) if clauses else "1=1"), params

    def list_documents(
        self, *, limit: int = 50, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        where, params = self._where(filters)
        total = self.conn.execute(f"SELECT COUNT(*) FROM documents d WHERE {where}", params).fetchone()[0]
        rows = self.conn.execute(
            f"""SELECT d.id, d.title, d.site, d.published, d.language, d.status, d.duplicate_of, d.record
                FROM documents d WHERE {where} ORDER BY d.seq, d.id LIMIT ? OFFSET ?""",
            [*params, limit, offset],
        ).fetchall()
        out = [list_row(dict(r), json.loads(r["record"])) for r in rows]
        return int(total), out

    def search(
        self, q: str, *, limit: int = 20, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        """Full-text search (FTS5) over title, text and labels, with the list filters."""
        where, params = self._where(filters)
        match = _fts_query(q)
        if not match:
            return 0, []
        base = f"""FROM documents_fts f JOIN documents d ON d.id = f.id
                   WHERE documents_fts MATCH ? AND {where}"""
        try:
            total = self.conn.execute(f"SELECT COUNT(*) {base}", [match, *params]).fetchone()[0]
            rows = self.conn.execute(
                f"""SELECT d.id, d.title, d.site, d.published, d.language,
                           snippet(documents_fts, 2, '[', ']', ' … ', 24) AS snippet
                    {base} ORDER BY bm25(documents_fts) LIMIT ? OFFSET ?""",
                [match, *params, limit, offset],
            ).fetchall()
        except sqlite3.OperationalError:
            return 0, []
        return int(total), [dict(r) for r in rows]


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_query(q: str) -> str:
    """User text to a safe FTS5 query: every word quoted (no operator injection), AND-ed."""
    words = [w for w in q.replace('"', " ").split() if w]
    return " ".join(_fts_quote(w) for w in words)


def open_store(path: str | Path, read_only: bool = False) -> Any:
    """Open (and migrate) a store: a SQLite file, or PostgreSQL for ``postgresql://`` URLs
    (needs the ``postgres`` extra). ``read_only`` opens an existing store without writing."""
    if str(path).startswith(("postgresql://", "postgres://")):
        from narrascope.store.postgres import PostgresStore

        return PostgresStore(str(path), read_only=read_only)
    return Store(path, read_only=read_only)


def _dedup_mod() -> Any:
    from narrascope.clean import dedup

    return dedup
