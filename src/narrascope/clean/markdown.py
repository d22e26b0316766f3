"""Markdown notes (e.g. transcripts of video commentary) to clean text.

YAML front matter becomes metadata; wiki links become their display text; timestamp
anchors, images and other markup are dropped; headings keep their text as a paragraph (the
first ``#`` heading is the title). The result then goes through the flattened-text cleaner,
because notes pasted from the web carry the same boilerplate.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from narrascope.clean import textmeta
from narrascope.clean.flattened import clean_flattened, strip_tracking
from narrascope.model import CleanResult, DateValue, Metadata, RemovedBlock

__all__ = ["clean_markdown", "looks_like_markdown_note", "split_front_matter"]

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY_LINE = re.compile(r"^[A-Za-z_][\w -]*:", re.M)
_WIKI = re.compile(r"(?<!!)\[\[(?P<target>[^\]|\n]*?)(?:\|(?P<alias>[^\]\n]*))?\]\]")
_EMBED = re.compile(r"!\[\[[^\]\n]*\]\]|!\[[^\]\n]*\]\([^)\n]*\)")
_TS_ANCHOR = re.compile(
    r"<a\b[^>]*\b(?:class=\"[^\"]*timestamp[^\"]*\"|data-t=)[^>]*>.*?</a>[ \t]*", re.I | re.S
)
_TS_LINK = re.compile(r"\[(?:\d{1,2}:)?\d{1,2}:\d{2}\]\([^)\n]*\)[ \t]*")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]+)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_RULE_LINE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_HASHTAGS = re.compile(r"^\s*(?:#[\w/-]+\s*)+$")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_LIST = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_QUOTE = re.compile(r"^\s*>\s?(?:\[![\w-]+\][+-]?\s*)?")
_EMPH = (
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"==(?=\S)(.+?)(?<=\S)=="), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)
_SPACES = re.compile(r"[ \t]{2,}")
_BLOCK_REF = re.compile(r"\s\^[\w-]+$|\[\^[^\]\n]+\]")


def _normalise(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def looks_like_markdown_note(text: str) -> bool:
    """True when a text file is a markdown note: front matter, wiki links or markdown headings."""
    head = _normalise(text[:20_000])
    fm = _FRONT.match(head)
    if fm and _KEY_LINE.search(fm["body"]):
        return True
    if _WIKI.search(head) or _TS_ANCHOR.search(head):
        return True
    headings = sum(1 for ln in head.splitlines() if _HEADING.match(ln))
    links = len(_LINK.findall(head)) + head.count("**")
    return headings >= 2 or (headings >= 1 and links >= 1)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str]:
    """``(fields, raw_front_matter, rest)``; fields is empty when there is no front matter."""
    m = _FRONT.match(text)
    if not m:
        return {}, "", text
    try:
        data = yaml.safe_load(m["body"])
    except yaml.YAMLError:
        data = dict(re.findall(r"^([A-Za-z_][\w-]*):[ \t]*(.*)$", m["body"], re.M))
    return (data if isinstance(data, dict) else {}), m.group(0).rstrip("\n"), text[m.end() :]


def _first(fields: dict[str, Any], *keys: str) -> Any:
    lowered = {str(k).lower(): v for k, v in fields.items()}
    for k in keys:
        v = lowered.get(k)
        if v not in (None, "", []):
            return v
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v) or None
    return str(value).strip() or None


def _as_date(value: Any) -> DateValue | None:
    if isinstance(value, _dt.datetime):
        return DateValue(value.date().isoformat(), "day")
    if isinstance(value, _dt.date):
        return DateValue(value.isoformat(), "day")
    if value is None:
        return None
    text = str(value)
    if re.fullmatch(r"(?:19|20)\d\d", text.strip()):
        return DateValue(text.strip(), "year")
    return textmeta.parse_date(text)


def _front_metadata(fields: dict[str, Any]) -> Metadata:
    url = _as_text(_first(fields, "source", "url", "link", "source_url", "canonical"))
    if url and not re.match(r"https?://", url):
        url = None
    return Metadata(
        title=_as_text(_first(fields, "title", "headline")),
        author=_as_text(_first(fields, "author", "authors", "byline", "creator")),
        site=_as_text(_first(fields, "site", "site_name", "publisher", "channel", "outlet", "publication")),
        url=strip_tracking(url) if url else None,
        published=_as_date(_first(fields, "date", "published", "publish_date", "pubdate", "date_published")),
    )


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)
    removed: list[RemovedBlock] = field(default_factory=list)
    title: str | None = None

    def drop(self, kind: str, text: str, rule: str) -> None:
        self.removed.append(RemovedBlock(kind, text, rule))


def _wiki(m: re.Match[str]) -> str:
    alias = m["alias"]
    if alias:
        return alias.strip()
    target = m["target"]
    page, _, section = target.partition("#")
    return (page or section).strip()


def _inline(line: str, out: _Out) -> str:
    for rx, rule in (
        (_TS_ANCHOR, "markdown.timestamp_anchor"),
        (_TS_LINK, "markdown.timestamp_link"),
        (_EMBED, "markdown.embed"),
    ):
        for m in rx.finditer(line):
            out.drop("markup", m.group(0).strip(), rule)
        line = rx.sub("", line)
    line = _WIKI.sub(_wiki, line)
    line = _LINK.sub(lambda m: m["text"], line)
    line = _TAG.sub("", line)
    for rx, rep in _EMPH:
        line = rx.sub(rep, line)
    return _SPACES.sub(" ", _BLOCK_REF.sub("", line)).strip()


def _convert(body: str, out: _Out, front_title: str | None) -> None:
    in_fence = False
    for raw in _COMMENT.sub("", body.replace("\r\n", "\n")).split("\n"):
        if _FENCE.match(raw):
            in_fence = not in_fence
            out.drop("markup", raw.strip(), "markdown.code_fence")
            continue
        if in_fence:
            out.lines.append(raw.rstrip())
            continue
        if _RULE_LINE.match(raw):
            out.drop("markup", raw.strip(), "markdown.rule")
            out.lines.append("")
            continue
        if _HASHTAGS.match(raw):
            out.drop("markup", raw.strip(), "markdown.hashtags")
            continue
        heading = _HEADING.match(raw)
        if heading:
            text = _inline(heading["text"], out)
            first_h1 = out.title is None and len(heading["hashes"]) == 1 and not any(out.lines)
            if first_h1 and front_title in (None, text):
                out.title = text
                out.drop("other", raw.strip(), "markdown.title_heading")
            else:
                out.lines.extend(["", text, ""])
            continue
        line = _QUOTE.sub("", raw)
        line = _LIST.sub(r"\1", line)
        out.lines.append(_inline(line, out))


def clean_markdown(text: str) -> CleanResult:
    """Clean a markdown note: front matter to metadata, markup out, then boilerplate rules."""
    fields, raw_front, body = split_front_matter(_normalise(text))
    out = _Out()
    if raw_front:
        out.drop("front_matter", raw_front, "markdown.front_matter")
    front = _front_metadata(fields)
    _convert(body, out, front.title)
    known = Metadata(title=out.title).merged(front)
    res = clean_flattened("\n".join(out.lines), known=known, note=True)
    return CleanResult(text=res.text, removed=(*out.removed, *res.removed), metadata=res.metadata)
