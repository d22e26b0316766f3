"""Parquet shards: how distributed workers hand results to the one writer.

Workers never open the store. They write shards (one row per input: its record and raw bytes);
:func:`import_shards` is the only thing that loads them, in input order, through the normal
store methods, so a shard import is an upsert like any local run: importing the same shards
twice changes nothing, and inputs already stored with the same bytes and config are skipped.

Near-duplicate detection needs the whole store, so it happens at import: a shard row carries
the MinHash signature of its text and the importer sets ``duplicate_of`` exactly as the local
runner does (earliest similar document wins).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from narrascope.errors import StoreError

SHARD_FORMAT = "narrascope.shard/1"
#: Rows per store transaction while importing (a crash loses at most one batch, doubles nothing).
IMPORT_BATCH = 64

COLUMNS = ("seq", "key", "id", "status", "config_hash", "record", "raw_sha256", "raw", "signature")


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("seq", pa.int64()),
            ("key", pa.string()),
            ("id", pa.string()),
            ("status", pa.string()),
            ("config_hash", pa.string()),
            ("record", pa.string()),
            ("raw_sha256", pa.string()),
            ("raw", pa.binary()),
            ("signature", pa.binary()),
        ],
        metadata={"narrascope": SHARD_FORMAT},
    )


def shard_row(
    record: dict[str, Any],
    *,
    seq: int,
    key: str,
    config_hash: str,
    raw_sha256: str,
    raw: bytes,
    signature: Any = None,
) -> dict[str, Any]:
    """One shard row for ``record`` (``signature``: the MinHash array of an ok document)."""
    return {
        "seq": int(seq),
        "key": key,
        "id": record["id"],
        "status": record["status"],
        "config_hash": config_hash,
        "record": json.dumps(record, ensure_ascii=False),
        "raw_sha256": raw_sha256,
        "raw": bytes(raw),
        "signature": signature.tobytes() if signature is not None else None,
    }


def rows_to_table(rows: Sequence[dict[str, Any]]) -> Any:
    """Shard rows as a ``pyarrow.Table`` with the shard schema."""
    import pyarrow as pa

    schema = _schema()
    return pa.Table.from_pydict({c: [r[c] for r in rows] for c in COLUMNS}, schema=schema)


def write_shard(rows: Sequence[dict[str, Any]] | Any, path: str | Path) -> Path:
    """Write shard rows (dicts from :func:`shard_row`, or a table of them) to ``path``, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = rows if isinstance(rows, pa.Table) else rows_to_table(rows)
    table = table.select(list(COLUMNS)).cast(_schema())
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(out)
    return out


def read_shard(path: str | Path) -> list[dict[str, Any]]:
    """The rows of one shard; a file that is not a narrascope shard is a :class:`StoreError`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(f"{path}: not a readable Parquet shard: {exc}") from exc
    meta = table.schema.metadata or {}
    if meta.get(b"narrascope") != SHARD_FORMAT.encode() or set(COLUMNS) - set(table.column_names):
        raise StoreError(f"{path}: not a {SHARD_FORMAT} shard; write it with narrascope.store.shards")
    rows: list[dict[str, Any]] = table.select(list(COLUMNS)).to_pylist()
    return rows


@dataclass
class ImportSummary:
    """What an import did (``skipped``: already stored from the same bytes and config)."""

    imported: int = 0
    skipped: int = 0
    ok: int = 0
    failed: int = 0
    duplicates: int = 0
    analyzer_errors: int = 0

    def to_json(self) -> dict[str, int]:
        return asdict(self)


def import_shards(
    store: Any,
    paths: Iterable[str | Path],
    *,
    dedup_threshold: float | None = None,
    on_record: Callable[[str, dict[str, Any]], None] | None = None,
) -> ImportSummary:
    """Load shards into ``store`` (the one writer), in input order (``seq``), idempotently.

    With ``dedup_threshold`` the importer finds near-duplicates against everything stored so
    far (as the local runner does); without it, ``duplicate_of`` is kept as written in the shard.
    ``on_record(key, record)`` is called for each input, imported or skipped.
    """
    rows = sorted((r for p in paths for r in read_shard(p)), key=lambda r: (r["seq"], r["key"]))
    summary = ImportSummary()
    base = store.next_seq()
    for start in range(0, len(rows), IMPORT_BATCH):
        with store.transaction():
            for i, row in enumerate(rows[start : start + IMPORT_BATCH], start=start):
                rec = _import_row(store, row, base + i, dedup_threshold, summary)
                if on_record is not None:
                    on_record(row["key"], rec)
    return summary


def _import_row(
    store: Any, row: dict[str, Any], seq: int, threshold: float | None, summary: ImportSummary
) -> dict[str, Any]:
    prior = store.done(row["key"], row["raw_sha256"], row["config_hash"])
    if prior is not None:
        summary.skipped += 1
        return dict(prior)
    rec: dict[str, Any] = json.loads(row["record"])
    store.put_raw(row["raw_sha256"], row["raw"])
    if rec["status"] == "ok" and row["signature"] is not None and threshold is not None:
        import numpy as np

        sig = np.frombuffer(row["signature"], dtype=np.uint64)
        rec["duplicate_of"] = store.find_duplicate(rec["id"], sig, threshold)
        store.add_fingerprint(rec["id"], sig, seq)
    store.put_input(rec, row["key"], row["config_hash"], seq)
    summary.imported += 1
    summary.ok += rec["status"] == "ok"
    summary.failed += rec["status"] != "ok"
    summary.duplicates += bool(rec.get("duplicate_of"))
    summary.analyzer_errors += bool(rec.get("analysis_errors"))
    return rec
