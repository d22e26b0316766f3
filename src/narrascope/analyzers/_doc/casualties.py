"""Casualty figures in a sentence: killed, injured, children killed, with revision cues.

Patterns (case-insensitive) around a count phrase (see ``numbers.py``):
"24 people were killed", "killing at least 24", "left five dead", "the death toll rose to 137",
"no one was hurt". Children: "four children were killed", "…, including four children".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narrascope.analyzers._doc.numbers import COUNT, Count, parse_count

PERSON_NOUNS = (
    r"people|persons|civilians|residents|children|kids|minors|teenagers?|boys?|girls?|babies|baby|infants?|"
    r"m[ae]n|wom[ae]n|adults|soldiers|servicemen|troops|fighters|police(?:men)?|officers?|workers|"
    r"rescuers|firefighters|medics|doctors|journalists|passengers|pensioners|victims|individuals|"
    r"others|more|Ukrainians|Russians|concertgoers|spectators|visitors|shoppers|person|civilian|resident|"
    r"soldier|serviceman|journalist|blogger|driver|pilot|volunteer|policeman|guard|teenager|pensioner|"
    r"doctor|nurse|rescuer|firefighter|worker|passenger|child|bloggers|drivers|volunteers|guards|nurses"
)
_WHO = rf"(?P<who>(?:\s+of)?(?:\s+[\w'-]+){{0,2}}?\s+(?:{PERSON_NOUNS}))?"
_AUX = (
    r"(?:,\s+(?:including|among them)\s[^,]{1,40},)?"  # "five people, including a child, were killed"
    r"(?:\s+(?:were|was|have been|had been|has been|are|is|got|reportedly|also|later|all|confirmed|now|reported|believed))*"
)
KILL = r"killed|dead|died|lost their lives|perished|slain"
HURT = (
    r"injured|wounded|hurt|hospitali[sz]ed|suffered injuries|sustained injuries|admitted to (?:a )?hospital|"
    r"sought medical (?:help|attention|care)"
)
_CHILD = re.compile(r"child|kids|minor|teen|boy|girl|bab|infant", re.I)
_REVISION = re.compile(
    r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|updated|revised|now stands|has reached|later)\b",
    re.I,
)


def _rx(body: str) -> re.Pattern[str]:
    return re.compile(body, re.I)


RULES: list[tuple[str, re.Pattern[str]]] = [
    # "four children were among the dead"
    ("killed", _rx(rf"\b(?P<n>{COUNT})(?P<who>\s+(?:children|kids|minors))\s+(?:were|are)\s+among\b")),
    # "24 people were killed", "three children died"
    ("killed", _rx(rf"\b(?P<n>{COUNT}){_WHO}{_AUX}\s+(?:{KILL})\b")),
    ("injured", _rx(rf"\b(?P<n>{COUNT}){_WHO}{_AUX}\s+(?:{HURT})\b")),
    # "killing at least 24 people", "wounding 100"
    ("killed", _rx(rf"\b(?:killing|killed|claimed the lives of|kills)\s+(?P<n>{COUNT}){_WHO}")),
    ("injured", _rx(rf"\b(?:injuring|wounding|injured|wounded|injures|wounds)\s+(?P<n>{COUNT}){_WHO}")),
    # "left five dead", "left 12 injured"
    ("killed", _rx(rf"\bleft\s+(?P<n>{COUNT}){_WHO}\s+dead\b")),
    ("injured", _rx(rf"\bleft\s+(?P<n>{COUNT}){_WHO}\s+(?:injured|wounded)\b")),
    # "claimed three lives", "the bodies of 12 people"
    ("killed", _rx(rf"\bclaimed\s+(?P<n>{COUNT})\s+lives\b")),
    ("killed", _rx(rf"\bbodies of\s+(?P<n>{COUNT}){_WHO}")),
    # "the driver was killed", "a 15-year-old boy was among those killed"
    (
        "killed",
        _rx(
            r"\b(?P<n>the|a|an)(?P<who>\s+(?:[\w-]+\s+)?(?:driver|pilot|passenger|woman|man|boy|girl|child|teenager|resident|civilian|pensioner|journalist|blogger|volunteer|guard|policeman|officer|soldier))\s+(?:was|had been|has been)\s+(?:killed|among (?:those|the) (?:killed|dead))"
        ),
    ),
    # "the death toll rose to 137", "death toll of 24"
    (
        "killed",
        _rx(
            rf"\b(?:number of (?:dead|deaths|people killed|victims)|(?<!injury )toll)\b(?:\s+[\w'’]+){{0,14}}?\s+(?:to|at|of|reached|hit|is|was)\s+(?P<n>{COUNT})"
        ),
    ),
    # "the death toll rose to 137", "death toll of 24"
    (
        "killed",
        _rx(rf"\bdeath toll\b(?:[\s,]+[\w'’-]+){{0,22}}?\s+(?:to|at|of|reached|hit|is|was)\s+(?P<n>{COUNT})"),
    ),
    (
        "injured",
        _rx(
            rf"\bnumber of (?:injured|wounded)\b(?:\s+[\w']+){{0,5}}?\s+(?:to|at|of|reached|is|was)\s+(?P<n>{COUNT})"
        ),
    ),
    # "24 dead and 100 injured", "24 deaths"
    ("killed", _rx(rf"\b(?P<n>{COUNT})\s+(?:dead|deaths|fatalities)\b")),
    ("injured", _rx(rf"\b(?P<n>{COUNT})\s+(?:injured|wounded|injuries)\b")),
]
_NONE = [
    (
        "killed",
        _rx(
            r"\b(?:no one|nobody|no people|no civilians) (?:was|were|had been|has been) (?:killed|hurt)|\bno (?:immediate )?(?:deaths|fatalities|casualties)\b|\bno (?:immediate )?reports? of (?:casualties|deaths|victims)\b|\bwithout casualties\b"
        ),
    ),
    (
        "injured",
        _rx(
            r"\b(?:no one|nobody) (?:was|were|had been|has been) (?:(?:killed|hurt) or )?(?:injured|hurt|wounded)|\bno (?:immediate )?(?:injuries|casualties)\b|\bno (?:immediate )?reports? of (?:casualties|injuries)\b"
        ),
    ),
]
_INCLUDING = _rx(rf"\b(?:including|among them|among whom(?: were)?)\s+(?P<n>{COUNT})\s+(?:{PERSON_NOUNS})")
_SKIP_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|No\.|number|aged|age of|no)\s*$",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    field: str  # killed | injured | children_killed
    count: Count
    start: int
    end: int
    revision: bool


def find_figures(text: str, s: int, e: int) -> list[Figure]:
    """Casualty figures in ``text[s:e]`` (one sentence), in text order, without overlaps."""
    sent = text[s:e]
    revision = bool(_REVISION.search(sent))
    out: list[Figure] = _zeros(sent, s)
    taken: list[tuple[int, int]] = [(f.start - s, f.end - s) for f in out]
    for field, rx in RULES:
        for m in rx.finditer(sent):
            n0, n1 = m.span("n")
            if any(n0 < b and a < n1 for a, b in taken) or _SKIP_BEFORE.search(sent[max(0, n0 - 12) : n0]):
                continue
            if (m.group("n").lower() == "one" and sent[n1 : n1 + 3] == " of") or _is_year(m.group("n")):
                continue
            count = Count(1, 1) if m.group("n").lower() == "the" else parse_count(m.group("n"))
            who = m.groupdict().get("who") or ""
            if count is None or (m.group("n").lower() in {"a", "an"} and not who.strip()):
                continue
            fld = "children_killed" if field == "killed" and _CHILD.search(who) else field
            if field == "injured" and _CHILD.search(who):
                fld = "injured"
            out.append(Figure(fld, count, s + m.start(), s + m.end(), revision))
            taken.append((n0, n1))
    out.extend(_including(sent, s, out))
    return sorted(out, key=lambda f: (f.start, f.field))


def _is_year(num: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", num.strip()))


def _zeros(sent: str, s: int) -> list[Figure]:
    out = []
    for field, rx in _NONE:
        m = rx.search(sent)
        if m:
            out.append(Figure(field, Count(0, 0), s + m.start(), s + m.end(), False))
    return out


def _including(sent: str, s: int, found: list[Figure]) -> list[Figure]:
    """ "…, killing 24 people, including four children" -> children_killed 4 (after a killed figure)."""
    out = []
    for m in _INCLUDING.finditer(sent):
        if not _CHILD.search(m.group(0)):
            continue
        before = [f for f in found if f.end - s <= m.start()]
        if before and before[-1].field == "killed":
            count = parse_count(m.group("n"))
            if count is not None:
                out.append(Figure("children_killed", count, s + m.start(), s + m.end(), before[-1].revision))
    return out
