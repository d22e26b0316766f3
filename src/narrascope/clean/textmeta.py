"""Metadata in flattened text: title, byline, dateline and site name.

Dates are parsed with our own regexes (English, Russian and Ukrainian month names; ISO and
numeric forms) and normalised to :class:`DateValue` with a precision. Lexicons live in
``rules/textmeta.yaml``. The flattened-text cleaner calls :func:`analyse_header` on the lines
before the article body; :func:`extract_text_metadata` is the stand-alone entry point.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from narrascope.model import DateValue, Metadata

__all__ = [
    "HeaderLine",
    "HeaderResult",
    "analyse_header",
    "dateline",
    "extract_text_metadata",
    "find_dates",
    "is_prose",
    "parse_byline",
    "parse_date",
    "site_from_copyright",
    "site_like",
]

RULES_DIR = Path(__file__).with_name("rules")
_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"


@dataclass(frozen=True)
class _Lexicon:
    month_of: dict[str, int]
    date_res: tuple[tuple[re.Pattern[str], str], ...]
    published_re: re.Pattern[str]
    updated_re: re.Pattern[str]
    site_words: frozenset[str]
    suffix_re: re.Pattern[str]
    job_words: frozenset[str]
    byline_re: re.Pattern[str]
    not_name: frozenset[str]
    dateline_reject: re.Pattern[str]
    site_prefix_re: re.Pattern[str]
    date_filler: frozenset[str]
    dateline_max_other: int


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _lexicon() -> _Lexicon:
    data: dict[str, Any] = yaml.safe_load((RULES_DIR / "textmeta.yaml").read_text(encoding="utf-8"))
    month_of = {str(w).lower(): int(n) for n, forms in data["months"].items() for w in forms}
    mon = rf"(?P<mon>{_alt(list(month_of))})\.?"
    day = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<y>(?:19|20)\d\d)(?!\d)"
    date_res = (
        (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"), "ymd"),
        (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"), "ymd"),
        (re.compile(rf"(?<!\d){day}\s+(?:of\s+)?{mon}\b,?\s+{year}", re.I), "dmy"),
        (re.compile(rf"\b{mon}\s+{day},?\s+{year}", re.I), "mdy"),
        (re.compile(rf"(?<!\d)(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep){year}"), "num"),
        (re.compile(rf"\b{mon}\b,?\s+{year}", re.I), "my"),
    )
    labels = data["date_labels"]
    return _Lexicon(
        month_of=month_of,
        date_res=date_res,
        published_re=re.compile(rf"(?<!\w)(?:{_alt(labels['published'])})(?!\w)", re.I),
        updated_re=re.compile(rf"(?<!\w)(?:{_alt(labels['updated'])})(?!\w)", re.I),
        site_words=frozenset(str(w).lower() for w in data["site_words"]),
        suffix_re=re.compile(rf"[\s,]+(?:{_alt(data['company_suffixes'])})\.?$", re.I),
        job_words=frozenset(str(w).lower() for w in data["job_words"]),
        byline_re=re.compile(rf"^(?:{_alt(data['byline_prefixes'])})\s*[:\-—–]?\s+(?P<rest>.+)$", re.I),
        not_name=frozenset(str(w).lower() for w in data["not_name_words"]),
        dateline_reject=re.compile("|".join(f"(?:{p})" for p in data["dateline_reject"]), re.I),
        site_prefix_re=re.compile(rf"^(?:{_alt(data['site_prefixes'])})\s*:?\s+(?P<site>.+)$", re.I),
        date_filler=frozenset(str(w).lower() for w in data["date_filler"]),
        dateline_max_other=int(data["dateline_max_other_words"]),
    )


# --------------------------------------------------------------------------- dates


def _mk_date(y: int, m: int, d: int | None) -> DateValue | None:
    try:
        if d is None:
            _dt.date(y, m, 1)
            return DateValue(f"{y:04d}-{m:02d}", "month")
        return DateValue(_dt.date(y, m, d).isoformat(), "day")
    except ValueError:
        return None


def _from_match(m: re.Match[str], form: str, lex: _Lexicon) -> DateValue | None:
    y = int(m["y"])
    if form == "ymd":
        return _mk_date(y, int(m["m"]), int(m["d"]))
    if form in ("dmy", "mdy"):
        return _mk_date(y, lex.month_of[m["mon"].lower()], int(m["d"]))
    if form == "my":
        return _mk_date(y, lex.month_of[m["mon"].lower()], None)
    a, b = int(m["a"]), int(m["b"])
    # Numeric dates are read day-first (28/10/2024) unless only month-first is valid.
    if a <= 12 < b:
        return _mk_date(y, a, b)
    return _mk_date(y, b, a)


_YEAR = re.compile(r"(?:19|20)\d\d")


def find_dates(text: str) -> list[tuple[int, int, DateValue]]:
    """All dates in ``text`` as ``(start, end, DateValue)``, in text order, non-overlapping.

    Only dates with a year count: "5 January" alone is not a publication date.
    """
    if not _YEAR.search(text):
        return []
    lex = _lexicon()
    taken: list[tuple[int, int, DateValue | None]] = []  # invalid dates block their span too
    for rx, form in lex.date_res:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _ in taken):
                continue
            taken.append((m.start(), m.end(), _from_match(m, form, lex)))
    return sorted(((s, e, v) for s, e, v in taken if v is not None), key=lambda t: t[0])


def parse_date(text: str) -> DateValue | None:
    """The first date in ``text`` (ISO value with precision), or None."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


