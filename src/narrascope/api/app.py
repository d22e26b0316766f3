"""The FastAPI application: REST API under ``/api/v1`` and the web workbench, one app.

``create_app(db_path)`` is the factory; :mod:`narrascope.api.server` runs it with uvicorn.
Routes are thin: each calls one function of :mod:`narrascope.queries` and returns its dict;
the workbench pages render the very same dicts.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from narrascope import __version__, queries
from narrascope.api.errors import ApiError, error_response, install_handlers
from narrascope.api.jobs import AnalyzeFn, JobManager, UploadLimits, check_batch, check_upload, safe_name
from narrascope.queries import Store

TOKEN_HEADER = "X-API-Token"
TOKEN_COOKIE = "narrascope_token"

#: Content Security Policy: scripts and styles only from this server; nothing inline runs.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class AppState:
    """What the routes share: how to reach the store, the token, the jobs, the limits."""

    def __init__(
        self,
        db_path: str | Path | None,
        store: Store | None,
        token: str | None,
        jobs: JobManager,
        limits: UploadLimits,
    ) -> None:
        self.db_path = Path(db_path) if db_path is not None else None
        self.fixed_store = store
        self.token = token
        self.jobs = jobs
        self.limits = limits
        self._local = threading.local()
        self._overview: tuple[Any, dict[str, Any]] | None = None
        self._corpus: tuple[Any, dict[str, Any] | None] | None = None
        self._overview_lock = threading.Lock()

    def store(self) -> Store:
        """This thread's read-only store (SQLite connections stay on the thread that opened them)."""
        if self.fixed_store is not None:
            return self.fixed_store
        st = getattr(self._local, "store", None)
        if st is None:
            from narrascope.store.sqlite import open_store

            st = open_store(str(self.db_path), read_only=True)
            self._local.store = st
        return st

    def cached(self, store: Store) -> Store:
        """``store`` with its corpus record parsed once per store version (file-backed stores)."""
        if self.db_path is None:
            return store
        version = self._file_stamp()
        with self._overview_lock:
            if self._corpus is None or self._corpus[0] != version:
                self._corpus = (version, store.get_corpus())
            corpus = self._corpus[1]
        return _WithCorpus(store, corpus)

    def _file_stamp(self) -> tuple[int, ...]:
        stamps = []
        for suffix in ("", "-wal"):
            p = Path(str(self.db_path) + suffix)
            stamps.append(p.stat().st_mtime_ns if p.exists() else 0)
        return tuple(stamps)

    def _version(self, store: Store) -> Any:
        """Changes whenever the store is written (file times) or its counts change."""
        stamps: tuple[Any, ...] = (tuple(sorted(store.count_records().items())),)
        return stamps + (self._file_stamp() if self.db_path is not None else ())

    def overview(self, store: Store) -> dict[str, Any]:
        """``queries.overview`` memoised until the store changes (it reads every record)."""
        version = self._version(store)
        with self._overview_lock:
            if self._overview is None or self._overview[0] != version:
                self._overview = (version, queries.overview(store))
            return self._overview[1]

    def token_ok(self, request: Request) -> bool:
        if not self.token:
            return True
        given = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())


class _WithCorpus:
    """A store whose ``get_corpus`` returns an already parsed corpus record."""

    def __init__(self, store: Store, corpus: dict[str, Any] | None) -> None:
        self._store = store
        self._corpus = corpus

    def get_corpus(self) -> dict[str, Any] | None:
        return self._corpus

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _state(request: Request) -> AppState:
    return request.app.state.narrascope


def get_store(request: Request) -> Store:
    state = _state(request)
    return state.cached(state.store())


StoreDep = Annotated[Store, Depends(get_store)]


def _filters(
    site: str | None,
    language: str | None,
    date_from: str | None,
    date_to: str | None,
    label: str | None,
    status: str | None = None,
) -> dict[str, Any]:
    raw = {
        "site": site,
        "language": language,
        "date_from": date_from,
        "date_to": date_to,
        "label": label,
        "status": status,
    }
    return {k: v for k, v in raw.items() if v}


def _not_found(what: str, key: str) -> ApiError:
    return ApiError(404, "E_NOT_FOUND", f"No {what} {key!r} in this store.")


