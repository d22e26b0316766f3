"""Shareable reports: a self-contained HTML file (inline CSS, no scripts, no external resources)
and a Markdown twin, both built from :mod:`narrascope.queries` like every other interface.

The output is deterministic: the same store gives byte-identical files (no timestamps).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.reports.build import render_html, render_markdown, report_data

__all__ = ["report_data", "write_report"]


def write_report(store: Any, out_path: str | Path, fmt: str = "html", *, max_documents: int = 200) -> Path:
    """Write the report for ``store`` to ``out_path`` as ``"html"`` or ``"md"``; returns the path."""
    if fmt not in ("html", "md"):
        raise ValueError(f"unknown report format {fmt!r}; use 'html' or 'md'")
    data = report_data(store, max_documents=max_documents)
    text = render_html(data) if fmt == "html" else render_markdown(data)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
