"""Per-sentence incident cues: type triggers, weapons, targets, location, perpetrator actors.

Lexicons live in ``resources/incident_lexicon.yaml`` (type triggers in priority order, weapons,
targets, non-violent uses of attack words, cumulative-statistics markers).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from narrascope.analyzers._doc import canon, gazetteer
from narrascope.analyzers._doc.resources import load_yaml

LEXICON = "incident_lexicon.yaml"
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
ACTOR_TYPES = frozenset({"GPE", "ORG", "NORP", "PERSON"})
_LOCATIVE = re.compile(
    r"(?:\b(?:in|on|near|at|over|outside|across|into|of|hit|struck|targeted|attacked|shelled|bombed|around|"
    r"toward|towards|against|(?:north|south|east|west)\s+of)\s+(?:(?:the|a|an|(?-i:[a-z][\w-]*)|(?-i:[A-Z][\w-]*['’]s)|Russian-\w+|"
    r"Ukrainian-\w+|Russia-\w+|Ukraine-\w+)\s+){0,3})$",
    re.I,
)
_AGENT_TAIL = re.compile(
    r"^(?:['’]s)?(?:\s+(?:forces|troops|army|military|armed forces|missiles?|drones?|artillery|jets|aircraft|"
    r"warplanes|saboteurs|units?|gunmen|militants|fighters|soldiers|had|has|have|reportedly|allegedly|also|then|"
    r"deliberately|again|was|were|is|be|may|might|could|been|probably|likely|glide|guided|aerial|bombs?|shells?|"
    r"terrorist|terror|armed|formations?|militants|nationalists|neo-Nazis|regime|side|invaders|occupiers|"
    r"occupation|military's|army's|air force|navy|special forces|sabotage|group|air-defen[cs]e|defen[cs]e|"
    r"terrorists|aggressors?|attackers|killers|gunners|pilots|operators|drone operators|bombers|partisans|"
    r"[A-Z][A-Za-z]{0,4}-\d+\w*|Su-\d+|Tu-\d+|"
    r"rockets?|munitions?|shelling|artillery|ballistic|cruise|kamikaze|attack|missile|drone|air|naval|overnight|"
    r"massive|large-scale|combined|new|latest|deadly))*\s+(?:shelled|struck|attacked|launched|fired|hit|bombed|"
    r"targeted|carried out|(?:(?:was|were|is|are|been) )?(?:behind|responsible|to blame)|opened fire|stormed|shot|"
    r"blew up|sabotaged|crashed|slammed|exploded|landed|fell|damaged|destroyed|killed|injured|wounded|terrorism|"
    r"aggression|dropped|used|pounded|hammered|battered|bombarded|unleashed|raided|shot down|downed|sank|ambushed|"
    r"massacred|executed|attacking|targeting|targets|striking|bombing|firing|fires|launching|hitting|using|dropping|"
    r"killing|kills|terrori[sz]ing|(?:must|should|will) be held (?:accountable|responsible)|bears? (?:full )?responsibility|"
    r"strikes?|attacks?|shelling|assaults?|raids?|bombings?|bombardment|barrages?|involvement|role in|hand in|"
    r"(?:missile|drone|air|artillery|rocket) (?:strikes?|attacks?)|(?:war )?crimes?|"
    r"(?:cruise |ballistic |guided |glide |kamikaze |attack )?(?:missiles?|drones?|shells|bombs?|rockets?)|"
    r"air[- ]defen[cs]es?|interceptors?|S-[34]00s?|Iskanders?|Kinzhals?|Kalibrs?|Shaheds?|Tochka-U|HIMARS|ATACMS)\b",
    re.I,
)
_PASSIVE_HIT = re.compile(
    r"(?:['’]s)?\s+(?:(?:was|were|has been|had been|is)\s+(?:\w+\s+)?(?:attacked|hit|struck|targeted|damaged|shelled|bombed|blown up)|"
    r"came under (?:\w+\s+)?(?:fire|attack|shelling|bombardment))\b",
    re.I,
)
# "Ukraine had nothing to do with", "Russian forces were not behind": a denial of agency.
_NEGATED = re.compile(
    r"^(?:['’]s)?(?:\s+(?:forces|troops|army|military|armed forces|side|government|authorities))?\s+"
    r"(?:(?:had|has|have)\s+(?:had\s+)?nothing to do with|(?:was|were|had|has|have|did)\s+(?:not|never)\s+"
    r"(?:been\s+)?(?:involved|behind|responsible|carr(?:y|ied) out (?:the|this|that)))\b",
    re.I,
)
_AT_PLACE = re.compile(r"\b(?:in|on|at|near|over|outside|into|across|around|towards?)\s+(?:the\s+)?$", re.I)
_BY = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.I)
_MADE = re.compile(r"-(?:made|built|supplied|produced|manufactured|designed)\b", re.I)


def _state_like(x: dict[str, Any]) -> bool:
    """Countries, and capitals used for their state (Kyiv, Moscow, Washington)."""
    return (
        x.get("country") == x["canonical"]
        or canon.actor_of(x["canonical"]) != x["canonical"]
        or not x.get("country")
    )


VERSION_OF = re.compile(
    r"\s+(?:claims?|accusations?|allegations?|reports?|version|provocation|propaganda)\b", re.I
)
_DONE_BY = re.compile(
    r"\b(?:fired|launched|carried out|shelled|attacked|struck|hit|bombed|targeted|dropped|sent|planted|staged|"
    r"organi[sz]ed|ordered|committed|caused|triggered|conducted|perpetrated|delivered|operated|piloted|deployed|"
    r"used|run)\s+by\s+(?:the\s+|an?\s+)?$|\b(?:special |joint |covert )?operation\s+(?:of|by)\s+(?:the\s+)?$|"
    r"\b(?:work|handiwork|hallmarks?) of\s+(?:the\s+)?$",
    re.I,
)
_RESP = re.compile(
    r"^(?:['’]s)?\s+(?:[a-z][\w-]*\s+){0,3}?(?:has\s+|have\s+|had\s+|quickly\s+|later\s+|swiftly\s+)*"
    r"(?:claimed responsibility|took responsibility|took credit|admitted responsibility|claimed (?:credit for )?(?:the |a )?(?:[\w-]+ ){0,2}"
    r"(?:attack|bombing|strike|explosion|blast|raid)|claimed credit|said it was behind|said it had carried out|"
    r"(?:confirmed|admitted(?: to)?|acknowledged) (?:carrying out )?(?:the |a |an )?(?:[\w-]+ ){0,2}"
    r"(?:strike|attack|operation|raid|shooting down))",
    re.I,
)


@dataclass(frozen=True)
class Lexicon:
    types: tuple[tuple[str, re.Pattern[str]], ...]
    non_violent: re.Pattern[str]
    cumulative: re.Pattern[str]
    weapons: tuple[tuple[str, re.Pattern[str]], ...]
    targets: tuple[tuple[str, re.Pattern[str]], ...]


def _wb(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    d = load_yaml(LEXICON)
    types = tuple((t, _wb("|".join(p["pattern"] for p in pats))) for t, pats in d["types"].items())
    return Lexicon(
        types=types,
        non_violent=_wb("|".join(d["non_violent"])),
        cumulative=_wb("|".join(d["cumulative"])),
        weapons=tuple((name, _wb(v["pattern"])) for name, v in d["weapons"].items()),
        targets=tuple((name, _wb(v["pattern"])) for name, v in d["targets"].items()),
    )


def trigger(sent: str) -> tuple[str, int, int] | None:
    """``(type, start, end)`` of the highest-priority trigger in the sentence, or None."""
    lex = lexicon()
    blocked = [(m.start(), m.end()) for m in lex.non_violent.finditer(sent)]
    for typ, rx in lex.types:
        for m in rx.finditer(sent):
            if not any(m.start() < b and a < m.end() for a, b in blocked):
                return typ, m.start(), m.end()
    return None


def weapon_type(weapon: str) -> str | None:
    return (load_yaml(LEXICON).get("weapon_types") or {}).get(weapon)


def is_cumulative(sent: str) -> bool:
    return bool(lexicon().cumulative.search(sent))


def weapons(sent: str) -> list[str]:
    """Normalised weapon names; a generic name is dropped when a specific one covers the same words."""
    found: list[tuple[int, int, str]] = []
    for name, rx in lexicon().weapons:
        for m in rx.finditer(sent):
            if not any(m.start() >= a and m.end() <= b for a, b, _ in found):
                found.append((m.start(), m.end(), name))
    return _uniq(n for _, _, n in sorted(found))


def drop_generic(names: list[str]) -> list[str]:
    """Remove a generic weapon when a specific one of its family is present (Kinzhal -> not also missile)."""
    fam = load_yaml(LEXICON).get("generic_of") or {}
    return [n for n in names if not any(sp in names for sp in fam.get(n, ()))]


def targets(sent: str) -> list[str]:
    found = [(m.start(), name) for name, rx in lexicon().targets for m in [rx.search(sent)] if m]
    return _uniq(n for _, n in sorted(found))


def _uniq(names: Any) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def location(
    text: str, s: int, e: int, ents: list[dict[str, Any]], anchor: int | None = None
) -> dict[str, Any] | None:
    """The place the sentence locates its event in: a place entity after a locative word (or
    the subject of "was hit"). Settlements beat facilities and regions, which beat countries;
    a facility is reported at the place containing it; "the Kharkiv region" -> "Kharkiv region".
    """
    cands = []
    for x in ents:
        landmark = x["type"] == "ORG" and gazetteer.located_in(x["canonical"]) is not None  # "the Kremlin"
        settlement = bool(
            _SETTLEMENT_OF.search(text, max(s, x["start"] - 30), x["start"])
        ) or _mistyped_place(x)
        if (
            x["start"] < s
            or x["end"] > e
            or (x["type"] not in PLACE_TYPES and not landmark and not settlement)
        ):
            continue
        passive = _PASSIVE_HIT.match(text, x["end"], e) or _SETTLEMENT_APPOS.match(text, x["end"], e)
        before = text[max(s, x["start"] - 60) : x["start"]]
        if _DESTINATION.search(before) or (not passive and not _LOCATIVE.search(before)):
            continue
        if incidental(text, x, s, e):
            continue  # "officials in Kyiv said", "told reporters in London", "Kyiv denied", "by Kyiv"
        if not x.get("country") and _DISTRICT_AFTER.match(text, x["end"], e):
            continue  # "the Saltivka district": a part of a city; the city is named elsewhere (or by the fallback)
        if settlement and x["type"] not in PLACE_TYPES:
            known = gazetteer.lookup(
                x["quote"]
            )  # "the village of Velyka Pysarivka" tagged as an organisation
            x = {**x, "type": "GPE", "canonical": known.canonical if known else x["canonical"]}
            x["country"] = x.get("country") or (known.country if known else None)
        if not x.get("country"):
            x = {**x, "country": _country_after(text, x, ents, e)}
        rank, start, place = _place(text, x)
        cands.append((rank, abs(start - anchor) if anchor is not None else start, place))
    if not cands:
        return None
    return sorted(cands, key=lambda c: (c[0], c[1]))[0][2]


# "Kozachi Laheri, a village in the Kherson region, was shelled": the subject is the place.
_SETTLEMENT_APPOS = re.compile(r",\s+an?\s+(?:small\s+)?(?:village|town|settlement|hamlet|city)\b", re.I)
# "the village of X": whatever the tagger called X, it is a settlement.
_SETTLEMENT_OF = re.compile(r"\b(?:village|town|city|settlement|hamlet|township)\s+of\s+$", re.I)
# "Tyotkino in the Kursk region", "Tyotkino, Kursk region": a small place takes its region's country.
_IN_REGION = re.compile(r"(?:\s+in\s+|\s*,\s*)(?:the\s+)?$", re.I)


_QUOTES = re.compile(r"[\"“”]")
_LAUNCHED_BY_ADJ = re.compile(r"^-(?:launched|fired|operated|piloted)\b", re.I)
_PREDICATE_BEFORE = re.compile(
    r"\b(?:missile|drone|rocket|shell|munition|bomb|projectile|strike|attack)s?\s+(?:was|were|had been)\s+"
    r"(?:\w+ly\s+)?(?:an?\s+)?$",
    re.I,
)
_PREDICATE_AFTER = re.compile(r"^\s*(?:[,.;:]|$|\s+(?:one|ones)\b)")
_DISTRICT_AFTER = re.compile(r"\s+(?:district|neighbou?rhood|microdistrict|quarter|borough)\b", re.I)


def _mistyped_place(x: dict[str, Any]) -> bool:
    """A war-zone town the tagger called a person or an organisation ("in Kupiansk" as PERSON)."""
    if x["type"] not in {"ORG", "PERSON"} or canon.lookup(x["quote"]) is not None:
        return False
    place = gazetteer.lookup(x["quote"])
    return place is not None and place.country in {"Ukraine", "Russia"} and place.tier <= 2


def _country_after(text: str, x: dict[str, Any], ents: list[dict[str, Any]], e: int) -> str | None:
    nxt = next((y for y in ents if x["end"] < y["start"] <= min(e, x["end"] + 16)), None)
    if nxt is None or not nxt.get("country") or not _IN_REGION.search(text, x["end"], nxt["start"]):
        return None
    if not _REGION.match(text, nxt["end"]):
        return None
    return str(nxt["country"])


def incidental(text: str, x: dict[str, Any], s: int, e: int) -> bool:
    """A place mentioned as a speaker, a venue of speech or a destination, not as where it happened."""
    before = text[max(s, x["start"] - 60) : x["start"]]
    if _BY.search(before):
        return True  # "a terrorist act by Kyiv": the capital stands for the state
    if canon.actor_of(x["canonical"]) != x["canonical"] and not _LOCATIVE.search(before):
        return True  # "Kyiv has not commented": a metonym capital as a subject
    return bool(
        _DESTINATION.search(before) or _SPEECH_PLACE.search(before) or _SPEAKS_AFTER.match(text, x["end"], e)
    )


_SPEECH_PLACE = re.compile(
    r"\b(?:reporters|journalists|officials|authorities|briefing|speaking|statement|conference|talks|meeting|"
    r"visit|summit|interview|parliament|court|ceremony|embassy|based)\s+(?:in|at)\s+$",
    re.I,
)
_SPEAKS_AFTER = re.compile(
    r"(?:['’]s\s+(?:\w+\s+){0,2}?)?\s*(?:said|says|told|claimed|denied|accused|blamed|insisted|reported|announced|"
    r"responded|warned|condemned|-based)\b",
    re.I,
)
# Places the wounded were taken to, or where a statement was made, are not the incident's place.
_DESTINATION = re.compile(
    r"\b(?:taken|rushed|evacuated|flown|brought|moved|transferred|hospitali[sz]ed|treated|admitted|arrived|"
    r"travell?ed|visited|visiting|flew|returned|sheltered)\s+(?:\w+\s+){0,3}?(?:to|in|at|by)\s+(?:the\s+|a\s+)?(?:\w+\s+)?$",
    re.I,
)


_REGION = re.compile(r"(?:\s+|-)(?:region|oblast|province|regional)\b", re.I)


def _place(text: str, x: dict[str, Any]) -> tuple[int, int, dict[str, Any]]:
    name, country = x["canonical"], x.get("country")
    parent = gazetteer.located_in(name)
    if x["type"] in {"FAC", "ORG"} and parent:
        country = country or gazetteer.country_name(
            gazetteer.lookup(parent)
        )  # "the Kremlin" -> Moscow, Russia
        return 1, x["start"], {"canonical": parent, "country": country, "start": x["start"], "end": x["end"]}
    if _REGION.match(text, x["end"]) or re.search(r"\b(?:region|oblast)$", x["quote"], re.I):
        return (
            1,
            x["start"],
            {"canonical": f"{name} region", "country": country, "start": x["start"], "end": x["end"]},
        )
    rank = (
        2 if country == name or (country is None and x["type"] == "LOC") else (1 if x["type"] == "FAC" else 0)
    )
    return rank, x["start"], x


def _weaponish(name: str) -> bool:
    return any(rx.search(name) for _, rx in lexicon().weapons) or bool(re.search(r"\bFPV\b", name))


def actors(text: str, s: int, e: int, ents: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any], str]]:
    """Agents of violence in ``text[s:e]``: ``(actor, entity, how)`` with how in
    ``agent`` ("Russian forces shelled"), ``by`` ("was shelled by Ukraine"), ``responsibility``."""
    out = []
    for x in ents:
        if x["start"] < s or x["end"] > e or x["type"] not in ACTOR_TYPES or _weaponish(x["canonical"]):
            continue
        if _MADE.match(text, x["end"]) or (x["type"] == "GPE" and not _state_like(x)):
            continue  # "Czech-made": a manufacturer; "Belgorod": a place, not an actor
        tail = _QUOTES.sub("", text[x["end"] : min(e, x["end"] + 80)])  # 'Russia "deliberately" struck'
        at_place = _AT_PLACE.search(text, max(s, x["start"] - 30), x["start"])
        if x["type"] in {"GPE", "ORG"} and at_place and not tail.startswith(("'s", "’s")):
            continue  # "an attack on Kyiv overnight killed": the target, not the agent
        if VERSION_OF.match(tail):
            continue  # "Russian claims", "a Ukrainian provocation": whose version, not who attacked
        head = text[max(s, x["start"] - 60) : x["start"]]
        actor = canon.actor_of(x["canonical"])
        if _RESP.match(tail):
            out.append((actor, x, "responsibility"))
        elif x["type"] == "NORP" and (
            _LAUNCHED_BY_ADJ.match(tail) or (_PREDICATE_BEFORE.search(head) and _PREDICATE_AFTER.match(tail))
        ):
            out.append((actor, x, "agent"))  # "a Russian-launched missile"; "the drone was Ukrainian"
        elif _NEGATED.match(tail):
            out.append((actor, x, "negated"))
        elif _AGENT_TAIL.match(tail):
            out.append((actor, x, "agent"))
        elif (_BY.search(head) and trigger(text[max(s, x["start"] - 80) : x["start"]])) or _DONE_BY.search(
            head
        ):
            out.append((actor, x, "by"))
    return out
