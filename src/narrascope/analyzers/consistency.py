"""``consistency.v1``: internal contradictions and warning signs inside one document.

Kinds (contract ``issues[].kind``):
- ``date_inconsistency``: an event date with a written year that contradicts the publication
  date: the same day and month as an event the text calls recent ("on Saturday") but another
  year; a year-dated event far before publication in a sentence that calls it recent; an event
  after publication. A copyright year older than the events reported is reported here too
  (kind ``date_inconsistency``, the message says "copyright").
- ``name_anomaly``: a place name that is a near miss of the place the article is about
  (Belgrade in an article about Belgorod): string similarity >= 0.7, different gazetteer places.
- ``number_inconsistency``: casualty figures for one incident that cannot both be true, with
  no revision cue ("rose to", "later") between them.
- ``unsupported_language``: text whose language or script the English analyzers cannot read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from narrascope.analyzers._doc.dates import RECENT, DateMatch, find_dates, parse_published
from narrascope.analyzers._doc.text import guess_language, sentences
from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.model import Document
from narrascope.registry import register_analyzer

NEAR_MISS = 0.7  # difflib ratio; Belgrade/Belgorod = 0.75, Kyiv/Kiev are aliases and never compared
STALE_DAYS = 180  # a year-dated event this much older than publication is not "recent"
FUTURE_DAYS = 2  # time-zone slack for events dated after publication
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bCopyright\b)\s*(?:(?:19|20)\d\d\s*[-–]\s*)?(?P<y>(?:19|20)\d\d)", re.I)
SUPPORTED = frozenset({"en"})


def _ev(text: str, s: int, e: int) -> dict[str, Any]:
    return {"start": s, "end": e, "quote": text[s:e]}


def _issue(kind: str, message: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": kind, "message": message, "evidence": evidence}


def date_issues(text: str, pub: dt.date | None) -> list[dict[str, Any]]:
    if pub is None:
        return []
    dates = find_dates(text, pub)
    out = []
    recent = [d for d in dates if d.recent and not d.explicit_year and d.precision == "day" and d.value]
    for d in dates:
        if not d.explicit_year or d.precision != "day" or not d.value:
            continue
        when = dt.date.fromisoformat(d.value)
        twin = next(
            (r for r in recent if r.value and r.value[5:] == d.value[5:] and r.value[:4] != d.value[:4]), None
        )
        if twin is not None:
            out.append(
                _issue(
                    "date_inconsistency",
                    f"'{text[d.start : d.end]}' has the same day as the recent event "
                    f"'{text[twin.start : twin.end]}' ({twin.value}) but the year {d.value[:4]}; publication date {pub}.",
                    [_ev(text, d.start, d.end), _ev(text, twin.start, twin.end)],
                )
            )
        elif (pub - when).days > STALE_DAYS and _recent_in_sentence(text, d):
            out.append(
                _issue(
                    "date_inconsistency",
                    f"'{text[d.start : d.end]}' is {(pub - when).days} days before the "
                    f"publication date {pub} but the sentence presents it as recent.",
                    [_ev(text, d.start, d.end)],
                )
            )
        elif (when - pub).days > FUTURE_DAYS:
            out.append(
                _issue(
                    "date_inconsistency",
                    f"'{text[d.start : d.end]}' is after the publication date {pub}.",
                    [_ev(text, d.start, d.end)],
                )
            )
    return out


def _recent_in_sentence(text: str, d: DateMatch) -> bool:
    for s, e in sentences(text, max(0, d.start - 400), min(len(text), d.end + 400)):
        if s <= d.start < e:
            return bool(RECENT.search(text, s, e))
    return False


def copyright_issues(
    doc: Document, incidents: list[dict[str, Any]], pub: dt.date | None
) -> list[dict[str, Any]]:
    years = [int(i["date"]["value"][:4]) for i in incidents if i.get("date")]
    latest = max(years) if years else (pub.year if pub else None)
    if latest is None:
        return []
    out = []
    for m in _COPYRIGHT.finditer(doc.text):
        y = int(m.group("y"))
        if y < latest:
            out.append(
                _issue(
                    "date_inconsistency",
                    f"copyright year {y} is older than the events reported ({latest}).",
                    [_ev(doc.text, m.start(), m.end())],
                )
            )
    anchor = _first_date_evidence(doc.text, incidents)
    for block in doc.removed:
        for m in _COPYRIGHT.finditer(block.text):
            y = int(m.group("y"))
            if y < latest and anchor is not None:
                out.append(
                    _issue(
                        "date_inconsistency",
                        f"copyright year {y} in a removed {block.kind} block "
                        f"('{m.group(0)}') is older than the events reported ({latest}).",
                        [anchor],
                    )
                )
    return out


def _first_date_evidence(text: str, incidents: list[dict[str, Any]]) -> dict[str, Any] | None:
    for inc in incidents:
        de = inc.get("date_evidence") or (inc.get("evidence") or [None])[0]
        if de:
            return _ev(text, de["start"], de["end"])
    return None


def name_issues(text: str, entities: list[dict[str, Any]], title: str | None = None) -> list[dict[str, Any]]:
    places = [e for e in entities if e["type"] in {"GPE", "LOC"} and e.get("country") != e["canonical"]]
    counts = Counter(e["canonical"] for e in places)
    if not counts:
        return []
    # what the article is about: mentions, +2 when the headline names it, +0.5 for the first place named
    score = {name: k + (2 if title and name in title else 0) for name, k in counts.items()}
    score[places[0]["canonical"]] += 0.5
    dominant = max(sorted(score), key=lambda name: score[name])
    n = score[dominant]
    if n < 2:
        return []
    out = []
    for name, k in sorted(counts.items()):
        if name == dominant or k * 2 > n:
            continue
        ratio = difflib.SequenceMatcher(None, name.lower(), dominant.lower()).ratio()
        if ratio >= NEAR_MISS and name[:2].lower() == dominant[:2].lower():
            odd = [e for e in places if e["canonical"] == name]
            dom = next(e for e in places if e["canonical"] == dominant)
            out.append(
                _issue(
                    "name_anomaly",
                    f"'{name}' ({odd[0].get('country') or 'unknown country'}) appears {k}x in an "
                    f"article about '{dominant}' ({counts[dominant]}x): a near-miss spelling?",
                    [_ev(text, e["start"], e["end"]) for e in odd] + [_ev(text, dom["start"], dom["end"])],
                )
            )
    return out


def number_issues(text: str, incidents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for inc in incidents:
        for field in ("killed", "injured"):
            figs = [f for f in inc.get("casualty_evidence") or [] if f["field"] == field]
            for a, b in itertools.pairwise(figs):
                additive = _ADDITIVE.search(a["quote"] + " " + b["quote"])
                if b["revision"] or a["revision"] or additive or _intersects(a, b) or _other_scope(a, b):
                    continue
                out.append(
                    _issue(
                        "number_inconsistency",
                        f"{field} figures for incident {inc['id']} disagree: "
                        f"'{a['quote']}' vs '{b['quote']}', with no revision cue.",
                        [_ev(text, a["start"], a["end"]), _ev(text, b["start"], b["end"])],
                    )
                )
    return out


_ADDITIVE = re.compile(r"\b(?:more|other|others|another|additional|further)\b", re.I)


SCOPE_RATIO = 3  # a figure over 3x the other counts a wider scope (a city-wide wave vs one site)


def _other_scope(a: dict[str, Any], b: dict[str, Any]) -> bool:
    lo, hi = sorted([(a["min"] or a["max"] or 0), (b["min"] or b["max"] or 0)])
    return hi > SCOPE_RATIO * max(lo, 1)


def _intersects(a: dict[str, Any], b: dict[str, Any]) -> bool:
    lo = max(a["min"] or 0, b["min"] or 0)
    hi = min(a["max"] if a["max"] is not None else 10**9, b["max"] if b["max"] is not None else 10**9)
    return lo <= hi


def language_issues(doc: Document) -> list[dict[str, Any]]:
    text = doc.text
    if not text.strip():
        return []
    lang, script = guess_language(text, doc.language)
    out = []
    if lang not in SUPPORTED:
        first = sentences(text, 0, min(len(text), 2000))[:1] or [(0, min(len(text), 200))]
        what = f"script '{script}'" if script not in {"latin", "cyrillic"} else f"language '{lang}'"
        out.append(
            _issue(
                "unsupported_language",
                f"{what}: only dictionary entity matching ran; claims and incidents need English text.",
                [_ev(text, first[0][0], min(first[0][1], first[0][0] + 300))],
            )
        )
    for span in doc.language_spans[:5]:
        if span.language not in SUPPORTED and span.end > span.start and lang in SUPPORTED:
            out.append(
                _issue(
                    "unsupported_language",
                    f"passage in '{span.language}' was not analysed.",
                    [_ev(text, span.start, span.end)],
                )
            )
    return out


def decode(
    doc: Document, entities: list[dict[str, Any]], incidents: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """All issues of one document (pure)."""
    pub = parse_published(doc.meta.published.value if doc.meta.published else None)
    issues = language_issues(doc)
    if guess_language(doc.text, doc.language)[0] in SUPPORTED:
        issues += date_issues(doc.text, pub)
        issues += name_issues(doc.text, entities, doc.meta.title)
        issues += number_issues(doc.text, incidents)
    issues += copyright_issues(doc, incidents, pub)
    return issues


class ConsistencyAnalyzer:
    spec = AnalyzerSpec(
        name="consistency.v1", version="1", requires=("incidents", "entities"), produces=("issues",)
    )

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = dict(options)

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        return [
            {
                "issues": decode(
                    d.doc, list(d.prior.get("entities") or []), list(d.prior.get("incidents") or [])
                )
            }
            for d in batch
        ]


@register_analyzer("consistency.v1")
def build_consistency(options: dict[str, Any]) -> ConsistencyAnalyzer:
    return ConsistencyAnalyzer(options)
