"""Content sniffing: binary/PDF/archive detection, text decoding, format recognition."""

from __future__ import annotations

import re

from narrascope.errors import ErrorInfo

_MAGIC = (
    (b"%PDF-", "E_INPUT_PDF"),
    (b"PK\x03\x04", "E_INPUT_ARCHIVE"),
    (b"PK\x05\x06", "E_INPUT_ARCHIVE"),
    (b"\x1f\x8b", "E_INPUT_ARCHIVE"),
    (b"BZh", "E_INPUT_ARCHIVE"),
    (b"\xfd7zXZ\x00", "E_INPUT_ARCHIVE"),
    (b"7z\xbc\xaf\x27\x1c", "E_INPUT_ARCHIVE"),
    (b"Rar!", "E_INPUT_ARCHIVE"),
    (b"\x89PNG", "E_INPUT_BINARY"),
    (b"\xff\xd8\xff", "E_INPUT_BINARY"),
    (b"GIF8", "E_INPUT_BINARY"),
    (b"\x7fELF", "E_INPUT_BINARY"),
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|article)\b", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:p|div|span|a|br|h[1-6]|article|section|script|meta|title)\b[^>]*>", re.I)
_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n.*?\n(?:---|\.\.\.)\s*(?:\n|\Z)", re.S)
_WIKI = re.compile(r"\[\[[^\]\n]+\]\]")


def binary_error(data: bytes) -> ErrorInfo | None:
    """An error for data that is not text (PDF, archive, image, executable, NUL bytes)."""
    for magic, code in _MAGIC:
        if data.startswith(magic):
            return ErrorInfo.of(code)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with BOM has NUL bytes but is text
    head = data[:8192]
    if b"\x00" in head:
        return ErrorInfo.of("E_INPUT_BINARY", "The file contains NUL bytes.")
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and ctrl / len(head) > 0.05:
        return ErrorInfo.of("E_INPUT_BINARY", f"{ctrl} control bytes in the first {len(head)}.")
    return None


def decode(data: bytes) -> tuple[str | None, str, ErrorInfo | None]:
    """Decode bytes to text: BOM, then strict UTF-8, then charset detection.

    Returns ``(text, encoding, error)``. Mojibake is repaired later (``clean.dispatch.repair_text``).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), enc, None
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    # chaos: charset_normalizer's mess ratio; above 0.25 the decoded text is mostly noise.
    if best is None or best.encoding is None or best.chaos > 0.25:
        return (
            None,
            "",
            ErrorInfo.of(
                "E_INPUT_DECODE",
                f"Not valid UTF-8 (first bad byte at offset {utf8_error.start}) and no encoding fits.",
            ),
        )
    try:
        return data.decode(best.encoding), best.encoding, None
    except (UnicodeDecodeError, LookupError):
        return None, "", ErrorInfo.of("E_INPUT_DECODE", f"Detected {best.encoding} but decoding failed.")


def looks_like_html(text: str) -> bool:
    head = text[:4096].encode("utf-8", "ignore")
    if _HTML_START.search(head):
        return True
    return len(_HTML_TAGS.findall(text[:20000])) >= 5


def looks_like_markdown_note(text: str) -> bool:
    """A markdown note (front matter, wiki links, headings): the markdown cleaner's own test."""
    from narrascope.clean.markdown import looks_like_markdown_note as is_note

    return bool(is_note(text))


def sniff_text_format(text: str, ext_format: str) -> str:
    """Refine a declared format from the content: a .txt holding HTML is html, etc.

    Markdown evidence (front matter at the top, wiki links) wins over HTML tag counts: notes
    carry inline anchors such as timestamp links that would otherwise look like a page.
    """
    head = text.lstrip("\ufeff")[:4096].encode("utf-8", "ignore")
    if _HTML_START.search(head):
        return "html"
    if ext_format in ("text", "auto", "markdown") and (
        _FRONT_MATTER.match(text.lstrip("\ufeff")) or _WIKI.search(text)
    ):
        return "markdown"
    if ext_format == "markdown":
        return "markdown"
    if ext_format in ("html", "text", "auto") and looks_like_html(text):
        return "html"
    if ext_format in ("text", "auto") and looks_like_markdown_note(text):
        return "markdown"
    if ext_format == "auto":
        return "text"
    return ext_format
