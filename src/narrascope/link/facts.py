"""Facts per source and their status: consensus, contested or single-source.

Independent sources: near-duplicate copies and articles of one site count once (the
``source`` key of a mention). Numbers are ranges that agree when they overlap ("at least 24"
and "25" agree); places agree when compatible (same, inside, near); dates when they overlap
at their precision. Perpetrators are contested when different actors are blamed or when
someone denies the blame another source carries. Every disagreement keeps the quotes of
both sides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from narrascope.link.geo import compatible

POSITIVE = ("asserted", "alleged", "claimed_responsibility", "speculated")
NEGATIVE = ("denied", "dismissed")
NUMERIC = ("killed", "injured", "children_killed")


def render_range(r: dict[str, Any]) -> str:
    lo, hi = r.get("min"), r.get("max")
    if lo is not None and hi is not None:
        return str(lo) if lo == hi else f"{lo}–{hi}"
    if lo is not None:
        return f"at least {lo}"
    if hi is not None:
        return f"at most {hi}"
    return "unknown"


def ranges_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    inf = float("inf")
    alo, blo = float(a.get("min") or 0), float(b.get("min") or 0)
    ahi = float(a["max"]) if a.get("max") is not None else inf
    bhi = float(b["max"]) if b.get("max") is not None else inf
    return alo <= bhi and blo <= ahi


def _quotes(inc: dict[str, Any], limit: int = 2) -> list[dict[str, Any]]:
    return [
        {"start": e["start"], "end": e["end"], "quote": e["quote"]}
        for e in (inc.get("evidence") or [])[:limit]
    ]


def _per_source(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One entry per independent source: its latest-published document's value."""
    best: dict[str, dict[str, Any]] = {}
    for e in entries:
        cur = best.get(e["source"])
        if cur is None or (e.get("published") or "") > (cur.get("published") or ""):
            best[e["source"]] = e
    return best


def _status(field: str, groups: list[tuple[str, list[dict[str, Any]]]], n_sources: int) -> dict[str, Any]:
    """groups: (rendered value, entries) of mutually agreeing positions."""
    if len(groups) > 1:
        return {
            "contested": {
                "field": field,
                "positions": [
                    {
                        "value": v,
                        "documents": sorted({e["doc"] for e in es}),
                        "sources": len({e["source"] for e in es}),
                        "evidence": [{"doc": e["doc"], **q} for e in es for q in e.get("evidence", [])[:1]],
                    }
                    for v, es in groups
                ],
            }
        }
    value, es = groups[0]
    docs = sorted({e["doc"] for e in es})
    key = "consensus" if n_sources >= 2 else "single_source"
    return {key: {"field": field, "value": value, "documents": docs, "sources": n_sources}}


