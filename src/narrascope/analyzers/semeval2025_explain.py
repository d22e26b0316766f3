"""Extractive explanation of the dominant narrative, and a light fallback mention finder.

The explanation is a template filled with the sub-narrative's claim, the actors named in the
evidence, and the evidence sentences themselves, cut to the 80-word cap: every content word
comes from the taxonomy label or from the article. Templates and stop lists are data
(``resources/semeval2025/explanation.json``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

_RESOURCE = Path(__file__).resolve().parent / "resources" / "semeval2025" / "explanation.json"
_CAPS = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")


@lru_cache(maxsize=1)
def _resource() -> dict[str, Any]:
    return dict(json.loads(_RESOURCE.read_text(encoding="utf-8")))


def claim_phrase(narrative: str, subnarrative: str) -> str:
    """The readable claim of a label: the sub-narrative's last part, else the narrative's."""
    sub = (subnarrative or "").strip()
    if sub and sub.lower() not in {"none", "other"} and not sub.endswith(": Other"):
        phrase = sub.rsplit(": ", 1)[-1]
    else:
        phrase = (narrative or "").split(": ", 1)[-1]
    phrase = phrase.strip()
    first = phrase.split(" ", 1)[0]
    if first not in _resource()["keep_case_words"]:
        phrase = phrase[:1].lower() + phrase[1:]
    return phrase


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos]
    stripped = text[:pos].rstrip(" \t\"'“‘(«")
    return not stripped or "\n" in before or stripped[-1] in ".!?…:;"


def name_spans(text: str) -> list[tuple[int, int, str]]:
    """Capitalised word runs that look like names: leading stop words dropped, and a
    sentence-initial first word kept only if the text also capitalises it mid-sentence."""
    stop = set(_resource()["stop_names"])
    runs = []
    for m in _CAPS.finditer(text):
        words = [(w.start() + m.start(), w.group(0)) for w in re.finditer(r"\S+", m.group(0))]
        runs.append((words, _sentence_initial(text, m.start())))
    mid = {w for words, initial in runs for i, (_, w) in enumerate(words) if i > 0 or not initial}
    out = []
    for words, initial in runs:
        if initial and words and words[0][1] not in mid:
            words = words[1:]
        while words and words[0][1] in stop:
            words = words[1:]
        if words:
            start, end = words[0][0], words[-1][0] + len(words[-1][1])
            out.append((start, end, " ".join(w for _, w in words)))
    return out


def fallback_mentions(text: str) -> list[dict[str, Any]]:
    """Name spans seen at least twice (or multi-word), when no entities analyzer ran."""
    spans = name_spans(text)
    counts = Counter(n for _, _, n in spans)
    keep = [(s, e, n) for s, e, n in spans if counts[n] >= 2 or " " in n]
    return [
        {"start": s, "end": e, "quote": text[s:e], "type": "UNKNOWN", "canonical": n}
        for s, e, n in keep
        if text[s:e] == n
    ]


def _actors_in(text: str, spans: Sequence[tuple[int, int]], known: Sequence[str], limit: int) -> list[str]:
    quoted = " ".join(text[s:e] for s, e in spans)
    found = [a for a in known if a and a in quoted]
    if not found:
        inside = [n for s, e, n in name_spans(text) if any(a <= s and e <= b for a, b in spans)]
        counts = Counter(inside)
        found = [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    out: list[str] = []
    for a in found:
        if a not in out:
            out.append(a)
    return out[:limit]


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def cut_words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit])


def build_explanation(
    text: str, narrative: str, subnarrative: str, spans: Sequence[tuple[int, int]], actors: Sequence[str] = ()
) -> str:
    """≤ ``max_words`` words: template with the claim, the actors in the evidence, then the
    evidence sentences (in text order) until the word cap."""
    res = _resource()
    claim = claim_phrase(narrative, subnarrative)
    names = _actors_in(text, spans, actors, int(res["max_actors"]))
    quote = " ".join(" ".join(text[s:e].split()) for s, e in sorted(spans))
    template = res["with_actors"] if names else res["without_actors"]
    return cut_words(template.format(claim=claim, actors=_join(names), quote=quote), int(res["max_words"]))
