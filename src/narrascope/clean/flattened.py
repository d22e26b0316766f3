"""Boilerplate removal for flattened text dumps ("save as text", scraper innerText).

A generic line classifier. The rules are data (``rules/flattened-lines.yaml`` and
``rules/flattened-regions.yaml``); this module only computes line features and applies them:

1. split the text into logical lines (hard-wrapped continuation lines are joined);
2. zone-free line rules (first match wins);
3. region rules: a heading such as "Latest news" or "14 Comments" swallows what follows;
4. zones from the remaining prose: header (before the body), body, footer (after it);
5. zoned line rules and run rules (menus, link lists);
6. header metadata (title, byline, dateline, site) via :mod:`narrascope.clean.textmeta`;
7. assembly: kept lines as paragraphs separated by one blank line, text otherwise untouched.

Every removed line becomes a :class:`RemovedBlock` with the id of the rule that fired.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

from narrascope.clean import textmeta
from narrascope.model import CleanResult, Metadata, RemovedBlock
from narrascope.model.document import REMOVED_KINDS

__all__ = ["clean_flattened", "load_rules", "strip_tracking"]

RULES_DIR = Path(__file__).with_name("rules")
_ZONES = ("any", "header", "body", "footer", "outside_body")
#: Standfirst lines between headline and body shorter than this are dropped as page furniture.
_MIN_STANDFIRST_WORDS = 8
#: Match rules (whole-line patterns) skip lines longer than this unless they set max_words.
_DEFAULT_MATCH_MAX_WORDS = 16
#: Lines longer than this share one rule bucket (the word-count index below is built up to it).
_BUCKET_CAP = 120
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+")


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class LineRule:
    id: str
    kind: str
    reason: str
    match: re.Pattern[str] | None
    search: re.Pattern[str] | None
    all: tuple[re.Pattern[str], ...]
    max_words: int
    min_words: int
    zone: str
    not_date: bool
    action: str
    absorb_heading: bool
    tracking_kind: str | None
    gate: frozenset[str]

    def hits(self, line: _Line) -> bool:
        if not self.min_words <= line.words <= self.max_words:
            return False
        if self.not_date and line.has_date:
            return False
        low = line.text
        if self.match is not None and self.match.fullmatch(low):
            return True
        if self.search is not None and self.search.search(low):
            return True
        return bool(self.all) and all(rx.search(low) for rx in self.all)


@dataclass(frozen=True)
class RegionRule:
    id: str
    kind: str
    reason: str
    start: re.Pattern[str]
    until: str
    min_prose_before: int
    max_member_words: int


@dataclass(frozen=True)
class RunRule:
    id: str
    kind: str
    reason: str
    zone: str
    max_words: int
    min_run: int


@dataclass(frozen=True)
class RepeatRule:
    id: str
    kind: str
    reason: str
    min_count: int
    max_words: int


@dataclass(frozen=True)
class RuleSet:
    lines: tuple[LineRule, ...]
    regions: tuple[RegionRule, ...]
    runs: tuple[RunRule, ...]
    repeats: tuple[RepeatRule, ...]
    tracking_params: re.Pattern[str]
    keep_in_header: re.Pattern[str] | None
    #: by_words[zoned][min(words, _BUCKET_CAP)]: the line rules whose word limits admit the line.
    by_words: tuple[tuple[tuple[LineRule, ...], ...], ...] = ()
    #: Every gate word of every rule (substring tests are cheaper than one big regex).
    gate_words: tuple[str, ...] = ()

    def gates_in(self, low: str) -> frozenset[str]:
        """Gate words present in a lowercased line."""
        return frozenset([w for w in self.gate_words if w in low])


def _join(patterns: Iterable[str] | None) -> re.Pattern[str] | None:
    pats = list(patterns or [])
    if not pats:
        return None
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I)


def _check(entry: dict[str, Any], source: str) -> None:
    for key in ("id", "kind", "reason"):
        if not entry.get(key):
            raise ValueError(f"{source}: rule {entry.get('id')!r} lacks {key!r}")
    if entry["kind"] not in REMOVED_KINDS:
        raise ValueError(f"{source}: rule {entry['id']!r} has unknown kind {entry['kind']!r}")
    if entry.get("zone", "any") not in _ZONES:
        raise ValueError(f"{source}: rule {entry['id']!r} has unknown zone {entry['zone']!r}")


def _line_rule(e: dict[str, Any]) -> LineRule:
    default_max = (
        _DEFAULT_MATCH_MAX_WORDS if e.get("match") and not (e.get("search") or e.get("all")) else 10_000
    )
    return LineRule(
        id=e["id"],
        kind=e["kind"],
        reason=e["reason"],
        match=_join(e.get("match")),
        search=_join(e.get("search")),
        all=tuple(re.compile(p, re.I) for p in e.get("all", [])),
        max_words=int(e.get("max_words", default_max)),
        min_words=int(e.get("min_words", 1)),
        zone=e.get("zone", "any"),
        not_date=bool(e.get("not_date", False)),
        action=e.get("action", "remove"),
        absorb_heading=bool(e.get("absorb_heading", False)),
        tracking_kind=e.get("tracking_kind"),
        gate=frozenset(str(g).lower() for g in e.get("gate", [])),
    )


@cache
def load_rules(rules_dir: Path = RULES_DIR) -> RuleSet:
    """Load and compile the rule files once (cached per directory)."""
    lines_doc = yaml.safe_load((rules_dir / "flattened-lines.yaml").read_text(encoding="utf-8"))
    regions_doc = yaml.safe_load((rules_dir / "flattened-regions.yaml").read_text(encoding="utf-8"))
    entries = [
        *lines_doc["rules"],
        *regions_doc["regions"],
        *regions_doc["runs"],
        *regions_doc.get("repeats", []),
    ]
    seen: set[str] = set()
    for e in entries:
        _check(e, str(rules_dir))
        if e["id"] in seen:
            raise ValueError(f"duplicate rule id {e['id']!r}")
        seen.add(e["id"])
    regions = tuple(
        RegionRule(
            id=e["id"],
            kind=e["kind"],
            reason=e["reason"],
            start=_join(e["start"]) or re.compile(r"(?!)"),
            until=e.get("until", "prose"),
            min_prose_before=int(e.get("min_prose_before", 1)),
            max_member_words=int(e.get("max_member_words", 22)),
        )
        for e in regions_doc["regions"]
    )
    runs = tuple(
        RunRule(
            e["id"],
            e["kind"],
            e["reason"],
            e.get("zone", "outside_body"),
            int(e["max_words"]),
            int(e["min_run"]),
        )
        for e in regions_doc["runs"]
    )
    params = "|".join(lines_doc["tracking_params"])
    line_rules = tuple(_line_rule(e) for e in lines_doc["rules"])
    words = sorted({g for r in line_rules for g in r.gate}, key=len, reverse=True)
    return RuleSet(
        lines=line_rules,
        regions=regions,
        runs=runs,
        repeats=tuple(
            RepeatRule(e["id"], e["kind"], e["reason"], int(e["min_count"]), int(e["max_words"]))
            for e in regions_doc.get("repeats", [])
        ),
        tracking_params=re.compile(rf"^(?:{params})$", re.I),
        keep_in_header=_join(regions_doc.get("keep_in_header")),
        by_words=_index_by_words(line_rules),
        gate_words=tuple(words),
    )


def _index_by_words(rules: tuple[LineRule, ...]) -> tuple[tuple[tuple[LineRule, ...], ...], ...]:
    """Per pass (zone-free, zoned) and word count, the rules worth trying, in file order."""
    return tuple(
        tuple(
            tuple(r for r in rules if (r.zone != "any") == zoned and r.min_words <= w <= r.max_words)
            for w in range(_BUCKET_CAP + 1)
        )
        for zoned in (False, True)
    )


# --------------------------------------------------------------------------- lines


@dataclass(slots=True)
class _Line:
    text: str
    low: str
    words: int
    prose: bool
    has_date: bool
    mark: tuple[str, str] | None = None  # (kind, rule id)


_NOT_CONTINUATION = re.compile(r"^(?:by|posted|published|updated|written)\b", re.I)


def _continues(prev: str, nxt: str) -> bool:
    """A hard-wrapped continuation: the previous line has not ended and this one starts lowercase.

    A lowercase byline or date stamp under a headline ("by Jane Roe on 5 Jan 2024") is not one.
    """
    if len(prev.split()) < 5 or prev.rstrip()[-1:] in '.!?:;"”»)…' or not nxt[:1].islower():
        return False
    return not (_NOT_CONTINUATION.match(nxt) or (len(nxt.split()) <= 8 and textmeta.find_dates(nxt)))


def _logical_lines(text: str) -> list[_Line]:
    parts: list[str] = []
    joinable = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        s = raw.strip()
        if not s:
            joinable = False
            continue
        if joinable and _continues(parts[-1], s):
            parts[-1] += "\n" + s
        else:
            parts.append(s)
        joinable = True
    out = []
    for p in parts:
        words = len(p.split())
        has_date = words <= 20 and bool(textmeta.find_dates(p))
        out.append(_Line(p, p.lower(), words, textmeta.is_prose(p), has_date))
    return out


@dataclass
class _State:
    lines: list[_Line]
    rules: RuleSet
    url: str | None = None
    extra_removed: list[RemovedBlock] = field(default_factory=list)
    body: tuple[int, int] = (0, -1)
    note: bool = False  # a markdown note: its first lines are content, not page chrome
    absorb: list[int] = field(default_factory=list)  # lines whose rule takes the heading above

    def zone_of(self, i: int) -> str:
        start, end = self.body
        if i < start:
            return "note_header" if self.note else "header"
        return "footer" if i > end else "body"


def _in_zone(zone: str, where: str) -> bool:
    """Whether a rule for ``zone`` applies at ``where``; a note's header only takes zone-free rules."""
    return zone == "any" or zone == where or (zone == "outside_body" and where in ("header", "footer"))


