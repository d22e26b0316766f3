"""PostgreSQL document store (``postgresql://`` URLs; the ``postgres`` extra, psycopg 3).

Same tables, keys and behaviour as :mod:`narrascope.store.sqlite`: idempotent upserts, the
resume key ``(input key, raw sha256, config hash)``, one writer, read-only readers. Search uses
a ``tsvector`` column (title and labels weighted above body text) queried with
``websearch_to_tsquery``, which never raises on user syntax, so no operator injection.

Records are stored as ``json`` (not ``jsonb``): ``json`` keeps the text as written, so a record
read back has its fields in contract order and exports are byte-identical to the SQLite store;
``record::jsonb`` is available to ad-hoc queries (see docs/decisions/006-postgres-and-ray.md).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from narrascope.errors import StoreError, require
from narrascope.store.base import INPUT_COLUMNS, best_duplicate, filter_clauses, list_row, search_labels

#: Text-search configuration: 'simple' lower-cases without stemming or stop words, like the
#: SQLite FTS5 unicode61 tokenizer, and suits a multilingual corpus.
TS_CONFIG = "simple"
#: A tsvector holds at most 1 MiB; index the first 400k characters of very long texts.
MAX_INDEXED_CHARS = 400_000
#: Rows fetched per round trip when iterating over all records.
PAGE = 500
HEADLINE = "StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=' … '"

MIGRATIONS: list[str] = [
    # 1: initial schema (mirrors SQLite migration 1; "C" collation = byte order, like SQLite)
    """
    CREATE TABLE IF NOT EXISTS raw (sha256 text COLLATE "C" PRIMARY KEY, size bigint NOT NULL,
                                    data bytea NOT NULL, created double precision NOT NULL);
    CREATE TABLE IF NOT EXISTS inputs (key text COLLATE "C" PRIMARY KEY, path text, line integer, url text,
                                       sha256 text, format text, doc_id text COLLATE "C", status text NOT NULL,
                                       error_code text, error_message text, config_hash text,
                                       seq bigint NOT NULL, updated double precision NOT NULL);
    CREATE TABLE IF NOT EXISTS documents (id text COLLATE "C" PRIMARY KEY, status text NOT NULL, title text,
                                          site text, published text COLLATE "C", language text,
                                          duplicate_of text, input_key text, config_hash text,
                                          record json NOT NULL, labels text, tsv tsvector, labels_tsv tsvector,
                                          seq bigint NOT NULL, updated double precision NOT NULL);
    CREATE INDEX IF NOT EXISTS documents_seq ON documents (seq, id);
    CREATE INDEX IF NOT EXISTS documents_site ON documents (site);
    CREATE INDEX IF NOT EXISTS documents_published ON documents (published);
    CREATE INDEX IF NOT EXISTS documents_tsv ON documents USING gin (tsv);
    CREATE INDEX IF NOT EXISTS documents_labels_tsv ON documents USING gin (labels_tsv);
    CREATE TABLE IF NOT EXISTS fingerprints (doc_id text COLLATE "C" PRIMARY KEY, signature bytea NOT NULL,
                                             seq bigint NOT NULL);
    CREATE TABLE IF NOT EXISTS lsh_bands (band integer NOT NULL, bucket text NOT NULL,
                                          doc_id text COLLATE "C" NOT NULL, PRIMARY KEY (band, bucket, doc_id));
    CREATE TABLE IF NOT EXISTS corpus (key text PRIMARY KEY, value json NOT NULL,
                                       updated double precision NOT NULL);
    CREATE TABLE IF NOT EXISTS runs (id bigserial PRIMARY KEY, started double precision,
                                     finished double precision, config_hash text, n_ok integer,
                                     n_failed integer, n_skipped integer, status text);
    """,
]

_PUT_INPUT = """
INSERT INTO inputs (key, path, line, url, sha256, format, doc_id, status, error_code, error_message,
                    config_hash, seq, updated) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)
