"""``narrascope eval linking``: incident clusters and fact statuses against a gold set.

Gold layout (``tests/link/gold/README.md``): ``gold.json`` with ``documents`` (file, source,
published, syndication_group), ``incidents`` (id, mentions: [{doc, quote}]) and ``facts``
(incident, field, status). The documents go end to end through narrascope (cleaning,
entities, claims, incidents, near-duplicates, linking); each gold mention is aligned to the
predicted incident of its document whose evidence overlaps the quote. Unaligned mentions
count as singleton clusters (an extraction miss costs recall, as it would for a user).

Printed: alignment rate, pairwise and B-cubed precision/recall/F1, fact-status accuracy and
contested-fact recall/precision.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from narrascope.registry import register_task


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
    }


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Pairwise P/R/F1 over item pairs: gold and predicted cluster ids per item."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        g, p = gold[a] == gold[b], pred[a] == pred[b]
        tp += g and p
        fp += p and not g
        fn += g and not p
    return prf(tp, fp, fn)


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    gsets: dict[str, set[str]] = defaultdict(set)
    psets: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        gsets[gold[item]].add(item)
        psets[pred[item]].add(item)
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = sum(len(gsets[gold[i]] & psets[pred[i]]) / len(psets[pred[i]]) for i in gold) / len(gold)
    r = sum(len(gsets[gold[i]] & psets[pred[i]]) / len(gsets[gold[i]]) for i in gold) / len(gold)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
    }


def _run_pipeline(data: Path, gold: dict[str, Any]) -> list[dict[str, Any]]:
    from narrascope import pipeline
    from narrascope.config import load_config
    from narrascope.store import open_store

    lines = []
    for d in gold["documents"]:
        text = (
            (data / "docs" / d["file"]).read_text(encoding="utf-8")
            if (data / "docs").is_dir()
            else (data / d["file"]).read_text(encoding="utf-8")
        )
        lines.append(
            json.dumps(
                {
                    "text": text,
                    "published": d.get("published"),
                    "site": d.get("source"),
                    "url": f"gold:{d['file']}",
                }
            )
        )
    cfg = load_config(overrides={"pipeline": {"analyzers": ["entities.v1", "claims.v1", "incidents.v1"]}})
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "s.sqlite") as store:
        summary = pipeline.run_bytes([("gold.jsonl", "\n".join(lines).encode("utf-8"))], store, cfg)
        return list(pipeline.records_for(store, summary.keys))


def _align(
    records: list[dict[str, Any]], gold: dict[str, Any], corpus: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str], int]:
    by_file = {str(r.get("url", "")).removeprefix("gold:"): r for r in records}
    local_to_corpus = {
        (m["doc"], m["incident"]): inc["id"] for inc in corpus["incidents"] for m in inc["mentions"]
    }
    gold_of: dict[str, str] = {}
    pred_of: dict[str, str] = {}
    aligned = 0
    for inc in gold["incidents"]:
        for k, m in enumerate(inc["mentions"]):
            item = f"{inc['id']}#{k}"
            gold_of[item] = inc["id"]
            pred_of[item] = f"unaligned:{item}"
            rec = by_file.get(m["doc"])
            if rec is None or m["quote"] not in rec.get("text", ""):
                continue
            s = rec["text"].index(m["quote"])
            e = s + len(m["quote"])
            best, best_ov = None, 0
            for pi in rec.get("incidents") or []:
                ov = max(
                    (min(e, ev["end"]) - max(s, ev["start"]) for ev in pi.get("evidence") or []), default=0
                )
                if ov > best_ov:
                    best, best_ov = pi, ov
            if best is not None:
                pred_of[item] = local_to_corpus.get((rec["id"], str(best["id"])), f"unlinked:{item}")
                aligned += 1
    return gold_of, pred_of, aligned


def _fact_status(cluster: dict[str, Any] | None, field: str) -> str:
    if cluster is None:
        return "missing"
    for status in ("contested", "consensus", "single_source"):
        if any(x.get("field") == field for x in cluster.get(status, [])):
            return status
    return "missing"


def evaluate(data: Path) -> dict[str, Any]:
    from narrascope.link.corpus import build_corpus

    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    records = _run_pipeline(data, gold)
    corpus = build_corpus(records)
    gold_of, pred_of, aligned = _align(records, gold, corpus)
    clusters = {c["id"]: c for c in corpus["incidents"]}
    majority: dict[str, str | None] = {}
    for inc in gold["incidents"]:
        preds = [pred_of[i] for i in gold_of if gold_of[i] == inc["id"] and pred_of[i] in clusters]
        majority[inc["id"]] = Counter(preds).most_common(1)[0][0] if preds else None
    confusion: Counter[tuple[str, str]] = Counter()
    for f in gold.get("facts", []):
        cid = majority.get(f["incident"])
        confusion[(f["status"], _fact_status(clusters.get(cid) if cid else None, f["field"]))] += 1
    n_facts = sum(confusion.values())
    correct = sum(v for (g, p), v in confusion.items() if g == p)
    g_cont = sum(v for (g, _), v in confusion.items() if g == "contested")
    p_cont = sum(v for (_, p), v in confusion.items() if p == "contested")
    tp_cont = confusion[("contested", "contested")]
    return {
        "benchmark": "linking",
        "data": str(data),
        "documents": len(gold["documents"]),
        "incidents": len(gold["incidents"]),
        "mentions": len(gold_of),
        "aligned_mentions": aligned,
        "predicted_clusters": len(corpus["incidents"]),
        "pairwise": pairwise(gold_of, pred_of),
        "bcubed": bcubed(gold_of, pred_of),
        "facts": {
            "n": n_facts,
            "status_accuracy": round(correct / n_facts, 4) if n_facts else 0.0,
            "contested_recall": round(tp_cont / g_cont, 4) if g_cont else 0.0,
            "contested_precision": round(tp_cont / p_cont, 4) if p_cont else 0.0,
            "confusion": {f"{g}->{p}": v for (g, p), v in sorted(confusion.items())},
        },
    }


def _add_args(p: argparse.ArgumentParser) -> None:
    p.set_defaults(data="tests/link/gold")


@register_task("eval", "linking", "incident linking and consensus/contested facts vs a gold set", _add_args)
def run(args: argparse.Namespace) -> dict[str, Any]:
    res = evaluate(Path(args.data))
    print(
        f"linking gold: {res['documents']} documents, {res['incidents']} incidents, {res['mentions']} mentions "
        f"({res['aligned_mentions']} aligned to an extracted incident), {res['predicted_clusters']} predicted clusters"
    )
    for k in ("pairwise", "bcubed"):
        m = res[k]
        print(f"  {k:9s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
    f = res["facts"]
    print(
        f"  facts     n {f['n']}  status accuracy {f['status_accuracy']:.3f}  contested recall "
        f"{f['contested_recall']:.3f}  precision {f['contested_precision']:.3f}"
    )
    return res
