"""The store seam: what the pipeline, importers and readers need from a document store.

Two implementations: :class:`narrascope.store.sqlite.Store` (the default, one file) and
:class:`narrascope.store.postgres.PostgresStore` (``postgresql://`` URLs, the ``postgres`` extra).
Both keep one writer; readers open read-only. Helpers shared by both live here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class DocumentStore(Protocol):
    """A narrascope store. Writes happen inside ``with store.transaction():``."""

    read_only: bool

    @property
    def schema_version(self) -> int: ...

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[Any]: ...

    def commit(self) -> None: ...

    # writes
    def put_raw(self, sha256: str, data: bytes) -> None: ...

    def next_seq(self) -> int: ...

    def put_input(self, record: dict[str, Any], key: str, config_hash: str, seq: int) -> None: ...

    def put_record(self, record: dict[str, Any], input_key: str, config_hash: str, seq: int) -> None: ...

    def put_corpus(self, corpus: dict[str, Any], key: str = "corpus") -> None: ...

    def add_fingerprint(self, doc_id: str, signature: Any, seq: int) -> None: ...

    # reads
    def done(self, key: str, sha256: str, config_hash: str) -> dict[str, Any] | None: ...

    def input_row(self, key: str) -> dict[str, Any] | None: ...

    def get_record(self, doc_id: str) -> dict[str, Any] | None: ...

    def get_raw(self, sha256: str) -> bytes | None: ...

    def get_corpus(self, key: str = "corpus") -> dict[str, Any] | None: ...

    def iter_records(self, status: str | None = None) -> Iterator[dict[str, Any]]: ...

    def input_records(self, keys: list[str]) -> Iterator[dict[str, Any]]: ...

    def count_records(self) -> dict[str, int]: ...

    def list_documents(
        self, *, limit: int = 50, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]: ...

    def search(
        self, q: str, *, limit: int = 20, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[dict[str, Any]]]: ...

    def find_duplicate(self, doc_id: str, signature: Any, threshold: float) -> str | None: ...


#: Columns of the ``inputs`` table that describe where an input came from.
INPUT_COLUMNS = ("doc_id", "path", "line", "url", "sha256", "format")


def search_labels(record: dict[str, Any]) -> str:
    """Searchable label text: entity names, narratives, techniques, frames, genre, incident types."""
    parts: list[str] = []
    parts += [str(e.get("canonical") or e.get("quote", "")) for e in record.get("entities") or []]
    parts += [str(n.get("subnarrative") or n.get("narrative", "")) for n in record.get("narratives") or []]
    parts += [str(t.get("technique", "")) for t in record.get("techniques") or []]
    parts += [str(f.get("frame", "")) for f in record.get("frames") or []]
    parts += [str(i.get("type", "")) for i in record.get("incidents") or []]
    genre = record.get("genre") or {}
    if isinstance(genre, dict) and genre.get("label"):
        parts.append(str(genre["label"]))
    return " ".join(sorted(set(p for p in parts if p)))


def list_row(row: dict[str, Any], rec: dict[str, Any]) -> dict[str, Any]:
    """One row of :meth:`DocumentStore.list_documents` (same keys for every backend)."""
    return {
        "id": row["id"],
        "title": row["title"],
        "site": row["site"],
        "published": rec.get("published"),
        "language": row["language"],
        "status": row["status"],
        "duplicate_of": row["duplicate_of"],
        "error": rec.get("error"),
        "input": rec.get("input"),
    }


def best_duplicate(
    signature: Any, candidates: Iterator[tuple[str, bytes, int]], threshold: float
) -> tuple[int, str] | None:
    """The earliest ``(seq, doc_id)`` among ``(doc_id, signature bytes, seq)`` candidates whose
    MinHash similarity to ``signature`` reaches ``threshold``."""
    import numpy as np

    from narrascope.clean import dedup

    best: tuple[int, str] | None = None
    for cand, sig_bytes, seq in candidates:
        sim = dedup.similarity(signature, np.frombuffer(sig_bytes, dtype=np.uint64))
        if sim >= threshold and (best is None or (int(seq), cand) < best):
            best = (int(seq), cand)
    return best


def filter_clauses(filters: dict[str, Any] | None, ph: str) -> tuple[list[str], list[Any]]:
    """SQL clauses and parameters for the list/search filters both stores share (``site``,
    ``language``, ``status``, ``date_from``, ``date_to``); ``ph`` is the driver's placeholder.
    The ``label`` filter is store-specific (FTS5 vs tsvector) and added by each store."""
    clauses: list[str] = []
    params: list[Any] = []
    f = filters or {}
    for col in ("site", "language", "status"):
        if f.get(col):
            clauses.append(f"d.{col} = {ph}")
            params.append(f[col])
    if f.get("date_from"):
        clauses.append(f"d.published >= {ph}")
        params.append(f["date_from"])
    if f.get("date_to"):
        clauses.append(f"d.published <= {ph}")
        params.append(f["date_to"] + "\uffff")
    return clauses, params
