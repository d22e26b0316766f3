from __future__ import annotations

import pytest

from narrascope.model import Span, evidence, evidence_list
from narrascope.model.document import RemovedBlock, text_id
from narrascope.model.span import check_evidence


def test_span_bounds_and_quote() -> None:
    text = "Київ — Kyiv 🇺🇦 is the capital."
    s = Span.within(text, 7, 11)
    assert s.quote(text) == "Kyiv"
    with pytest.raises(ValueError):
        Span.within(text, 5, len(text) + 1)
    with pytest.raises(ValueError):
        Span(4, 2)


def test_offsets_are_code_points_not_utf16() -> None:
    text = "🇺🇦 Kyiv"  # two astral code points before the word
    ev = evidence(text, 3, 7)
    assert ev["quote"] == "Kyiv"


def test_evidence_list_sorted_unique_and_checker() -> None:
    text = "abc def ghi"
    evs = evidence_list(text, [(4, 7), (0, 3), (4, 7)])
    assert [e["quote"] for e in evs] == ["abc", "def"]
    assert check_evidence(text, {"x": evs}) == []
    bad = {"x": [{"start": 0, "end": 3, "quote": "abd"}]}
    assert check_evidence(text, bad) and "abd" in check_evidence(text, bad)[0]


def test_removed_kind_is_closed_vocabulary_and_ids_are_content_hashes() -> None:
    with pytest.raises(ValueError):
        RemovedBlock("sidebar", "x")
    assert text_id("a") == text_id("a") != text_id("b")
