"""``narrascope eval semeval2023-st1|st2|st3``: official metrics on the SemEval-2023 Task 3 layout.

- st1 (genre): macro-F1 over the genres (as sklearn's ``f1_score(average="macro")``: the
  classes present in gold or prediction); accuracy reported as ``f1_micro``.
- st2 (frames): micro-F1 over the 14 frames (binary vectors over the label list,
  ``zero_division=1``); macro-F1 also reported.
- st3 (techniques, paragraph level): micro-F1 over the 23 techniques, keys
  ``article_paragraph`` from the template; macro-F1 also reported.

Evaluation never trains: it runs the shipped heads through the production encoder path
(vectors come from the on-disk cache when present). ``--predict-only --out FILE`` writes the
official submission format instead of scoring. Scores on ``--split train`` are in-sample.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.eval import semeval2023_data as D
from narrascope.registry import register_task

__all__ = ["GENRES", "f1_multilabel", "f1_single", "paragraph_labels", "predict_docs"]

GENRES = ["opinion", "reporting", "satire"]
IN_SAMPLE = "in-sample: the shipped models were trained on SemEval-2023 EN train (use `narrascope train ... --cv K` for held-out figures)"


def f1_single(
    gold: Sequence[Any], pred: Sequence[Any], classes: Sequence[Any] | None = None
) -> tuple[float, float]:
    """(macro-F1, accuracy) of single-label predictions; macro over classes seen in gold or pred."""
    if not gold:
        return 0.0, 0.0
    seen = sorted(set(gold) | set(pred), key=str)
    f1s = []
    for c in seen:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
    return float(np.mean(f1s)), acc


def f1_multilabel(Y: np.ndarray, P: np.ndarray) -> tuple[float, float]:
    """(micro-F1, macro-F1) of boolean matrices (rows x labels) with ``zero_division=1``."""
    Y = np.asarray(Y, dtype=bool)
    P = np.asarray(P, dtype=bool)
    tp = (Y & P).sum(0).astype(float)
    fp = (~Y & P).sum(0).astype(float)
    fn = (Y & ~P).sum(0).astype(float)
    den = 2 * tp.sum() + fp.sum() + fn.sum()
    micro = 1.0 if den == 0 else 2 * tp.sum() / den
    per = np.where(2 * tp + fp + fn == 0, 1.0, 2 * tp / np.maximum(2 * tp + fp + fn, 1))
    return float(micro), float(per.mean()) if len(per) else 0.0


def predict_docs(arts: dict[str, D.LineDoc], heads: Sequence[str]) -> list[dict[str, Any]]:
    """Run the named heads over the articles (shared encoder pass, disk-cached vectors)."""
    import narrascope.analyzers.heads_semeval2023  # noqa: F401  (registers the heads)
    from narrascope.analyzers.framing_base import HEADS
    from narrascope.training.embcache import encode_cached

    built = [HEADS[h]({}) for h in heads]
    outs = []
    for enc in encode_cached([a.doc for a in arts.values()]):
        out: dict[str, Any] = {}
        for h in built:
            out.update(h.predict(enc, dict(out)))
        outs.append(out)
    return outs


def paragraph_labels(art: D.LineDoc, techniques: list[dict[str, Any]]) -> dict[int, list[str]]:
    """Technique names per paragraph (file line number) from the head's span output."""
    out: dict[int, set[str]] = {}
    for t in techniques:
        no = art.line_nos[art.para_index(t["start"])]
        out.setdefault(no, set()).add(t["technique"])
    return {k: sorted(v) for k, v in out.items()}


def _result(task: str, args: argparse.Namespace, n: int, metrics: dict[str, Any]) -> dict[str, Any]:
    res: dict[str, Any] = {"task": task, "split": args.split, "lang": args.lang, "n": n, "metrics": metrics}
    if args.split == "train" and metrics:
        res["note"] = IN_SAMPLE
    return res


def _write(path: str | None, lines: list[str]) -> None:
    if not path:
        raise SystemExit("--predict-only needs --out FILE")
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _print(res: dict[str, Any]) -> None:
    print(f"{res['task']} split={res['split']} lang={res['lang']} n={res['n']}")
    for k, v in res["metrics"].items():
        if not isinstance(v, dict):
            print(f"  {k:<12} {v}")
    if "note" in res:
        print(f"  note: {res['note']}")


