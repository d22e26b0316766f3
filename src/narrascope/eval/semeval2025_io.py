"""SemEval-2025 Task 10: reading the official layout, official-style metrics, submission writers.

Layout (see the dataset README): ``DIR/<split>/<LANG>/raw-documents/*.txt`` (train) or
``DIR/<split>/<LANG>/subtask-N-documents/*.txt`` (dev/test), annotation files TAB-separated.
Documents are read with ``newline=""`` because subtask-1 offsets count ``\\r``; subtask-1 end
offsets are inclusive (the mention is ``text[start:end+1]``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from narrascope.errors import ConfigError


@dataclass(frozen=True)
class Mention:
    """A subtask-1 entity mention; ``start``/``end`` half-open (converted from inclusive end)."""

    doc_id: str
    text: str
    start: int
    end: int
    main_role: str = ""
    fine_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeGold:
    doc_id: str
    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]


@dataclass(frozen=True)
class ExplanationGold:
    doc_id: str
    narrative: str
    subnarrative: str
    explanation: str = ""


@dataclass
class Split:
    """Everything of one split and language that is present on disk."""

    docs: dict[str, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    narratives: dict[str, NarrativeGold] = field(default_factory=dict)
    explanations: dict[str, ExplanationGold] = field(default_factory=dict)


def _lines(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if line.strip():
                out.append(line.split("\t"))
    return out


def _read_docs(lang_dir: Path) -> dict[str, str]:
    dirs = [lang_dir / "raw-documents", *sorted(lang_dir.glob("subtask-*-documents"))]
    docs: dict[str, str] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for p in sorted(d.glob("*.txt")):
            if p.name not in docs:
                with open(p, encoding="utf-8", newline="") as fh:
                    docs[p.name] = fh.read()
    return docs


def _split_labels(cell: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in cell.split(";"):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


def read_split(data_dir: str | Path, split: str, lang: str) -> Split:
    """Read one split/language of the official layout. Raises ConfigError when absent."""
    lang_dir = Path(data_dir) / split / lang
    if not lang_dir.is_dir():
        raise ConfigError(
            f"no {split}/{lang} under {data_dir}: expected the official SemEval-2025 Task 10 layout"
        )
    out = Split(docs=_read_docs(lang_dir))
    st1 = _lines(lang_dir / "subtask-1-annotations.txt") or _lines(lang_dir / "subtask-1-entity-mentions.txt")
    for row in st1:
        doc_id, text, s, e = row[0], row[1], int(row[2]), int(row[3])
        main = row[4] if len(row) > 4 else ""
        out.mentions.append(Mention(doc_id, text, s, e + 1, main, tuple(r for r in row[5:] if r)))
    for row in _lines(lang_dir / "subtask-2-annotations.txt"):
        out.narratives[row[0]] = NarrativeGold(row[0], _split_labels(row[1]), _split_labels(row[2]))
    st3 = _lines(lang_dir / "subtask-3-annotations.txt") or _lines(
        lang_dir / "subtask-3-dominant-narratives.txt"
    )
    for row in st3:
        expl = row[3] if len(row) > 3 else ""
        out.explanations[row[0]] = ExplanationGold(row[0], row[1], row[2] if len(row) > 2 else "none", expl)
    return out


def read_class_list(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ---------------------------------------------------------------- metrics


def _binary_f1(gold: set[str], pred: set[str], classes: set[str]) -> float:
    g, p = gold & classes, pred & classes
    tp = len(g & p)
    if tp == 0:
        return 0.0  # zero_division=0, as the official scorer
    return 2 * tp / (len(g) + len(p))


def samples_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], classes: Iterable[str]) -> float:
    """Mean over documents of the per-document binary F1 (labels outside ``classes`` ignored)."""
    cls = set(classes)
    if not gold:
        return 0.0
    return float(np.mean([_binary_f1(set(g), set(p), cls) for g, p in zip(gold, pred, strict=True)]))


def exact_match_ratio(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> float:
    """Share of items whose predicted label set equals the gold set."""
    if not gold:
        return 0.0
    return float(np.mean([set(g) == set(p) for g, p in zip(gold, pred, strict=True)]))


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    if not gold:
        return 0.0
    return float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))


def micro_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> float:
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


# ---------------------------------------------------------------- submission writers


def st1_lines(mentions: Sequence[Mention], preds: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Official subtask-1 lines (inclusive end offsets)."""
    rows = []
    for m, (main, fine) in zip(mentions, preds, strict=True):
        rows.append("\t".join([m.doc_id, m.text, str(m.start), str(m.end - 1), main, *fine]))
    return rows


def st2_lines(doc_ids: Sequence[str], preds: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[str]:
    """Official subtask-2 lines; the narrative column is aligned with the sub-narrative column."""
    rows = []
    for doc_id, (_, subs) in zip(doc_ids, preds, strict=True):
        if not subs or list(subs) == ["Other"]:
            rows.append(f"{doc_id}\tOther\tOther")
            continue
        coarse = [s.rsplit(": ", 1)[0] for s in subs]
        rows.append(f"{doc_id}\t{';'.join(coarse)}\t{';'.join(subs)}")
    return rows


def st3_lines(doc_ids: Sequence[str], texts: Sequence[str]) -> list[str]:
    return [f"{d}\t{' '.join(t.split())}" for d, t in zip(doc_ids, texts, strict=True)]
