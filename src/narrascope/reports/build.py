"""Report data (from the query layer) and its two renderings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from narrascope import __version__, queries
from narrascope.web import routes as web
from narrascope.web.charts import narrative_charts, short_label
from narrascope.web.highlight import highlight

HERE = Path(__file__).parent
#: Layers drawn in the report's highlighted text (all on: a report has no toggles).
REPORT_LAYERS = ("techniques", "claims", "incidents", "issues", "roles", "entities")


def report_data(store: Any, *, max_documents: int = 200) -> dict[str, Any]:
    """Everything a report shows, as plain dicts from :mod:`narrascope.queries`."""
    ov = queries.overview(store)
    incidents = []
    for item in queries.incidents(store, limit=10_000)["items"]:
        inc = queries.incident(store, str(item["id"]))
        if inc is not None:
            incidents.append(inc)
    docs: list[dict[str, Any]] = []
    for rec in store.iter_records(status="ok"):
        if len(docs) >= max_documents:
            break
        docs.append({"rec": rec, "hl": highlight(rec)})
    total_ok = int(ov["documents"].get("ok", 0))
    return {
        "ov": ov,
        "incidents": incidents,
        "docs": docs,
        "omitted": max(0, total_ok - len(docs)),
        "timeline": queries.timeline(store),
    }


def _env() -> Environment:
    loader = ChoiceLoader(
        [FileSystemLoader(str(HERE / "templates")), FileSystemLoader(str(web.HERE / "templates"))]
    )
    e = Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    e.filters.update(web.env().filters)
    e.globals.update(web.env().globals)
    return e


def render_html(data: dict[str, Any]) -> str:
    css = (web.HERE / "static" / "app.css").read_text(encoding="utf-8") + (HERE / "report.css").read_text(
        encoding="utf-8"
    )
    if "</" in css:  # the stylesheet is ours, but never let it close the <style> element
        raise ValueError("stylesheet must not contain '</'")
    return (
        _env()
        .get_template("report.html")
        .render(
            **data,
            css=Markup(css),
            charts=narrative_charts(data["ov"]),
            layers_on=REPORT_LAYERS,
            version=__version__,
        )
    )


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(value: Any) -> str:
    """Record text made inert in Markdown: HTML escaped, Markdown syntax backslash-escaped, one line."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return " ".join(text.split())


def _md_overview(ov: dict[str, Any]) -> list[str]:
    out = [
        "## Overview",
        "",
        f"- Documents: {ov['documents'].get('ok', 0)}",
        f"- Failed inputs: {ov['documents'].get('failed', 0)}",
        "- Sources: " + ", ".join(f"{md(s['value'])} ({s['count']})" for s in ov["sources"]),
        "- Languages: " + ", ".join(f"{md(s['value'])} ({s['count']})" for s in ov["languages"]),
        "",
    ]
    if ov["narratives"]:
        out += ["### Narratives", "", "| Narrative | Documents |", "|---|---:|"]
        out += [f"| {md(short_label(n['value']))} | {n['count']} |" for n in ov["narratives"]]
        out.append("")
    if ov["failed"]:
        out += ["### Failed inputs", "", "| Input | Error | Message |", "|---|---|---|"]
        for f in ov["failed"]:
            err, ref = f.get("error") or {}, f.get("input") or {}
            out.append(
                f"| {md(ref.get('path') or f.get('id'))} | {md(err.get('code'))} | {md(err.get('message'))} |"
            )
        out.append("")
    return out


def _md_incident(inc: dict[str, Any]) -> list[str]:
    out = [
        f"### {md(inc.get('label') or inc.get('id'))}",
        "",
        f"{md(inc.get('type'))} · {md(web.fmt_place(inc.get('location')))} · {md(web.fmt_date(inc.get('date')))}"
        f" · {len(inc['columns'])} sources",
        "",
    ]
    for c in inc.get("consensus") or []:
        out.append(f"- **consensus** {md(c.get('field'))}: {md(c.get('value'))}")
    for c in inc.get("contested") or []:
        pos = "; ".join(
            f"{md(p.get('value'))} ({len(p.get('documents') or [])})" for p in c.get("positions") or []
        )
        out.append(f"- **contested** {md(c.get('field'))}: {pos}")
    for c in inc.get("single_source") or []:
        out.append(f"- **single source** {md(c.get('field'))}: {md(c.get('value'))}")
    out.append("")
    for s in inc["columns"]:
        doc = s["doc"]
        out.append(f"- {md(doc.get('site') or 'unknown')}: *{md(doc.get('title') or doc.get('id'))}*")
        for pc in (s.get("cells") or {}).get("perpetrator", []):
            out.append(
                f"  - blame {md(pc.get('actor'))} according to {md(pc.get('claimant'))} ({md(pc.get('stance'))})"
            )
            out += [f"    > {md(ev.get('quote'))}" for ev in pc.get("evidence") or []]
    out.append("")
    return out


def _md_document(rec: dict[str, Any]) -> list[str]:
    meta = " · ".join(
        md(x) for x in (rec.get("site"), web.fmt_date(rec.get("published")), rec.get("language")) if x
    )
    out = [f"### {md(rec.get('title') or rec.get('id'))}", "", meta, ""]
    for n in rec.get("narratives") or []:
        out.append(f"- Narrative: {md(short_label(str(n.get('narrative'))))} — {md(n.get('subnarrative'))}")
    if rec.get("explanation"):
        out.append(f"- Explanation: {md(rec['explanation'])}")
    for t in rec.get("techniques") or []:
        out.append(f"- Technique {md(t.get('technique'))}: “{md(t.get('quote'))}”")
    for c in rec.get("claims") or []:
        out.append(
            f"- Claim by {md(c.get('claimant') or 'unattributed')} ({md(c.get('certainty'))}): “{md(c.get('quote'))}”"
        )
    for i in rec.get("issues") or []:
        out.append(f"- Flag {md(i.get('kind'))}: {md(i.get('message'))}")
    out.append("")
    return out


def render_markdown(data: dict[str, Any]) -> str:
    out = ["# narrascope report", "", f"Generated by narrascope {__version__}.", ""]
    out += _md_overview(data["ov"])
    out += ["## Incidents across sources", ""]
    for inc in data["incidents"]:
        out += _md_incident(inc)
    if not data["incidents"]:
        out += ["No incidents linked.", ""]
    out += ["## Documents", ""]
    for d in data["docs"]:
        out += _md_document(d["rec"])
    if data["omitted"]:
        out += [f"{data['omitted']} more documents are in the store but not in this report.", ""]
    return "\n".join(out).rstrip() + "\n"
