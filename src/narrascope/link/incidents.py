"""Cross-document incident linking: one real-world incident across many sources.

Mentions (one per incident reported in a document) are clustered with must-link rules on
type family, canonical place (same, inside, or near), resolved date (with its precision) and
evidence-word overlap; cannot-link on distant dates or incompatible places; and mentions
without a date (passing references such as "the bombings of Belgorod") are attached
afterwards to the one compatible incident that happened before the article was published.

Cost: mentions are blocked by (day, grid cell) and compared only with the neighbouring day
buckets of their own and neighbouring cells, so the work grows with the corpus size times
the local density, not with its square (see ``narrascope bench link``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from narrascope.link import facts as factmod
from narrascope.link.geo import compatible
from narrascope.link.text import STOPWORDS

FAMILIES = {
    "shelling": "strike",
    "missile_strike": "strike",
    "air_strike": "strike",
    "drone_strike": "strike",
    "bombing": "strike",
    "terrorist_attack": "attack",
    "shooting": "attack",
    "sabotage": "sabotage",
    "ground_assault": "assault",
    "other": "*",
}
#: Day slack between two day-precision dates of one incident. Reason: overnight attacks are
#: dated to either day, and time zones shift wire copy by a day.
DAY_SLACK = 1
#: How far before publication an undated passing reference may point (days).
ATTACH_WINDOW_DAYS = 400
#: Evidence-word Jaccard needed to link mentions whose place is unknown on one side.
MIN_TOKEN_OVERLAP = 0.2

_WORD = re.compile(r"[^\W\d_]{4,}", re.U)
#: Domain words every report of an attack shares: they say nothing about which attack.
_STOP = STOPWORDS | frozenset(["attack", "attacks", "injured", "killed", "people", "strike", "struck"])


@dataclass
class Mention:
    idx: int
    doc: str
    local: str
    source: str
    site: str | None
    published: date | None
    type: str
    place: str | None
    country: str | None
    lo: date | None
    hi: date | None
    precision: str | None
    tokens: frozenset[str]
    incident: dict[str, Any] = field(repr=False)
    record_order: int = 0
    #: True when ``place`` was not reported for this incident but taken from its article's
    #: dominant place (used to link, never reported as a fact).
    soft_place: bool = False


def parse_range(d: dict[str, Any] | None) -> tuple[date | None, date | None, str | None]:
    """A contract date to an inclusive ``(lo, hi, precision)`` range."""
    if not d or not d.get("value"):
        return None, None, None
    v, prec = str(d["value"]), str(d.get("precision") or "day")
    try:
        parts = [int(x) for x in v.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return day, day, "day"
        if len(parts) == 2:
            lo = date(parts[0], parts[1], 1)
            hi = (lo.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return lo, hi, "month"
        return date(parts[0], 1, 1), date(parts[0], 12, 31), prec
    except ValueError:
        return None, None, None


def _tokens(inc: dict[str, Any]) -> frozenset[str]:
    words: set[str] = set()
    for ev in inc.get("evidence") or []:
        words.update(w.lower() for w in _WORD.findall(ev.get("quote", "")))
    return frozenset(words - _STOP)


def source_groups(records: Sequence[dict[str, Any]]) -> dict[str, str]:
    """doc id → independent-source key: same site, or near-duplicate (syndicated) copies, are one."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in records:
        find("doc:" + r["id"])
        if r.get("site"):
            union("doc:" + r["id"], "site:" + str(r["site"]).lower())
        if r.get("duplicate_of"):
            union("doc:" + r["id"], "doc:" + str(r["duplicate_of"]))
    return {r["id"]: find("doc:" + r["id"]) for r in records}


