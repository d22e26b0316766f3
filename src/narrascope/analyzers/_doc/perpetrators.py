"""Perpetrator claims of one sentence: who is said to be behind the violence, by whom, how sure.

Agents ("Russian forces shelled", "a Russian missile strike", "fired by X"), responsibility
claims, denials and dismissals, accusations ("X blamed Y"), own-side claims ("X said it had
struck"). Stance comes from the covering claim of ``claims.v1`` (attribution scope is the
sentence). Actors roll up to states (``resources/actor_rollup.yaml``).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from narrascope.analyzers._doc import incident_rules as rules
from narrascope.analyzers._doc.canon import actor_of, claimant_of

_VERSION_OF = re.compile(
    r"\s+(?:claims?|accusations?|allegations?|reports?|version|provocation|propaganda)\b", re.I
)
_DENY = re.compile(
    r"^(?:['’]s)?,?\s+(?:(?:officials|authorities|government|military|side|army|diplomats|leadership|command|office|"
    r"spokes(?:man|woman|person)|press service|ministry)\s+)?(?:(?:which|who)\s+)?"
    r"(?:has\s+|have\s+|had\s+|repeatedly\s+|consistently\s+|swiftly\s+|again\s+|flatly\s+|strongly\s+|categorically\s+|quickly\s+|also\s+)*(?P<cue>denied|denies|rejected|rejects|dismissed|dismisses)\s+(?P<what>[^.;]{0,120})",
    re.I,
)
_CALLED_FALSE = re.compile(
    r"\s+(?:has\s+|had\s+)?(?:called|described|branded|labell?ed)\s+(?:the|these|those|such|[A-Z][\w-]*['’]s)\s+"
    r"(?:accusations?|claims?|allegations?|reports?)\s+(?:as\s+)?[\"“'‘]?(?:absurd|false|a lie|lies|nonsense|fake|baseless|"
    r"groundless|a provocation|fabricated|propaganda)",
    re.I,
)
_INVOLVE = re.compile(
    r"^\s*(?:this|that|it)\s*$|\b(?:involvement|responsibility|behind|carrying out|carried out|any role|nothing to do|it|"
    r"(?:the|these|those|such|all|any|[A-Z][\w-]*['’]s) (?:\w+ )?(?:claims?|accusations?|allegations?|reports?|charges?|suggestions?|notion|idea|assertions?|version|theory|"
    r"speculation)|"
    r"(?:deliberately |intentionally )?(?:targeting|striking|attacking|hitting|shelling|firing|launching|bombing|shooting down|"
    r"blowing up|sabotaging))\b",
    re.I,
)
_BLAME_OBJ = re.compile(
    r"^\s+(?:officials|authorities|leaders|officers|media|diplomats|politicians|government)?\s*(?:has\s+|have\s+|had\s+|quickly\s+|immediately\s+)*(?:accused|blamed|accuses|blames|accusing|blaming|held|holds|pointed (?:the )?finger at|attributed (?:the|this) \w+ to|pinned (?:the|this) \w+ on)\s+(?P<what>[^.;]{0,160})",
    re.I,
)


def perpetrator_claims(
    text: str, s: int, e: int, ents: list[dict[str, Any]], claims: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Who is said to be behind the violence in ``text[s:e]``, by whom, with which stance."""
    out: list[dict[str, Any]] = []
    covering = [c for c in claims if c["start"] < e and s < c["end"] and c["type"] != "unattributed"]
    for actor, ent, how in rules.actors(text, s, e, ents):
        # attribution scope is the sentence: an actor in a sentence with an attribution is the claimant's
        claim = next(
            (c for c in covering if c["start"] <= ent["start"] < c["end"]), covering[0] if covering else None
        )
        if claim is not None and claim["claimant"] == ent["canonical"]:
            claim = None
        if how == "negated":  # "Ukraine had nothing to do with it, Podolyak said": a denial or a dismissal
            if claim is not None and actor_of(claim["claimant"]) == actor:  # dismissals: too often misread
                out.append(_pc(actor, _claimant(claim["claimant"], ents), "denied", text, s, e))
        elif how == "responsibility":
            out.append(_pc(actor, _claimant(ent["canonical"], ents), "claimed_responsibility", text, s, e))
        elif claim is None and _REPORTING.search(text, s, e):
            continue  # a reporting verb the claim patterns did not resolve: whose voice is unclear
        elif claim is None:
            hedged = _SUSPECTED.search(text, max(s, ent["start"] - 45), ent["start"])
            out.append(
                _pc(actor, "author", "speculated" if hedged else _author_stance(text[s:e]), text, s, e)
            )
        else:
            stance = _claim_stance(claim, actor)
            if stance:  # "" = too unclear to attribute
                out.append(_pc(actor, _claimant(claim["claimant"], ents), stance, text, s, e))
    out.extend(_own_side(text, covering))
    out.extend(_accusing_claims(text, covering, ents))
    out.extend(_denials(text, s, e, ents))
    out.extend(_accusations(text, s, e, ents))
    out.extend(_blamed_on(text, s, e, ents))
    out.extend(_provocations(text, s, e, ents))
    out.extend(_each_other(text, s, e, ents))
    return dedupe(out)