# --------------------------------------------------------------------------- passes


def _apply_line_rules(st: _State, zoned: bool) -> None:
    buckets = st.rules.by_words[zoned]
    for i, line in enumerate(st.lines):
        if line.mark is not None:
            continue
        where = st.zone_of(i) if zoned else "any"
        gates: frozenset[str] | None = None
        for rule in buckets[min(line.words, _BUCKET_CAP)]:
            if zoned and not _in_zone(rule.zone, where):
                continue
            if rule.gate:
                gates = st.rules.gates_in(line.low) if gates is None else gates
                if not rule.gate & gates:
                    continue
            if rule.hits(line):
                _fire(st, i, rule)
                break


def _fire(st: _State, i: int, rule: LineRule) -> None:
    line = st.lines[i]
    kind = rule.kind
    if rule.action == "source_url":
        m = _URL.search(line.text)
        if m:
            clean = strip_tracking(m.group(0), st.rules)
            if clean != m.group(0) and rule.tracking_kind:
                kind = rule.tracking_kind
            st.url = st.url or clean
    line.mark = (kind, rule.id)
    if rule.absorb_heading and i > 0:
        st.absorb.append(i)


def _absorb_headings(st: _State) -> None:
    """A box's own short heading ("Don't miss a story") goes with it, inside the body only."""
    start, end = st.body
    for i in st.absorb:
        prev = st.lines[i - 1]
        if start < i - 1 <= end and prev.mark is None and prev.words <= 8 and not _ends_sentence(prev.text):
            prev.mark = st.lines[i].mark


