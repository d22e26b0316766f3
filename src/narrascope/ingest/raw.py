"""Raw inputs: what a reader yields before cleaning. Bytes are kept verbatim for the store."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from narrascope.errors import ErrorInfo
from narrascope.model import InputRef

#: Formats a reader can declare (``auto`` means: sniff the content).
FORMATS = ("html", "text", "markdown", "json", "jsonl", "csv", "url", "auto")


@dataclass(frozen=True)
class RawInput:
    """One input document before cleaning.

    ``data`` holds the raw bytes of this document (for a JSONL line: that line's bytes).
    ``fields`` carries record metadata given by structured inputs (JSON/JSONL/CSV):
    ``text``/``html`` body and ``url``, ``title``, ``published``, ``author``, ``site``, ``language``.
    ``error`` is set when the input already failed at read time (missing file, broken JSON line…).
    """

    path: str | None
    data: bytes
    format: str
    line: int | None = None
    url: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    error: ErrorInfo | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def ref(self) -> InputRef:
        return InputRef(path=self.path, sha256=self.sha256, format=self.format, line=self.line, url=self.url)

    @property
    def key(self) -> str:
        return self.ref.key


def failed(
    path: str | None,
    code: str,
    detail: str | None = None,
    *,
    line: int | None = None,
    data: bytes = b"",
    fmt: str = "auto",
    url: str | None = None,
) -> RawInput:
    """A raw input that already failed (it still becomes a record)."""
    return RawInput(path=path, data=data, format=fmt, line=line, url=url, error=ErrorInfo.of(code, detail))
