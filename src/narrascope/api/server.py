"""``narrascope serve``: run the workbench and the API with uvicorn.

Binds 127.0.0.1 by default. Any other host needs an API token (argument or
``$NARRASCOPE_API_TOKEN``); without one the server refuses to start.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from narrascope.api.jobs import AnalyzeFn
from narrascope.errors import MissingExtraError, UsageError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback bind without a token (raises :class:`UsageError`)."""
    if not is_loopback(host) and not token:
        raise UsageError(
            f"Refusing to serve on {host!r} without an API token: pass --token or set "
            "NARRASCOPE_API_TOKEN (clients send it in the X-API-Token header), or bind 127.0.0.1."
        )
    if token is not None and len(token) < 16:
        raise UsageError(
            "The API token is too short: use at least 16 characters (e.g. `openssl rand -hex 24`)."
        )


def allowed_hosts_for(host: str) -> list[str] | None:
    """Host headers accepted on a loopback bind (blocks DNS rebinding); None = any when exposed."""
    if is_loopback(host):
        return ["127.0.0.1", "localhost", "::1", host]
    return None


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    analyze: AnalyzeFn | None = None,
    request_timeout: float = 30.0,
) -> None:
    """Start the workbench on ``host:port`` over the store at ``db_path`` (blocks until stopped)."""
    token = token or os.environ.get("NARRASCOPE_API_TOKEN") or None
    check_bind(host, token)
    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise MissingExtraError("web", "uvicorn") from exc
    from narrascope.api.app import create_app

    app = create_app(
        db_path,
        token=token,
        analyze=analyze,
        request_timeout=request_timeout,
        allowed_hosts=allowed_hosts_for(host),
    )
    print(f"narrascope workbench on http://{host}:{port}/  (API: /api/v1, OpenAPI: /openapi.json)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        timeout_keep_alive=5,
        limit_concurrency=64,
        h11_max_incomplete_event_size=64 * 1024,
    )