def _claimant(name: str, ents: list[dict[str, Any]]) -> str:
    """Capitals and generic state organs speaking ("Kyiv denied", "Russian officials") are the state."""
    typ = next((x["type"] for x in ents if x["canonical"] == name), "NOUN")
    return claimant_of(name, typ)


_OWN = re.compile(
    r"\b(?:it|they|we|its \w+|their \w+|our \w+|his \w+|her \w+)\s+(?:had\s+|has\s+|have\s+)?(?:successfully\s+|also\s+)?"
    r"(?:struck|hit|attacked|destroyed|targeted|launched|carried out|stormed|shelled|bombed|shot down|downed|sank|"
    r"blew up|blown up|entered|crossed into|raided|fired|(?:was|were) behind|disabled|damaged|"
    r"set fire to|torched|detonated)\b",
    re.I,
)


# "X said it did not strike the market": a denial by X's side (past events only; "it does not target
# civilians" is a habitual denial, not a claim about the incident).
_NOT_US = re.compile(
    r"^(?:that\s+)?(?:it|they|we|its \w+|their \w+|our \w+)\s+(?:had\s+nothing to do with|"
    r"(?:did|had|was|were)\s+(?:not|never)\s+(?:been\s+)?(?:involved|behind|responsible|carr(?:y|ied) out|"
    r"strike|struck|attack(?:ed)?|target(?:ed)?|fire[d]?|shell(?:ed)?|hit))\b",
    re.I,
)


