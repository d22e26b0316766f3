"""Readers: turn paths, globs, directories, stdin and URLs into :class:`RawInput` records.

Every source yields at least one record: an unreadable source yields a failed one, so one bad
file never stops a run and nothing is lost silently. Order is deterministic (sorted walks).
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from narrascope.ingest.raw import RawInput, failed
from narrascope.ingest.sniff import binary_error, decode

#: Default per-input size limit (bytes). Larger inputs fail with E_INPUT_TOO_LARGE.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

EXT_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
BODY_FIELDS = ("html", "text", "content", "body")
META_FIELDS = ("url", "title", "published", "author", "site", "language", "date")


def expand(sources: Iterable[str]) -> Iterator[str]:
    """Expand directories (recursive, sorted, hidden files skipped) and globs; keep order."""
    for src in sources:
        if src == "-" or src.startswith(("http://", "https://")):
            yield src
        elif os.path.isdir(src):
            for root, dirs, files in os.walk(src):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif any(ch in src for ch in "*?[") and not os.path.exists(src):
            matches = sorted(glob.glob(src, recursive=True))
            if not matches:
                yield src  # reported as not found
            for m in matches:
                yield from expand([m]) if os.path.isdir(m) else [m]
        else:
            yield src


def iter_inputs(
    sources: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = 20.0
) -> Iterator[RawInput]:
    """All raw inputs of ``sources`` in order (files, dirs, globs, ``-``, URLs)."""
    for src in expand(sources):
        if src == "-":
            yield from read_bytes("-", sys.stdin.buffer.read(max_bytes + 1), max_bytes)
        elif src.startswith(("http://", "https://")):
            yield fetch_url(src, max_bytes=max_bytes, timeout=timeout)
        else:
            yield from read_path(src, max_bytes=max_bytes)


def read_path(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput]:
    p = Path(path)
    if not p.exists():
        yield failed(path, "E_INPUT_NOT_FOUND", f"{path}: no such file or directory.")
        return
    size = p.stat().st_size
    if size > max_bytes:
        with p.open("rb") as fh:
            head = fh.read(65536)
        yield failed(path, "E_INPUT_TOO_LARGE", f"{path} is {size:,} bytes (limit {max_bytes:,}).", data=head)
        return
    try:
        data = p.read_bytes()
    except OSError as exc:
        yield failed(path, "E_INPUT_NOT_FOUND", f"{path}: {exc.strerror}.")
        return
    yield from read_bytes(path, data, max_bytes)


def read_bytes(path: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput]:
    """Split one source's bytes into raw inputs by its format (extension, then content)."""
    fmt = EXT_FORMATS.get(Path(path).suffix.lower(), "auto") if path != "-" else "auto"
    if len(data) > max_bytes:
        yield failed(path, "E_INPUT_TOO_LARGE", f"more than {max_bytes:,} bytes.", data=data[:65536])
        return
    if not data.strip():
        yield failed(path, "E_INPUT_EMPTY", f"{path} has {len(data)} bytes and no text.", data=data, fmt=fmt)
        return
    err = binary_error(data)
    if err is not None:
        yield RawInput(path=path, data=data, format=fmt, error=err)
        return
    if fmt == "jsonl" or (fmt == "auto" and _looks_jsonl(data)):
        yield from _read_jsonl(path, data)
    elif fmt == "json":
        yield _read_json(path, data)
    elif fmt == "csv":
        yield from _read_csv(path, data)
    else:
        yield RawInput(path=path, data=data, format=fmt)


def _looks_jsonl(data: bytes) -> bool:
    first = data.lstrip()[:1]
    if first != b"{":
        return False
    lines = [ln for ln in data.splitlines() if ln.strip()][:3]
    try:
        return len(lines) > 1 and all(isinstance(json.loads(ln), dict) for ln in lines)
    except ValueError:
        return False


