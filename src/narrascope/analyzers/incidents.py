"""``incidents.v1``: attacks and other violent events a document reports.

Sentence by sentence: a type trigger (``resources/incident_lexicon.yaml``) plus an anchor
(a casualty figure, a place, a date, a weapon or a target) makes a *mention*; mentions of one
event merge into one incident when type, place and date are compatible (the same place or date,
or a definite anaphor such as "the attack" right after). Sentences without a trigger but with
casualty figures or blame statements attach to the incident just before them. Dates resolve
against ``doc.meta.published``; casualties are ranges (``_doc/numbers.py``); perpetrator claims
combine the agent patterns with the attributed claims from ``claims.v1``.

Options: ``attach_window`` (sentences a trigger-less sentence may look back, default 3).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from narrascope.analyzers._doc import incident_rules as rules
from narrascope.analyzers._doc.casualties import Figure, find_figures
from narrascope.analyzers._doc.dates import DateMatch, find_dates, parse_published
from narrascope.analyzers._doc.perpetrators import dedupe, perpetrator_claims
from narrascope.analyzers._doc.text import SpanIndex, guess_language, sentences
from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.registry import register_analyzer

METHOD_ORDER = (
    "missile_strike",
    "air_strike",
    "drone_strike",
    "shelling",
    "sabotage",  # "called sabotage" wins over the explosive used
    "bombing",
    "terrorist_attack",
    "shooting",
    "ground_assault",
)
STRIKE_FAMILY = frozenset({"missile_strike", "air_strike", "drone_strike", "shelling", "bombing", "other"})
_ANAPHOR = re.compile(
    r"\b(?:the|this|that|Saturday's|Friday's|Sunday's|yesterday's|last week's)\s+(?:\w+\s+)?(?:attack|strike|shelling|"
    r"bombing|blast|explosion|assault|raid|massacre|tragedy|incident|attacks)\b",
    re.I,
)
# "the ministry said on Monday": the date of the statement, not of the event.
_STATEMENT_DATE = re.compile(
    r"\b(?:said|says|told \w+|stated|announced|reported|added|wrote|posted|confirmed|according to \w+)\s*$",
    re.I,
)
# Pre-filters (a sentence without any of these words cannot yield figures or blame).
_TOLL_WORDS = re.compile(
    r"kill|dead|death|died|injur|wound|hurt|toll|casualt|lives|bodies|hospitali|perish|slain", re.I
)
_BLAME_WORDS = re.compile(
    r"accus|blam|denied|denies|deny|reject|dismiss|responsib|behind|attribut|involve|claimed|struck|hit|"
    r"launched|fired|attack|strike|shell|bomb|drone|missile|target|accountab|provocation|staged|nothing to do",
    re.I,
)


# "Russian claims", "a Russian provocation": whose version, not who attacked.
@dataclass
class Mention:
    idx: int  # sentence index
    s: int
    e: int
    type: str | None
    loc: dict[str, Any] | None
    date: DateMatch | None
    figures: list[Figure]
    weapons: list[str]
    targets: list[str]
    perps: list[dict[str, Any]]
    anaphoric: bool
    no_merge: bool = False
    para: int = 0


@dataclass
class Inc:
    mentions: list[Mention] = field(default_factory=list)

    def typ(self) -> str:
        """Decided by the method, not the label: any missile -> missile_strike, then air-dropped
        bombs, drones, artillery, placed explosives, sabotage, terrorism, shooting, ground assault."""
        types = {m.type for m in self.mentions if m.type}
        types |= {t for m in self.mentions for w in m.weapons if (t := rules.weapon_type(w))}
        return next((t for t in METHOD_ORDER if t in types), "other")

    def loc(self) -> dict[str, Any] | None:
        locs = [m.loc for m in self.mentions if m.loc]
        cities = [x for x in locs if x.get("country") != x["canonical"]]
        return (cities or locs or [None])[0]

    def date(self) -> DateMatch | None:
        dates = [m.date for m in self.mentions if m.date and m.date.value]
        rank = {"day": 0, "month": 1, "year": 2}
        return min(dates, key=lambda d: rank[d.precision]) if dates else None


def _sentence_mentions(
    text: str, i: int, s: int, e: int, ents: list[dict[str, Any]], claims: list[dict[str, Any]], pub: Any
) -> list[Mention]:
    sent = text[s:e]
    trig = rules.trigger(sent)
    toll = _TOLL_WORDS.search(sent)
    if trig is None and toll is None and not _BLAME_WORDS.search(sent):
        return []  # cheap exit: nothing violent, no casualties, no blame
    figs = [] if toll is None or rules.is_cumulative(sent) else find_figures(text, s, e)
    dates = [
        d
        for d in find_dates(text, pub, s, e)
        if d.value and not _STATEMENT_DATE.search(text, max(s, d.start - 30), d.start)
    ]
    loc = rules.location(text, s, e, ents, s + trig[1] if trig else None)
    weapons, targets = (rules.weapons(sent), rules.targets(sent)) if trig else ([], [])
    perps = perpetrator_claims(text, s, e, ents, claims)
    typ = trig[0] if trig else None
    if typ == "other" and weapons:
        typ = rules.weapon_type(weapons[0]) or typ
    owned = loc is not None and any(p["stance"] == "claimed_responsibility" for p in perps)
    if typ is not None and not owned and not _anchored(typ, figs, loc, dates, weapons, targets):
        typ = None  # ("X claimed responsibility for the attack in Y" is anchored by the claim)
    if typ is None and not figs and not perps:
        return []
    base = Mention(
        i,
        s,
        e,
        typ,
        loc,
        _best_date(dates),
        figs,
        weapons,
        targets,
        perps,
        bool(_ANAPHOR.search(sent)),
    )
    listed = {d.value for d in dates if d.explicit_year and d.precision != "year"}
    if typ is not None and len(listed) >= 2 and not figs:  # a list of background events
        return [
            Mention(i, s, e, typ, loc, d, [], weapons, targets, perps, False, True)
            for d in dates
            if d.value in listed
        ]
    if typ is not None and re.search(r"\b(?:twice|two times)\b", sent) and not figs:
        return [Mention(i, s, e, typ, loc, None, [], weapons, targets, perps, False, True) for _ in range(2)]
    if typ is not None:
        return _wave(text, base, ents)
    return [base]


_COUNTRY_WIDE = re.compile(
    r"\b(?:across (?:the country|Ukraine|Russia)|(?:at|on|against) (?:Ukraine|Russia)\b|and other (?:cities|regions|towns)|"
    r"(?:several|multiple|many) regions|nationwide|country-wide)",
    re.I,
)


def _wave(text: str, m: Mention, ents: list[dict[str, Any]]) -> list[Mention]:
    """A strike on several named places: one incident per place, unless the text frames the wave
    as an attack on a whole country ("across Ukraine", "and other cities") -> that country."""
    sent = text[m.s : m.e]
    framing = _COUNTRY_WIDE.search(sent)
    if framing:
        country = next(
            (
                x
                for x in ents
                if x["type"] == "GPE"
                and x.get("country") == x["canonical"]
                and m.s + framing.start() <= x["start"] < m.s + framing.end()
            ),
            None,
        )
        country = country or (m.loc and {"canonical": m.loc.get("country"), "country": m.loc.get("country")})
        if country and country.get("canonical"):
            m.loc = {
                "canonical": country["canonical"],
                "country": country.get("country") or country["canonical"],
            }
        return [m]
    places = [
        x
        for x in ents
        if x["type"] == "GPE"
        and x.get("country")
        and x["country"] != x["canonical"]
        and not rules.incidental(text, x, m.s, m.e)
    ]
    names = list(dict.fromkeys(x["canonical"] for x in places))
    listed = _LISTED.match(text, places[0]["end"], places[-1]["start"]) if len(names) >= 2 else None
    if m.loc is None or listed is None or listed.end() < places[-1]["start"]:
        return [m]
    out = []
    for k, name in enumerate(names):
        x = next(p for p in places if p["canonical"] == name)
        out.append(
            Mention(
                m.idx,
                m.s,
                m.e,
                m.type,
                x,
                m.date,
                m.figures if k == 0 else [],
                m.weapons,
                m.targets,
                m.perps,
                m.anaphoric,
                True,
                m.para,
            )
        )
    return out


_LISTED = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+|(?-i:[A-Z])[\w'’-]+)+", re.I)


def _best_date(dates: list[DateMatch]) -> DateMatch | None:
    """The most precise date of a sentence ("this week … on 30 December" -> 30 December), first among equals."""
    rank = {"day": 0, "month": 1, "year": 2}
    return min(dates, key=lambda d: (rank[d.precision], d.start)) if dates else None


def _anchored(
    typ: str, figs: list[Figure], loc: Any, dates: list[DateMatch], weapons: list[str], targets: list[str]
) -> bool:
    if typ == "other":
        return (
            bool(figs) or (loc is not None and bool(weapons or targets or dates)) or bool(dates and targets)
        )
    if typ == "ground_assault":
        return bool(figs) or (loc is not None and bool(dates))
    return bool(figs or loc or dates or weapons or targets)


def compatible(inc: Inc, m: Mention, window: int) -> bool:
    last = inc.mentions[-1]
    if last.no_merge or m.no_merge:
        return False
    loc, date = inc.loc(), inc.date()
    if m.type and inc.typ() != "other" and m.type != "other" and m.type != inc.typ():
        both_known = bool(m.loc and loc and m.date and date)
        if not (m.type in STRIKE_FAMILY and inc.typ() in STRIKE_FAMILY and both_known):
            return False
    if (
        m.loc
        and loc
        and m.loc["canonical"] != loc["canonical"]
        and m.loc.get("country") != loc["canonical"]
        and loc.get("country") != m.loc["canonical"]
    ):
        return False
    if m.date and date and not _dates_agree(m.date, date):
        return False
    same_place = bool(m.loc and loc and m.loc["canonical"] == loc["canonical"])
    if same_place and loc and loc.get("country") == loc["canonical"] and m.para != last.para:
        same_place = False  # the same country in another paragraph is no evidence of the same event
    same_day = bool(m.date and date and m.date.value == date.value)
    one_unplaced = not (m.loc and loc)
    same = same_place or (
        same_day and (m.para == last.para or m.anaphoric or (one_unplaced and date.precision == "day"))
    )
    blame_only = m.type is None and not m.figures
    reach = window * 3 if blame_only else window  # blame statements come later in an article
    near = m.idx - last.idx <= reach and m.para - last.para <= (1 if blame_only else 0)
    # a typed mention with no place, date or figures of its own, later in the article, most often
    # continues the story's main incident ("Russia's defence ministry said Ukrainian forces had fired …")
    follow_up = bool(m.type) and not m.loc and not m.date and not m.figures and m.idx - last.idx <= reach * 3
    return (
        same
        or follow_up
        or (near and (m.anaphoric or m.type is None or (not m.loc and not m.date) or m.type == inc.typ()))
    )


def _dates_agree(a: DateMatch, b: DateMatch) -> bool:
    va, vb = a.value or "", b.value or ""
    return va.startswith(vb) or vb.startswith(va)


def merge(mentions: list[Mention], window: int) -> list[Inc]:
    incs: list[Inc] = []
    for m in mentions:
        target = next((inc for inc in reversed(incs) if compatible(inc, m, window)), None)
        if target is None and m.type is None:
            continue  # casualties or blame with no event to attach to
        if target is None:
            incs.append(Inc([m]))
        else:
            target.mentions.append(m)
    return incs


def _best(figs: list[Figure]) -> Figure | None:
    """The toll to report: the latest revised figure ("rose to 25") if any, else the first one
    the text gives (when accounts disagree, the others stay in ``casualty_evidence``)."""
    revised = [f for f in figs if f.revision]
    if revised:
        return max(revised, key=lambda f: f.start)
    return min(figs, key=lambda f: f.start) if figs else None


def to_json(inc: Inc, text: str, doc_id: str, ordinal: int = 0) -> dict[str, Any]:
    figs = [f for m in inc.mentions for f in m.figures]
    best = {k: _best([f for f in figs if f.field == k]) for k in ("killed", "injured", "children_killed")}
    if best["killed"] is None and best["children_killed"] is not None:
        killed: dict[str, Any] | None = {"min": best["children_killed"].count.min, "max": None}
    else:
        killed = best["killed"].count.to_json() if best["killed"] else None
    loc, date = inc.loc(), inc.date()
    first = inc.mentions[0]
    ev = sorted({(m.s, m.e) for m in inc.mentions})
    return {
        "id": "inc-" + hashlib.sha1(f"{doc_id}:{first.s}:{inc.typ()}:{ordinal}".encode()).hexdigest()[:10],
        "type": inc.typ(),
        "location": {"name": loc["canonical"], "country": loc.get("country")} if loc else None,
        "date": date.to_json() if date else None,
        "killed": killed,
        "injured": best["injured"].count.to_json() if best["injured"] else None,
        "children_killed": best["children_killed"].count.to_json() if best["children_killed"] else None,
        "weapons": rules.drop_generic(_union(m.weapons for m in inc.mentions)),
        "targets": _union(m.targets for m in inc.mentions),
        "perpetrator_claims": dedupe([p for m in inc.mentions for p in m.perps]),
        "evidence": [{"start": s, "end": e, "quote": text[s:e]} for s, e in ev],
        "casualty_evidence": [
            {
                "field": f.field,
                **f.count.to_json(),
                "revision": f.revision,
                "start": f.start,
                "end": f.end,
                "quote": text[f.start : f.end],
            }
            for f in figs
        ],
        "date_evidence": _date_ev(date, text),
    }


def _date_ev(d: DateMatch | None, text: str) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "start": d.start,
        "end": d.end,
        "quote": text[d.start : d.end],
        "explicit_year": d.explicit_year,
        "recent": d.recent,
    }


def _union(lists: Any) -> list[str]:
    out: list[str] = []
    for lst in lists:
        out.extend(x for x in lst if x not in out)
    return out


def claims_in(claims: list[dict[str, Any]], s: int, e: int) -> list[dict[str, Any]]:
    """Claims overlapping ``[s, e)`` (claims are sorted by start and never longer than a few sentences)."""
    starts = [c["start"] for c in claims]
    lo = bisect.bisect_left(starts, s - 5000)
    hi = bisect.bisect_left(starts, e)
    return [c for c in claims[lo:hi] if c["end"] > s]


def _fallback_location(inc: Inc, text: str, breaks: list[int], index: SpanIndex) -> None:
    """No place in the incident's own sentences: take the paragraph's place if it names exactly one city."""
    first = inc.mentions[0]
    k = bisect.bisect_left(breaks, first.s)
    lo = breaks[k - 1] if k > 0 else 0
    hi = breaks[k] if k < len(breaks) else len(text)
    own = [
        x
        for m in inc.mentions
        for x in index.within(m.s, m.e)
        if _is_city(x) and not rules.incidental(text, x, m.s, m.e)
    ]
    own = [x for x in own if not _SPEAKER_AFTER.match(text, x["end"])]
    if own and len({x["canonical"] for x in own}) == 1:
        first.loc = rules.location(text, own[0]["start"], own[0]["end"], own[:1]) or own[0]
        return
    cities = [x for x in index.within(lo, hi) if _is_city(x) and not rules.incidental(text, x, lo, hi)]
    if len({x["canonical"] for x in cities}) == 1:
        first.loc = cities[0]


_SPEAKER_AFTER = re.compile(
    r"['’]s\s+(?:governor|mayor|officials?|authorities|administration|head)|\s+(?:said|says|told)\b"
)


def _is_city(x: dict[str, Any]) -> bool:
    return x["type"] in {"GPE", "FAC"} and bool(x.get("country")) and x.get("country") != x["canonical"]


def _fallback_date(inc: Inc, text: str, breaks: list[int], pub: Any) -> None:
    """No date in the incident's own sentences: the paragraph's date if it gives exactly one."""
    first = inc.mentions[0]
    k = bisect.bisect_left(breaks, first.s)
    lo = breaks[k - 1] if k > 0 else 0
    hi = breaks[k] if k < len(breaks) else len(text)
    dates = [
        d
        for d in find_dates(text, pub, lo, hi)
        if d.value and not _STATEMENT_DATE.search(text, max(lo, d.start - 30), d.start)
    ]
    if len({d.value for d in dates}) == 1:
        first.date = dates[0]


def decode(
    text: str,
    doc_id: str,
    published: str | None,
    ents: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    window: int = 3,
) -> list[dict[str, Any]]:
    """All incidents of one document (pure; golden-tested)."""
    pub = parse_published(published)
    index = SpanIndex(ents)
    mentions: list[Mention] = []
    breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    for i, (s, e) in enumerate(sentences(text)):
        para = sum(b < s for b in breaks)
        local = index.within(s, e)
        near_claims = (
            [c for c in claims if c["start"] < e and s < c["end"]]
            if len(claims) < 50
            else claims_in(claims, s, e)
        )
        for m in _sentence_mentions(text, i, s, e, local, near_claims, pub):
            m.para = para
            mentions.append(m)
    incs = merge(mentions, window)
    for inc in incs:
        if inc.loc() is None:
            _fallback_location(inc, text, breaks, index)
        if inc.date() is None and not any(m.no_merge for m in inc.mentions):
            _fallback_date(inc, text, breaks, pub)
    firsts = [inc.mentions[0].s for inc in incs]
    return [to_json(inc, text, doc_id, firsts[:k].count(firsts[k])) for k, inc in enumerate(incs)]


class IncidentsAnalyzer:
    spec = AnalyzerSpec(
        name="incidents.v1", version="1", requires=("entities", "claims"), produces=("incidents",)
    )

    def __init__(self, options: dict[str, Any]) -> None:
        self.window = int(options.get("attach_window", 3))

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        out = []
        for item in batch:
            doc = item.doc
            if not doc.text.strip() or guess_language(doc.text, doc.language)[0] != "en":
                out.append({"incidents": []})
                continue
            pub = doc.meta.published.value if doc.meta.published else None
            ents = list(item.prior.get("entities") or [])
            claims = list(item.prior.get("claims") or [])
            out.append({"incidents": decode(doc.text, doc.id, pub, ents, claims, self.window)})
        return out


@register_analyzer("incidents.v1")
def build_incidents(options: dict[str, Any]) -> IncidentsAnalyzer:
    return IncidentsAnalyzer(options)