def _link_like(line: _Line, max_words: int) -> bool:
    return line.words <= max_words and not (line.prose and line.text.rstrip(_CLOSE)[-1:] in ".!…")


_CLOSE = "\"'”’»)]"


def _apply_regions(st: _State) -> None:
    lines = st.lines
    prose_before = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        rule = _region_start(st, line, prose_before)
        if rule is None:
            if line.mark is None and line.prose:
                prose_before += 1
            i += 1
            continue
        if line.mark is None:
            line.mark = (rule.kind, rule.id)
        j = i + 1
        while j < len(lines) and (
            rule.until == "end" or lines[j].mark or _link_like(lines[j], rule.max_member_words)
        ):
            if rule.until != "end" and _region_start(st, lines[j], prose_before) is not None:
                break  # the next heading opens its own region
            if lines[j].mark is None:
                lines[j].mark = (rule.kind, rule.id)
            j += 1
        i = j


def _region_start(st: _State, line: _Line, prose_before: int) -> RegionRule | None:
    if line.words > 8:
        return None
    for rule in st.rules.regions:
        if prose_before >= rule.min_prose_before and rule.start.fullmatch(line.text):
            return rule
    return None


#: A byline or dateline with at most this many prose lines above it still opens the article:
#: those lines are page notices or teasers, not body.
_MAX_PROSE_ABOVE_META = 2
#: ... and it must sit within the first lines of the page (a page header is short).
_MAX_HEADER_LINES = 30


