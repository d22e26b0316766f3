"""Exact goldens of the decoders (entities from recorded model spans, claims, incidents, issues).

Regenerate only on purpose: ``NARRASCOPE_REGEN_GOLDENS=1 pytest tests/analyzers/test_goldens.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from narrascope.analyzers import claims, consistency, incidents
from narrascope.analyzers.entities import EntitiesAnalyzer
from narrascope.eval.incidents import make_doc
from narrascope.model.span import check_evidence

GOLDENS = Path(__file__).parent / "goldens"
CASES = json.loads((GOLDENS / "inputs.json").read_text(encoding="utf-8"))["cases"]


def decode_all(case: dict) -> dict:
    text, pub = case["text"], case["published"]
    spans = [tuple(s) for s in case["raw_spans"]]
    ents = [e.to_json(text) for e in EntitiesAnalyzer({}).decode(text, True, spans)]
    cl = claims.decode(text, ents)
    doc = make_doc(text, pub)
    incs = incidents.decode(text, doc.id, pub, ents, cl)
    return {"entities": ents, "claims": cl, "incidents": incs, "issues": consistency.decode(doc, ents, incs)}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_decoder_golden(case: dict) -> None:
    out = decode_all(case)
    assert check_evidence(case["text"], out) == []
    path = GOLDENS / f"{case['id']}.json"
    if os.environ.get("NARRASCOPE_REGEN_GOLDENS") == "1":
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert out == json.loads(path.read_text(encoding="utf-8"))


def test_raw_spans_point_at_what_they_say() -> None:
    for case in CASES:
        for s, e, _ in case["raw_spans"]:
            assert case["text"][s:e].strip() == case["text"][s:e] != ""
