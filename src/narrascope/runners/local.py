"""Batch-in, batch-out work unit shared by distributed runners: clean and analyse raw inputs
into shard rows. Pure: no store, no IO beyond what the analyzers were built with.

The in-process runner with resume and progress is :class:`narrascope.pipeline.Runner`; this
module is the part of it a remote worker can run on its own (see :mod:`narrascope.runners.ray`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from narrascope.clean.dedup import signature
from narrascope.errors import ErrorInfo
from narrascope.ingest.raw import RawInput
from narrascope.model import Document
from narrascope.model.record import document_record, failed_record
from narrascope.pipeline import _clean_one, analyze_docs
from narrascope.store.shards import shard_row


def process_batch(
    items: Sequence[tuple[int, RawInput]],
    analyzers: Sequence[Any],
    prov: dict[str, Any],
    config_hash: str,
    batch_size: int,
) -> list[dict[str, Any]]:
    """Shard rows for ``(seq, raw)`` items, in the given order. Analyzers see batches of at
    most ``batch_size`` documents, as in the local runner; ``duplicate_of`` is left to the
    importer, which sees the whole store."""
    rows: dict[int, dict[str, Any]] = {}
    pending: list[tuple[int, RawInput, Document]] = []
    for seq, raw in items:
        _, doc, err = _clean_one(raw)
        if doc is None:
            rec = failed_record(raw.ref, err or ErrorInfo.of("E_EXTRACT_EMPTY"), prov)
            rows[seq] = _row(rec, seq, raw, config_hash)
        else:
            pending.append((seq, raw, doc))
    for start in range(0, len(pending), max(1, batch_size)):
        chunk = pending[start : start + batch_size]
        fields, errors = analyze_docs([doc for _, _, doc in chunk], analyzers)
        for (seq, raw, doc), f, errs in zip(chunk, fields, errors, strict=True):
            rec = document_record(doc, f, prov)
            if errs:
                rec["analysis_errors"] = errs
            rows[seq] = _row(rec, seq, raw, config_hash, signature(doc.text))
    return [rows[seq] for seq, _ in items]


def _row(rec: dict[str, Any], seq: int, raw: RawInput, config_hash: str, sig: Any = None) -> dict[str, Any]:
    return shard_row(
        rec, seq=seq, key=raw.key, config_hash=config_hash, raw_sha256=raw.sha256, raw=raw.data, signature=sig
    )