def _group_numeric(per_src: dict[str, dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: list[list[dict[str, Any]]] = []
    for e in sorted(per_src.values(), key=lambda x: (x["range"].get("min") or 0, x["doc"])):
        for g in groups:
            if all(ranges_overlap(e["range"], o["range"]) for o in g):
                g.append(e)
                break
        else:
            groups.append([e])
    out = []
    for g in groups:
        lo = max((e["range"].get("min") or 0) for e in g)
        his = [e["range"]["max"] for e in g if e["range"].get("max") is not None]
        out.append((render_range({"min": lo, "max": min(his) if his else None}), g))
    return out


def _group_compatible(
    per_src: dict[str, dict[str, Any]], same: Any
) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: list[list[dict[str, Any]]] = []
    for e in sorted(per_src.values(), key=lambda x: (str(x["value"]), x["doc"])):
        for g in groups:
            if all(same(e["value"], o["value"]) for o in g):
                g.append(e)
                break
        else:
            groups.append([e])
    return [(_most_common([e["value"] for e in g]), g) for g in groups]


def _most_common(values: list[str]) -> str:
    return sorted(set(values), key=lambda v: (-values.count(v), -len(v), v))[0]


def _dates_same(a: str, b: str) -> bool:
    from narrascope.link.incidents import dates_compatible, parse_range

    alo, ahi, _ = parse_range({"value": a})
    blo, bhi, _ = parse_range({"value": b})
    return dates_compatible(alo, ahi, blo, bhi)


def _perpetrator(
    members: Sequence[Any], records: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    facts: list[dict[str, Any]] = []
    blame: dict[str, list[dict[str, Any]]] = defaultdict(list)
    denial: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in members:
        for pc in m.incident.get("perpetrator_claims") or []:
            entry = {
                "doc": m.doc,
                "site": m.site,
                "source": m.source,
                "actor": pc["actor"],
                "claimant": pc.get("claimant"),
                "stance": pc.get("stance"),
                "evidence": pc.get("evidence", [])[:2],
            }
            facts.append({k: v for k, v in entry.items() if k != "source"})
            (blame if pc.get("stance") in POSITIVE else denial)[pc["actor"]].append(entry)
    if not blame and not denial:
        return facts, {}
    actors = sorted(blame, key=lambda a: (-len({e["source"] for e in blame[a]}), a))
    disputed = [a for a in actors if denial.get(a)]
    if len(actors) > 1 or disputed:
        positions = []
        for a in actors:
            es = blame[a]
            positions.append(
                {
                    "value": a,
                    "documents": sorted({e["doc"] for e in es}),
                    "sources": len({e["source"] for e in es}),
                    "claimants": sorted({f"{e['claimant']} ({e['stance']})" for e in es}),
                    "evidence": [{"doc": e["doc"], **q} for e in es for q in e["evidence"][:1]],
                }
            )
        for a in disputed:
            es = denial[a]
            positions.append(
                {
                    "value": f"not {a}",
                    "documents": sorted({e["doc"] for e in es}),
                    "sources": len({e["source"] for e in es}),
                    "claimants": sorted({f"{e['claimant']} ({e['stance']})" for e in es}),
                    "evidence": [{"doc": e["doc"], **q} for e in es for q in e["evidence"][:1]],
                }
            )
        return facts, {"contested": {"field": "perpetrator", "positions": positions}}
    if not actors:
        return facts, {}
    a = actors[0]
    n = len({e["source"] for e in blame[a]})
    key = "consensus" if n >= 2 else "single_source"
    return facts, {
        key: {
            "field": "perpetrator",
            "value": qualified_actor(a, blame[a]),
            "actor": a,
            "claimants": sorted({f"{e['claimant']} ({e['stance']})" for e in blame[a]}),
            "documents": sorted({e["doc"] for e in blame[a]}),
            "sources": n,
        }
    }


def qualified_actor(actor: str, entries: list[dict[str, Any]]) -> str:
    """The actor, qualified when no source states the blame as fact: sources agreeing that
    someone *accuses* X is not agreement that X did it (neutrality)."""
    stances = {e.get("stance") for e in entries}
    if stances & {"asserted", "claimed_responsibility"}:
        return actor
    if "alleged" in stances:
        return f"{actor} (alleged)"
    return f"{actor} (speculated)"


def compare(members: Sequence[Any], records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``facts`` per field and source, and the ``consensus``/``contested``/``single_source`` lists."""
    facts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    status: dict[str, list[dict[str, Any]]] = {"consensus": [], "contested": [], "single_source": []}

    def add(res: dict[str, Any]) -> None:
        for k, v in res.items():
            status[k].append(v)

    def base(m: Any) -> dict[str, Any]:
        pub = (records[m.doc].get("published") or {}).get("value")
        return {
            "doc": m.doc,
            "site": m.site,
            "source": m.source,
            "published": pub,
            "evidence": _quotes(m.incident),
        }

    for fld in NUMERIC:
        entries = [dict(base(m), range=m.incident[fld]) for m in members if m.incident.get(fld)]
        for e in entries:
            facts[fld].append(
                {
                    "doc": e["doc"],
                    "site": e["site"],
                    "min": e["range"].get("min"),
                    "max": e["range"].get("max"),
                    "evidence": e["evidence"],
                }
            )
        if entries:
            per = _per_source(entries)
            add(_status(fld, _group_numeric(per), len(per)))
    for fld, getter, same in (
        ("location", lambda m: None if m.soft_place else m.place, lambda a, b: compatible(a, b)),
        ("date", lambda m: (m.incident.get("date") or {}).get("value"), _dates_same),
        ("type", lambda m: m.type if m.type != "other" else None, lambda a, b: a == b),
    ):
        entries = [dict(base(m), value=getter(m)) for m in members if getter(m)]
        for e in entries:
            facts[fld].append(
                {"doc": e["doc"], "site": e["site"], "value": e["value"], "evidence": e["evidence"]}
            )
        if entries:
            per = _per_source(entries)
            add(_status(fld, _group_compatible(per, same), len(per)))
    for fld in ("weapons", "targets"):
        by_value: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in members:
            for v in m.incident.get(fld) or []:
                by_value[v].append(base(m))
                facts[fld].append({"doc": m.doc, "site": m.site, "value": v})
        for v, es in sorted(by_value.items()):
            n = len({e["source"] for e in es})
            key = "consensus" if n >= 2 else "single_source"
            status[key].append(
                {"field": fld, "value": v, "documents": sorted({e["doc"] for e in es}), "sources": n}
            )
    pf, pstatus = _perpetrator(members, records)
    if pf:
        facts["perpetrator"] = pf
    add(pstatus)
    return {"facts": dict(facts), **status}
