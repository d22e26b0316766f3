"""Frozen data model (stdlib only): documents, spans, evidence, records."""

from narrascope.model.document import (
    CleanResult,
    DateValue,
    Document,
    InputRef,
    LanguageSpan,
    Metadata,
    RemovedBlock,
)
from narrascope.model.span import Span, evidence, evidence_list

__all__ = [
    "CleanResult",
    "DateValue",
    "Document",
    "InputRef",
    "LanguageSpan",
    "Metadata",
    "RemovedBlock",
    "Span",
    "evidence",
    "evidence_list",
]
