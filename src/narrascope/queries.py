"""The read side shared by every interface (REST API, web workbench, reports, CLI).

Plain functions over a :class:`Store`. Each returns JSON-able dicts in the v1 contract's shape
(document and corpus records are passed through untouched; summaries add counts). The web pages
render exactly what these functions return, and the API serves the same dicts as JSON.

Nothing here writes: the functions only call the store's read methods, so they work on a
read-only store and on the in-memory fake in :mod:`narrascope.api.testing`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

Record = dict[str, Any]

#: Fields of a doc-level incident shown side by side across sources, in display order.
INCIDENT_FIELDS = (
    "type",
    "location",
    "date",
    "killed",
    "injured",
    "children_killed",
    "weapons",
    "targets",
    "perpetrator",
)


class Store(Protocol):
    """The read methods of :class:`narrascope.store.sqlite.Store` that the read side uses."""

    def iter_records(self, status: str | None = None) -> Iterator[Record]: ...
    def get_record(self, doc_id: str) -> Record | None: ...
    def count_records(self) -> dict[str, int]: ...
    def get_corpus(self) -> Record | None: ...
    def get_raw(self, sha256: str) -> bytes | None: ...
    def search(
        self, q: str, *, limit: int = 20, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[Record]]: ...
    def list_documents(
        self, *, limit: int, offset: int, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[Record]]: ...


# ---------------------------------------------------------------- small helpers


def month_of(published: Any) -> str | None:
    """``YYYY-MM`` of a contract date ``{"value", "precision"}``; None when unknown or year-only."""
    if not isinstance(published, dict):
        return None
    value = str(published.get("value") or "")
    if published.get("precision") == "year" or len(value) < 7:
        return None
    return value[:7]


def format_range(fig: Any) -> str:
    """A contract figure ``{"min", "max"}`` as text: ``24``, ``24-30``, ``>=24``; ``""`` when absent."""
    if not isinstance(fig, dict):
        return "" if fig is None else str(fig)
    lo, hi = fig.get("min"), fig.get("max")
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f"≥{lo}"
    if lo is None:
        return f"≤{hi}"
    return str(lo) if lo == hi else f"{lo}–{hi}"


def page(total: int, items: list[Any], limit: int, offset: int) -> Record:
    """The pagination envelope every list endpoint returns."""
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _clean_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if v not in (None, "")}


def summary(rec: Record) -> Record:
    """The short form of a document record used in lists and cross references."""
    return {
        "id": rec.get("id"),
        "title": rec.get("title"),
        "site": rec.get("site"),
        "url": rec.get("url"),
        "published": rec.get("published"),
        "language": rec.get("language"),
        "status": rec.get("status"),
        "duplicate_of": rec.get("duplicate_of"),
    }


# ---------------------------------------------------------------- overview


def _top(counter: Counter[str], n: int) -> list[Record]:
    return [{"value": k, "count": c} for k, c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _nested(table: dict[str, Counter[str]]) -> list[Record]:
    """``{group: Counter}`` as a sorted list of ``{"group", "total", "counts": [{value, count}]}``."""
    rows = []
    for group in sorted(table):
        counts = table[group]
        rows.append({"group": group, "total": sum(counts.values()), "counts": _top(counts, 100)})
    return rows


def _incident_summary(inc: Record) -> Record:
    docs = list(inc.get("documents") or [])
    return {
        "id": inc.get("id"),
        "label": inc.get("label"),
        "type": inc.get("type"),
        "location": inc.get("location"),
        "date": inc.get("date"),
        "n_documents": len(docs),
        "n_consensus": len(inc.get("consensus") or []),
        "n_contested": len(inc.get("contested") or []),
        "n_single_source": len(inc.get("single_source") or []),
        "contested_fields": [c.get("field") for c in inc.get("contested") or []],
    }


def _role_counts(roles: Iterable[Record]) -> dict[str, int]:
    counts = Counter(str(r.get("main_role")) for r in roles if r.get("main_role"))
    return dict(sorted(counts.items()))


def overview(store: Store, *, top_n: int = 10) -> Record:
    """Corpus-wide counts, sources, languages, failed inputs, narrative charts, top incidents/entities."""
    sources: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    narratives: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    roles_by_entity: dict[str, list[Record]] = defaultdict(list)
    failed: list[Record] = []
    for rec in store.iter_records():
        if rec.get("status") == "failed":
            failed.append({"id": rec.get("id"), "input": rec.get("input"), "error": rec.get("error")})
            continue
        site = str(rec.get("site") or "unknown")
        sources[site] += 1
        languages[str(rec.get("language") or "unknown")] += 1
        labels = sorted({str(n.get("narrative")) for n in rec.get("narratives") or [] if n.get("narrative")})
        month = month_of(rec.get("published"))
        for label in labels:
            narratives[label] += 1
            by_source[site][label] += 1
            if month:
                by_month[month][label] += 1
        for role in rec.get("roles") or []:
            if role.get("entity"):
                roles_by_entity[str(role["entity"])].append({"doc": rec.get("id"), **role})
    corpus = store.get_corpus() or {}
    return {
        "documents": store.count_records(),
        "sources": _top(sources, 1000),
        "languages": _top(languages, 1000),
        "failed": failed,
        "narratives": _top(narratives, 1000),
        "narratives_by_source": _nested(by_source),
        "narratives_by_month": _nested(by_month),
        "top_incidents": _top_incidents(corpus, top_n),
        "top_entities": _top_entities(corpus, roles_by_entity, top_n),
        "linked": bool(corpus),
    }


def _top_incidents(corpus: Record, n: int) -> list[Record]:
    items = [_incident_summary(i) for i in corpus.get("incidents") or []]
    items.sort(key=lambda i: (-i["n_documents"], -i["n_contested"], str(i["label"])))
    return items[:n]


def _top_entities(corpus: Record, roles_by_entity: dict[str, list[Record]], n: int) -> list[Record]:
    if corpus.get("entities"):
        table = {str(e.get("canonical")): list(e.get("roles") or []) for e in corpus["entities"]}
    else:
        table = roles_by_entity
    return _entity_rows(table)[:n]


def _entity_rows(table: dict[str, list[Record]]) -> list[Record]:
    """One summary row per entity, most documents first."""
    rows: list[Record] = [
        {"canonical": name, "n_documents": len({r.get("doc") for r in roles}), "roles": _role_counts(roles)}
        for name, roles in table.items()
    ]
    rows.sort(key=lambda r: (-int(r["n_documents"]), str(r["canonical"])))
    return rows


# ---------------------------------------------------------------- documents


def documents(
    store: Store, *, limit: int = 50, offset: int = 0, filters: dict[str, Any] | None = None
) -> Record:
    """One page of document summaries (ok and failed) with the total count."""
    total, items = store.list_documents(limit=limit, offset=offset, filters=_clean_filters(filters))
    return page(total, items, limit, offset)


def document(store: Store, doc_id: str) -> Record | None:
    """The full v1 document record, or None."""
    return store.get_record(doc_id)


def raw_input(store: Store, doc_id: str) -> tuple[Record, bytes] | None:
    """``(input ref, original bytes)`` of a document, or None when either is missing."""
    rec = store.get_record(doc_id)
    if rec is None:
        return None
    ref = rec.get("input") or {}
    sha = ref.get("sha256")
    data = store.get_raw(str(sha)) if sha else None
    return None if data is None else (ref, data)


def search(
    store: Store, q: str, *, limit: int = 20, offset: int = 0, filters: dict[str, Any] | None = None
) -> Record:
    """Full-text search (text, title, entities, narratives, techniques) with filters."""
    q = q.strip()
    if not q:
        return {**page(0, [], limit, offset), "q": q}
    total, items = store.search(q, limit=limit, offset=offset, filters=_clean_filters(filters))
    return {**page(total, items, limit, offset), "q": q}


# ---------------------------------------------------------------- incidents


def incidents(store: Store, *, limit: int = 50, offset: int = 0, type: str | None = None) -> Record:
    """Corpus incidents (from the linker's corpus record) as summaries, most covered first."""
    corpus = store.get_corpus() or {}
    items = [_incident_summary(i) for i in corpus.get("incidents") or []]
    if type:
        items = [i for i in items if i["type"] == type]
    items.sort(key=lambda i: (-i["n_documents"], str(i["date"] and i["date"].get("value")), str(i["id"])))
    return page(len(items), items[offset : offset + limit], limit, offset)


def _field_status(inc: Record) -> dict[str, str]:
    status: dict[str, str] = {}
    for kind in ("single_source", "consensus", "contested"):  # later kinds win
        for entry in inc.get(kind) or []:
            if entry.get("field"):
                status[str(entry["field"])] = kind
    return status


def _match_local(rec: Record, inc: Record, hint: str | None) -> Record | None:
    """The document's own incident that the corpus incident was linked from."""
    local = list(rec.get("incidents") or [])
    if hint:
        for cand in local:
            if cand.get("id") == hint:
                return cand

    def score(cand: Record) -> int:
        s = 2 if cand.get("type") == inc.get("type") else 0
        loc = (cand.get("location") or {}).get("name")
        s += 2 if loc and loc == (inc.get("location") or {}).get("name") else 0
        day = (cand.get("date") or {}).get("value")
        return s + (1 if day and day == (inc.get("date") or {}).get("value") else 0)

    return max(local, key=score) if local else None


def _local_hints(inc: Record) -> dict[str, str]:
    """doc id -> doc-local incident id when the linker recorded it (optional ``incident`` keys)."""
    hints: dict[str, str] = {}
    for m in list(inc.get("mentions") or []) + list(inc.get("members") or []):
        if m.get("doc") and m.get("incident"):
            hints[str(m["doc"])] = str(m["incident"])
    for entries in (inc.get("facts") or {}).values():
        for e in entries or []:
            if e.get("doc") and e.get("incident"):
                hints.setdefault(str(e["doc"]), str(e["incident"]))
    return hints


def _source_column(store: Store, doc_id: str, inc: Record, hints: dict[str, str], dups: set[str]) -> Record:
    rec = store.get_record(doc_id)
    if rec is None:
        return {
            "doc": {"id": doc_id, "title": None, "site": None},
            "local": None,
            "duplicate": doc_id in dups,
        }
    local = _match_local(rec, inc, hints.get(doc_id))
    cells: dict[str, Any] = {}
    if local:
        for field in INCIDENT_FIELDS[:-1]:
            cells[field] = local.get(field)
        cells["perpetrator"] = list(local.get("perpetrator_claims") or [])
    return {"doc": summary(rec), "local": local, "cells": cells, "duplicate": doc_id in dups}


def incident(store: Store, incident_id: str) -> Record | None:
    """One corpus incident with each source's own figures and claims side by side.

    Adds ``columns`` (one per document: summary, the matched doc-level incident with
    its evidence quotes, and its field values) and ``field_status`` (field -> consensus /
    contested / single_source) to the corpus incident record.
    """
    corpus = store.get_corpus() or {}
    inc = next((i for i in corpus.get("incidents") or [] if str(i.get("id")) == incident_id), None)
    if inc is None:
        return None
    dups = {d for group in corpus.get("duplicates") or [] for d in list(group)[1:]}
    hints = _local_hints(inc)
    columns = [_source_column(store, str(d), inc, hints, dups) for d in inc.get("documents") or []]
    return {**inc, "columns": columns, "field_status": _field_status(inc), "fields": list(INCIDENT_FIELDS)}


def timeline(store: Store) -> Record:
    """Dated incidents in order, with escalation links between them."""
    corpus = store.get_corpus() or {}
    by_id = {str(i.get("id")): i for i in corpus.get("incidents") or []}
    events = []
    for entry in corpus.get("timeline") or []:
        inc = by_id.get(str(entry.get("incident")))
        events.append({**entry, "incident_summary": _incident_summary(inc) if inc else None})
    events.sort(key=lambda e: (str(e.get("date")), str(e.get("incident"))))
    links = []
    for link in corpus.get("links") or []:
        src, dst = by_id.get(str(link.get("from"))), by_id.get(str(link.get("to")))
        links.append({**link, "from_label": src and src.get("label"), "to_label": dst and dst.get("label")})
    return {"events": events, "links": links}


# ---------------------------------------------------------------- entities


def _entity_table(store: Store) -> dict[str, list[Record]]:
    corpus = store.get_corpus() or {}
    if corpus.get("entities"):
        return {str(e.get("canonical")): list(e.get("roles") or []) for e in corpus["entities"]}
    table: dict[str, list[Record]] = defaultdict(list)
    for rec in store.iter_records(status="ok"):
        for role in rec.get("roles") or []:
            if role.get("entity"):
                table[str(role["entity"])].append({"doc": rec.get("id"), "main_role": role.get("main_role")})
    return dict(table)


def entities(store: Store, *, limit: int = 50, offset: int = 0, q: str | None = None) -> Record:
    """Entities with role counts and the number of documents that cast them in a role."""
    rows = _entity_rows(_entity_table(store))
    if q:
        rows = [r for r in rows if q.lower() in str(r["canonical"]).lower()]
    return page(len(rows), rows[offset : offset + limit], limit, offset)


def entity(store: Store, name: str, *, max_documents: int = 300) -> Record | None:
    """One entity: its roles per source (site), each with the document, fine roles and quotes.

    Reads at most ``max_documents`` records (``truncated`` says how many were left out); the
    role counts in ``roles`` always cover every document.
    """
    table = _entity_table(store)
    if name not in table:
        return None
    per_source: dict[str, list[Record]] = defaultdict(list)
    doc_ids = sorted({str(r.get("doc")) for r in table[name]})
    for doc_id in doc_ids[:max_documents]:
        rec = store.get_record(doc_id)
        if rec is None:
            continue
        for role in rec.get("roles") or []:
            if role.get("entity") == name:
                per_source[str(rec.get("site") or "unknown")].append({"doc": summary(rec), **role})
    sources = [
        {"site": site, "roles": rows, "main_roles": _role_counts(rows)}
        for site, rows in sorted(per_source.items())
    ]
    return {
        "canonical": name,
        "roles": _role_counts(table[name]),
        "n_documents": len(doc_ids),
        "truncated": max(0, len(doc_ids) - max_documents),
        "sources": sources,
    }
