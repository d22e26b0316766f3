"""The web workbench: server-rendered pages over the same query functions as the JSON API.

Every page gets its data from one :mod:`narrascope.queries` call (the dict its JSON twin under
``/api/v1`` returns) and links to that twin. Jinja2 autoescapes every template; record text is
hostile and never reaches the page unescaped. Scripts live in ``static/`` (CSP: no inline JS).
"""

from __future__ import annotations

import functools
import hmac
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import yaml
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader

from narrascope import __version__, queries
from narrascope.api.app import TOKEN_COOKIE, ApiError, AppState, StoreDep, raw_response
from narrascope.queries import format_range
from narrascope.web.charts import narrative_charts, short_label
from narrascope.web.highlight import DEFAULT_ON, LAYERS, highlight

HERE = Path(__file__).parent
PAGE_SIZE = 50


def safe_url(url: Any) -> str | None:
    """Only http(s) links become clickable; ``javascript:``, ``data:`` and the rest stay text."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def fmt_date(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("value") or "")
    return "" if value is None else str(value)


def fmt_place(loc: Any) -> str:
    if not isinstance(loc, dict):
        return "" if loc is None else str(loc)
    return ", ".join(str(loc[k]) for k in ("name", "country") if loc.get(k))


def fmt_cell(value: Any, field: str) -> str:
    """A doc-level incident field as short text for the side-by-side table."""
    if value is None or value == [] or value == {}:
        return ""
    if field in ("killed", "injured", "children_killed"):
        return format_range(value)
    if field == "date":
        return fmt_date(value)
    if field == "location":
        return fmt_place(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def hit_pieces(snippet: str, q: str) -> list[tuple[str, bool]]:
    """``snippet`` cut into (piece, is_query_term) so the template can mark terms, escaped."""
    terms = sorted({t for t in re.findall(r"\w+", q.lower()) if len(t) > 1}, key=len, reverse=True)
    if not terms:
        return [(snippet, False)]
    # FTS5 snippets wrap matches in [ ]: drop those brackets, the terms are marked below
    snippet = re.sub(
        r"\[([^\[\]\n]{1,60})\]",
        lambda m: m.group(1) if any(t in m.group(1).lower() for t in terms) else m.group(0),
        snippet,
    )
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    pieces, last = [], 0
    for m in pattern.finditer(snippet):
        pieces += [(snippet[last : m.start()], False), (m.group(0), True)]
        last = m.end()
    pieces.append((snippet[last:], False))
    return [p for p in pieces if p[0]]


@functools.lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict[str, str]]:
    data = yaml.safe_load((HERE / "taxonomy.yaml").read_text(encoding="utf-8"))
    return {k: dict(v) for k, v in data.items()}


@functools.lru_cache(maxsize=1)
def env() -> Environment:
    e = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    e.filters.update(
        safe_url=safe_url,
        date=fmt_date,
        place=fmt_place,
        range=format_range,
        cell=fmt_cell,
        short=short_label,
        hits=hit_pieces,
        urlq=lambda s: quote(str(s), safe=""),
    )
    e.globals.update(version=__version__, layers=LAYERS, taxonomy=taxonomy)
    return e


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("api_url", None)
    html = env().get_template(template).render(request=request, path=request.url.path, **ctx)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    if code == "E_AUTH":
        return render(request, "login.html", status=401, failed=False)
    return render(request, "error.html", status=status, code=code, message=message, status_code=status)


def static_files() -> StaticFiles:
    return StaticFiles(directory=str(HERE / "static"))


def _state(request: Request) -> AppState:
    return request.app.state.narrascope


def pager(total: int, limit: int, offset: int, request: Request) -> dict[str, Any]:
    """Previous/next links that keep the current filters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}

    def link(off: int) -> str:
        return "?" + urlencode({**params, "offset": off})

    return {
        "total": total,
        "offset": offset,
        "limit": limit,
        "page": offset // limit + 1,
        "pages": max(1, math.ceil(total / limit)),
        "prev": link(max(0, offset - limit)) if offset > 0 else None,
        "next": link(offset + limit) if offset + limit < total else None,
    }


def _filters(request: Request, keys: tuple[str, ...]) -> dict[str, str]:
    return {k: request.query_params[k] for k in keys if request.query_params.get(k)}


FILTER_KEYS = ("site", "language", "date_from", "date_to", "label", "status")


