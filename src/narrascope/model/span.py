"""Spans and evidence: half-open code-point offsets into a document's clean text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """Half-open ``[start, end)`` code-point interval. Build it with :meth:`within`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    @classmethod
    def within(cls, text: str, start: int, end: int) -> Span:
        """A span checked against ``text``'s bounds."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span [{start}, {end}) outside text of length {len(text)}")
        return cls(start, end)

    def quote(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def to_json(self, text: str) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "quote": self.quote(text)}


def evidence(text: str, start: int, end: int) -> dict[str, Any]:
    """One evidence object ``{"start", "end", "quote"}`` with bounds checked."""
    return Span.within(text, start, end).to_json(text)


def evidence_list(text: str, spans: Iterable[tuple[int, int]]) -> list[dict[str, Any]]:
    """Evidence objects for ``spans``, de-duplicated and in text order."""
    return [evidence(text, s, e) for s, e in sorted(set(spans))]


def check_evidence(text: str, obj: Any) -> list[str]:
    """Every ``{start, end, quote}`` found anywhere in ``obj`` whose quote does not match ``text``.

    Returns human-readable problems (empty when all quotes match). Used by the schema
    validation (``narrascope.validate_record``) and the tests; the store does not yet re-check
    quotes when it loads records.
    """
    problems: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if {"start", "end", "quote"} <= node.keys():
                s, e, q = node["start"], node["end"], node["quote"]
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
                    problems.append(f"{path}: span [{s}, {e}) out of bounds")
                elif text[s:e] != q:
                    problems.append(f"{path}: quote {q!r} != text {text[s:e]!r}")
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    walk(obj, "$")
    return problems
