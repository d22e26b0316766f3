"""Parsing of dates given as metadata strings (ISO, RFC 2822, common news formats)."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from narrascope.model import DateValue

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")


def _valid(y: int, m: int | None, d: int | None) -> bool:
    try:
        date(y, m or 1, d or 1)
    except ValueError:
        return False
    return 1900 <= y <= 2100


def parse_date(value: str | None) -> DateValue | None:
    """ISO ``YYYY[-MM[-DD]][Thh:mm…]``, ``DD.MM.YYYY``, RFC 2822, else the text-date parser."""
    if not value or not value.strip():
        return None
    s = value.strip()
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        mi, di = (int(mo) if mo else None), (int(d) if d else None)
        if not _valid(y, mi, di):
            return None
        if di is not None and mi is not None:
            return DateValue(f"{y:04d}-{mi:02d}-{di:02d}", "day")
        if mi is not None:
            return DateValue(f"{y:04d}-{mi:02d}", "month")
        return DateValue(f"{y:04d}", "year")
    m = _DMY.match(s)
    if m:
        d2, mo2, y2 = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return DateValue(f"{y2:04d}-{mo2:02d}-{d2:02d}", "day") if _valid(y2, mo2, d2) else None
    try:
        dt: datetime = parsedate_to_datetime(s)
        return DateValue(dt.date().isoformat(), "day")
    except (TypeError, ValueError, IndexError):
        pass
    try:
        from narrascope.clean import textmeta
    except ImportError:
        return None
    finder = getattr(textmeta, "parse_date_text", None)
    return finder(s) if finder else None
