"""Attributed claims compared across documents: grouped by incident and entity, contradictions flagged.

No NLI model that ships its weights works offline here (see the shared models research:
none found; tiny bundled LLMs score at chance), so contradiction is detected with explicit,
explainable rules over claim pairs from different sources about the same incident or entity:

- ``denial``: one claim is a denial (certainty ``denied``) and the other asserts or reports,
  and the two share content words (the same topic);
- ``numbers``: both carry casualty-like numbers for the same incident and the numbers differ
  by more than 10 % with no overlap;
- ``negation``: high word overlap but exactly one side is negated (not, no, never, without).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from narrascope.link.text import STOPWORDS

_WORD = re.compile(r"[^\W\d_]{3,}", re.U)
_NUM = re.compile(r"\b\d{1,4}\b")
_NEG = re.compile(
    r"\b(?:not|no|never|without|nothing|neither|nor|denied|deny|denies|false|fake)\b|n't\b", re.I
)
_STOP = STOPWORDS
#: Minimum content-word overlap (Jaccard) for two claims to be about the same thing.
SAME_TOPIC = 0.15
#: Overlap at which a negation mismatch is read as a contradiction.
NEGATION_OVERLAP = 0.35


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text)) - _STOP


def _jac(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def contradiction(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """The rule that finds ``a`` and ``b`` contradictory, or None."""
    wa, wb = _words(a["quote"]), _words(b["quote"])
    overlap = _jac(wa, wb)
    deny = {a.get("certainty"), b.get("certainty")}
    if "denied" in deny and deny - {"denied"} and overlap >= SAME_TOPIC:
        return "denial"
    na = {int(x) for x in _NUM.findall(a["quote"]) if not 1900 <= int(x) <= 2100}
    nb = {int(x) for x in _NUM.findall(b["quote"]) if not 1900 <= int(x) <= 2100}
    # Numbers within 10 % of each other are rounding, not disagreement.
    close = na and nb and min(abs(x - y) / max(x, y, 1) for x in na for y in nb) <= 0.1
    if na and nb and overlap >= SAME_TOPIC and not na & nb and not close:
        return "numbers"
    nega, negb = bool(_NEG.search(a["quote"])), bool(_NEG.search(b["quote"]))
    if nega != negb and overlap >= NEGATION_OVERLAP:
        return "negation"
    return None


def _claim_incident(record: dict[str, Any], claim: dict[str, Any]) -> str | None:
    """The doc-local incident a claim is about: its evidence overlaps the claim's paragraph."""
    text = record.get("text") or ""
    ps = text.rfind("\n\n", 0, claim["start"]) + 1
    pe = text.find("\n\n", claim["end"])
    pe = len(text) if pe < 0 else pe
    for inc in record.get("incidents") or []:
        if any(ev["start"] < pe and ps < ev["end"] for ev in inc.get("evidence") or []):
            return str(inc.get("id"))
    return None


def _claim_entities(record: dict[str, Any], claim: dict[str, Any]) -> set[str]:
    return {
        str(e["canonical"])
        for e in record.get("entities") or []
        if claim["start"] <= e["start"] and e["end"] <= claim["end"] and e.get("canonical")
    }


def group_claims(
    records: Sequence[dict[str, Any]], local_to_corpus: dict[tuple[str, str], str]
) -> list[dict[str, Any]]:
    """Claim groups by corpus incident and by entity, each with the contradictions found."""
    from narrascope.link.incidents import source_groups

    sources = source_groups(records)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        for c in r.get("claims") or []:
            if c.get("type") == "unattributed" and not c.get("claimant"):
                continue
            item = {
                "doc": r["id"],
                "site": r.get("site"),
                "source": sources[r["id"]],
                "claimant": c.get("claimant"),
                "cue": c.get("cue"),
                "certainty": c.get("certainty"),
                "start": c["start"],
                "end": c["end"],
                "quote": c["quote"],
            }
            local = _claim_incident(r, c)
            if local and (r["id"], local) in local_to_corpus:
                groups[("incident", local_to_corpus[(r["id"], local)])].append(item)
            for ent in _claim_entities(r, c):
                groups[("entity", ent)].append(item)
    out = []
    for (kind, key), items in sorted(groups.items()):
        if len({i["source"] for i in items}) < 2:
            continue
        found = []
        for (ia, a), (ib, b) in combinations(enumerate(items), 2):
            if a["source"] == b["source"]:
                continue
            reason = contradiction(a, b)
            if reason:
                found.append({"a": ia, "b": ib, "reason": reason})
        out.append(
            {
                kind: key,
                "claims": [{k: v for k, v in i.items() if k != "source"} for i in items],
                "contradictions": found,
                "method": "rules: denial, numbers, negation",
            }
        )
    return out
