"""Server-side highlighting: a document's annotations as layered, non-overlapping text segments.

Offsets in records are code points and Python slices strings by code points, so the text is
cut here and never in the browser (no UTF-16 conversion needed). The output is plain data;
templates escape every piece of text when they render it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from narrascope.queries import Record, format_range

#: Layers in display order: key, title, what the layer shows.
LAYERS: tuple[tuple[str, str, str], ...] = (
    ("techniques", "Persuasion techniques", "Spans using one of the 23 persuasion techniques."),
    ("roles", "Entity roles", "Mentions that cast an entity as protagonist, antagonist or innocent."),
    ("entities", "Entities", "People, places and organisations, with their canonical name."),
    ("claims", "Claims", "Statements attributed to a claimant (or left unattributed)."),
    ("incidents", "Incidents", "Text reporting an attack: type, place, date, casualties, blame."),
    ("issues", "Consistency flags", "Dates, names or numbers that disagree with each other."),
    ("narratives", "Narrative evidence", "Passages supporting a narrative label."),
)
DEFAULT_ON = ("techniques", "claims", "incidents")


@dataclass(frozen=True)
class Mark:
    """One highlighted span of one layer, with the text shown on hover."""

    layer: str
    start: int
    end: int
    label: str
    detail: str
    score: float | None
    analyzer: str | None

    def tip(self) -> str:
        extra = [
            f"score {self.score:.2f}" if isinstance(self.score, int | float) else "",
            f"by {self.analyzer}" if self.analyzer else "",
        ]
        tail = ", ".join(x for x in extra if x)
        head = f"{self.label}: {self.detail}" if self.detail else self.label
        return f"{head} ({tail})" if tail else head


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[int, ...]
    layers: tuple[str, ...]


def _spans(obj: Record) -> Iterable[tuple[int, int]]:
    """Offsets carried directly (``start``/``end``) or through ``evidence``."""
    if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
        yield obj["start"], obj["end"]
    for ev in obj.get("evidence") or []:
        if isinstance(ev, dict) and isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
            yield ev["start"], ev["end"]


def _score(obj: Record) -> float | None:
    s = obj.get("score")
    return float(s) if isinstance(s, int | float) else None


def _incident_detail(inc: Record) -> str:
    place = (inc.get("location") or {}).get("name") or "?"
    day = (inc.get("date") or {}).get("value") or "?"
    figs = [
        f"{k.replace('_', ' ')} {format_range(inc.get(k))}"
        for k in ("killed", "injured", "children_killed")
        if format_range(inc.get(k))
    ]
    return ", ".join([f"{place}, {day}", *figs])


def _describe(layer: str, obj: Record) -> tuple[str, str]:
    """(label, detail) shown on hover for one annotation."""
    if layer == "techniques":
        return str(obj.get("technique")), ""
    if layer == "entities":
        return str(obj.get("canonical") or obj.get("quote")), str(obj.get("type") or "")
    if layer == "roles":
        fine = ", ".join(obj.get("fine_roles") or [])
        return f"{obj.get('entity')} as {obj.get('main_role')}", fine
    if layer == "claims":
        return f"claim by {obj.get('claimant') or 'unattributed'}", (
            f"{obj.get('type')}, {obj.get('certainty')}, cue “{obj.get('cue') or ''}”"
        )
    if layer == "incidents":
        return f"incident: {obj.get('type')}", _incident_detail(obj)
    if layer == "perpetrator":
        return f"blame: {obj.get('actor')}", f"according to {obj.get('claimant')} ({obj.get('stance')})"
    if layer == "issues":
        return f"flag: {obj.get('kind')}", str(obj.get("message") or "")
    if layer == "narratives":
        return str(obj.get("narrative")), str(obj.get("subnarrative") or "")
    return layer, ""


def _items(rec: Record) -> Iterable[tuple[str, str, Record, str | None]]:
    """(css layer, describe kind, annotation, analyzer) for every annotation with offsets."""
    for layer in ("techniques", "entities", "roles", "claims", "issues", "narratives"):
        for obj in rec.get(layer) or []:
            if isinstance(obj, dict):
                yield layer, layer, obj, obj.get("analyzer")
    for inc in rec.get("incidents") or []:
        if not isinstance(inc, dict):
            continue
        yield "incidents", "incidents", inc, inc.get("analyzer")
        for claim in inc.get("perpetrator_claims") or []:
            if isinstance(claim, dict):
                yield "incidents", "perpetrator", claim, inc.get("analyzer")


def collect_marks(rec: Record) -> list[Mark]:
    """Every annotation span of the record that lies inside its text, in a stable order."""
    n = len(str(rec.get("text") or ""))
    marks = []
    for layer, kind, obj, analyzer in _items(rec):
        label, detail = _describe(kind, obj)
        for start, end in _spans(obj):
            if 0 <= start < end <= n:
                marks.append(Mark(layer, start, end, label, detail, _score(obj), analyzer and str(analyzer)))
    marks.sort(key=lambda m: (m.start, -m.end, m.layer, m.label))
    return marks


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; each piece knows which marks cover it."""
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(marks):
        starts[m.start].append(i)
        ends[m.end].append(i)
    points = sorted({0, len(text), *starts, *ends})
    active: set[int] = set()
    out = []
    for a, b in itertools.pairwise(points):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        idx = tuple(sorted(active))
        out.append(Segment(text[a:b], idx, tuple(sorted({marks[i].layer for i in idx}))))
    return out


def layer_counts(marks: list[Mark]) -> dict[str, int]:
    counts = dict.fromkeys((key for key, _, _ in LAYERS), 0)
    for m in marks:
        counts[m.layer] = counts.get(m.layer, 0) + 1
    return counts


def highlight(rec: Record) -> dict[str, Any]:
    """Everything the document view and the report need to draw the layered text."""
    text = str(rec.get("text") or "")
    marks = collect_marks(rec)
    return {
        "segments": segments(text, marks),
        "marks": [{**asdict(m), "tip": m.tip(), "quote": text[m.start : m.end]} for m in marks],
        "tips": [m.tip() for m in marks],
        "counts": layer_counts(marks),
    }