ON CONFLICT (key) DO UPDATE SET sha256=excluded.sha256, format=excluded.format, doc_id=excluded.doc_id,
  status=excluded.status, error_code=excluded.error_code, error_message=excluded.error_message,
  config_hash=excluded.config_hash, updated=excluded.updated"""

_PUT_RECORD = f"""
INSERT INTO documents (id, status, title, site, published, language, duplicate_of, input_key, config_hash,
                       record, labels, tsv, labels_tsv, seq, updated)
VALUES (%(id)s, %(status)s, %(title)s, %(site)s, %(published)s, %(language)s, %(duplicate_of)s,
        %(input_key)s, %(config_hash)s, %(record)s::json, %(labels)s,
        CASE WHEN %(status)s = 'ok' THEN
          setweight(to_tsvector('{TS_CONFIG}', coalesce(%(title)s, '')), 'A')
          || setweight(to_tsvector('{TS_CONFIG}', %(labels)s), 'A')
          || setweight(to_tsvector('{TS_CONFIG}', %(text)s), 'B') END,
        CASE WHEN %(status)s = 'ok' THEN to_tsvector('{TS_CONFIG}', %(labels)s) END,
        %(seq)s, %(updated)s)
ON CONFLICT (id) DO UPDATE SET status=excluded.status, title=excluded.title, site=excluded.site,
  published=excluded.published, language=excluded.language, duplicate_of=excluded.duplicate_of,
  config_hash=excluded.config_hash, record=excluded.record, labels=excluded.labels, tsv=excluded.tsv,
  labels_tsv=excluded.labels_tsv, updated=excluded.updated"""

_DUP_CANDIDATES = """
SELECT DISTINCT f.doc_id, f.signature, f.seq
FROM lsh_bands b JOIN unnest(%s::integer[], %s::text[]) AS q(band, bucket)
  ON b.band = q.band AND b.bucket = q.bucket