def record_fields(obj: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Normalise a structured record's fields; returns ``(fields, error_detail)``."""
    fields = {k: obj[k] for k in (*BODY_FIELDS, *META_FIELDS) if obj.get(k) not in (None, "")}
    if "date" in fields and "published" not in fields:
        fields["published"] = fields.pop("date")
    fields.pop("date", None)
    if not any(isinstance(fields.get(k), str) and fields[k].strip() for k in BODY_FIELDS):
        return fields, "The record has no non-empty `text` or `html` field."
    return {k: (str(v) if not isinstance(v, str) else v) for k, v in fields.items()}, None


def _structured(path: str, line: int | None, raw: bytes, obj: Any, fmt: str) -> RawInput:
    if not isinstance(obj, dict):
        where = f" line {line}" if line else ""
        return failed(
            path, "E_INPUT_FIELDS", f"{path}{where}: expected a JSON object.", line=line, data=raw, fmt=fmt
        )
    fields, problem = record_fields(obj)
    if problem:
        where = f" line {line}" if line else ""
        return failed(path, "E_INPUT_FIELDS", f"{path}{where}: {problem}", line=line, data=raw, fmt=fmt)
    return RawInput(path=path, data=raw, format=fmt, line=line, url=fields.get("url"), fields=fields)


def _read_jsonl(path: str, data: bytes) -> Iterator[RawInput]:
    for n, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        text, _, err = decode(raw)
        if err is not None or text is None:
            yield failed(
                path, "E_INPUT_DECODE", f"{path} line {n}: undecodable bytes.", line=n, data=raw, fmt="jsonl"
            )
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield failed(
                path,
                "E_INPUT_JSON",
                f"{path} line {n}: {exc.msg} (column {exc.colno}).",
                line=n,
                data=raw,
                fmt="jsonl",
            )
            continue
        yield _structured(path, n, raw, obj, "jsonl")


def _read_json(path: str, data: bytes) -> RawInput:
    text, _, err = decode(data)
    if err is not None or text is None:
        return RawInput(path=path, data=data, format="json", error=err)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        from narrascope.ingest.sniff import looks_like_html

        if looks_like_html(text):  # a saved page with a .json name
            return RawInput(path=path, data=data, format="html")
        return failed(
            path,
            "E_INPUT_JSON",
            f"{path} line {exc.lineno}: {exc.msg} (column {exc.colno}).",
            data=data,
            fmt="json",
        )
    return _structured(path, None, data, obj, "json")


def _read_csv(path: str, data: bytes) -> Iterator[RawInput]:
    text, _, err = decode(data)
    if err is not None or text is None:
        yield RawInput(path=path, data=data, format="csv", error=err)
        return
    csv.field_size_limit(DEFAULT_MAX_BYTES)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or not set(BODY_FIELDS) & {f.strip().lower() for f in reader.fieldnames}:
            yield failed(
                path,
                "E_INPUT_CSV",
                f"{path}: header {reader.fieldnames} has no text/html column.",
                data=data,
                fmt="csv",
            )
            return
        for n, row in enumerate(reader, start=2):
            obj = {(k or "").strip().lower(): v for k, v in row.items()}
            raw = ",".join(f"{k}={v}" for k, v in sorted(obj.items()) if v).encode("utf-8")
            yield _structured(path, n, raw, obj, "csv")
    except csv.Error as exc:
        yield failed(path, "E_INPUT_CSV", f"{path}: {exc}.", data=data, fmt="csv")


def fetch_url(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = 20.0) -> RawInput:
    """Fetch a page with a timeout; a clear failed record when the network is not there."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, headers={"User-Agent": "narrascope/0.1 (+research)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read(max_bytes + 1)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return failed(None, "E_INPUT_URL", f"{url}: {reason}.", url=url, fmt="url")
    if len(data) > max_bytes:
        return failed(None, "E_INPUT_TOO_LARGE", f"{url}: more than {max_bytes:,} bytes.", url=url, fmt="url")
    raws = list(read_bytes(url, data, max_bytes))
    first = raws[0]
    return RawInput(
        path=None,
        data=first.data,
        format="html" if first.format == "auto" else first.format,
        url=url,
        fields=first.fields,
        error=first.error,
    )