def _apply_repeats(st: _State) -> None:
    """Short lines that recur verbatim (running headers and footers of print/PDF copies)."""
    for rule in st.rules.repeats:
        counts = Counter(ln.text for ln in st.lines if ln.words <= rule.max_words)
        for line in st.lines:
            if line.mark is None and line.words <= rule.max_words and counts[line.text] >= rule.min_count:
                line.mark = (rule.kind, rule.id)


def _set_zones(st: _State) -> None:
    prose = [i for i, ln in enumerate(st.lines) if ln.mark is None and ln.prose]
    if not prose:
        st.body = (0, len(st.lines) - 1)
        return
    start = prose[0]
    limit = min(prose[min(_MAX_PROSE_ABOVE_META, len(prose) - 1)], _MAX_HEADER_LINES)
    headline_seen = False
    for i in range(start + 1, limit):
        line = st.lines[i]
        if line.mark is not None or line.prose:
            continue
        if _is_meta_line(line):
            later = [p for p in prose if p > i]
            if headline_seen and len(later) >= 2:
                start = later[0]
        elif 2 <= line.words <= 30:
            headline_seen = True  # a headline between the notice and the byline
    st.body = (start, prose[-1])


def _is_meta_line(line: _Line) -> bool:
    if line.has_date and textmeta.dateline(line.text) is not None:
        return True
    return textmeta.parse_byline(line.text) is not None


def _apply_runs(st: _State) -> None:
    for rule in st.rules.runs:
        run: list[int] = []
        for i, line in enumerate([*st.lines, None]):
            ok = line is not None and _in_zone(rule.zone, st.zone_of(i))
            if ok and line is not None and line.mark is not None:
                continue  # removed lines neither break nor extend a run
            if ok and line is not None and _run_member(line, rule):
                run.append(i)
                continue
            if len(run) >= rule.min_run:
                for k in run:
                    st.lines[k].mark = (rule.kind, rule.id)
            run = []


def _run_member(line: _Line, rule: RunRule) -> bool:
    """Short, undated, not a byline and not a finished sentence (menus and headlines lack a full stop)."""
    if line.words > rule.max_words or line.prose or line.has_date or _ends_sentence(line.text):
        return False
    return not textmeta.parse_byline(line.text)


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSE)[-1:] in ".!?…"