def dominant_place(record: dict[str, Any]) -> str | None:
    """The article's main place: the most reported incident place, else the most mentioned
    town-level entity (a place whose canonical name is not its own country)."""
    places = Counter(
        str((i.get("location") or {}).get("name"))
        for i in record.get("incidents") or []
        if (i.get("location") or {}).get("name")
    )
    if places:
        return sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    ents = Counter(
        str(e["canonical"])
        for e in record.get("entities") or []
        if e.get("type") in ("GPE", "LOC", "FAC")
        and e.get("canonical")
        and e.get("country")
        and e.get("canonical") != e.get("country")
    )
    return sorted(ents.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if ents else None


def mentions_of(records: Sequence[dict[str, Any]]) -> list[Mention]:
    groups = source_groups(records)
    out: list[Mention] = []
    for order, r in enumerate(records):
        pub_lo, _, _ = parse_range(r.get("published"))
        doc_place = dominant_place(r)
        for inc in r.get("incidents") or []:
            lo, hi, prec = parse_range(inc.get("date"))
            loc = inc.get("location") or {}
            soft = not loc.get("name") and doc_place is not None
            out.append(
                Mention(
                    len(out),
                    r["id"],
                    str(inc.get("id")),
                    groups[r["id"]],
                    r.get("site"),
                    pub_lo,
                    str(inc.get("type") or "other"),
                    loc.get("name") or doc_place,
                    loc.get("country"),
                    lo,
                    hi,
                    prec,
                    _tokens(inc),
                    inc,
                    order,
                    soft,
                )
            )
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def type_compatible(a: str, b: str) -> bool:
    fa, fb = FAMILIES.get(a, "*"), FAMILIES.get(b, "*")
    return fa == fb or "*" in (fa, fb) or ({fa, fb} == {"strike", "attack"} and "bombing" in (a, b))


def dates_compatible(a_lo: date | None, a_hi: date | None, b_lo: date | None, b_hi: date | None) -> bool:
    if a_lo is None or b_lo is None or a_hi is None or b_hi is None:
        return True
    slack = timedelta(days=DAY_SLACK)
    return a_lo <= b_hi + slack and b_lo <= a_hi + slack


def linkable(a: Mention, b: Mention) -> bool:
    """Must-link test for two dated mentions from different documents."""
    if a.doc == b.doc or not type_compatible(a.type, b.type):
        return False
    if not dates_compatible(a.lo, a.hi, b.lo, b.hi):
        return False
    if a.place and b.place:
        return compatible(a.place, b.place)
    return a.type == b.type and _jaccard(a.tokens, b.tokens) >= MIN_TOKEN_OVERLAP


class _Clusters:
    """Union-find whose merges are checked against every member (no chaining drift)."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.m = mentions
        self.parent = list(range(len(mentions)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def try_union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        a, b = self.members[ri], self.members[rj]
        docs_a = {self.m[x].doc for x in a}
        if any(self.m[y].doc in docs_a for y in b):
            return False  # one document's distinct incidents stay distinct
        for x in a:
            for y in b:
                mx, my = self.m[x], self.m[y]
                if not dates_compatible(mx.lo, mx.hi, my.lo, my.hi):
                    return False
                if mx.place and my.place and not compatible(mx.place, my.place):
                    return False
        keep, drop = (ri, rj) if ri < rj else (rj, ri)
        self.parent[drop] = keep
        self.members[keep] = sorted(a + b)
        del self.members[drop]
        return True


def candidate_pairs(mentions: Sequence[Mention]) -> Iterable[tuple[int, int]]:
    """Blocking: a dated mention meets mentions of the same or next day in its own and the
    neighbouring grid cells; a mention without a place meets every mention of those days."""
    from narrascope.link.geo import cell, neighbour_cells

    by_day: dict[date, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(list))
    placeless: dict[date, list[int]] = defaultdict(list)
    for m in mentions:
        if m.lo is None or m.hi is None or (m.hi - m.lo).days > 31:
            continue
        d = m.lo
        while d <= m.hi:
            if m.place:
                by_day[d][cell(m.place)].append(m.idx)
            else:
                placeless[d].append(m.idx)
            d += timedelta(days=1)
    seen: set[tuple[int, int]] = set()

    def emit(i: int, j: int) -> Iterable[tuple[int, int]]:
        a, b = (i, j) if i < j else (j, i)
        if a != b and (a, b) not in seen and mentions[a].doc != mentions[b].doc:
            seen.add((a, b))
            yield a, b

    for day in sorted(set(by_day) | set(placeless)):
        days = (day, day + timedelta(days=1))
        for c, here in by_day.get(day, {}).items():
            near = [j for d2 in days for nc in neighbour_cells(c) for j in by_day.get(d2, {}).get(nc, [])]
            near += [j for d2 in days for j in placeless.get(d2, [])]
            for i in here:
                for j in near:
                    yield from emit(i, j)
        for i in placeless.get(day, []):
            everyone = [j for d2 in days for js in by_day.get(d2, {}).values() for j in js]
            everyone += [j for d2 in days for j in placeless.get(d2, [])]
            for j in everyone:
                yield from emit(i, j)


def cluster(mentions: Sequence[Mention]) -> list[list[int]]:
    cl = _Clusters(mentions)
    pairs = sorted(
        candidate_pairs(mentions), key=lambda p: (-_jaccard(mentions[p[0]].tokens, mentions[p[1]].tokens), p)
    )
    for i, j in pairs:
        if linkable(mentions[i], mentions[j]):
            cl.try_union(i, j)
    _attach_undated(mentions, cl)
    return sorted(cl.members.values(), key=lambda ms: ms[0])


def _attach_undated(mentions: Sequence[Mention], cl: _Clusters) -> None:
    """Attach passing references without a date to the one fitting earlier incident.

    Candidate incidents come from a grid-cell index, so each reference looks only at
    incidents near its place."""
    import bisect

    from narrascope.link.geo import cell, neighbour_cells

    index: dict[Any, list[tuple[date, int]]] = defaultdict(list)
    for root, members in cl.members.items():
        starts = [mentions[x].lo for x in members if mentions[x].place and mentions[x].lo is not None]
        if starts:
            for c in {cell(mentions[x].place) for x in members if mentions[x].place}:
                index[c].append((min(d for d in starts if d is not None), root))
    for entries in index.values():
        entries.sort()
    window = timedelta(days=ATTACH_WINDOW_DAYS)
    for m in mentions:
        if m.lo is not None or not m.place:
            continue
        roots: set[int] = set()
        for nc in neighbour_cells(cell(m.place)):
            entries = index.get(nc, [])
            if m.published is not None:
                lo = bisect.bisect_left(entries, (m.published - window, -1))
                hi = bisect.bisect_right(entries, (m.published + timedelta(days=DAY_SLACK), len(mentions)))
                entries = entries[lo:hi]
            roots.update(cl.find(r) for _, r in entries)
        options: list[tuple[float, int]] = []
        for root in sorted(roots):
            option = _attach_score(m, [mentions[x] for x in cl.members[root]])
            if option is not None:
                options.append((option, root))
        if not options:
            continue
        options.sort(reverse=True)
        if len(options) == 1 or options[0][0] - options[1][0] >= 0.05:
            cl.try_union(m.idx, options[0][1])


def _attach_score(m: Mention, members: list[Mention]) -> float | None:
    """How well an undated reference fits an incident cluster (None: it cannot)."""
    if any(x.idx == m.idx or x.doc == m.doc for x in members):
        return None
    dated = [x for x in members if x.lo is not None]
    if not dated or not all(x.place is None or compatible(m.place or "", x.place) for x in members):
        return None
    if not type_compatible(m.type, dated[0].type):
        return None
    start = min(x.lo for x in dated if x.lo is not None)
    if m.published is not None and not timedelta(0) <= m.published - start <= timedelta(
        days=ATTACH_WINDOW_DAYS
    ):
        return None
    return max(_jaccard(m.tokens, x.tokens) for x in members) + 0.01 * len(members)


def incident_id(members: Sequence[Mention]) -> str:
    """Stable corpus id: hash of the earliest mention's document and local id."""
    first = min(members, key=lambda m: (m.record_order, m.local))
    return "inc-" + hashlib.sha256(f"{first.doc}|{first.local}".encode()).hexdigest()[:12]


def _majority(values: Iterable[Any]) -> Any:
    c = Counter(v for v in values if v)
    return sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0] if c else None


