"""The curated alias table: surface form -> canonical name, type, matching mode.

``resources/aliases.tsv`` (versioned; a reason per entry). ``match`` aliases are found in any
text by one compiled alternation (longest first, word-bounded, case-sensitive); ``canon``
aliases only rename spans the NER model found.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from narrascope.analyzers._doc.resources import load_yaml, read_text

ALIASES = "aliases.tsv"


@dataclass(frozen=True)
class Alias:
    alias: str
    canonical: str
    type: str
    mode: str
    reason: str


@functools.lru_cache(maxsize=1)
def table() -> dict[str, Alias]:
    out: dict[str, Alias] = {}
    for line in read_text(ALIASES).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, canonical, typ, mode, reason = line.split("\t")
        out[alias] = Alias(alias, canonical, typ, mode, reason)
    return out


@functools.lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    forms = sorted((a for a, v in table().items() if v.mode == "match"), key=lambda s: (-len(s), s))
    body = "|".join(re.escape(f) for f in forms)
    return re.compile(rf"(?<![\w'’-])(?:{body})(?![\w-])")


def find_aliases(text: str) -> Iterator[tuple[int, int, Alias]]:
    """Every ``match``-mode alias in ``text`` (non-overlapping, leftmost-longest)."""
    tab = table()
    for m in _matcher().finditer(text):
        yield m.start(), m.end(), tab[m.group(0)]


def lookup(surface: str) -> Alias | None:
    """The alias entry for a surface form, tolerant of a leading "the" and a possessive."""
    tab = table()
    s = surface.strip()
    for cand in (s, _strip_possessive(s), _strip_the(s), _strip_the(_strip_possessive(s))):
        if cand in tab:
            return tab[cand]
    return None


def _strip_the(s: str) -> str:
    return s[4:] if s.lower().startswith("the ") else s


def _strip_possessive(s: str) -> str:
    return re.sub(r"['’]s?$", "", s)


@functools.lru_cache(maxsize=1)
def rollup() -> dict[str, str]:
    """Canonical entity -> the actor used in perpetrator claims (``resources/actor_rollup.yaml``)."""
    data = load_yaml("actor_rollup.yaml")
    return {k: v["actor"] for k, v in (data.get("rollup") or {}).items()}


_STATE_BODY = (
    (re.compile(r"^(?:Ukrainian|Ukraine's)\s|\sof Ukraine$"), "Ukraine"),
    (re.compile(r"^(?:Russian|Russia's)\s|\sof Russia$|\sof the Russian Federation$"), "Russia"),
)


def actor_of(canonical: str) -> str:
    """The actor an entity stands for: the roll-up table, else a state body's state
    ("Ukrainian Foreign Ministry" -> Ukraine), else the entity itself."""
    if canonical in rollup():
        return rollup()[canonical]
    for rx, state in _STATE_BODY:
        if rx.search(canonical):
            return state
    return canonical


_GENERIC = re.compile(
    r"^(\S+)(?: [\w-]+){0,2} (?:officials?|authorities|government|military|forces|troops|army|investigators|prosecutors|"
    r"diplomats|media|side|leadership|command|officers|sources?)$"
)
_ANON = re.compile(r"^(?:(?:a|an|one)\s+)?(?:\w+\s+){0,2}?(?:source|sources|official|insider)$", re.I)


@functools.lru_cache(maxsize=1)
def _claimant_rollup() -> frozenset[str]:
    return frozenset(load_yaml("actor_rollup.yaml").get("claimant_rollup") or ())


def claimant_of(name: str, typ: str) -> str:
    """How a claimant is reported: capitals and generic state organs as the state ("Moscow",
    "Ukrainian officials" -> Russia, Ukraine); anonymous sources as "unnamed source"."""
    if name in _claimant_rollup() or (typ in {"GPE", "NORP"} and actor_of(name) != name):
        return actor_of(name)
    m = _GENERIC.match(name)
    if m and actor_of(m.group(1)) != m.group(1):
        return actor_of(m.group(1))
    if typ == "NOUN" and _ANON.match(name) and not name.lower().endswith("officials"):
        return "unnamed source"
    return name
