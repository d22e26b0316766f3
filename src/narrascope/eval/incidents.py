"""``narrascope eval incidents``: incidents and claims against the project's own gold set.

Gold (``tests/analyzers/gold/*.json``, see its README): a list of paragraphs
``{id, published, text, incidents: [...], claims: [...]}``; evidence and claim quotes are exact
substrings of ``text``. Every paragraph becomes a Document and runs through ``entities.v1``,
``claims.v1``, ``incidents.v1`` in one batch.

Matching: a predicted incident matches the gold incident whose evidence it overlaps most
(type agreement breaks ties), one to one, greedily. Field figures:
- precision = predicted non-null values that equal the matched gold value / all predicted
  non-null values (unmatched predictions count as wrong);
- recall = gold non-null values reproduced by the matched prediction / all gold non-null values.
Perpetrator ``stance`` compares ``(actor, stance)`` pairs, ``claimant`` compares
``(actor, claimant, stance)`` triples. Claim attribution: a predicted claim is right when a gold
claim has the same claimant and an overlapping span; unattributed (author) claims are counted
apart, because the gold set annotates attributed statements only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from narrascope.registry import build_analyzer, register_task

FIELDS = ("type", "location", "date", "killed", "injured", "children_killed")
PIPELINE = ("entities.v1", "claims.v1", "incidents.v1")


def load_gold(folder: Path) -> list[dict[str, Any]]:
    paras: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data.get("paragraphs", [])
        paras.extend(items)
    return paras


def make_doc(text: str, published: str | None, language: str | None = "en") -> Any:
    from narrascope.model import DateValue, Document, InputRef, Metadata

    pub = DateValue(published, "day" if len(published) == 10 else "month") if published else None
    ref = InputRef(path=None, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), format="text")
    return Document(text=text, input=ref, meta=Metadata(published=pub, language=language), language=language)


def run_pipeline(
    docs: list[Any], names: Iterable[str] = PIPELINE, batch_size: int = 32
) -> list[dict[str, Any]]:
    from narrascope.analyzers.base import DocInput

    analyzers = [build_analyzer(n) for n in names]
    out: list[dict[str, Any]] = [{} for _ in docs]
    for i in range(0, len(docs), batch_size):
        for an in analyzers:
            batch = [DocInput(d, dict(out[i + k])) for k, d in enumerate(docs[i : i + batch_size])]
            for k, fields in enumerate(an.analyze(batch)):
                out[i + k].update(fields)
    return out


def _spans(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    out = []
    for q in quotes:
        k = text.find(q)
        if k >= 0:
            out.append((k, k + len(q)))
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _norm(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field == "location":
        return (value.get("name") or "").lower() or None
    if field == "date":
        return value.get("value")
    if field in {"killed", "injured", "children_killed"}:
        return (value.get("min"), value.get("max"))
    return value


def match(text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one ``(gold index, pred index)`` pairs by evidence overlap, then type agreement."""
    cands = []
    for gi, g in enumerate(gold):
        gs = _spans(text, g.get("evidence") or [])
        for pi, p in enumerate(pred):
            ov = _overlap(gs, [(e["start"], e["end"]) for e in p["evidence"]])
            if ov > 0:
                cands.append((ov + (10**6 if g.get("type") == p.get("type") else 0), gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, gi, pi in sorted(cands, reverse=True):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


class Tally:
    def __init__(self) -> None:
        self.c: dict[str, list[int]] = {}  # name -> [tp_pred, n_pred, tp_gold, n_gold]

    def add(self, name: str, tp_p: int, n_p: int, tp_g: int, n_g: int) -> None:
        row = self.c.setdefault(name, [0, 0, 0, 0])
        for k, v in enumerate((tp_p, n_p, tp_g, n_g)):
            row[k] += v

    def table(self) -> dict[str, dict[str, float | int]]:
        out = {}
        for name, (tpp, npred, tpg, ngold) in self.c.items():
            p = tpp / npred if npred else 0.0
            r = tpg / ngold if ngold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[name] = {
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(f, 3),
                "predicted": npred,
                "gold": ngold,
            }
        return out


def score_paragraph(t: Tally, para: dict[str, Any], pred: dict[str, Any]) -> None:
    text = para["text"]
    gold, incs = para.get("incidents") or [], pred.get("incidents") or []
    pairs = match(text, gold, incs)
    t.add("incident", len(pairs), len(incs), len(pairs), len(gold))
    by_pred = {pi: gi for gi, pi in pairs}
    by_gold = {gi: pi for gi, pi in pairs}
    for field in FIELDS:
        n_p = tp_p = n_g = tp_g = 0
        for pi, p in enumerate(incs):
            v = _norm(field, p.get(field))
            if v is not None:
                n_p += 1
                tp_p += pi in by_pred and v == _norm(field, gold[by_pred[pi]].get(field))
        for gi, g in enumerate(gold):
            v = _norm(field, g.get(field))
            if v is not None:
                n_g += 1
                tp_g += gi in by_gold and v == _norm(field, incs[by_gold[gi]].get(field))
        t.add(field, tp_p, n_p, tp_g, n_g)
    for name, key in (
        ("perpetrator+stance", ("actor", "stance")),
        ("perpetrator claimant", ("actor", "claimant", "stance")),
    ):
        _score_sets(t, name, key, gold, incs, by_pred)
    _score_claims(t, text, para.get("claims") or [], pred.get("claims") or [])


def _tuples(inc: dict[str, Any], key: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {tuple(str(pc.get(k, "")).lower() for k in key) for pc in inc.get("perpetrator_claims") or []}


def _score_sets(
    t: Tally, name: str, key: tuple[str, ...], gold: list[Any], incs: list[Any], by_pred: dict[int, int]
) -> None:
    n_p = tp_p = 0
    for pi, p in enumerate(incs):
        ps = _tuples(p, key)
        n_p += len(ps)
        if pi in by_pred:
            tp_p += len(ps & _tuples(gold[by_pred[pi]], key))
    n_g = sum(len(_tuples(g, key)) for g in gold)
    t.add(name, tp_p, n_p, tp_p, n_g)


def _score_claims(t: Tally, text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> None:
    attributed = [c for c in pred if c["type"] != "unattributed"]
    gspans = [((c.get("claimant") or "author").lower(), _spans(text, [c["quote"]])) for c in gold]
    hit_p = sum(
        any(n == c["claimant"].lower() and _overlap(sp, [(c["start"], c["end"])]) for n, sp in gspans)
        for c in attributed
    )
    hit_g = sum(
        any(n == c["claimant"].lower() and _overlap(sp, [(c["start"], c["end"])]) for c in attributed)
        for n, sp in gspans
    )
    t.add("claim attribution", hit_p, len(attributed), hit_g, len(gold))
    t.add("unattributed claims (not in gold)", 0, len(pred) - len(attributed), 0, 0)


def evaluate(folder: Path, limit: int | None = None) -> dict[str, Any]:
    paras = load_gold(folder)[: limit or None]
    docs = [make_doc(p["text"], p.get("published")) for p in paras]
    preds = run_pipeline(docs)
    t = Tally()
    for para, pred in zip(paras, preds, strict=True):
        score_paragraph(t, para, pred)
    return {"paragraphs": len(paras), "scores": t.table()}


def print_table(result: dict[str, Any]) -> None:
    print(f"incidents gold: {result['paragraphs']} paragraphs")
    print(f"{'field':36} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
    for name, row in result["scores"].items():
        print(
            f"{name:36} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} {row['predicted']:5d} {row['gold']:5d}"
        )


def _run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(args.data or "tests/analyzers/gold")
    result = evaluate(folder, args.limit)
    print_table(result)
    return result


register_task(
    "eval", "incidents", "incident, casualty, perpetrator and claim extraction on the project's gold set"
)(_run)
