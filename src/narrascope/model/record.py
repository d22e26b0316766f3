"""Contract records (output contract v1): document records from documents and analysis fields."""

from __future__ import annotations

import hashlib
from typing import Any

from narrascope.errors import ErrorInfo
from narrascope.model.document import Document, InputRef

DOCUMENT_SCHEMA = "narrascope.document/1"
CORPUS_SCHEMA = "narrascope.corpus/1"

#: Analysis fields and their empty values (a failed record carries them empty).
ANALYSIS_FIELDS: dict[str, Any] = {
    "entities": [],
    "incidents": [],
    "claims": [],
    "roles": [],
    "narratives": [],
    "explanation": None,
    "techniques": [],
    "genre": None,
    "frames": [],
    "issues": [],
}


def _empty_analysis() -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, list) else v) for k, v in ANALYSIS_FIELDS.items()}


def document_record(
    doc: Document, analysis: dict[str, Any] | None = None, provenance: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The v1 record of an analysed document (fields in contract order)."""
    m = doc.meta
    rec: dict[str, Any] = {
        "schema": DOCUMENT_SCHEMA,
        "id": doc.id,
        "input": doc.input.to_json(),
        "status": "ok",
        "error": None,
        "title": m.title,
        "author": m.author,
        "site": m.site,
        "url": m.url,
        "published": m.published.to_json() if m.published else None,
        "language": doc.language,
        "text": doc.text,
        "removed": [b.to_json() for b in doc.removed],
        "duplicate_of": doc.duplicate_of,
        "language_spans": [s.to_json(doc.text) for s in doc.language_spans],
    }
    rec.update(_empty_analysis())
    for key, value in (analysis or {}).items():
        rec[key] = value
    if provenance:
        rec["provenance"] = provenance
    return rec


def failed_id(ref: InputRef) -> str:
    """Failed records have no text: their id hashes the input position and raw bytes."""
    return "failed-" + hashlib.sha256(f"{ref.key}|{ref.sha256}".encode()).hexdigest()[:24]


def failed_record(
    ref: InputRef, error: ErrorInfo, provenance: dict[str, Any] | None = None
) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "schema": DOCUMENT_SCHEMA,
        "id": failed_id(ref),
        "input": ref.to_json(),
        "status": "failed",
        "error": error.to_json(),
        "title": None,
        "author": None,
        "site": None,
        "url": ref.url,
        "published": None,
        "language": None,
        "text": "",
        "removed": [],
        "duplicate_of": None,
        "language_spans": [],
    }
    rec.update(_empty_analysis())
    if provenance:
        rec["provenance"] = provenance
    return rec
