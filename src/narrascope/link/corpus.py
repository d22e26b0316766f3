"""Corpus record (``corpus.json``): cross-document view built from stored document records.

This module is read-only over document records. Incident linking lives in
:mod:`narrascope.link.incidents` when present; without it the corpus lists per-document
incidents unlinked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from narrascope.model.record import CORPUS_SCHEMA


def duplicate_pairs(records: Sequence[dict[str, Any]]) -> list[list[str]]:
    return sorted([[r["duplicate_of"], r["id"]] for r in records if r.get("duplicate_of")])


def _month(r: dict[str, Any]) -> str:
    return str((r.get("published") or {}).get("value") or "")[:7] or "unknown"


def narratives_summary(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each narrative (and sub-narrative) with its documents, prevalence by source and by month."""
    docs: dict[str, list[str]] = defaultdict(list)
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        labels = {n.get("narrative") for n in r.get("narratives") or []}
        labels |= {n.get("subnarrative") for n in r.get("narratives") or []}
        for label in sorted(x for x in labels if x):
            docs[label].append(r["id"])
            by_source[label][str(r.get("site") or "unknown")] += 1
            by_month[label][_month(r)] += 1
    return [
        {
            "narrative": k,
            "documents": v,
            "by_source": dict(sorted(by_source[k].items())),
            "by_month": dict(sorted(by_month[k].items())),
        }
        for k, v in sorted(docs.items())
    ]


def entities_summary(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """How each source frames each canonical entity: roles per document and counts per main role
    (in independent sources: "Ukraine: Antagonist in 3 sources, Protagonist in 2")."""
    from narrascope.link.incidents import source_groups

    sources = source_groups(list(records))
    roles: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in records:
        for role in r.get("roles") or []:
            roles[role["entity"]].append(
                {
                    "doc": r["id"],
                    "site": r.get("site"),
                    "main_role": role.get("main_role"),
                    "fine_roles": role.get("fine_roles", []),
                }
            )
            counts[role["entity"]][str(role.get("main_role"))].add(sources[r["id"]])
    out = []
    for k in sorted(roles, key=lambda e: (-len(roles[e]), e)):
        by_role = {role: len(srcs) for role, srcs in sorted(counts[k].items())}
        summary = ", ".join(
            f"{role} in {n} source{'s' if n != 1 else ''}"
            for role, n in sorted(by_role.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        out.append(
            {"canonical": k, "roles": roles[k], "sources_by_role": by_role, "summary": f"{k}: {summary}"}
        )
    return out


def build_corpus(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in records if r.get("status") == "ok"]
    corpus: dict[str, Any] = {
        "schema": CORPUS_SCHEMA,
        "documents": {"ok": len(ok), "failed": len(records) - len(ok)},
        "incidents": [],
        "timeline": [],
        "narratives": narratives_summary(ok),
        "entities": entities_summary(ok),
        "duplicates": duplicate_pairs(ok),
    }
    import importlib

    try:
        linker = importlib.import_module("narrascope.link.incidents")
    except ModuleNotFoundError:
        return corpus
    corpus.update(linker.link_corpus(ok))
    return corpus
