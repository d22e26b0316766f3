"""Reports: self-contained HTML (no scripts, no external resources), Markdown, deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrascope.api.testing import sample_store, to_sqlite
from narrascope.reports import write_report
from narrascope.store.sqlite import open_store


def test_html_report_is_self_contained_and_escaped(tmp_path: Path) -> None:
    html = write_report(sample_store(), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]+\son\w+\s*=", html)
    assert not re.search(r"""<[^>]*\b(href|src)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert not re.search(r"""<(link|img|iframe)\b""", html)
    assert re.findall(r'href="(https?://[^"]+)"', html) == [
        "https://news-one.example/belgorod",
        "https://wire-two.example/b",
    ]
    assert "&lt;script&gt;window.__pwned = 1;" in html
    for needle in (
        "Shelling, Belgorod, 2023-12-30",
        "badge contested",
        "badge consensus",
        "badge single",
        "Moscow blamed Ukraine for the barbaric attack",
        "L-techniques",
        "E_INPUT_PDF",
    ):
        assert needle in html


def test_report_is_deterministic(tmp_path: Path) -> None:
    one = write_report(sample_store(), tmp_path / "1.html").read_bytes()
    two = write_report(sample_store(), tmp_path / "2.html").read_bytes()
    assert one == two


def test_markdown_report(tmp_path: Path) -> None:
    md = write_report(sample_store(), tmp_path / "r.md", fmt="md").read_text(encoding="utf-8")
    assert md.startswith("# narrascope report\n")
    assert "- **contested** perpetrator: Ukraine (1); Russia (1)" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "> Moscow blamed Ukraine for the barbaric attack" in md


def test_report_from_sqlite_store_and_cap(tmp_path: Path) -> None:
    to_sqlite(sample_store(), tmp_path / "s.db")
    store = open_store(tmp_path / "s.db", read_only=True)
    try:
        html = write_report(store, tmp_path / "r.html", max_documents=1).read_text(encoding="utf-8")
    finally:
        store.close()
    assert "2 more documents are in the store" in html


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_report(sample_store(), tmp_path / "r.pdf", fmt="pdf")