def dateline(line: str) -> tuple[DateValue, str] | None:
    """``(date, label)`` when ``line`` is a short date line; label is published/updated/none."""
    words = len(line.split())
    if words > 14 or is_prose(line):
        return None
    dates = find_dates(line)
    if not dates:
        return None
    lex = _lexicon()
    if lex.dateline_reject.search(line) or (
        _other_words(line, dates, lex) > lex.dateline_max_other and not parse_byline(line)
    ):
        return None
    best: tuple[DateValue, str] | None = None
    prev = 0
    for start, end, value in dates:
        before = line[prev:start]
        label = (
            "updated"
            if lex.updated_re.search(before)
            else "published"
            if lex.published_re.search(before)
            else "none"
        )
        if best is None or (label == "published" and best[1] != "published"):
            best = (value, label)
        prev = end
    return best


_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


def _other_words(line: str, dates: list[tuple[int, int, DateValue]], lex: _Lexicon) -> int:
    """Words in a date line besides its dates, labels, weekdays and time-zone filler."""
    rest, prev = [], 0
    for start, end, _ in dates:
        rest.append(line[prev:start])
        prev = end
    rest.append(line[prev:])
    text = lex.updated_re.sub(" ", lex.published_re.sub(" ", " ".join(rest)))
    return sum(1 for w in _WORDS.findall(text) if w.lower() not in lex.date_filler)


# --------------------------------------------------------------------------- names


def _ends_terminal(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _TERMINAL


def is_prose(text: str) -> bool:
    """A line that reads like running text: 8+ words ending a sentence, or 20+ words."""
    words = len(text.split())
    return words >= 20 or (words >= 8 and _ends_terminal(text))


_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "del",
        "der",
        "den",
        "van",
        "von",
        "la",
        "le",
        "du",
        "ter",
        "ten",
        "bin",
        "ibn",
        "al",
        "el",
        "dos",
        "das",
    ]
)
_JOINERS = frozenset(["and", "&", "и", "і", "та", "und"])
_INITIAL = re.compile(r"^[A-ZА-ЯЁІЇЄҐ]\.$")


def _name_token(tok: str) -> bool:
    if _INITIAL.match(tok):
        return True
    core = tok.strip("'’")
    if not core or not core[0].isupper():
        return False
    return all(ch.isalpha() or ch in "-'’." for ch in core)


def _take_name(text: str, lex: _Lexicon) -> str | None:
    """The leading run of name tokens in ``text`` ("Jane Roe, Kyiv reporter" -> "Jane Roe")."""
    out: list[str] = []
    for raw in text.split():
        tok = raw.rstrip(",;|:")
        cut = tok != raw
        low = tok.lower()
        if (out and (low in _PARTICLES or low in _JOINERS)) or (_name_token(tok) and low not in lex.not_name):
            out.append(tok)
        else:
            break
        if cut or len(out) >= 8:
            break
    while out and (out[-1].lower() in _JOINERS or out[-1].lower() in _PARTICLES):
        out.pop()
    return " ".join(out) or None


def parse_byline(line: str) -> str | None:
    """The author's name when ``line`` is a byline, else None.

    Handles "By NAME", "Written by NAME", "Author: NAME", "by NAME on 05 Jan 2024",
    "Posted: 22 April 2024 by NAME" and "NAME | Reporter" / "NAME, staff writer".
    """
    if len(line.split()) > 16 or is_prose(line):
        return None
    lex = _lexicon()
    m = lex.byline_re.match(line)
    if m:
        return _take_name(m["rest"], lex)
    if find_dates(line):
        tail = re.search(r"(?:^|\s)(?:by|автор)\s*:?\s+(?P<rest>[^|]+)$", line, re.I)
        if tail:
            return _take_name(tail["rest"], lex)
    parts = re.split(r"\s*[|,–—]\s*|\s+-\s+", line, maxsplit=1)
    if len(parts) == 2 and set(parts[1].lower().split()) & lex.job_words:
        name = _take_name(parts[0], lex)
        if name and name == parts[0].strip() and len(name.split()) >= 2:
            return name
    return None


