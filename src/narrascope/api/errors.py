"""The one JSON error envelope: ``{"ok": false, "error": {"code", "message"}, "status": N}``.

Every error the API returns (404, 405, 413, 422, 401, 500, time-outs) goes through
:func:`install_handlers`. Web pages get the same information as an HTML error page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from narrascope.errors import NarrascopeError

log = logging.getLogger(__name__)

#: HTTP status -> default code and message for errors raised by the framework itself.
HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("E_BAD_REQUEST", "The request is malformed."),
    401: ("E_AUTH", "Missing or wrong API token. Send it in the X-API-Token header."),
    403: ("E_FORBIDDEN", "This request is not allowed."),
    404: ("E_NOT_FOUND", "Nothing here. Check the id or the URL."),
    405: ("E_METHOD", "This method is not allowed on this URL."),
    413: ("E_UPLOAD_TOO_LARGE", "The request body is larger than the upload limit."),
    415: ("E_UPLOAD_TYPE", "This file type is not accepted."),
    422: ("E_VALIDATION", "A parameter is missing or has the wrong type."),
    503: ("E_UNAVAILABLE", "The service is not available right now."),
    504: ("E_TIMEOUT", "The request took longer than the time limit."),
}


class ApiError(Exception):
    """An error with an HTTP status, a stable code and a message saying what to do."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message = status, code, message


def envelope(status: int, code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}, "status": status}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


HtmlRenderer = Callable[[Request, int, str, str], Response]


def error_response(
    request: Request, status: int, code: str, message: str, html: HtmlRenderer | None
) -> Response:
    if html is not None and not wants_json(request):
        return html(request, status, code, message)
    return JSONResponse(envelope(status, code, message), status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or HTTP_CODES[422][1]


def install_handlers(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Route every error through the envelope (JSON for /api, an HTML page for the workbench)."""

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(request, exc.status, exc.code, exc.message, html)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code, default = HTTP_CODES.get(exc.status_code, ("E_HTTP", "HTTP error."))
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else default
        return error_response(request, exc.status_code, code, detail, html)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 422, "E_VALIDATION", _validation_message(exc), html)

    async def on_narrascope(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NarrascopeError)
        return error_response(request, 500, exc.code, exc.message, html)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "E_INTERNAL", "Internal error; see the server log.", html)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(NarrascopeError, on_narrascope)
    app.add_exception_handler(Exception, on_crash)
