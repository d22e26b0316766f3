"""Deterministic fake analyzers for pipeline/CLI tests (no models)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.model import evidence

_CAP = re.compile(r"\b(Kyiv|Belgorod|Moscow|Kazan|Ukraine|Russia)\b")


class FakeEntities:
    spec = AnalyzerSpec("fake.entities", "1", produces=("entities",))

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        out = []
        for d in batch:
            t = d.doc.text
            ents = [
                dict(evidence(t, m.start(), m.end()), type="GPE", canonical=m.group(1))
                for m in _CAP.finditer(t)
            ]
            out.append({"entities": ents})
        return out


class FakeIssues:
    """Requires entities: proves the pipeline orders analyzers by requires/produces."""

    spec = AnalyzerSpec("fake.issues", "1", requires=("entities",), produces=("issues",))

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        return [
            {"issues": [{"kind": "other", "message": f"{len(d.prior['entities'])} entities", "evidence": []}]}
            for d in batch
        ]


class Exploding:
    spec = AnalyzerSpec("fake.boom", "1", produces=("frames",))

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        if any("BOOM" in d.doc.text for d in batch):
            raise RuntimeError("boom")
        return [{"frames": []} for _ in batch]