def name_line(line: str) -> bool:
    """A bare "Firstname Lastname" line (two to four name tokens, nothing else)."""
    lex = _lexicon()
    toks = line.split()
    if not 2 <= len(toks) <= 4:
        return False
    if any(t.lower() in lex.site_words or t.lower() in lex.not_name for t in toks):
        return False
    return all(_name_token(t) for t in toks)


# --------------------------------------------------------------------------- sites

_DOMAIN = re.compile(
    r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|news|media|ua|ru|by|kz|uk|eu|de|fr|pl|io|tv|example)$",
    re.I,
)
_SMALL = frozenset(["of", "the", "and", "&", "for", "on", "in", "de", "la"])


def site_like(line: str) -> bool:
    """A masthead: two to five title-case words containing a newspaper word, or a domain."""
    text = line.strip()
    if _DOMAIN.match(text):
        return True
    toks = text.split()
    if not 2 <= len(toks) <= 5 or _ends_terminal(text) or re.search(r"[,|]|(?:19|20)\d\d", text):
        return False
    lex = _lexicon()
    words = [t.lower().strip('.,«»"') for t in toks]
    if not any(w in lex.site_words for w in words):
        return False
    if all(t[0].isupper() or t[0].isdigit() or t.lower() in _SMALL for t in toks):
        return True
    # Sentence-case mastheads ("Белгородский курьер"): capital first, newspaper word at an edge.
    return (
        len(toks) <= 3
        and toks[0][0].isupper()
        and (words[0] in lex.site_words or words[-1] in lex.site_words)
    )


_COPY = re.compile(
    r"^(?:©|\(c\)|&copy;|copyright)\s*(?:©|\(c\))?\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:(?:19|20)\d\d|present))?)?\s*,?\s*(?P<name>[^|]+)",
    re.I,
)


def site_from_copyright(line: str) -> str | None:
    """ "© 2024 Kyiv Courier Ltd. All rights reserved." -> "Kyiv Courier"."""
    m = _COPY.match(line.strip())
    if not m:
        return None
    name = re.split(r"\.\s|\.$|\ball rights reserved\b|\s[-–—]\s|,\s", m["name"], maxsplit=1, flags=re.I)[0]
    name = re.sub(r"\s+(?:19|20)\d\d$", "", name.strip()).strip("«»\"“”„'")
    name = _lexicon().suffix_re.sub("", name).strip(" .,")
    if not name or len(name.split()) > 6 or not name[0].isupper():
        return None
    return name


# --------------------------------------------------------------------------- header


@dataclass(frozen=True)
class HeaderLine:
    """One line before the body. ``marked`` is the kind a boilerplate rule gave it, if any."""

    text: str
    marked: str | None = None


@dataclass
class HeaderResult:
    metadata: Metadata
    roles: dict[int, str] = field(default_factory=dict)  # position -> rule id (meta.*)
    title_pos: int | None = None
    site_guess: int | None = None  # position of a masthead-looking line above the headline


_SEGMENTS = re.compile(r"\s*[|•·]\s*|,\s+|\s+[-–—]\s+")


def _site_in(text: str, segments: bool = True) -> str | None:
    """A site name in a header line: the whole line, "Provided by NAME", or (with
    ``segments``) one part of a "Site | Section | Date" or "Site, 9 May 2024" line."""
    if site_like(text):
        return text.strip()
    m = _lexicon().site_prefix_re.match(text.strip())
    if m and len(m["site"].split()) <= 6 and m["site"][0].isupper():
        return m["site"].strip(" .")
    if not segments:
        return None
    for seg in _SEGMENTS.split(text):
        if seg and site_like(seg):
            return seg.strip()
    return None


def _headline_like(text: str) -> bool:
    words = len(text.split())
    return (
        2 <= words <= 30
        and not text.endswith(":")
        and any(ch.isalpha() for ch in text)
        and not is_prose(text)
    )


def _pick_date(found: list[tuple[int, DateValue, str]]) -> DateValue | None:
    for want in ("published", "none", "updated"):
        for _, value, label in found:
            if label == want:
                return value
    return None


