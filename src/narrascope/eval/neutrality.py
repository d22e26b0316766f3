"""Neutrality check: swap the two sides' actor names in the same texts and count label flips.

``swap_actors(text)`` exchanges Russia/Ukraine, Putin/Zelensky, Moscow/Kyiv, ... (pairs are data:
``analyzers/resources/semeval2025/actor_swaps.tsv``). ``swap_actors_mapped`` also returns an
offset map so gold mentions can be followed into the swapped text. Reusable by any head (the
techniques evaluation imports ``swap_actors``).

``narrascope eval neutrality --data DIR`` runs the shipped narratives and roles heads on the
original and the swapped texts of a SemEval-2025 Task 10 split and prints flip rates: the share
of documents whose narrative set changes and of mentions whose main role changes (only texts
that contain at least one swappable name count).
"""

from __future__ import annotations

import argparse
import bisect
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from narrascope.registry import register_task

SWAPS_FILE = (
    Path(__file__).resolve().parents[1] / "analyzers" / "resources" / "semeval2025" / "actor_swaps.tsv"
)


@lru_cache(maxsize=1)
def swap_table() -> dict[str, str]:
    """Word -> replacement; two-way pairs appear in both directions unless a side is taken."""
    table: dict[str, str] = {}
    for line in SWAPS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        left, right = line.split("\t")[:2]
        table[left] = right
    for left, right in list(table.items()):
        table.setdefault(right, left)
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    words = sorted(swap_table(), key=lambda w: (-len(w), w))  # longest first: "Vladimir Putin" before "Putin"
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


def swap_actors_mapped(text: str) -> tuple[str, Callable[[int], int]]:
    """Swapped text and a map from an offset in ``text`` to the matching offset in the result
    (offsets inside a replaced name map to its start)."""
    table, parts = swap_table(), []
    old_starts: list[int] = []
    shifts: list[tuple[int, int, int]] = []  # (old_start, old_end, new_start)
    cur, new_len = 0, 0
    for m in _pattern().finditer(text):
        parts.append(text[cur : m.start()])
        new_len += m.start() - cur
        rep = table[m.group(0)]
        shifts.append((m.start(), m.end(), new_len))
        old_starts.append(m.start())
        parts.append(rep)
        new_len += len(rep)
        cur = m.end()
    parts.append(text[cur:])

    def mapping(pos: int) -> int:
        i = bisect.bisect_right(old_starts, pos) - 1
        if i < 0:
            return pos
        s, e, ns = shifts[i]
        if pos < e:
            return ns if pos == s else ns + len(table[text[s:e]])
        return ns + len(table[text[s:e]]) + (pos - e)

    return "".join(parts), mapping


def swap_actors(text: str) -> str:
    """``text`` with the two sides' actor names exchanged (Russia<->Ukraine, Putin<->Zelensky, ...)."""
    return swap_actors_mapped(text)[0]


def has_actor(text: str) -> bool:
    return _pattern().search(text) is not None


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--split", default="train", help="split of the SemEval-2025 Task 10 layout")
    p.add_argument("--lang", default="EN", help="language folder")


def _flip(a: list[Any], b: list[Any]) -> float:
    return sum(x != y for x, y in zip(a, b, strict=True)) / len(a) if a else 0.0


def run(args: argparse.Namespace) -> dict[str, Any]:
    from narrascope.analyzers.heads_semeval2025 import NarrativeModel, RoleModel, decode_roles
    from narrascope.eval.semeval2025 import _embedder
    from narrascope.eval.semeval2025_io import Split, read_split
    from narrascope.training.semeval2025 import encode_split

    args.no_cache, args.embedder = getattr(args, "no_cache", False), getattr(args, "embedder", "minilm-int8")
    split = read_split(args.data, args.split, args.lang)
    ids = sorted(d for d in split.docs if has_actor(split.docs[d]))[: args.limit or None]
    swapped = Split(docs={d: swap_actors(split.docs[d]) for d in ids})
    emb = _embedder(args)
    enc_a, enc_b = encode_split(split, emb, ids), encode_split(swapped, emb, ids)
    narr = NarrativeModel()
    na = [sorted(n["subnarrative"] for n in narr.predict(enc_a[d])) for d in ids]
    nb = [sorted(n["subnarrative"] for n in narr.predict(enc_b[d])) for d in ids]
    roles, ra, rb = RoleModel(), [], []
    for d in ids:
        ms = [m for m in split.mentions if m.doc_id == d]
        if not ms:
            continue
        _, mapping = swap_actors_mapped(split.docs[d])
        pa = roles.mention_scores(enc_a[d], [(m.start, m.end) for m in ms])
        pb = roles.mention_scores(enc_b[d], [(mapping(m.start), mapping(m.end)) for m in ms])
        ra += [decode_roles(pa[0][i], pa[1][i], roles.config)[0] for i in range(len(ms))]
        rb += [decode_roles(pb[0][i], pb[1][i], roles.config)[0] for i in range(len(ms))]
    metrics = {"narrative_flip_rate": _flip(na, nb), "main_role_flip_rate": _flip(ra, rb)}
    print(
        f"neutrality {args.split}/{args.lang}: {len(ids)} documents with swappable names, {len(ra)} mentions"
    )
    for k, v in metrics.items():
        print(f"  {k:<22} {v:.4f}")
    return {
        "task": "neutrality",
        "split": args.split,
        "lang": args.lang,
        "n": len(ids),
        "n_mentions": len(ra),
        "metrics": metrics,
    }


register_task(
    "eval", "neutrality", "flip rate of narratives/roles when Russia<->Ukraine etc. are swapped", _add_args
)(run)