def build_web_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def overview_page(request: Request, store: StoreDep) -> HTMLResponse:
        ov = _state(request).overview(store)
        return render(
            request, "overview.html", ov=ov, charts=narrative_charts(ov), api_url="/api/v1/overview"
        )

    @r.get("/documents", response_class=HTMLResponse)
    def documents_page(
        request: Request, store: StoreDep, offset: int = Query(0, ge=0, le=10_000_000)
    ) -> HTMLResponse:
        f = _filters(request, FILTER_KEYS)
        data = queries.documents(store, limit=PAGE_SIZE, offset=offset, filters=f)
        ov = _state(request).overview(store)
        return render(
            request,
            "documents.html",
            data=data,
            filters=f,
            ov=ov,
            pager=pager(data["total"], PAGE_SIZE, offset, request),
            api_url="/api/v1/documents?" + urlencode({**f, "offset": offset}),
        )

    @r.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(doc_id: str, request: Request, store: StoreDep) -> HTMLResponse:
        rec = queries.document(store, doc_id)
        if rec is None:
            raise ApiError(404, "E_NOT_FOUND", f"No document {doc_id!r} in this store.")
        hl = highlight(rec)
        return render(
            request,
            "document.html",
            rec=rec,
            hl=hl,
            default_on=DEFAULT_ON,
            api_url=f"/api/v1/documents/{quote(doc_id, safe='')}",
        )

    @r.get("/documents/{doc_id}/raw")
    def raw_page(doc_id: str, store: StoreDep) -> Response:
        return raw_response(store, doc_id)

    @r.get("/incidents", response_class=HTMLResponse)
    def incidents_page(
        request: Request,
        store: StoreDep,
        offset: int = Query(0, ge=0, le=10_000_000),
        type: str | None = None,
    ) -> HTMLResponse:
        data = queries.incidents(store, limit=PAGE_SIZE, offset=offset, type=type)
        return render(
            request,
            "incidents.html",
            data=data,
            pager=pager(data["total"], PAGE_SIZE, offset, request),
            api_url="/api/v1/incidents",
        )

    @r.get("/incidents/{incident_id}", response_class=HTMLResponse)
    def incident_page(incident_id: str, request: Request, store: StoreDep) -> HTMLResponse:
        inc = queries.incident(store, incident_id)
        if inc is None:
            raise ApiError(404, "E_NOT_FOUND", f"No incident {incident_id!r} in this store.")
        return render(
            request, "incident.html", inc=inc, api_url=f"/api/v1/incidents/{quote(incident_id, safe='')}"
        )

    @r.get("/timeline", response_class=HTMLResponse)
    def timeline_page(request: Request, store: StoreDep) -> HTMLResponse:
        return render(request, "timeline.html", tl=queries.timeline(store), api_url="/api/v1/timeline")

    @r.get("/entities", response_class=HTMLResponse)
    def entities_page(
        request: Request, store: StoreDep, offset: int = Query(0, ge=0, le=10_000_000), q: str | None = None
    ) -> HTMLResponse:
        data = queries.entities(store, limit=PAGE_SIZE, offset=offset, q=q)
        return render(
            request,
            "entities.html",
            data=data,
            q=q or "",
            pager=pager(data["total"], PAGE_SIZE, offset, request),
            api_url="/api/v1/entities",
        )

    @r.get("/entities/{name}", response_class=HTMLResponse)
    def entity_page(name: str, request: Request, store: StoreDep) -> HTMLResponse:
        ent = queries.entity(store, name)
        if ent is None:
            raise ApiError(404, "E_NOT_FOUND", f"No entity {name!r} in this store.")
        return render(request, "entity.html", ent=ent, api_url=f"/api/v1/entities/{quote(name, safe='')}")

    @r.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        store: StoreDep,
        q: str = Query("", max_length=500),
        offset: int = Query(0, ge=0, le=10_000_000),
    ) -> HTMLResponse:
        f = _filters(request, FILTER_KEYS[:-1])
        data = queries.search(store, q, limit=20, offset=offset, filters=f)
        ov = _state(request).overview(store)
        return render(
            request,
            "search.html",
            data=data,
            q=q,
            filters=f,
            ov=ov,
            pager=pager(data["total"], 20, offset, request),
            api_url="/api/v1/search?" + urlencode({"q": q, **f}),
        )

    @r.get("/analyze", response_class=HTMLResponse)
    def analyze_page(request: Request) -> HTMLResponse:
        return render(request, "analyze.html", limits=_state(request).limits)

    @r.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> HTMLResponse:
        return render(request, "login.html", failed=False)

    @r.post("/login", response_model=None)
    def login(request: Request, token: str = Form("")) -> Response:
        expected = _state(request).token or ""
        if not hmac.compare_digest(token.encode(), expected.encode()):
            return render(request, "login.html", status=401, failed=True)
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return resp

    return r