def analyse_header(lines: Sequence[HeaderLine]) -> HeaderResult:
    """Title, author, date and site from the lines before the body, and which lines they used."""
    roles: dict[int, str] = {}
    author: str | None = None
    site: str | None = None
    dates: list[tuple[int, DateValue, str]] = []
    for pos, hl in enumerate(lines):
        if hl.marked is not None:
            if site is None and hl.marked == "navigation" and site_like(hl.text):
                site = hl.text.strip()
            continue
        by = parse_byline(hl.text)
        dl = dateline(hl.text)
        if by and author is None:
            author, roles[pos] = by, "meta.byline"
        if dl:
            dates.append((pos, dl[0], dl[1]))
            roles.setdefault(pos, "meta.dateline")
        found_site = (
            _site_in(hl.text, segments=bool(dl) or "|" in hl.text) if len(hl.text.split()) <= 14 else None
        )
        if found_site:
            site = site or found_site
            roles.setdefault(pos, "meta.site")
    free = [p for p, hl in enumerate(lines) if hl.marked is None and p not in roles]
    candidates = [p for p in free if _headline_like(lines[p].text)]
    names = [p for p in candidates if name_line(lines[p].text) and _next_to(p, roles, lines)]
    if author is None and names and len(candidates) > len(names):
        author, roles[names[0]] = lines[names[0]].text.strip(), "meta.author_line"
        candidates = [p for p in candidates if p != names[0]]
    cut = _article_cut(lines, roles)
    title_pos = _pick_title([p for p in candidates if p > cut] or candidates, roles, lines, cut)
    if title_pos is not None:
        roles[title_pos] = "meta.title"
    meta = Metadata(
        title=lines[title_pos].text.strip() if title_pos is not None else None,
        author=author,
        site=site,
        published=_pick_date([d for d in dates if d[0] > cut] or dates),
    )
    guess = _masthead_guess(lines, roles, title_pos) if site is None else None
    return HeaderResult(metadata=meta, roles=roles, title_pos=title_pos, site_guess=guess)


def _masthead_guess(lines: Sequence[HeaderLine], roles: dict[int, str], title_pos: int | None) -> int | None:
    """The nearest free line above the headline when it looks like a masthead (2-4 capitalised words)."""
    if title_pos is None:
        return None
    for p in range(title_pos - 1, -1, -1):
        if lines[p].marked is not None or p in roles:
            continue
        toks = lines[p].text.split()
        ok = 2 <= len(toks) <= 4 and all(t[0].isupper() and not any(ch.isdigit() for ch in t) for t in toks)
        return p if ok and not _ends_terminal(lines[p].text) and not lines[p].text.endswith(":") else None
    return None


def _next_to(pos: int, roles: dict[int, str], lines: Sequence[HeaderLine]) -> bool:
    """True when the nearest unmarked neighbour above or below is a metadata line."""
    for step in (-1, 1):
        p = pos + step
        while 0 <= p < len(lines) and lines[p].marked is not None:
            p += step
        if p in roles:
            return True
    return False


def _article_cut(lines: Sequence[HeaderLine], roles: dict[int, str]) -> int:
    """Position of the last menu line that still has a byline or dateline below it, else -1.

    Menus never split a headline from its byline: what sits above the last such menu line
    (a tagline, today's date, a weather line) belongs to the page, not to the article.
    """
    meta = [p for p, r in roles.items() if r in ("meta.byline", "meta.dateline")]
    if not meta:
        return -1
    nav = [p for p in range(max(meta)) if lines[p].marked == "navigation"]
    return nav[-1] if nav else -1


#: Without a byline or dateline, the first header line with this many words is the headline;
#: above a byline one word fewer will do. Shorter lines are series labels or sections.
_HEADLINE_MIN_WORDS = 5


def _pick_title(
    candidates: list[int], roles: dict[int, str], lines: Sequence[HeaderLine], cut: int = -1
) -> int | None:
    if not candidates:
        return None

    words = {p: len(lines[p].text.split()) for p in candidates}
    kinds = ("meta.byline", "meta.dateline", "meta.author_line")
    meta_pos = [p for p, r in roles.items() if r in kinds and p > cut]
    if meta_pos:
        before = [p for p in candidates if p < min(meta_pos)]
        if before:
            # the nearest real headline above the byline; a 2-3 word line there is a label
            full = [p for p in before if words[p] >= _HEADLINE_MIN_WORDS - 1]
            return (full or before)[-1]
    full = [p for p in candidates if words[p] >= _HEADLINE_MIN_WORDS]
    return (full or candidates)[0]


def extract_text_metadata(lines_or_text: str | Sequence[str]) -> Metadata:
    """Metadata of a flattened page.

    Given a whole text, this runs the flattened-text cleaner (boilerplate first, so a cookie
    banner cannot pass for the headline) and returns its metadata. Given a sequence of lines,
    they are read as the page header: every line before the first prose line; a copyright
    line anywhere among them can still name the site.
    """
    if isinstance(lines_or_text, str):
        from narrascope.clean.flattened import clean_flattened

        return clean_flattened(lines_or_text).metadata
    lines = [ln.strip() for ln in lines_or_text if ln.strip()]
    end = next((i for i, ln in enumerate(lines) if is_prose(ln)), len(lines))
    meta = analyse_header([HeaderLine(ln) for ln in lines[:end]]).metadata
    if meta.site is None:
        for ln in lines:
            site = site_from_copyright(ln)
            if site:
                return meta.merged(Metadata(site=site))
    return meta
