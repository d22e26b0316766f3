"""Corpus record (``corpus.json``): cross-document view built from stored document records.

This module is read-only over document records. Incident linking lives in
:mod:`narrascope.link.incidents` when present; without it the corpus lists per-document
incidents unlinked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from narrascope.model.record import CORPUS_SCHEMA


def duplicate_pairs(records: Sequence[dict[str, Any]]) -> list[list[str]]:
    return sorted([[r["duplicate_of"], r["id"]] for r in records if r.get("duplicate_of")])


def narratives_summary(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    by_label: dict[str, list[str]] = defaultdict(list)
    for r in records:
        for n in r.get("narratives") or []:
            label = n.get("subnarrative") or n.get("narrative")
            if label and r["id"] not in by_label[label]:
                by_label[label].append(r["id"])
    return [{"narrative": k, "documents": v} for k, v in sorted(by_label.items())]


def entities_summary(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    roles: dict[str, list[dict[str, Any]]] = defaultdict(list)
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
    return [{"canonical": k, "roles": v} for k, v in sorted(roles.items())]


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