JOIN fingerprints f ON f.doc_id = b.doc_id
WHERE f.doc_id <> %s ORDER BY f.doc_id"""


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class PostgresStore:
    """A narrascope store in one PostgreSQL database. Use one writer; readers open read-only."""

    def __init__(self, url: str, read_only: bool = False) -> None:
        psycopg: Any = require("psycopg", "postgres")
        from psycopg.rows import dict_row

        self.path = redact_url(url)
        self.read_only = read_only
        self._errors: type[Exception] = psycopg.Error
        extra: dict[str, Any] = {}
        try:
            if read_only:  # keep any options given in the URL (e.g. search_path)
                given = psycopg.conninfo.conninfo_to_dict(url).get("options") or ""
                extra["options"] = f"{given} -c default_transaction_read_only=on".strip()
            self.conn = psycopg.connect(url, autocommit=read_only, row_factory=dict_row, **extra)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect: {exc}".strip()) from exc
        try:
            if read_only:
                self._check_schema()
            else:
                self._migrate()
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"{self.path}: {exc}") from exc
        except StoreError:
            self.conn.close()
            raise

    # -- schema -------------------------------------------------------------------------
    def _check_schema(self) -> None:
        row = self.conn.execute("SELECT to_regclass('narrascope_schema') AS t").fetchone()
        if row is None or row["t"] is None:
            raise StoreError(f"{self.path}: no narrascope store here; run `narrascope analyze ... --db URL`")

    def _migrate(self) -> None:
        with self.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtext('narrascope_schema'))")
            self.conn.execute("CREATE TABLE IF NOT EXISTS narrascope_schema (version integer NOT NULL)")
            row = self.conn.execute("SELECT version FROM narrascope_schema").fetchone()
            if row is None:
                self.conn.execute("INSERT INTO narrascope_schema (version) VALUES (0)")
            version = int(row["version"]) if row else 0
            for i, script in enumerate(MIGRATIONS[version:], start=version + 1):
                self.conn.execute(script)
                self.conn.execute("UPDATE narrascope_schema SET version = %s", (i,))

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT version FROM narrascope_schema").fetchone()
        return int(row["version"]) if row else 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """``with store.transaction(): ...`` commits on success, rolls back on error."""
        try:
            yield self.conn
        except BaseException:
            self.conn.rollback()
            raise
        else:
            self.conn.commit()

    def commit(self) -> None:
        self.conn.commit()

    # -- writes -------------------------------------------------------------------------
    def put_raw(self, sha256: str, data: bytes) -> None:
        self.conn.execute(
            "INSERT INTO raw (sha256, size, data, created) VALUES (%s,%s,%s,%s) ON CONFLICT (sha256) DO NOTHING",
            (sha256, len(data), bytes(data), time.time()),
        )

    def next_seq(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) AS m FROM inputs").fetchone()
        return int(row["m"]) + 1 if row else 1

    def put_input(self, record: dict[str, Any], key: str, config_hash: str, seq: int) -> None:
        """Upsert one input's outcome and its document record (idempotent)."""
        inp = record.get("input") or {}
        err = record.get("error") or {}
        values: list[Any] = [key, *(inp.get(k) for k in ("path", "line", "url", "sha256", "format"))]
        values += [record["id"], record["status"], err.get("code"), err.get("message"), config_hash, seq]
        self.conn.execute(_PUT_INPUT, (*(_clean(v) for v in values), time.time()))
        self.put_record(record, key, config_hash, seq)

    def put_record(self, record: dict[str, Any], input_key: str, config_hash: str, seq: int) -> None:
        params = {
            "id": record["id"],
            "status": record["status"],
            "title": record.get("title"),
            "site": record.get("site"),
            "published": (record.get("published") or {}).get("value"),
            "language": record.get("language"),
            "duplicate_of": record.get("duplicate_of"),
            "input_key": input_key,
            "config_hash": config_hash,
            "record": json.dumps(record, ensure_ascii=False),
            "labels": search_labels(record),
            "text": (record.get("text") or "")[:MAX_INDEXED_CHARS],
            "seq": seq,
            "updated": time.time(),
        }
        self.conn.execute(_PUT_RECORD, {k: _clean(v) for k, v in params.items()})

    def put_corpus(self, corpus: dict[str, Any], key: str = "corpus") -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO corpus (key, value, updated) VALUES (%s, %s::json, %s) ON CONFLICT (key) "
                "DO UPDATE SET value=excluded.value, updated=excluded.updated",
                (key, json.dumps(corpus, ensure_ascii=False), time.time()),
            )

    def add_fingerprint(self, doc_id: str, signature: Any, seq: int) -> None:
        """Store a MinHash signature and its LSH band buckets (first writer wins)."""
        from narrascope.clean import dedup

        self.conn.execute(
            "INSERT INTO fingerprints (doc_id, signature, seq) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
            (doc_id, signature.tobytes(), seq),
        )
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO lsh_bands (band, bucket, doc_id) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                [(b, k, doc_id) for b, k in dedup.bands(signature)],
            )

    # -- reads --------------------------------------------------------------------------
    def done(self, key: str, sha256: str, config_hash: str) -> dict[str, Any] | None:
        """The stored record when ``key`` was already processed from the same bytes and config."""
        row = self.conn.execute(
            "SELECT doc_id FROM inputs WHERE key=%s AND sha256=%s AND config_hash=%s",
            (key, sha256, config_hash),
        ).fetchone()
        return self.get_record(row["doc_id"]) if row else None

    def input_row(self, key: str) -> dict[str, Any] | None:
        """Where input ``key`` came from and its document id (``doc_id, path, line, url, sha256, format``)."""
        row = self.conn.execute(
            f"SELECT {', '.join(INPUT_COLUMNS)} FROM inputs WHERE key=%s", (key,)
        ).fetchone()
        return dict(row) if row else None

    def find_duplicate(self, doc_id: str, signature: Any, threshold: float) -> str | None:
        """The earliest stored document whose MinHash similarity to ``signature`` ≥ ``threshold``."""
        from narrascope.clean import dedup

        keys = list(dedup.bands(signature))
        rows = self.conn.execute(
            _DUP_CANDIDATES, ([b for b, _ in keys], [k for _, k in keys], doc_id)
        ).fetchall()
        best = best_duplicate(
            signature, ((r["doc_id"], bytes(r["signature"]), r["seq"]) for r in rows), threshold
        )
        if best is None:
            return None
        row = self.conn.execute("SELECT duplicate_of FROM documents WHERE id=%s", (best[1],)).fetchone()
        return str(row["duplicate_of"]) if row and row["duplicate_of"] else best[1]

    def get_record(self, doc_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT record FROM documents WHERE id=%s", (doc_id,)).fetchone()
        return dict(row["record"]) if row else None

    def get_raw(self, sha256: str) -> bytes | None:
        row = self.conn.execute("SELECT data FROM raw WHERE sha256=%s", (sha256,)).fetchone()
        return bytes(row["data"]) if row else None

    def get_corpus(self, key: str = "corpus") -> dict[str, Any] | None:
        row = self.conn.execute("SELECT value FROM corpus WHERE key=%s", (key,)).fetchone()
        return dict(row["value"]) if row else None

    def iter_records(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        """All document records in input order (ok and failed unless ``status`` is given).
        Pages by ``(seq, id)`` so a large store is never held in memory."""
        last: tuple[int, str] = (-(2**62), "")
        while True:
            rows = self.conn.execute(
                "SELECT seq, id, record FROM documents WHERE (seq, id) > (%s, %s)"
                + (" AND status = %s" if status else "")
                + " ORDER BY seq, id LIMIT %s",
                (*last, status, PAGE) if status else (*last, PAGE),
            ).fetchall()
            for r in rows:
                yield r["record"]
            if len(rows) < PAGE:
                return
            last = (int(rows[-1]["seq"]), str(rows[-1]["id"]))

    def input_records(self, keys: list[str]) -> Iterator[dict[str, Any]]:
        """Records for the given input keys, in that order (one per input, duplicates included)."""
        for key in keys:
            row = self.input_row(key)
            if row:
                rec = self.get_record(row["doc_id"])
                if rec is not None:
                    yield rec

    def count_records(self) -> dict[str, int]:
        out = {"ok": 0, "failed": 0}
        for r in self.conn.execute("SELECT status, COUNT(*) AS n FROM documents GROUP BY status"):
            out[str(r["status"])] = int(r["n"])
        return out

    def _where(self, filters: dict[str, Any] | None) -> tuple[str, list[Any]]:
        clauses, params = filter_clauses(filters, "%s")
        f = filters or {}
        if f.get("label"):
            clauses.append(f"d.labels_tsv @@ phraseto_tsquery('{TS_CONFIG}', %s)")
            params.append(str(f["label"]))
        return (" AND ".join(clauses) if clauses else "TRUE"), params

    def list_documents(
        self, *, limit: int = 50, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        where, params = self._where(filters)
        total = self.conn.execute(f"SELECT COUNT(*) AS n FROM documents d WHERE {where}", params).fetchone()
        rows = self.conn.execute(
            f"""SELECT d.id, d.title, d.site, d.language, d.status, d.duplicate_of, d.record
                FROM documents d WHERE {where} ORDER BY d.seq, d.id LIMIT %s OFFSET %s""",
            [*params, limit, offset],
        ).fetchall()
        return int(total["n"] if total else 0), [list_row(r, r["record"]) for r in rows]

    def search(
        self, q: str, *, limit: int = 20, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        """Full-text search over title, labels and text (websearch syntax), with the list filters."""
        if not q.split():
            return 0, []
        where, params = self._where(filters)
        query = f"websearch_to_tsquery('{TS_CONFIG}', %s)"
        base = f"FROM documents d, {query} AS q WHERE d.tsv @@ q AND {where}"
        qp = [_clean(q), *params]
        total = self.conn.execute(f"SELECT COUNT(*) AS n {base}", qp).fetchone()
        rows = self.conn.execute(
            f"""SELECT d.id, d.title, d.site, d.published, d.language,
                       ts_headline('{TS_CONFIG}', d.record->>'text', q, %s) AS snippet
                {base} ORDER BY ts_rank_cd(d.tsv, q) DESC, d.seq, d.id LIMIT %s OFFSET %s""",
            [HEADLINE, *qp, limit, offset],
        ).fetchall()
        return int(total["n"] if total else 0), [dict(r) for r in rows]
