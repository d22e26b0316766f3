"""From a raw input to a :class:`Document`: decode, repair, recognise, clean, identify language.

Format-specific cleaners:
- HTML: :func:`narrascope.clean.html.clean_html` (trafilatura + pruning rules);
- flattened text dumps: :func:`narrascope.clean.flattened.clean_flattened` (block classifier);
- markdown notes: :func:`narrascope.clean.markdown.clean_markdown`.
Structured records (JSON/JSONL/CSV) give their body in ``html`` or ``text`` and metadata that
wins over what the cleaner finds in the body.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from narrascope.clean.dates import parse_date
from narrascope.clean.language import detect, foreign_spans
from narrascope.errors import ErrorInfo
from narrascope.ingest.raw import RawInput
from narrascope.ingest.sniff import decode, sniff_text_format
from narrascope.model import CleanResult, Document, Metadata

Cleaner = Callable[[str], CleanResult]

#: A cleaned body with fewer words than this is no article (a menu item, a lone "Home").
MIN_WORDS = 3
_WORDS = re.compile(r"[^\W\d_]{2,}", re.U)
_BLANKS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING = re.compile(r"[ \t]+\n")


#: Byte sequences that UTF-8 text takes when it was decoded as Latin-1/cp1252 (mojibake):
#: "Ã©", "â€™", "Ð¿", "Ñ€". ftfy runs only where these appear (it costs ~50 ms on a page).
_MOJIBAKE = re.compile(
    "[ÃÂ][\u0080-\u00bf]|â€|[ÐÑ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2018-\u203a]"
)


def repair_text(text: str) -> str:
    """Mojibake repair (ftfy) without touching quotes or widths; NFC; normalised newlines."""
    import ftfy

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _MOJIBAKE.search(text):
        return unicodedata.normalize("NFC", text)

    cfg = ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization="NFC",
        explain=False,
    )
    fixed = ftfy.fix_text(text.replace("\r\n", "\n").replace("\r", "\n"), config=cfg)
    return unicodedata.normalize("NFC", fixed)


def _normalise_body(text: str) -> str:
    text = _TRAILING.sub("\n", text.replace("\u00a0", " ").replace("\r\n", "\n"))
    return _BLANKS.sub("\n\n", text).strip()


def _html(text: str, url: str | None) -> CleanResult:
    from narrascope.clean import html as html_mod

    return html_mod.clean_html(text, url)


def _markdown(text: str, url: str | None) -> CleanResult:
    from narrascope.clean import markdown

    return markdown.clean_markdown(text)


def _flattened(text: str, url: str | None) -> CleanResult:
    from narrascope.clean import flattened

    return flattened.clean_flattened(text)


CLEANERS: dict[str, Callable[[str, str | None], CleanResult]] = {
    "html": _html,
    "markdown": _markdown,
    "text": _flattened,
}


def _body(raw: RawInput) -> tuple[str | None, str, ErrorInfo | None]:
    """The text to clean and its format."""
    f = raw.fields
    if f.get("html"):
        return repair_text(f["html"]), "html", None
    for key in ("text", "content", "body"):
        if f.get(key):
            body = repair_text(f[key])
            return body, sniff_text_format(body, "text"), None
    text, _, err = decode(raw.data)
    if err is not None or text is None:
        return None, raw.format, err
    text = repair_text(text)
    declared = raw.format if raw.format in ("html", "text", "markdown") else "auto"
    return text, sniff_text_format(text, declared), None


def _record_meta(raw: RawInput) -> Metadata:
    f = raw.fields
    return Metadata(
        title=f.get("title"),
        author=f.get("author"),
        site=f.get("site"),
        url=f.get("url") or raw.url,
        published=parse_date(f.get("published")),
        language=f.get("language"),
    )


def clean_raw(raw: RawInput) -> tuple[Document | None, ErrorInfo | None]:
    """Clean one raw input. Never raises on bad content: returns ``(None, error)`` instead."""
    if raw.error is not None:
        return None, raw.error
    body, fmt, err = _body(raw)
    if err is not None or body is None:
        return None, err or ErrorInfo.of("E_INPUT_DECODE")
    if not body.strip():
        return None, ErrorInfo.of("E_INPUT_EMPTY")
    result = CLEANERS[fmt](body, raw.fields.get("url") or raw.url)
    text = _normalise_body(result.text)
    if len(_WORDS.findall(text)) < MIN_WORDS:
        return None, ErrorInfo.of(
            "E_EXTRACT_EMPTY", f"{len(body):,} characters of {fmt} gave no article text."
        )
    meta = _record_meta(raw).merged(result.metadata)
    lang, prob = detect(text)
    # A language the user gave wins; else a confident detection; else the page's declaration.
    language = raw.fields.get("language") or (lang if prob >= 0.5 else (result.metadata.language or lang))
    meta = Metadata(meta.title, meta.author, meta.site, meta.url, meta.published, language)
    spans = tuple(foreign_spans(text, language)) if language else ()
    ref = raw.ref
    if ref.format in ("auto", "text", "html", "markdown"):
        ref = type(ref)(path=ref.path, sha256=ref.sha256, format=fmt, line=ref.line, url=ref.url)
    doc = Document(
        text=text, input=ref, meta=meta, removed=result.removed, language=language, language_spans=spans
    )
    return doc, None
