"""Readers for the SemEval-2023 Task 3 and PTC (SemEval-2020 Task 11) official layouts.

Both corpora store one article per file: title on line 1, then one paragraph (2023) or one
sentence (PTC) per line; gold offsets point into that file. Articles are turned into
:class:`LineDoc` objects: the non-empty lines, stripped, joined by a blank line, so that
:func:`narrascope.analyzers.framing_base.split_paragraphs` finds exactly one paragraph per line.
``to_orig`` maps offsets of the joined text back to the file's offsets (for span output).

Nothing here copies data into the project: files are read at run time from ``--data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.errors import UsageError
from narrascope.model import Document, InputRef

__all__ = [
    "PTC_TO_2023",
    "LineDoc",
    "line_doc",
    "read_label_list",
    "read_ptc_spans",
    "read_st1",
    "read_st2",
    "read_st3_paragraphs",
    "read_st3_spans",
    "read_template",
    "st_articles",
]

#: PTC's 14 TC classes -> the SemEval-2023 names they correspond to (first one is used when a
#: 2023 prediction is mapped back; merged PTC classes list every 2023 member).
PTC_TO_2023: dict[str, tuple[str, ...]] = {
    "Appeal_to_Authority": ("Appeal_to_Authority",),
    "Appeal_to_fear-prejudice": ("Appeal_to_Fear-Prejudice",),
    "Bandwagon,Reductio_ad_hitlerum": ("Appeal_to_Popularity", "Guilt_by_Association"),
    "Black-and-White_Fallacy": ("False_Dilemma-No_Choice",),
    "Causal_Oversimplification": ("Causal_Oversimplification",),
    "Doubt": ("Doubt",),
    "Exaggeration,Minimisation": ("Exaggeration-Minimisation",),
    "Flag-Waving": ("Flag_Waving",),
    "Loaded_Language": ("Loaded_Language",),
    "Name_Calling,Labeling": ("Name_Calling-Labeling",),
    "Repetition": ("Repetition",),
    "Slogans": ("Slogans",),
    "Thought-terminating_Cliches": ("Conversation_Killer",),
    "Whataboutism,Straw_Men,Red_Herring": ("Whataboutism", "Straw_Man", "Red_Herring", "Appeal_to_Hypocrisy"),
}


@dataclass(frozen=True)
class LineDoc:
    """An article as a Document whose paragraphs are the file's non-empty lines."""

    id: str
    doc: Document
    line_nos: tuple[int, ...]  # 1-based line number in the file of each paragraph
    para_spans: tuple[tuple[int, int], ...]  # offsets of each paragraph in doc.text
    orig_starts: tuple[int, ...]  # file offset of each paragraph's first character

    def to_orig(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``doc.text`` lying inside one paragraph back to file offsets."""
        i = self.para_index(start)
        base = self.orig_starts[i] - self.para_spans[i][0]
        return start + base, end + base

    def para_index(self, pos: int) -> int:
        starts = [s for s, _ in self.para_spans]
        return max(0, int(np.searchsorted(starts, pos, side="right")) - 1)

    def orig_positions(self) -> np.ndarray:
        """File offset of every character of ``doc.text`` (-1 for the joining blank lines)."""
        out = np.full(len(self.doc.text), -1, dtype=np.int64)
        for (s, e), o in zip(self.para_spans, self.orig_starts, strict=True):
            out[s:e] = np.arange(o, o + (e - s))
        return out


def line_doc(article_id: str, raw: str, path: str | None = None, language: str = "en") -> LineDoc:
    """Build a :class:`LineDoc` from an article file's raw text."""
    pieces: list[str] = []
    line_nos: list[int] = []
    spans: list[tuple[int, int]] = []
    origs: list[int] = []
    pos = 0  # offset in the file
    cur = 0  # offset in the joined text
    for no, line in enumerate(raw.split("\n"), start=1):
        stripped = line.strip().strip("\ufeff").strip()
        # One-character lines (stray BOMs, bullets) are skipped: framing_base.split_paragraphs
        # would glue a one-character paragraph to the next one.
        if len(stripped) >= 2:
            lead = line.index(stripped)
            if pieces:
                cur += 2
            pieces.append(stripped)
            line_nos.append(no)
            spans.append((cur, cur + len(stripped)))
            origs.append(pos + lead)
            cur += len(stripped)
        pos += len(line) + 1
    text = "\n\n".join(pieces)
    ref = InputRef(path=path, sha256="", format="text")
    doc = Document(text=text, input=ref, language=language)
    return LineDoc(article_id, doc, tuple(line_nos), tuple(spans), tuple(origs))


def _lang_dir(data: Path, lang: str) -> Path:
    d = data / "data" / lang
    return d if d.is_dir() else data / lang if (data / lang).is_dir() else data


def st_articles(
    data: Path, lang: str, split: str, subtask: int, limit: int | None = None
) -> dict[str, LineDoc]:
    """Articles of a SemEval-2023 subtask split, keyed by article id (sorted)."""
    folder = _lang_dir(data, lang) / f"{split}-articles-subtask-{subtask}"
    if not folder.is_dir():
        raise UsageError(
            f"{folder} not found: is --data the semeval2023_task3 root, and does it have this --split?"
        )
    out: dict[str, LineDoc] = {}
    for p in sorted(folder.glob("article*.txt")):
        aid = p.stem.removeprefix("article")
        out[aid] = line_doc(aid, p.read_text(encoding="utf-8"), str(p), lang)
        if limit and len(out) >= limit:
            break
    return out


def _tsv(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise UsageError(f"{path} not found: does --data have this --split in the official layout?")
    rows = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            rows.append(line.rstrip("\r").split("\t"))
    return rows


def read_label_list(data: Path, name: str) -> list[str]:
    """A label list from ``label_lists/`` (one label per line)."""
    path = data / "label_lists" / name
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def read_st1(data: Path, lang: str, split: str) -> dict[str, str]:
    return {r[0]: r[1].strip() for r in _tsv(_lang_dir(data, lang) / f"{split}-labels-subtask-1.txt")}


def read_st2(data: Path, lang: str, split: str) -> dict[str, list[str]]:
    rows = _tsv(_lang_dir(data, lang) / f"{split}-labels-subtask-2.txt")
    return {r[0]: [x for x in (r[1].split(",") if len(r) > 1 else []) if x.strip()] for r in rows}


def read_template(data: Path, lang: str, split: str) -> list[tuple[str, int]]:
    """``(article_id, paragraph_no)`` of every paragraph to label, in file order."""
    rows = _tsv(_lang_dir(data, lang) / f"{split}-labels-subtask-3.template")
    return [(r[0], int(r[1])) for r in rows]


def read_st3_paragraphs(data: Path, lang: str, split: str) -> dict[tuple[str, int], list[str]]:
    rows = _tsv(_lang_dir(data, lang) / f"{split}-labels-subtask-3.txt")
    return {
        (r[0], int(r[1])): [x for x in (r[2].split(",") if len(r) > 2 else []) if x.strip()] for r in rows
    }


def read_st3_spans(data: Path, lang: str, split: str) -> dict[str, list[tuple[str, int, int]]]:
    """Span gold per article: ``(technique, start, end)`` in file offsets (end exclusive)."""
    folder = _lang_dir(data, lang) / f"{split}-labels-subtask-3-spans"
    out: dict[str, list[tuple[str, int, int]]] = {}
    for p in sorted(folder.glob("article*-labels-subtask-3.txt")):
        aid = p.name.removeprefix("article").split("-")[0]
        out[aid] = [(r[1], int(r[2]), int(r[3])) for r in _tsv(p) if len(r) >= 4]
    return out


def read_ptc_spans(data: Path, split: str, task: str = "flc-tc") -> dict[str, list[tuple[str, int, int]]]:
    """PTC gold per article: ``(technique or "", start, end)``; ``task`` is ``flc-tc`` or ``si``."""
    folder = data / "datasets" / f"{split}-labels-task-{task}"
    if not folder.is_dir():
        folder = data / f"{split}-labels-task-{task}"
    out: dict[str, list[tuple[str, int, int]]] = {}
    for p in sorted(folder.glob("article*.labels")):
        aid = p.name.removeprefix("article").split(".")[0]
        rows = _tsv(p) if p.stat().st_size else []
        if task == "si":
            out[aid] = [("", int(r[1]), int(r[2])) for r in rows if len(r) >= 3]
        else:
            out[aid] = [(r[1], int(r[2]), int(r[3])) for r in rows if len(r) >= 4]
    return out


def ptc_articles(data: Path, split: str, limit: int | None = None) -> dict[str, LineDoc]:
    folder = data / "datasets" / f"{split}-articles"
    if not folder.is_dir():
        folder = data / f"{split}-articles"
    if not folder.is_dir():
        raise UsageError(f"{folder} not found: is --data the ptc_semeval2020_task11 root?")
    out: dict[str, LineDoc] = {}
    for p in sorted(folder.glob("article*.txt")):
        aid = p.stem.removeprefix("article")
        out[aid] = line_doc(aid, p.read_text(encoding="utf-8"), str(p))
        if limit and len(out) >= limit:
            break
    return out