def _apply_header(st: _State, known: Metadata) -> Metadata:
    """Read metadata from the lines before the body and drop the header furniture.

    With a known title (markdown front matter), only the lines that repeat it or carry a
    byline or date are dropped: the note's own first lines are content.
    """
    start = st.body[0]
    header = [textmeta.HeaderLine(ln.text, ln.mark[0] if ln.mark else None) for ln in st.lines[:start]]
    res = textmeta.analyse_header(header)
    for pos, role in res.roles.items():
        if not (known.title and role in ("meta.title", "meta.site", "meta.author_line")):
            st.lines[pos].mark = ("other", role)
    title_pos = res.title_pos if res.title_pos is not None and not known.title else -1
    keep = st.rules.keep_in_header
    for pos in range(start):
        line = st.lines[pos]
        if line.mark is not None:
            continue
        if known.title:
            if line.text == known.title:
                line.mark = ("other", "meta.title")
        elif pos < title_pos:
            line.mark = ("other", "header.before_title")
        elif keep is not None and keep.fullmatch(line.text):
            continue
        elif line.words < _MIN_STANDFIRST_WORDS and not _ends_sentence(line.text):
            line.mark = ("other", "header.short_line")
    meta = res.metadata
    if meta.site is None:
        meta = meta.merged(Metadata(site=_site_from_footer(st)))
    if meta.site is None and res.site_guess is not None and not known.title:
        guess = st.lines[res.site_guess]
        guess.mark = ("other", "meta.site")
        meta = meta.merged(Metadata(site=guess.text))
    return meta


def _site_from_footer(st: _State) -> str | None:
    for line in st.lines:
        if line.mark and line.mark[0] == "legal":
            site = textmeta.site_from_copyright(line.text)
            if site:
                return site
    return None


# --------------------------------------------------------------------------- URLs


def strip_tracking(url: str, rules: RuleSet | None = None) -> str:
    """``url`` without tracking query parameters (utm_*, fbclid, ...)."""
    rx = (rules or load_rules()).tracking_params
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not rx.match(k)]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _clean_inline_urls(st: _State, text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        url = m.group(0)
        clean = strip_tracking(url, st.rules)
        if clean != url:
            st.extra_removed.append(RemovedBlock("tracking_url", url, "url.tracking_params"))
        return clean

    return _URL.sub(repl, text) if "://" in text else text


# --------------------------------------------------------------------------- entry point


def clean_flattened(text: str, *, known: Metadata | None = None, note: bool = False) -> CleanResult:
    """Remove boilerplate from a flattened page dump and read its metadata.

    ``known`` carries metadata found elsewhere (e.g. markdown front matter); its title is
    removed from the body if it reappears there, and its fields win over what is found here.
    ``note=True`` (used by the markdown cleaner) spares the lines above the first prose line
    from menu and run rules: in a note they are the author's own content.
    """
    known = known or Metadata()
    st = _State(_logical_lines(text.replace("\ufeff", "")), load_rules(), note=note)
    _apply_line_rules(st, zoned=False)
    _apply_repeats(st)
    _apply_regions(st)
    _set_zones(st)
    _absorb_headings(st)
    _apply_line_rules(st, zoned=True)
    _apply_runs(st)
    meta = _apply_header(st, known)
    meta = known.merged(meta.merged(Metadata(url=st.url)))
    return _assemble(st, meta)


def _assemble(st: _State, meta: Metadata) -> CleanResult:
    kept: list[str] = []
    removed: list[RemovedBlock] = []
    prev_removed = False
    for line in st.lines:
        if line.mark is None:
            kept.append(_clean_inline_urls(st, line.text))
            prev_removed = False
            continue
        kind, rule = line.mark
        last = removed[-1] if removed else None
        # Adjacent lines removed by the same rule form one block (one banner, one menu).
        if prev_removed and last is not None and last.rule == rule and not rule.startswith("meta."):
            removed[-1] = RemovedBlock(kind, last.text + "\n" + line.text, rule)
        else:
            removed.append(RemovedBlock(kind, line.text, rule))
        prev_removed = True
    removed.extend(st.extra_removed)
    return CleanResult(text="\n\n".join(kept), removed=tuple(removed), metadata=meta)