TYPE_LABELS = {
    "terrorist_attack": "Terrorist attack",
    "missile_strike": "Missile strike",
    "drone_strike": "Drone strike",
    "air_strike": "Air strike",
    "shelling": "Shelling",
    "bombing": "Bombing",
    "shooting": "Shooting",
    "sabotage": "Sabotage",
    "ground_assault": "Ground assault",
    "other": "Incident",
}


def summarize(members: Sequence[Mention], records_by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    typ = _majority(m.type for m in members if m.type != "other") or "other"
    place = _majority(m.place for m in members if not m.soft_place) or _majority(m.place for m in members)
    country = _majority(m.country for m in members if m.place == place)
    day = _majority(
        m.incident["date"]["value"] for m in members if m.incident.get("date") and m.precision == "day"
    )
    coarse = _majority(m.incident["date"]["value"] for m in members if m.incident.get("date"))
    dvalue = day or coarse
    precision = (
        "day"
        if day
        else (
            next(
                (
                    m.precision
                    for m in members
                    if m.incident.get("date") and m.incident["date"]["value"] == coarse
                ),
                None,
            )
        )
    )
    docs = sorted({m.doc for m in members}, key=lambda d: (records_by_id[d].get("_order", 0), d))
    label = ", ".join(x for x in (TYPE_LABELS.get(typ, typ), place, dvalue) if x)
    out: dict[str, Any] = {
        "id": incident_id(members),
        "label": label,
        "type": typ,
        "location": {"name": place, "country": country} if place else None,
        "date": {"value": dvalue, "precision": precision} if dvalue else None,
        "documents": docs,
        "sources": len({m.source for m in members}),
        "mentions": [
            {
                "doc": m.doc,
                "incident": m.local,
                "site": m.site,
                "evidence": m.incident.get("evidence", [])[:3],
            }
            for m in members
        ],
    }
    out.update(factmod.compare(members, records_by_id))
    return out


def link_corpus(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Corpus-level fields: ``incidents``, ``timeline``, ``links`` (escalation), ``claim_groups``."""
    from narrascope.link import claims as claimmod
    from narrascope.link import relations

    by_id = {r["id"]: dict(r, _order=i) for i, r in enumerate(records)}
    mentions = mentions_of(records)
    clusters = cluster(mentions)
    incidents = [summarize([mentions[i] for i in c], by_id) for c in clusters]
    local_to_corpus = {
        (mentions[i].doc, mentions[i].local): inc["id"]
        for c, inc in zip(clusters, incidents, strict=True)
        for i in c
    }
    incidents.sort(key=lambda x: ((x.get("date") or {}).get("value") or "9999", x["id"]))
    timeline = [
        {
            "date": x["date"]["value"],
            "precision": x["date"]["precision"],
            "incident": x["id"],
            "label": x["label"],
        }
        for x in incidents
        if x.get("date")
    ]
    links = relations.escalation_links(records, local_to_corpus, {x["id"]: x for x in incidents})
    return {
        "incidents": incidents,
        "timeline": timeline,
        "links": links,
        "claim_groups": claimmod.group_claims(records, local_to_corpus),
    }
