"""``narrascope eval semeval2025-st1|st2|st3``: the shipped SemEval-2025 Task 10 heads, scored.

- st1 (entity framing, on the given gold mentions): ``emr`` (exact match of the fine-role set,
  the official metric), ``main_role_accuracy``, ``f1_micro_fine``.
- st2 (narratives): ``f1_samples_fine`` and ``f1_samples_coarse``: mean over documents of the
  per-document F1, labels outside the class list ignored, as the official scorer does.
- st3 (explanation of the given dominant narrative): ``similarity`` = mean cosine of
  all-MiniLM-L6-v2 (int8 ONNX) embeddings of prediction and gold; the official metric is
  BERTScore with bert-base-multilingual-cased, whose weights are not available offline, so the
  figures are not comparable with the leaderboard.

Evaluating never trains. On ``--split train`` the scores are in-sample (the shipped models were
fitted on that split); cross-validated figures come from ``narrascope train ... --cv K``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc
from narrascope.analyzers.heads_semeval2025 import NarrativeModel, RoleModel, decode_roles
from narrascope.analyzers.semeval2025_explain import build_explanation
from narrascope.eval.semeval2025_io import (
    Split,
    accuracy,
    exact_match_ratio,
    micro_f1,
    read_split,
    samples_f1,
    st1_lines,
    st2_lines,
    st3_lines,
)
from narrascope.registry import register_task

IN_SAMPLE_NOTE = "in-sample: the shipped models were trained on this split; use `narrascope train TASK --cv K` for honest figures"


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--split", default="dev", choices=["train", "dev", "test"], help="split of the official layout"
    )
    p.add_argument("--lang", default="EN", help="language folder (EN, BG, HI, PT, RU)")
    p.add_argument(
        "--predict-only",
        action="store_true",
        help="write predictions to --out in the official format; no scoring",
    )
    p.add_argument(
        "--embedder", default="minilm-int8", help="embedder name (the shipped heads expect minilm-int8)"
    )
    p.add_argument(
        "--no-cache", action="store_true", help="do not read/write the embedding cache under .cache/emb"
    )


def _embedder(args: argparse.Namespace) -> Any:
    from narrascope.backends.embedders import get_embedder

    base = get_embedder(args.embedder)
    if args.no_cache:
        return base
    from narrascope.training.semeval2025_cache import CachedEmbedder

    return CachedEmbedder(base)


def _encode(split: Split, ids: list[str], args: argparse.Namespace) -> dict[str, EncodedDoc]:
    from narrascope.training.semeval2025 import encode_split

    return encode_split(split, _embedder(args), ids)


def _finish(
    args: argparse.Namespace, task: str, n: int, metrics: dict[str, float], lines: list[str]
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "task": task,
        "split": args.split,
        "lang": args.lang,
        "n": n,
        "metrics": metrics,
    }
    if args.out:
        Path(args.out).write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
        result["out"] = str(args.out)
    if args.split == "train" and not args.predict_only:
        result["note"] = IN_SAMPLE_NOTE
    print(f"{task} {args.split}/{args.lang} n={n}")
    for k, v in metrics.items():
        print(f"  {k:<22} {v:.4f}")
    if "note" in result:
        print(f"  note: {result['note']}")
    if args.out:
        print(f"  predictions written to {args.out}")
    return result


def _limit_ids(ids: list[str], args: argparse.Namespace) -> list[str]:
    return ids[: args.limit] if args.limit else ids


def run_st2(args: argparse.Namespace) -> dict[str, Any]:
    split = read_split(args.data, args.split, args.lang)
    has_gold = bool(split.narratives) and not args.predict_only
    ids = _limit_ids(sorted(split.narratives) if split.narratives else sorted(split.docs), args)
    model = NarrativeModel()
    encs = _encode(split, ids, args)
    preds = []
    for d in ids:
        labels = model.predict(encs[d])
        preds.append(
            ([n["narrative"] for n in labels] or ["Other"], [n["subnarrative"] for n in labels] or ["Other"])
        )
    metrics: dict[str, float] = {}
    if has_gold:
        cfg = model.config
        fine_cls = set(cfg["fine_labels"]) | {"Other"}
        coarse_cls = set(cfg["coarse_labels"]) | {"Other"}
        gold = [split.narratives[d] for d in ids]
        metrics["f1_samples_fine"] = samples_f1(
            [g.subnarratives for g in gold], [p[1] for p in preds], fine_cls
        )
        metrics["f1_samples_coarse"] = samples_f1(
            [g.narratives for g in gold], [p[0] for p in preds], coarse_cls
        )
    return _finish(args, "semeval2025-st2", len(ids), metrics, st2_lines(ids, preds))


def run_st1(args: argparse.Namespace) -> dict[str, Any]:
    split = read_split(args.data, args.split, args.lang)
    ids = _limit_ids(sorted({m.doc_id for m in split.mentions if m.doc_id in split.docs}), args)
    keep = set(ids)
    mentions = [m for m in split.mentions if m.doc_id in keep]
    model = RoleModel()
    encs = _encode(split, ids, args)
    preds: list[tuple[str, list[str]]] = []
    for d in ids:
        ms = [m for m in mentions if m.doc_id == d]
        p_main, p_fine = model.mention_scores(encs[d], [(m.start, m.end) for m in ms])
        preds.extend(decode_roles(p_main[i], p_fine[i], model.config)[:2] for i in range(len(ms)))
    ordered = [m for d in ids for m in mentions if m.doc_id == d]
    metrics: dict[str, float] = {}
    if not args.predict_only and ordered and ordered[0].main_role:
        metrics["emr"] = exact_match_ratio([m.fine_roles for m in ordered], [p[1] for p in preds])
        metrics["main_role_accuracy"] = accuracy([m.main_role for m in ordered], [p[0] for p in preds])
        metrics["f1_micro_fine"] = micro_f1([m.fine_roles for m in ordered], [p[1] for p in preds])
    return _finish(args, "semeval2025-st1", len(ordered), metrics, st1_lines(ordered, preds))


def explain_given(model: NarrativeModel, enc: EncodedDoc, narrative: str, subnarrative: str) -> str:
    """Subtask 3: explanation of a given dominant narrative, from its evidence sentences."""
    ev = model.label_evidence(enc, narrative, subnarrative)
    return build_explanation(enc.doc.text, narrative, subnarrative, [(e["start"], e["end"]) for e in ev])


def run_st3(args: argparse.Namespace) -> dict[str, Any]:
    split = read_split(args.data, args.split, args.lang)
    ids = _limit_ids(sorted(d for d in split.explanations if d in split.docs), args)
    model = NarrativeModel()
    encs = _encode(split, ids, args)
    texts = [
        explain_given(model, encs[d], split.explanations[d].narrative, split.explanations[d].subnarrative)
        for d in ids
    ]
    metrics: dict[str, float] = {}
    golds = [split.explanations[d].explanation for d in ids]
    if not args.predict_only and ids and all(golds):
        emb = _embedder(args)
        a, b = emb.embed(texts), emb.embed(golds)
        metrics["similarity"] = float(np.mean(np.sum(a * b, axis=1)))
        metrics["max_words"] = float(max(len(t.split()) for t in texts))
    return _finish(args, "semeval2025-st3", len(ids), metrics, st3_lines(ids, texts))


register_task(
    "eval",
    "semeval2025-st1",
    "SemEval-2025 T10 subtask 1: entity framing (EMR, main-role accuracy)",
    _add_args,
)(run_st1)
register_task(
    "eval", "semeval2025-st2", "SemEval-2025 T10 subtask 2: narratives (samples-F1 fine/coarse)", _add_args
)(run_st2)
register_task(
    "eval", "semeval2025-st3", "SemEval-2025 T10 subtask 3: explanation (MiniLM cosine)", _add_args
)(run_st3)