def _own_side(text: str, covering: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "X said it had struck the depot": X's side claims the strike."""
    out = []
    for c in covering:
        if c["type"] == "unattributed" or c["claimant"] in {"author", "unnamed source"}:
            continue
        actor = actor_of(c["claimant"])
        if _NOT_US.search(c["quote"][:80]):
            out.append(_pc(actor, c["claimant"], "denied", text, c["start"], c["end"]))
        elif _OWN.search(c["quote"][:80]):
            hedged = c["certainty"] in {"speculative", "hedged"}  # "X hinted that it was behind"
            stance = "speculated" if hedged else "claimed_responsibility"
            out.append(_pc(actor, c["claimant"], stance, text, c["start"], c["end"]))
    return out


_ACCUSE_CUES = frozenset({"accused", "accuses", "accusing", "blamed", "blames", "blaming", "charged"})


def _accusing_claims(
    text: str, covering: list[dict[str, Any]], ents: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """ "The governor blamed Ukrainian forces for the attack": the first actor in the content is accused."""
    out = []
    for c in covering:
        if c["cue"] not in _ACCUSE_CUES:
            continue
        named = [x for x in ents if c["start"] <= x["start"] < min(c["end"], c["start"] + 60)]
        named = [
            x
            for x in named
            if x["type"] in {"GPE", "ORG", "NORP"} and not rules.VERSION_OF.match(text, x["end"])
        ]
        if named:
            out.append(
                _pc(actor_of(named[0]["canonical"]), c["claimant"], "alleged", text, c["start"], c["end"])
            )
    return out


_REPORTING = re.compile(
    r"\b(?:said|says|according to|told|reported|reports|claimed|claims|stated|alleged|insisted|wrote|posted)\b",
    re.I,
)
_SUSPECTED = re.compile(
    r"\b(?:suspected|apparent|presumed)\s+(?:[\w-]+\s+){0,2}"
    r"(?:by\s+)?(?:the\s+)?$",
    re.I,
)


def _author_stance(sent: str) -> str:
    if re.search(r"\b(?:allegedly|reportedly|purportedly|supposedly)\b", sent, re.I):
        return "alleged"
    if re.search(
        r"\b(?:may|might|could) have\b|\b(?:possibly|perhaps|likely|probably)\b|ruled out", sent, re.I
    ):
        return "speculated"
    return "asserted"


def _claim_stance(claim: dict[str, Any], actor: str) -> str:
    cert = claim["certainty"]
    if cert == "denied":
        if actor_of(claim["claimant"]) == actor:
            return "denied"
        # a negation somewhere in the content ("…, which it did not confirm") is no dismissal of the actor;
        # only a denial verb is ("dismissed claims that Kyiv was behind")
        return "dismissed" if _DENIAL_CUE.match(claim.get("cue") or "") else ""
    if cert in {"speculative", "hedged"}:
        return "speculated"
    if actor_of(claim["claimant"]) == actor:
        return "claimed_responsibility"  # a side describing its own strike
    return "alleged"


_CLAUSE_END = re.compile(r",|;|\s(?:saying|and|but|adding|insisting|blaming)\s", re.I)


_DENIAL_CUE = re.compile(
    r"(?:denied|denies|deny|dismissed|dismisses|rejected|rejects|refuted|refutes)$", re.I
)


_HABITUAL = re.compile(
    r"(?:deliberately\s+)?(?:targeting|attacking|striking|hitting)\s+civilians?\b(?!\s+in\b)", re.I
)


def _denials(text: str, s: int, e: int, ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for x in ents:
        speaks_for_state = x["type"] == "PERSON" and actor_of(x["canonical"]) != x["canonical"]
        if (
            x["start"] < s
            or x["end"] > e
            or (x["type"] not in {"GPE", "ORG", "NORP"} and not speaks_for_state)
        ):
            continue
        if _CALLED_FALSE.match(text, x["end"], e):
            out.append(_pc(actor_of(x["canonical"]), _claimant(x["canonical"], ents), "denied", text, s, e))
            continue
        m = _DENY.match(text[x["end"] : e])
        if not m or not _INVOLVE.search(m.group("what")) or _HABITUAL.match(m.group("what")):
            continue
        if m.group("cue").lower().endswith("s") and re.match(r"\w+ing\b", m.group("what")):
            continue  # "Russia denies targeting civilians": a standing position, not about this incident
        what_s = x["end"] + m.start("what")
        cut = _CLAUSE_END.search(
            text, what_s, e
        )  # "denied involvement, saying a Russian missile …": not dismissed
        others = [
            a
            for a, ent, how in rules.actors(text, what_s, cut.start() if cut else e, ents)
            if how != "responsibility"
            and a != actor_of(x["canonical"])
            and not _VERSION_OF.match(text, ent["end"])
        ]
        if others:
            out.append(_pc(others[0], _claimant(x["canonical"], ents), "dismissed", text, s, e))
        else:
            out.append(_pc(actor_of(x["canonical"]), _claimant(x["canonical"], ents), "denied", text, s, e))
    return out


_BLAMED_ON = re.compile(
    r"^\s+(?:\w+\s+){0,2}?(?:(?:blamed|blames|pinned)\s+(?:\w+\s+){0,3}?on|attributed\s+(?:\w+\s+){0,3}?to)"
    r"\s+(?:the\s+)?$",
    re.I,
)


def _blamed_on(text: str, s: int, e: int, ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "… an attack Kyiv blamed on Moscow": the actor follows "on", the claimant precedes "blamed"."""
    out = []
    cands = [x for x in ents if s <= x["start"] and x["end"] <= e and x["type"] in rules.ACTOR_TYPES]
    for a, b in itertools.pairwise(cands):
        if _BLAMED_ON.match(text[a["end"] : b["start"]]):
            out.append(_pc(actor_of(b["canonical"]), _claimant(a["canonical"], ents), "alleged", text, s, e))
    return out


def _accusations(text: str, s: int, e: int, ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for x in ents:
        if x["start"] < s or x["end"] > e or x["type"] not in rules.ACTOR_TYPES:
            continue
        m = _BLAME_OBJ.match(text[x["end"] : e])
        if not m:
            continue
        w0 = x["end"] + m.start("what")
        objs = [y for y in ents if w0 <= y["start"] < w0 + 40 and y["type"] in rules.ACTOR_TYPES]
        if objs:
            out.append(
                _pc(actor_of(objs[0]["canonical"]), _claimant(x["canonical"], ents), "alleged", text, s, e)
            )
    return out


_PROVOCATION = re.compile(
    r"\s+(?:has\s+|had\s+|also\s+)*(?:called|calls|described|describes|branded|brands|labell?ed|denounced)\s+"
    r"(?P<what>[^.;]{0,120}?)\s+(?:as\s+)?an?\s+(?:deliberate\s+|planned\s+|staged\s+|cynical\s+)?"
    r"(?P<adj>[A-Z][\w-]+)\s+(?:provocation|false[- ]flag)",
)


def _provocations(text: str, s: int, e: int, ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "Moscow called the blast a Ukrainian provocation": the speaker accuses the named side."""
    out = []
    for x in ents:
        if x["start"] < s or x["end"] > e or x["type"] not in rules.ACTOR_TYPES:
            continue
        m = _PROVOCATION.match(text, x["end"], e)
        if not m:
            continue
        adj_s = m.start("adj")
        named = [y for y in ents if y["start"] == adj_s and y["type"] in {"NORP", "GPE", "ORG"}]
        claimant = _claimant(x["canonical"], ents)
        if named and actor_of(named[0]["canonical"]) != actor_of(claimant):
            out.append(_pc(actor_of(named[0]["canonical"]), claimant, "alleged", text, s, e))
    return out


_EACH_OTHER = re.compile(
    r"\s+(?:have\s+|had\s+|has\s+)?(?:blamed|accused|blame|accuse)\s+(?:each other|one another)|"
    r"\s+(?:have\s+|had\s+)?traded (?:blame|accusations)",
    re.I,
)


def _each_other(text: str, s: int, e: int, ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ "Moscow and Kyiv blamed each other for the shelling": each side alleges the other."""
    out = []
    cands = [x for x in ents if s <= x["start"] and x["end"] <= e and x["type"] in rules.ACTOR_TYPES]
    for a, b in itertools.pairwise(cands):
        gap = text[a["end"] : b["start"]]
        if re.fullmatch(r"(?:['’]s\s+\w+\s+)?\s*and\s+(?:the\s+)?", gap) and _EACH_OTHER.match(
            text, b["end"], e
        ):
            ca, cb = _claimant(a["canonical"], ents), _claimant(b["canonical"], ents)
            if actor_of(ca) != actor_of(cb):
                out.append(_pc(actor_of(cb), ca, "alleged", text, s, e))
                out.append(_pc(actor_of(ca), cb, "alleged", text, s, e))
    return out


def _pc(actor: str, claimant: str, stance: str, text: str, s: int, e: int) -> dict[str, Any]:
    return {
        "actor": actor,
        "claimant": claimant,
        "stance": stance,
        "evidence": [{"start": s, "end": e, "quote": text[s:e]}],
    }


def dedupe(pcs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for p in pcs:
        key = (p["actor"], p["claimant"], p["stance"])
        if key in out:
            ev = out[key]["evidence"]
            ev.extend(x for x in p["evidence"] if x not in ev)
        else:
            out[key] = {**p, "evidence": list(p["evidence"])}
    # an actor that claims responsibility is not also "asserted" by the same sentence's author
    return list(out.values())