def eval_st1(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data)
    arts = D.st_articles(data, args.lang, args.split, 1, args.limit)
    preds = {a: o["genre"]["label"] for a, o in zip(arts, predict_docs(arts, ["genre"]), strict=True)}
    if args.predict_only:
        _write(args.out, [f"{a}\t{g}" for a, g in preds.items()])
        return _result("semeval2023-st1", args, len(preds), {})
    gold = D.read_st1(data, args.lang, args.split)
    ids = [a for a in preds if a in gold]
    macro, acc = f1_single([gold[a] for a in ids], [preds[a] for a in ids])
    res = _result("semeval2023-st1", args, len(ids), {"f1_macro": round(macro, 4), "f1_micro": round(acc, 4)})
    _print(res)
    return res


def eval_st2(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data)
    labels = D.read_label_list(data, "frames_subtask2.txt")
    arts = D.st_articles(data, args.lang, args.split, 2, args.limit)
    preds = {
        a: [f["frame"] for f in o["frames"]]
        for a, o in zip(arts, predict_docs(arts, ["frames"]), strict=True)
    }
    if args.predict_only:
        _write(args.out, [f"{a}\t{','.join(fr)}" for a, fr in preds.items()])
        return _result("semeval2023-st2", args, len(preds), {})
    gold = D.read_st2(data, args.lang, args.split)
    ids = [a for a in preds if a in gold]
    Y = np.array([[f in gold[a] for f in labels] for a in ids], dtype=bool).reshape(len(ids), len(labels))
    P = np.array([[f in preds[a] for f in labels] for a in ids], dtype=bool).reshape(len(ids), len(labels))
    micro, macro = f1_multilabel(Y, P)
    res = _result(
        "semeval2023-st2", args, len(ids), {"f1_micro": round(micro, 4), "f1_macro": round(macro, 4)}
    )
    _print(res)
    return res


def st3_predictions(data: Path, lang: str, split: str, limit: int | None) -> dict[tuple[str, int], list[str]]:
    """Technique labels for every template paragraph (empty list when none fired)."""
    arts = D.st_articles(data, lang, split, 3, limit)
    per: dict[tuple[str, int], list[str]] = {}
    for art, out in zip(arts.values(), predict_docs(arts, ["techniques"]), strict=True):
        for no, labs in paragraph_labels(art, out["techniques"]).items():
            per[(art.id, no)] = labs
    template = [k for k in D.read_template(data, lang, split) if k[0] in arts]
    return {k: per.get(k, []) for k in template}


def eval_st3(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data)
    labels = D.read_label_list(data, "techniques_subtask3.txt")
    preds = st3_predictions(data, args.lang, args.split, args.limit)
    if args.predict_only:
        _write(args.out, [f"{a}\t{no}\t{','.join(t)}" for (a, no), t in preds.items()])
        return _result("semeval2023-st3", args, len(preds), {})
    gold = D.read_st3_paragraphs(data, args.lang, args.split)
    keys = [k for k in preds if k in gold]
    Y = np.array([[t in gold[k] for t in labels] for k in keys], dtype=bool).reshape(len(keys), len(labels))
    P = np.array([[t in preds[k] for t in labels] for k in keys], dtype=bool).reshape(len(keys), len(labels))
    micro, macro = f1_multilabel(Y, P)
    per_label = {
        t: round(f1_multilabel(Y[:, [i]], P[:, [i]])[0], 4) for i, t in enumerate(labels) if Y[:, i].any()
    }
    res = _result(
        "semeval2023-st3",
        args,
        len(keys),
        {"f1_micro": round(micro, 4), "f1_macro": round(macro, 4), "per_label_f1": per_label},
    )
    _print(res)
    return res


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--split", default="dev", choices=["train", "dev", "test"], help="split to read (default dev)"
    )
    p.add_argument("--lang", default="en", help="language folder (default en; the models are English)")
    p.add_argument(
        "--predict-only", action="store_true", help="write predictions to --out in the official format"
    )


register_task("eval", "semeval2023-st1", "SemEval-2023 T3 ST1 genre: macro-F1", _args)(eval_st1)
register_task("eval", "semeval2023-st2", "SemEval-2023 T3 ST2 frames: micro-F1", _args)(eval_st2)
register_task("eval", "semeval2023-st3", "SemEval-2023 T3 ST3 techniques per paragraph: micro-F1", _args)(
    eval_st3
)


def main_json(res: dict[str, Any]) -> str:
    return json.dumps(res, sort_keys=True)
