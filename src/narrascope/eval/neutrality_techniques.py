"""``narrascope eval neutrality-techniques``: do technique predictions depend on which side?

Every article that names a party of the Russia-Ukraine war is rewritten with the actors
swapped (Russia↔Ukraine, Russian↔Ukrainian, Putin↔Zelensky, Moscow↔Kyiv, ...), both versions
go through the techniques head, and the paragraph-level technique sets are compared. A neutral
detector keeps the same techniques: the flip rate counts paragraphs whose set changes, among
the paragraphs the swap touched. ``--data`` is a SemEval-2023 Task 3 root or any folder of
``*.txt`` articles.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from narrascope.errors import UsageError
from narrascope.eval import semeval2023_data as D
from narrascope.registry import register_task

__all__ = ["SWAP_PAIRS", "flip_stats", "mentions_actor", "swap_actors"]

#: Actor name pairs swapped in both directions (longest forms first at match time).
SWAP_PAIRS: tuple[tuple[str, str], ...] = (
    ("Russia", "Ukraine"),
    ("Russian", "Ukrainian"),
    ("Russians", "Ukrainians"),
    ("Putin", "Zelensky"),
    ("Vladimir", "Volodymyr"),
    ("Moscow", "Kyiv"),
    ("Kremlin", "Bankova"),
    ("Lavrov", "Kuleba"),
    ("Shoigu", "Reznikov"),
)


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for a, b in SWAP_PAIRS:
        table[a] = b
        table[b] = a
    table["Kiev"] = "Moscow"
    table["Zelenskyy"] = "Putin"
    return table


_TABLE = _table()
_RX = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _TABLE), key=len, reverse=True)) + r")\b")
_RX_UPPER = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k.upper()) for k in _TABLE), key=len, reverse=True)) + r")\b"
)


def swap_actors(text: str) -> str:
    """``text`` with every listed actor name replaced by its counterpart (case kept)."""
    text = _RX.sub(lambda m: _TABLE[m.group(1)], text)
    return _RX_UPPER.sub(lambda m: _TABLE[m.group(1).title()].upper(), text)


def mentions_actor(text: str) -> bool:
    """Whether ``text`` names any actor of :data:`SWAP_PAIRS`."""
    return bool(_RX.search(text))


def flip_stats(before: list[set[str]], after: list[set[str]], touched: list[bool]) -> dict[str, Any]:
    """Paragraph flip rate and label-decision flip rate among touched paragraphs."""
    idx = [i for i, t in enumerate(touched) if t]
    changed = sum(1 for i in idx if before[i] != after[i])
    diff = sum(len(before[i] ^ after[i]) for i in idx)
    union = sum(len(before[i] | after[i]) for i in idx)
    return {
        "paragraphs_touched": len(idx),
        "paragraph_flip_rate": round(changed / len(idx), 4) if idx else 0.0,
        "label_flip_rate": round(diff / union, 4) if union else 0.0,
        "labels_before": sum(len(before[i]) for i in idx),
        "labels_after": sum(len(after[i]) for i in idx),
    }


def _articles(data: Path, lang: str, limit: int) -> list[D.LineDoc]:
    try:
        arts = list(D.st_articles(data, lang, "train", 3).values())
    except UsageError:
        arts = [D.line_doc(p.stem, p.read_text(encoding="utf-8"), str(p)) for p in sorted(data.glob("*.txt"))]
    return [a for a in arts if _RX.search(a.doc.text)][:limit]


def eval_neutrality(args: argparse.Namespace) -> dict[str, Any]:
    import narrascope.analyzers.heads_semeval2023  # noqa: F401  (registers the heads)
    from narrascope.analyzers.framing_base import HEADS
    from narrascope.training.embcache import encode_cached

    arts = _articles(Path(args.data), args.lang, args.limit or 60)
    swapped = [D.line_doc(a.id, swap_actors(a.doc.text)) for a in arts]
    head = HEADS["techniques"]({})
    before: list[set[str]] = []
    after: list[set[str]] = []
    touched: list[bool] = []
    encs = encode_cached([a.doc for a in arts] + [s.doc for s in swapped])
    for a, s, e0, e1 in zip(arts, swapped, encs[: len(arts)], encs[len(arts) :], strict=True):
        if len(a.para_spans) != len(s.para_spans):
            continue
        sets0 = _per_paragraph(a, head.predict(e0, {})["techniques"])
        sets1 = _per_paragraph(s, head.predict(e1, {})["techniques"])
        for i, (ps, pe) in enumerate(a.para_spans):
            before.append(sets0.get(i, set()))
            after.append(sets1.get(i, set()))
            touched.append(bool(_RX.search(a.doc.text[ps:pe])))
    stats = flip_stats(before, after, touched)
    print(
        f"neutrality-techniques: {len(arts)} articles, {stats['paragraphs_touched']} paragraphs touched by the swap; "
        f"paragraph flip rate {stats['paragraph_flip_rate']}, label flip rate {stats['label_flip_rate']}"
    )
    return {
        "task": "neutrality-techniques",
        "split": "train",
        "lang": args.lang,
        "n": len(arts),
        "metrics": stats,
    }


def _per_paragraph(art: D.LineDoc, techs: list[dict[str, Any]]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for t in techs:
        out.setdefault(art.para_index(t["start"]), set()).add(t["technique"])
    return out


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", default="en", help="language folder (default en)")


register_task(
    "eval", "neutrality-techniques", "flip rate of technique predictions when actors are swapped", _args
)(eval_neutrality)
