"""``narrascope eval entities``: recall of SemEval-2025 Task 10 subtask-1 entity mentions.

The gold mentions (``train/<LANG>/subtask-1-annotations.txt``) are the entities annotators
gave a framing role, not every entity, so only recall is meaningful: the share of gold mention
spans that ``entities.v1`` finds exactly (same start and end) and that it overlaps. Offsets count
``\\r`` characters and the end offset is inclusive, so documents are read with ``newline=""``
and the gold span is ``[start, end + 1)``. The data stays in ``--data``; nothing is copied.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from narrascope.registry import register_task


def read_mentions(data: Path, lang: str) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    path = data / "train" / lang / "subtask-1-annotations.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.rstrip("\r").split("\t")
        if len(cols) >= 4:
            out[cols[0]].append((int(cols[2]), int(cols[3]) + 1, cols[1]))
    return dict(out)


def _read(path: Path) -> str:
    """The document exactly as stored (CRLF kept: the gold offsets count ``\\r``)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def evaluate(data: Path, lang: str = "EN", limit: int | None = None, batch_size: int = 16) -> dict[str, Any]:
    from narrascope.eval.incidents import make_doc, run_pipeline

    mentions = read_mentions(data, lang)
    ids = sorted(mentions)[: limit or None]
    texts = [_read(data / "train" / lang / "raw-documents" / i) for i in ids]
    t0 = time.perf_counter()
    docs = [make_doc(t, None, "en" if lang == "EN" else lang.lower()) for t in texts]
    preds = run_pipeline(docs, ("entities.v1",), batch_size)
    secs = time.perf_counter() - t0
    exact = overlap = total = offset_errors = 0
    missed: Counter[str] = Counter()
    for doc_id, text, pred in zip(ids, texts, preds, strict=True):
        spans = [(e["start"], e["end"]) for e in pred["entities"]]
        for s, e, surface in mentions[doc_id]:
            total += 1
            offset_errors += text[s:e] != surface
            if (s, e) in spans:
                exact += 1
            if any(a < e and s < b for a, b in spans):
                overlap += 1
            else:
                missed[surface] += 1
    return {
        "lang": lang,
        "documents": len(ids),
        "mentions": total,
        "recall_exact": round(exact / total, 3) if total else 0.0,
        "recall_overlap": round(overlap / total, 3) if total else 0.0,
        "gold_offset_mismatches": offset_errors,
        "seconds": round(secs, 1),
        "most_missed": missed.most_common(15),
    }


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", default="EN", help="language folder of the train split (EN, BG, HI, PT, RU)")


def _run(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data or "../shared/data/semeval2025_task10")
    r = evaluate(data, args.lang, args.limit)
    print(
        f"SemEval-2025 T10 subtask-1 mentions, train/{r['lang']}: {r['documents']} documents, {r['mentions']} mentions"
    )
    print(f"  recall exact   {r['recall_exact']:.3f}")
    print(f"  recall overlap {r['recall_overlap']:.3f}")
    print(f"  gold offsets not matching the text: {r['gold_offset_mismatches']}; {r['seconds']} s")
    print("  most missed: " + ", ".join(f"{m} ({n})" for m, n in r["most_missed"]))
    return r


register_task(
    "eval", "entities", "entities.v1 recall of SemEval-2025 Task 10 subtask-1 mention spans", _add_args
)(_run)
