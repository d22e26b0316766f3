"""The analyzer contract.

An analyzer turns a batch of documents into contract fields (``entities``, ``incidents``,
``claims``, ``roles``, ``narratives``, ``explanation``, ``techniques``, ``genre``, ``frames``,
``issues``, ...). Values are in the exact shape of the v1 output contract
(``docs/output-contract.md``): plain JSON-able dicts and lists, offsets half-open code points
into ``doc.text``, every object with offsets carries ``quote``.

Rules:
- batch first: one backend call per batch, never per document in a loop;
- no IO, no environment variables, no global mutable state; backends are handed in;
- never raise on a bad document: return empty fields (the pipeline records analyzer errors
  per document with code ``E_ANALYZER`` if an exception escapes anyway).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from narrascope.model import Document


@dataclass(frozen=True)
class AnalyzerSpec:
    """Name (registry key, versioned e.g. ``incidents.rules.v1``), version, what it reads and writes.

    ``requires`` and ``produces`` name contract fields. The pipeline orders analyzers so
    every requirement is produced earlier, and fails at start-up (E_CONFIG) otherwise.
    """

    name: str
    version: str
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocInput:
    """A document plus the fields earlier analyzers produced for it (read-only)."""

    doc: Document
    prior: Mapping[str, Any] = field(default_factory=dict)


class Analyzer(Protocol):
    spec: AnalyzerSpec

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        """One dict per input document: ``{field: value}`` for each field in ``spec.produces``."""
        ...