Limit = Query(50, ge=1, le=500, description="page size")
Offset = Query(0, ge=0, le=10_000_000, description="items to skip")
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def build_api_router() -> APIRouter:
    r = APIRouter(prefix="/api/v1")

    @r.get("/overview", summary="Corpus overview: counts, sources, languages, failures, charts")
    def overview_(request: Request, store: StoreDep) -> JSONResponse:
        return JSONResponse(_state(request).overview(store))

    @r.get("/documents", summary="Documents (ok and failed), paginated, with filters")
    def documents_(
        store: StoreDep,
        limit: int = Limit,
        offset: int = Offset,
        site: str | None = None,
        language: str | None = None,
        status: str | None = None,
        date_from: str | None = Query(None, pattern=DATE),
        date_to: str | None = Query(None, pattern=DATE),
        label: str | None = None,
    ) -> JSONResponse:
        f = _filters(site, language, date_from, date_to, label, status)
        return JSONResponse(queries.documents(store, limit=limit, offset=offset, filters=f))

    @r.get("/documents/{doc_id}", summary="One document record (v1 contract)")
    def document_(doc_id: str, store: StoreDep) -> JSONResponse:
        rec = queries.document(store, doc_id)
        if rec is None:
            raise _not_found("document", doc_id)
        return JSONResponse(rec)

    @r.get("/documents/{doc_id}/raw", summary="The original input bytes, as an attachment")
    def raw_(doc_id: str, store: StoreDep) -> Response:
        return raw_response(store, doc_id)

    @r.get("/incidents", summary="Corpus incidents, most covered first")
    def incidents_(
        store: StoreDep, limit: int = Limit, offset: int = Offset, type: str | None = None
    ) -> JSONResponse:
        return JSONResponse(queries.incidents(store, limit=limit, offset=offset, type=type))

    @r.get("/incidents/{incident_id}", summary="One incident with every source's facts side by side")
    def incident_(incident_id: str, store: StoreDep) -> JSONResponse:
        inc = queries.incident(store, incident_id)
        if inc is None:
            raise _not_found("incident", incident_id)
        return JSONResponse(inc)

    @r.get("/entities", summary="Entities with their roles")
    def entities_(
        store: StoreDep, limit: int = Limit, offset: int = Offset, q: str | None = None
    ) -> JSONResponse:
        return JSONResponse(queries.entities(store, limit=limit, offset=offset, q=q))

    @r.get("/entities/{name}", summary="One entity with its roles per source")
    def entity_(name: str, store: StoreDep) -> JSONResponse:
        ent = queries.entity(store, name)
        if ent is None:
            raise _not_found("entity", name)
        return JSONResponse(ent)

    @r.get("/timeline", summary="Dated incidents with escalation links")
    def timeline_(store: StoreDep) -> JSONResponse:
        return JSONResponse(queries.timeline(store))

    @r.get("/search", summary="Full-text search with filters")
    def search_(
        store: StoreDep,
        q: str = Query("", max_length=500),
        limit: int = Query(20, ge=1, le=200),
        offset: int = Offset,
        site: str | None = None,
        language: str | None = None,
        date_from: str | None = Query(None, pattern=DATE),
        date_to: str | None = Query(None, pattern=DATE),
        label: str | None = None,
    ) -> JSONResponse:
        f = _filters(site, language, date_from, date_to, label)
        return JSONResponse(queries.search(store, q, limit=limit, offset=offset, filters=f))

    @r.post(
        "/analyze", status_code=202, summary="Analyse pasted text (field `text`) or uploaded files (`files`)"
    )
    async def analyze_(request: Request) -> JSONResponse:
        inputs = await read_analyze_inputs(request, _state(request).limits)
        job = _state(request).jobs.submit(inputs)
        return JSONResponse({"ok": True, "job": job.to_json()}, status_code=202)

    @r.get("/jobs/{job_id}", summary="Progress and results of an analysis job")
    def job_(job_id: str, request: Request) -> JSONResponse:
        job = _state(request).jobs.get(job_id)
        if job is None:
            raise _not_found("job", job_id)
        return JSONResponse(job.to_json())

    return r


def raw_response(store: Store, doc_id: str) -> Response:
    """Original bytes as an inert attachment: never rendered as HTML by the browser."""
    found = queries.raw_input(store, doc_id)
    if found is None:
        raise _not_found("raw input for document", doc_id)
    ref, data = found
    name = safe_name(str(ref.get("path") or ""), fallback=f"{doc_id}.txt")
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Content-Security-Policy": "sandbox"}
    return Response(data, media_type="application/octet-stream", headers=headers)


