"""Event dates in English news prose, resolved against the publication date.

Handwritten patterns rather than dateparser: dateparser puts year-less dates in the future and
splits "December 22, 2023" into two hits (see docs/analyzers/incidents.md). Every match keeps
its offsets, the resolved ISO value with a precision, whether the year was written out, and
whether the phrase presents the event as recent ("yesterday", "on Saturday", "this week").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for m in names
}  # fmt: skip
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}
SMALL = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "a few": 3,
    "few": 3,
    "several": 3,
    "a couple of": 2,
}

_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SMALLN = r"(?:a few|a couple of|several|one|two|three|four|five|six|seven|a|\d{1,2})"

PATTERNS: list[tuple[str, str]] = [
    ("iso", rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b"),
    ("mdy", rf"\b(?P<mon>{_MON})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("dmy", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("my", rf"\b(?:in|since|during|of|early|late|mid-?)\s+(?P<mon>{_MON})(?:\s+(?P<y>{_YEAR}))?\b"),
    ("monyear", rf"\b(?P<mon>{_MON})\s+(?P<y>{_YEAR})\b"),
    ("nye", r"\b(?P<shortly>shortly |just |days )?(?:before|ahead of) (?:the )?New Year(?:'s| holidays?)?\b"),
    ("nyeve", r"\bNew Year'?s Eve\b"),
    (
        "wd",
        rf"\b(?P<last>last |this past |on |early on |late on )?(?P<wd>{_WD})(?: night| morning| evening| afternoon)?\b",
    ),
    (
        "rel_day",
        r"\b(?:yesterday|today|tonight|this morning|last night|earlier today|overnight|on the night of)\b",
    ),
    ("weekend", r"\b(?:last|this past|over the|at the) weekend\b"),
    ("ago", rf"\b(?P<n>{_SMALLN})\s+(?P<unit>days?|weeks?|months?|years?)\s+(?:ago|earlier|prior|before)\b"),
    ("relper", r"\b(?P<rel>last|this|earlier this|late last|early last)\s+(?P<unit>week|month|year)\b"),
    ("year", rf"\b(?:in|since|of|during|early|late|mid-?)\s+(?P<y>{_YEAR})\b"),
]
COMPILED = [
    (k, re.compile(p, re.I if k in {"rel_day", "weekend", "ago", "relper", "nye"} else 0))
    for k, p in PATTERNS
]
RECENT = re.compile(
    r"\b(?:yesterday|today|tonight|overnight|last night|this (?:week|morning)|earlier this week|"
    r"(?:hours|days) ago|recent(?:ly)?|latest|on (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b",
    re.I,
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: str | None  # ISO, or None when it cannot be resolved (no publication date)
    precision: str  # day | month | year
    explicit_year: bool
    recent: bool

    def to_json(self) -> dict[str, str] | None:
        return None if self.value is None else {"value": self.value, "precision": self.precision}


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def find_dates(text: str, pub: dt.date | None, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """All date expressions in ``text[start:end]``, longest first where they overlap, in text order."""
    end = len(text) if end is None else end
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in COMPILED:
        for m in rx.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            dm = _resolve(kind, m, pub)
            if dm is not None:
                found.append(dm)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve(kind: str, m: re.Match[str], pub: dt.date | None) -> DateMatch | None:
    g = m.groupdict()
    recent = bool(RECENT.search(m.group(0)))
    if kind in {"iso", "mdy", "dmy"}:
        month = int(g["m"]) if kind == "iso" else MONTHS[g["mon"].lower().rstrip(".")]
        day = int(re.sub(r"\D", "", g["d"]))
        if kind == "mdy" and g["mon"].lower() == "may" and not g.get("y"):
            return None  # "may 5" is too often the modal verb before a number
        return _day(m, g.get("y"), month, day, pub, recent)
    if kind in {"my", "monyear"}:
        month = MONTHS[g["mon"].lower().rstrip(".")]
        if g["mon"] == "May" and not g.get("y"):
            return None  # "in May" is fine but "may" lowercase is a modal; only capitalised reaches here
        year = int(g["y"]) if g.get("y") else _infer_year(pub, month, 1)
        val = f"{year:04d}-{month:02d}" if year else None
        return DateMatch(m.start(), m.end(), val, "month", bool(g.get("y")), recent)
    if kind == "year":
        return DateMatch(m.start(), m.end(), g["y"], "year", True, False)
    if pub is None:
        return DateMatch(m.start(), m.end(), None, "day", False, recent or kind in {"rel_day", "wd"})
    return _relative(kind, m, g, pub, recent)


def _day(
    m: re.Match[str], y: str | None, month: int, day: int, pub: dt.date | None, recent: bool
) -> DateMatch | None:
    year = int(y) if y else _infer_year(pub, month, day)
    if year is None:
        return DateMatch(m.start(), m.end(), None, "day", False, recent)
    try:
        d = dt.date(year, month, day)
    except ValueError:
        return None
    return DateMatch(m.start(), m.end(), d.isoformat(), "day", bool(y), recent)


def _infer_year(pub: dt.date | None, month: int, day: int) -> int | None:
    """The year that puts month/day on or before the publication date (2 days of slack)."""
    if pub is None:
        return None
    try:
        cand = dt.date(pub.year, month, min(day, 28))
    except ValueError:
        return pub.year
    return pub.year if cand <= pub + dt.timedelta(days=2) else pub.year - 1


def _relative(
    kind: str, m: re.Match[str], g: dict[str, str | None], pub: dt.date, recent: bool
) -> DateMatch | None:
    s, e = m.start(), m.end()
    if kind == "rel_day":
        word = m.group(0).lower()
        back = 1 if word == "yesterday" else 0  # "overnight", "last night": the night ending that morning
        return DateMatch(s, e, (pub - dt.timedelta(days=back)).isoformat(), "day", False, True)
    if kind == "wd":
        target = WEEKDAYS[(g["wd"] or "").lower()]
        back = (pub.weekday() - target) % 7
        if g.get("last") and g["last"].strip().lower() in {"last", "this past"} and back == 0:
            back = 7
        return DateMatch(s, e, (pub - dt.timedelta(days=back)).isoformat(), "day", False, True)
    if kind == "weekend":  # several days: month precision, the month of the most recent Saturday
        back = (pub.weekday() - 5) % 7 or 7
        return DateMatch(s, e, _month_iso(pub - dt.timedelta(days=back)), "month", False, True)
    if kind in {"nye", "nyeve"}:
        year = pub.year if pub.month >= 11 else pub.year - 1
        if kind == "nyeve":
            return DateMatch(s, e, f"{year}-12-31", "day", False, False)
        return DateMatch(s, e, f"{year}-12", "month", False, False)
    if kind == "ago":
        return _ago(m, g, pub)
    return _relper(m, g, pub, recent)


def _ago(m: re.Match[str], g: dict[str, str | None], pub: dt.date) -> DateMatch:
    raw = (g["n"] or "").lower()
    n = int(raw) if raw.isdigit() else SMALL.get(raw, 3)
    unit = (g["unit"] or "").lower().rstrip("s")
    if unit == "day":
        return DateMatch(m.start(), m.end(), (pub - dt.timedelta(days=n)).isoformat(), "day", False, True)
    if unit == "week":
        return DateMatch(
            m.start(), m.end(), _month_iso(pub - dt.timedelta(days=7 * n)), "month", False, n <= 1
        )
    if unit == "month":
        if raw in {"a few", "few", "several", "a couple of"}:  # not resolvable to a month
            return DateMatch(m.start(), m.end(), None, "month", False, False)
        y, mo = _minus_months(pub, n)
        return DateMatch(m.start(), m.end(), f"{y:04d}-{mo:02d}", "month", False, False)
    return DateMatch(m.start(), m.end(), f"{pub.year - n:04d}", "year", False, False)


def _relper(m: re.Match[str], g: dict[str, str | None], pub: dt.date, recent: bool) -> DateMatch:
    rel = (g["rel"] or "").lower()
    unit = (g["unit"] or "").lower()
    last = "last" in rel
    if unit == "week":
        d = pub - dt.timedelta(days=7 if last else 0)
        return DateMatch(m.start(), m.end(), _month_iso(d), "month", False, not last or recent)
    if unit == "month":
        y, mo = _minus_months(pub, 1 if last else 0)
        return DateMatch(m.start(), m.end(), f"{y:04d}-{mo:02d}", "month", False, False)
    return DateMatch(m.start(), m.end(), f"{pub.year - (1 if last else 0):04d}", "year", False, False)


def _month_iso(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _minus_months(d: dt.date, n: int) -> tuple[int, int]:
    idx = d.year * 12 + (d.month - 1) - n
    return idx // 12, idx % 12 + 1
