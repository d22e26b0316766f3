"""``narrascope eval ptc-si|ptc-tc``: PTC / SemEval-2020 Task 11 metrics on the official layout.

- ptc-si: span identification. Per article, overlapping spans are merged (gold and predicted
  separately); P = (1/|S|) Σ_s Σ_t |s∩t|/|s|, R = (1/|T|) Σ_s Σ_t |s∩t|/|t| over all articles,
  F1 = 2PR/(P+R) (key ``f1``). Predicted spans are the technique spans the techniques head emits.
- ptc-tc: technique classification of the given gold spans into PTC's 14 classes: micro-F1
  (= accuracy; duplicate spans with several gold labels are matched as multisets; key
  ``f1_micro``). Each span gets the class whose SemEval-2023 members score highest on the
  sentence(s) the span overlaps.

All PTC train and dev articles are inside SemEval-2023 EN train, on which the shipped models
were trained: scores on those splits are in-sample. Held-out figures: ``narrascope train
ptc-spans --cv K``. ``--predict-only --out FILE`` writes the official submission format.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.eval import semeval2023_data as D
from narrascope.registry import register_task

__all__ = ["merge_spans", "si_scores", "tc_accuracy", "tc_classify"]

PTC_LABELS = sorted(D.PTC_TO_2023)
IN_SAMPLE = (
    "in-sample: every PTC train/dev article is in SemEval-2023 EN train, which the shipped models "
    "were trained on (held-out figures: `narrascope train ptc-spans --cv K`)"
)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of half-open spans as sorted, non-overlapping spans (only overlapping spans merge)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def si_scores(
    gold: dict[str, list[tuple[int, int]]], pred: dict[str, list[tuple[int, int]]]
) -> dict[str, float]:
    """Official SI precision, recall and F1 with partial overlap credit."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid in sorted(set(gold) | set(pred)):
        g = merge_spans(gold.get(aid, []))
        s = merge_spans(pred.get(aid, []))
        n_pred += len(s)
        n_gold += len(g)
        for ps, pe in s:
            for gs, ge in g:
                inter = max(0, min(pe, ge) - max(ps, gs))
                if inter:
                    p_num += inter / (pe - ps)
                    r_num += inter / (ge - gs)
    p = p_num / n_pred if n_pred else 0.0
    r = r_num / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def tc_accuracy(gold: list[tuple[str, int, int, str]], pred: list[tuple[str, int, int, str]]) -> float:
    """Micro-F1 of TC: ``(article, start, end, label)`` rows; duplicates matched as multisets."""
    if not gold:
        return 0.0
    g: dict[tuple[str, int, int], Counter[str]] = {}
    p: dict[tuple[str, int, int], Counter[str]] = {}
    for a, s, e, lab in gold:
        g.setdefault((a, s, e), Counter())[lab] += 1
    for a, s, e, lab in pred:
        p.setdefault((a, s, e), Counter())[lab] += 1
    correct = sum(sum((cnt & p.get(k, Counter())).values()) for k, cnt in g.items())
    return correct / len(gold)


def tc_classify(
    sent_scores: np.ndarray, sentences: list[tuple[int, int]], span: tuple[int, int], labels_2023: list[str]
) -> str:
    """PTC class for a span: best mapped 2023 technique over the sentences the span overlaps."""
    s, e = span
    rows = [j for j, (a, b) in enumerate(sentences) if a < e and s < b]
    if not rows or not len(sent_scores):
        return "Loaded_Language"
    col = sent_scores[rows].max(0)
    best, best_score = "Loaded_Language", -1.0
    for lab in PTC_LABELS:
        idx = [labels_2023.index(m) for m in D.PTC_TO_2023[lab] if m in labels_2023]
        sc = float(col[idx].max()) if idx else -1.0
        if sc > best_score + 1e-12:
            best, best_score = lab, sc
    return best


def _to_doc(art: D.LineDoc, s: int, e: int) -> tuple[int, int]:
    """File offsets -> joined-text offsets (spans stay inside one line; clipped otherwise)."""
    pos = art.orig_positions()
    idx = np.flatnonzero((pos >= s) & (pos < e))
    return (int(idx[0]), int(idx[-1]) + 1) if len(idx) else (0, 0)


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--split", default="dev", choices=["train", "dev", "test"], help="split (default dev)")
    p.add_argument("--lang", default="en", help="always en for PTC")
    p.add_argument(
        "--predict-only", action="store_true", help="write predictions to --out in the official format"
    )