async def read_analyze_inputs(request: Request, limits: UploadLimits) -> list[dict[str, Any]]:
    """Pasted text (JSON ``{"text", "format"}`` or form field ``text``) and uploaded ``files``."""
    ctype = request.headers.get("content-type", "")
    inputs: list[dict[str, Any]] = []
    if ctype.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "E_BAD_REQUEST", "The body is not valid JSON.") from None
        text = body.get("text") if isinstance(body, dict) else None
        fmt = str(body.get("format") or "txt") if isinstance(body, dict) else "txt"
        if isinstance(text, str) and text.strip():
            inputs.append(check_upload(f"pasted.{fmt}", text.encode(), limits))
    elif ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form(
            max_files=limits.max_files + 1, max_fields=20, max_part_size=limits.max_file_bytes + 1
        )
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            inputs.append(check_upload(f"pasted.{form.get('format') or 'txt'}", text.encode(), limits))
        files = [f for f in form.getlist("files") if not isinstance(f, str)]
        if len(files) > limits.max_files:
            raise ApiError(400, "E_UPLOAD_COUNT", f"More than {limits.max_files} files in one request.")
        for up in files:
            if up.filename:
                inputs.append(check_upload(up.filename, await up.read(limits.max_file_bytes + 1), limits))
    else:
        raise ApiError(
            415, "E_UPLOAD_TYPE", 'Send JSON {"text": ...} or a multipart form with `text` or `files`.'
        )
    check_batch(inputs, limits)
    return inputs


def _guard(state: AppState, request: Request, allowed_hosts: set[str] | None) -> tuple[int, str, str] | None:
    """Host, token, origin and size checks done before a request reaches a route."""
    if allowed_hosts is not None:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if host not in allowed_hosts:
            return 400, "E_BAD_HOST", "Unexpected Host header."
    path = request.url.path
    if not state.token_ok(request) and not path.startswith(("/static/", "/login")):
        return 401, "E_AUTH", f"Missing or wrong API token. Send it in the {TOKEN_HEADER} header."
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
            return 403, "E_FORBIDDEN", "Cross-site requests are not accepted."
        length = request.headers.get("content-length")
        if path.endswith("/analyze") and length is None:
            return 411, "E_LENGTH_REQUIRED", "Send a Content-Length header."
        if length is not None and (not length.isdigit() or int(length) > state.limits.max_request_bytes):
            return (
                413,
                "E_UPLOAD_TOO_LARGE",
                f"The request is over the limit of {state.limits.max_total_bytes} bytes.",
            )
    return None


def _install_middleware(
    app: FastAPI,
    state: AppState,
    timeout: float,
    allowed_hosts: set[str] | None,
    html: Callable[..., Response] | None,
) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Any]) -> Response:
        problem = _guard(state, request, allowed_hosts)
        if problem is not None:
            response = error_response(request, *problem, html)
        else:
            try:
                response = await asyncio.wait_for(call_next(request), timeout=timeout)
            except TimeoutError:
                response = error_response(
                    request, 504, "E_TIMEOUT", f"The request took longer than {timeout:g} s.", html
                )
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response


def create_app(
    db_path: str | Path | None,
    *,
    token: str | None = None,
    analyze: AnalyzeFn | None = None,
    store: Store | None = None,
    limits: UploadLimits | None = None,
    request_timeout: float = 30.0,
    allowed_hosts: list[str] | None = None,
) -> FastAPI:
    """Build the workbench + API app over the store at ``db_path`` (or an injected ``store``).

    ``token`` protects every page and API call (header ``X-API-Token`` or the login cookie).
    ``analyze`` is the analysis callable behind ``POST /api/v1/analyze`` (default:
    ``narrascope.pipeline.analyze_into_store``). ``allowed_hosts`` pins the Host header.
    """
    from narrascope.web.routes import build_web_router, render_error, static_files

    limits = limits or UploadLimits()
    state = AppState(db_path, store, token, JobManager(analyze, db_path), limits)
    app = FastAPI(
        title="narrascope",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="Evidence-grounded map of news coverage: documents, incidents, entities, search.",
    )
    app.state.narrascope = state
    install_handlers(app, html=render_error)
    _install_middleware(
        app, state, request_timeout, set(allowed_hosts) if allowed_hosts else None, render_error
    )
    app.include_router(build_api_router())
    app.include_router(build_web_router())
    app.mount("/static", static_files(), name="static")
    return app
