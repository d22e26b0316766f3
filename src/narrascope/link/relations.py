"""Escalation links that a text itself makes between incidents (retaliation, response, threat)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_SENT = re.compile(r"[^.!?\n]+[.!?]?")


@lru_cache(maxsize=1)
def cues() -> list[tuple[re.Pattern[str], str]]:
    data = yaml.safe_load(
        resources.files("narrascope.link").joinpath("resources/relations.yaml").read_text("utf-8")
    )
    return [(re.compile(c["pattern"], re.I), str(c["relation"])) for c in data["cues"]]


def _inc_date(inc: dict[str, Any]) -> str:
    return str((inc.get("date") or {}).get("value") or "")


def escalation_links(
    records: Sequence[dict[str, Any]],
    local_to_corpus: dict[tuple[str, str], str],
    corpus_incidents: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """``[{from, to, relation, evidence: [{doc, start, end, quote}]}]``, merged across documents.

    ``from`` is the later incident (the retaliation / response / threat), ``to`` the earlier
    one it refers to; a threat with no later incident in the text has ``to: null``.
    """
    merged: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for r in records:
        text = r.get("text") or ""
        incs = r.get("incidents") or []
        if not incs:
            continue
        for m in _SENT.finditer(text):
            s, e = m.start(), m.end()
            rel = next((rel for pat, rel in cues() if pat.search(m.group(0))), None)
            if rel is None:
                continue
            touched = [
                i for i in incs if any(ev["start"] < e and s < ev["end"] for ev in i.get("evidence") or [])
            ]
            ids = []
            for i in touched:
                cid = local_to_corpus.get((r["id"], str(i.get("id"))))
                if cid and cid not in ids:
                    ids.append(cid)
            ev = {"doc": r["id"], "start": s, "end": e, "quote": text[s:e]}
            if len(ids) >= 2:
                ordered = sorted(ids, key=lambda c: (_inc_date(corpus_incidents.get(c, {})), c))
                key: tuple[str, str | None, str] = (ordered[-1], ordered[0], rel)
            elif len(ids) == 1 and rel == "threat_after":
                key = (ids[0], None, rel)
            else:
                continue
            link = merged.setdefault(key, {"from": key[0], "to": key[1], "relation": rel, "evidence": []})
            if len(link["evidence"]) < 5:
                link["evidence"].append(ev)
    return sorted(merged.values(), key=lambda x: (x["from"], x["to"] or "", x["relation"]))
