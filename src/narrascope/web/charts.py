"""Stacked bar charts as plain data for inline SVG (no JavaScript, no inline CSS: CSP-safe)."""

from __future__ import annotations

from typing import Any

#: Colour-blind-friendly qualitative palette (Okabe-Ito plus greys), cycled by series.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#7F7F7F",
    "#332288",
    "#44AA99",
    "#882255",
    "#999933",
)
WIDTH = 400  # SVG user units of the longest bar


def short_label(label: str) -> str:
    """``URW: Discrediting Ukraine`` -> ``Discrediting Ukraine`` (the prefix repeats on every label)."""
    return label.split(": ", 1)[1] if label.startswith(("URW: ", "CC: ")) else label


def stacked(rows: list[dict[str, Any]], series: list[str], max_rows: int = 24) -> dict[str, Any]:
    """Rows ``{"group", "total", "counts": [{value, count}]}`` as bars stacked by ``series``."""
    colours = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    shown = rows[:max_rows]
    biggest = (
        max((sum(c["count"] for c in r["counts"] if c["value"] in colours) for r in shown), default=0) or 1
    )
    bars = []
    for row in shown:
        x = 0.0
        rects = []
        for c in sorted(
            row["counts"], key=lambda c: series.index(c["value"]) if c["value"] in colours else 999
        ):
            if c["value"] not in colours:
                continue
            w = WIDTH * c["count"] / biggest
            rects.append(
                {
                    "x": round(x, 2),
                    "width": round(w, 2),
                    "colour": colours[c["value"]],
                    "title": f"{row['group']} · {short_label(c['value'])}: {c['count']}",
                }
            )
            x += w
        bars.append({"group": row["group"], "total": row["total"], "rects": rects})
    legend = [{"label": short_label(s), "full": s, "colour": colours[s]} for s in series]
    return {"bars": bars, "legend": legend, "width": WIDTH, "hidden_rows": max(0, len(rows) - max_rows)}


def narrative_charts(ov: dict[str, Any], top: int = 8) -> dict[str, Any]:
    """The two overview charts: narratives per source and per month, top ``top`` narratives."""
    series = [n["value"] for n in ov.get("narratives", [])[:top]]
    by_source = sorted(ov.get("narratives_by_source", []), key=lambda r: (-r["total"], r["group"]))
    return {
        "by_source": stacked(by_source, series),
        "by_month": stacked(ov.get("narratives_by_month", []), series, max_rows=36),
    }
