"""Documents and cleaning results. Frozen dataclasses, stdlib only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Precision = Literal["day", "month", "year"]

#: Closed vocabulary of ``removed[].kind`` (output contract v1).
REMOVED_KINDS = (
    "cookie_banner",
    "navigation",
    "related_links",
    "comments",
    "share",
    "newsletter",
    "advertisement",
    "caption",
    "legal",
    "tracking_url",
    "markup",
    "front_matter",
    "other",
)


@dataclass(frozen=True)
class DateValue:
    """An ISO date, possibly partial: ``2024-03`` has precision ``month``."""

    value: str
    precision: Precision = "day"

    def to_json(self) -> dict[str, str]:
        return {"value": self.value, "precision": self.precision}


@dataclass(frozen=True)
class RemovedBlock:
    """A block the cleaner removed, with its kind and the rule that removed it."""

    kind: str
    text: str
    rule: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in REMOVED_KINDS:
            raise ValueError(f"unknown removed kind {self.kind!r}")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.rule:
            out["rule"] = self.rule
        return out


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    published: DateValue | None = None
    language: str | None = None

    def merged(self, other: Metadata) -> Metadata:
        """Fields of ``self`` win; ``other`` fills the gaps."""
        return Metadata(
            title=self.title or other.title,
            author=self.author or other.author,
            site=self.site or other.site,
            url=self.url or other.url,
            published=self.published or other.published,
            language=self.language or other.language,
        )


@dataclass(frozen=True)
class CleanResult:
    """What every cleaner returns: the clean body, what was removed, metadata found."""

    text: str
    removed: tuple[RemovedBlock, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)


@dataclass(frozen=True)
class InputRef:
    """Where a document came from. ``sha256`` is of the raw bytes (kept in the store)."""

    path: str | None
    sha256: str
    format: str
    line: int | None = None
    url: str | None = None

    @property
    def key(self) -> str:
        """Stable identity of this input position (path + line), used for resume."""
        return f"{self.path or self.url or '-'}#{self.line or 0}"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "url": self.url,
            "sha256": self.sha256,
            "format": self.format,
        }


@dataclass(frozen=True)
class LanguageSpan:
    start: int
    end: int
    language: str

    def to_json(self, text: str) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "quote": text[self.start : self.end],
            "language": self.language,
        }


def text_id(text: str) -> str:
    """Document id: hash of the clean text, so an offset can never point into another text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Document:
    """A cleaned document. ``text`` is the only coordinate system for offsets."""

    text: str
    input: InputRef
    meta: Metadata = field(default_factory=Metadata)
    removed: tuple[RemovedBlock, ...] = ()
    language: str | None = None
    language_spans: tuple[LanguageSpan, ...] = ()
    duplicate_of: str | None = None

    @property
    def id(self) -> str:
        return text_id(self.text)

    @property
    def published(self) -> DateValue | None:
        return self.meta.published