def _run_heads(arts: dict[str, D.LineDoc]) -> list[tuple[Any, dict[str, Any]]]:
    import narrascope.analyzers.heads_semeval2023  # noqa: F401  (registers the heads)
    from narrascope.analyzers.framing_base import HEADS
    from narrascope.training.embcache import encode_cached

    head = HEADS["techniques"]({})
    return [(enc, head) for enc in encode_cached([a.doc for a in arts.values()])]


def eval_si(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data)
    arts = D.ptc_articles(data, args.split, args.limit)
    pred: dict[str, list[tuple[int, int]]] = {}
    for art, (enc, head) in zip(arts.values(), _run_heads(arts), strict=True):
        techs = head.predict(enc, {})["techniques"]
        pred[art.id] = merge_spans(art.to_orig(t["start"], t["end"]) for t in techs)
    res: dict[str, Any] = {"task": "ptc-si", "split": args.split, "lang": "en", "n": len(arts)}
    if args.predict_only:
        if not args.out:
            raise SystemExit("--predict-only needs --out FILE")
        lines = [f"{a}\t{s}\t{e}\n" for a, sp in pred.items() for s, e in sp]
        Path(args.out).write_text("".join(lines), encoding="utf-8")
        res["metrics"] = {}
        return res
    gold_rows = D.read_ptc_spans(data, args.split, "si")
    gold = {a: [(s, e) for _, s, e in gold_rows.get(a, [])] for a in arts}
    res["metrics"] = si_scores(gold, pred)
    if args.split in ("train", "dev"):
        res["note"] = IN_SAMPLE
    print(
        f"ptc-si split={args.split} n={len(arts)} P={res['metrics']['precision']} "
        f"R={res['metrics']['recall']} F1={res['metrics']['f1']}"
    )
    return res


def _tc_rows(data: Path, split: str, arts: dict[str, D.LineDoc]) -> list[tuple[str, int, int, str]]:
    if split == "test":
        tpl = data / "datasets" / "test-task-tc-template.out"
        rows = [ln.split("\t") for ln in tpl.read_text(encoding="utf-8").splitlines() if ln.strip()]
        return [(r[0], int(r[2]), int(r[3]), r[1]) for r in rows if r[0] in arts]
    gold = D.read_ptc_spans(data, split, "flc-tc")
    return [(a, s, e, lab) for a in arts for lab, s, e in gold.get(a, [])]


def eval_tc(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data)
    arts = D.ptc_articles(data, args.split, args.limit)
    rows = _tc_rows(data, args.split, arts)
    by_art: dict[str, list[tuple[str, int, int, str]]] = {}
    for r in rows:
        by_art.setdefault(r[0], []).append(r)
    pred: list[tuple[str, int, int, str]] = []
    for art, (enc, head) in zip(arts.values(), _run_heads(arts), strict=True):
        _, ss = head.raw_scores(enc)
        labels = list(head.para.labels)
        for a, s, e, _ in by_art.get(art.id, []):
            pred.append((a, s, e, tc_classify(ss, list(enc.sentences), _to_doc(art, s, e), labels)))
    res: dict[str, Any] = {"task": "ptc-tc", "split": args.split, "lang": "en", "n": len(rows)}
    if args.predict_only:
        if not args.out:
            raise SystemExit("--predict-only needs --out FILE")
        Path(args.out).write_text(
            "".join(f"{a}\t{lab}\t{s}\t{e}\n" for a, s, e, lab in pred), encoding="utf-8"
        )
        res["metrics"] = {}
        return res
    acc = tc_accuracy(rows, pred)
    res["metrics"] = {"f1_micro": round(acc, 4)}
    if args.split in ("train", "dev"):
        res["note"] = IN_SAMPLE
    print(f"ptc-tc split={args.split} n={len(rows)} micro-F1={acc:.4f}")
    return res


register_task("eval", "ptc-si", "PTC span identification: partial-overlap span F1", _args)(eval_si)
register_task("eval", "ptc-tc", "PTC technique classification of gold spans: micro-F1", _args)(eval_tc)
