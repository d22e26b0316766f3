"""``claims.v1``: attributed statements (who says what, how sure) from patterns over sentences.

Three shapes, precision first:
- direct quotes in “…” "…" «…» „…“ with an attribution next to them (``“…,” Peskov said``);
- reported speech with a preposed (``X said (that) …``) or postposed (``…, the ministry said``)
  attribution, and ``according to X``;
- the author's own unattributed sentences that carry blame or casualty facts (option
  ``unattributed``, default true); claimant ``author``, cue ``null``.

Claimants are canonical entity names; pronouns and role nouns ("he", "the spokesman",
"the ministry") resolve to the nearest earlier claimant of the same kind within three
sentences, else the noun phrase is kept. Certainty: ``denied`` > ``speculative`` > ``hedged``
(``resources/hedges.yaml``), else ``asserted``. Cue lexicon: ``resources/claim_cues.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from narrascope.analyzers._doc import canon, gazetteer
from narrascope.analyzers._doc.resources import load_yaml
from narrascope.analyzers._doc.text import SpanIndex, guess_language, sentences
from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.registry import register_analyzer

CLAIMANT_TYPES = ("PERSON", "ORG", "GPE", "NORP")
MIN_QUOTE_WORDS = 2  # one quoted word is a scare quote; an attribution is required next to the quote anyway
WINDOW_WORDS = 14  # a preposed subject longer than this is not a reliable attribution
_QUOTE = re.compile(r"“[^”“]{8,1500}”|«[^»«]{8,1500}»|„[^“”„]{8,1500}[“”]|\"[^\"\n]{8,1500}\"")
_LEAD = re.compile(
    r"^(?:(?:On|In|Earlier|Later|Meanwhile|However|But|And|Separately|Speaking)\b[^,]{0,50},\s*)+"
)


@dataclass(frozen=True)
class Lex:
    cue: re.Pattern[str]
    kind: dict[str, str]
    according: re.Pattern[str]
    nouns: re.Pattern[str]
    person_roles: re.Pattern[str]
    org_roles: re.Pattern[str]
    certainty: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lex:
    data = load_yaml("claim_cues.yaml")
    kind: dict[str, str] = {}
    for entry in data["cues"].values():
        for form in entry["forms"]:
            kind[form] = entry["kind"]
    forms = sorted(kind, key=len, reverse=True)
    hedges = load_yaml("hedges.yaml")
    cert = tuple(
        (level, tuple(re.compile(x["pattern"], re.I) for x in hedges[level]))
        for level in ("denied", "speculative", "hedged", "reported")
    )
    return Lex(
        cue=re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b"),
        kind=kind,
        according=re.compile(r"\b(?:" + "|".join(re.escape(f) for f in data["according_to"]) + r")\b", re.I),
        nouns=re.compile(r"\b(?:[a-z][\w-]+\s+){0,2}(?:" + "|".join(data["claimant_nouns"]) + r")s?\b", re.I),
        person_roles=re.compile(r"\b(?:" + "|".join(data["role_nouns_resolve_person"]) + r"|he|she)\b", re.I),
        org_roles=re.compile(r"\b(?:" + "|".join(data["role_nouns_resolve_org"]) + r")\b", re.I),
        certainty=cert,
    )


def certainty(content: str, cue_kind: str | None) -> str:
    """Certainty of a claim from its cue kind and hedging markers in its content."""
    if cue_kind == "deny":
        return "denied"
    for level, pats in lexicon().certainty:
        if any(p.search(content) for p in pats):
            return level
    if cue_kind == "speculate":
        return "speculative"
    return "asserted"


@dataclass
class Ctx:
    text: str
    ents: list[dict[str, Any]]
    history: list[tuple[int, str, str]]  # (offset, claimant, entity type) of earlier claims

    def ents_in(self, s: int, e: int) -> list[dict[str, Any]]:
        return [x for x in self.index.within(s, e) if x["type"] in CLAIMANT_TYPES]

    @functools.cached_property
    def index(self) -> SpanIndex:
        return SpanIndex(self.ents)


_OFFICIALS_IN = re.compile(
    r"\b(?:officials|authorities|sources|police|rescuers|prosecutors)\s+(?:in|from)\s+(?:the\s+)?$", re.I
)


def find_claimant(ctx: Ctx, s: int, e: int) -> tuple[str, str] | None:
    """``(claimant, type)`` named in ``text[s:e]`` (the attribution window), or resolved."""
    window = ctx.text[s:e]
    ents = ctx.ents_in(s, e)
    persons = [x for x in ents if x["type"] == "PERSON"]
    for x in ents:  # "officials in Odesa said": the state's officials
        if (
            x["type"] == "GPE"
            and x.get("country")
            and _OFFICIALS_IN.search(ctx.text, max(0, x["start"] - 40), x["start"])
        ) and not persons:
            return x["country"], "GPE"
    if persons:
        return persons[0]["canonical"], "PERSON"
    orgs = [x for x in ents if x["type"] in {"ORG", "GPE"}]
    if orgs:
        return orgs[-1]["canonical"], orgs[-1]["type"]
    lex = lexicon()
    for x in ents:
        m = lex.nouns.match(ctx.text, x["end"] + 1, e) if x["type"] == "NORP" else None
        if m:
            return f"{ctx.text[x['start'] : x['end']]} {m.group(0)}", "NOUN"
    if lex.person_roles.search(window):
        return _resolve(ctx, s, {"PERSON"}) or _in_context(ctx, s, _noun(window, lex))
    role = lex.org_roles.search(window)
    if role:
        return _resolve(ctx, s, {"ORG", "GPE"}, role.group(0).split()[-1]) or _in_context(
            ctx, s, _noun(window, lex)
        )
    return _in_context(ctx, s, _noun(window, lex))


_LOCAL_BODY = re.compile(
    r"^(?:regional|city|oblast|district|local)\s+(?:military\s+)?(?:administration|council|prosecutor's office)$",
    re.I,
)
_STATE_ORGANS = re.compile(
    r"^(?:local |regional |city )?(?:officials|authorities|police|investigators|prosecutors|emergency services|military)$",
    re.I,
)


def _in_context(ctx: Ctx, pos: int, who: tuple[str, str] | None) -> tuple[str, str] | None:
    """Generic bodies take their place from the story: "the regional administration" in a Sumy story
    -> "Sumy regional administration"; "local officials" in a Kharkiv story -> Ukraine."""
    if who is None or who[1] != "NOUN":
        return who
    places = [
        x
        for x in ctx.index.within(max(0, pos - 800), pos + 200)
        if x["type"] in {"GPE", "LOC"} and x.get("country") and x.get("country") != x["canonical"]
    ]
    if not places:
        return who
    near = min(places, key=lambda x: (x["start"] > pos, abs(x["start"] - pos)))  # earlier places first
    if _LOCAL_BODY.match(who[0]):
        return f"{near['canonical']} {who[0]}", "ORG"
    if _STATE_ORGANS.match(who[0]):  # "local officials" in an occupied city are Russian-installed
        return gazetteer.held_by(str(near["canonical"])) or str(near["country"]), "GPE"
    return who


def _noun(window: str, lex: Lex) -> tuple[str, str] | None:
    m = lex.nouns.search(window)
    if m is None:
        return None
    phrase = re.sub(r"^(?:the|a|an|its|his|her|their)\s+", "", m.group(0), flags=re.I)
    return phrase, "NOUN"


def _resolve(ctx: Ctx, pos: int, types: set[str], noun: str | None = None) -> tuple[str, str] | None:
    """The nearest earlier claimant of one of ``types`` within ~3 sentences (600 characters)."""
    for off, name, typ in reversed(ctx.history):
        if pos - off > 600:
            break
        if typ in types:
            return name, typ
    if "PERSON" in types:
        near = [x for x in ctx.index.within(max(0, pos - 400), pos) if x["type"] == "PERSON"]
        if near:
            return near[-1]["canonical"], "PERSON"
    elif noun:
        near = [
            x for x in ctx.index.within(max(0, pos - 1500), pos) if noun.lower() in x["canonical"].lower()
        ]
        if near:
            return near[-1]["canonical"], near[-1]["type"]
    return None


def _claim(
    ctx: Ctx, s: int, e: int, who: tuple[str, str], cue: str | None, typ: str, kind: str | None
) -> dict[str, Any]:
    s, e = _tidy(ctx.text, s, e)
    ctx.history.append((s, who[0], who[1]))
    quote = ctx.text[s:e]
    return {
        "start": s,
        "end": e,
        "quote": quote,
        "claimant": canon.claimant_of(who[0], who[1]),
        "cue": cue,
        "type": typ,
        "certainty": certainty(quote, kind),
    }


def _tidy(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim white space, a leading "that", and trailing punctuation from a content span."""
    while s < e and (text[s].isspace() or text[s] in ",:;"):
        s += 1
    lead = _LEAD.match(text[s:e])
    s += lead.end() if lead else 0
    if text[s : s + 5].lower() == "that ":
        s += 5
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:"):
        e -= 1
    return s, e


def direct_quotes(ctx: Ctx, sents: list[tuple[int, int]]) -> list[dict[str, Any]]:
    out = []
    lex = lexicon()
    for m in _QUOTE.finditer(ctx.text):
        qs, qe = m.start() + 1, m.end() - 1
        if len(ctx.text[qs:qe].split()) < MIN_QUOTE_WORDS:
            continue
        sent_end = next((e for s, e in sents if s <= m.end() <= e), len(ctx.text))
        sent_start = next((s for s, e in sents if s <= m.start() < e), 0)
        after = ctx.text[m.end() : min(sent_end, m.end() + 120)]
        am = re.match(
            r"^[,.]?\s*(?P<pre>[^.!?“”\"«»]{0,70}?)\b(?P<cue>"
            + lex.cue.pattern[2:-2]
            + r")\b(?P<post>[^.!?“”\"«»]{0,70})",
            after,
        )
        before = ctx.text[max(sent_start, m.start() - 160) : m.start()]
        bm = re.search(
            r"(?P<pre>[^.!?“”\"«»]{1,100}?)\b(?P<cue>"
            + lex.cue.pattern[2:-2]
            + r")\b[^.!?“”\"«»]{0,40}?[:,]?\s*$",
            before,
        )
        if am:
            base = m.end() + am.start("pre")
            pre = am.group("pre").strip()
            end = m.end() + (am.start("cue") if pre else am.end("post"))
            who = find_claimant(ctx, base if pre else m.end() + am.end("cue"), end)
            cue = am.group("cue")
        elif bm:
            base = m.start() - len(before)
            who = find_claimant(ctx, base + bm.start("pre"), base + bm.end())
            cue = bm.group("cue")
        else:
            continue
        if who is not None:
            out.append(_claim(ctx, qs, qe, who, cue, "direct_quote", lex.kind.get(cue)))
    return out


def reported(ctx: Ctx, s: int, e: int) -> dict[str, Any] | None:
    """Indirect speech in sentence ``text[s:e]``: ``according to X``, postposed, then preposed cue."""
    sent = ctx.text[s:e]
    lex = lexicon()
    acc = lex.according.search(sent)
    if acc:
        return _according(ctx, s, e, acc)
    post = re.search(
        r",\s+(?!which\b|who\b|that\b|and\b|but\b|while\b|as\b)(?P<attr>[^,;]{0,80}?\b(?P<cue>"
        + lex.cue.pattern[2:-2]
        + r")\b[^,;]{0,60})(?:,\s+(?:as|while|adding|but|and|after|before|because|since|noting|saying|citing)\b[^;]*)?"
        + r"[.!?]?[\"'”]?\s*$",
        sent,
    )
    if (
        post
        and post.start() > 20
        and _CONTENT_AFTER.search(post.group("attr")[post.end("cue") - post.start("attr") :])
    ):
        post = None  # "…, the ministry said air defences had destroyed 12 drones": preposed, not postposed
    if post and post.start() > 20:
        pre_cue = post.start("cue") > post.start("attr")
        a, b = (post.start("attr"), post.start("cue")) if pre_cue else (post.end("cue"), post.end("attr"))
        who = find_claimant(ctx, s + a, s + b)
        if who is not None:
            return _claim(
                ctx, s, s + post.start(), who, post.group("cue"), "indirect", lex.kind.get(post.group("cue"))
            )
    appos = _post_appositive(ctx, s, e, lex)
    if appos is not None:
        return appos
    lead = _LEAD.match(sent)
    body = lead.end() if lead else 0
    for cm in lex.cue.finditer(sent, body):
        subj = sent[body : cm.start()]
        if len(subj.split()) > WINDOW_WORDS or not subj.strip():
            break
        if cm.end() >= len(sent) - 10 and not _short_content_ok(lex.kind.get(cm.group(0)), sent[cm.end() :]):
            break
        who = find_claimant(ctx, s + body + _subject_offset(subj), s + cm.start())
        if who is None:
            continue
        cs = s + cm.end()
        # "told reporters that", "said on Telegram that", "said in a statement that": content after "that"
        obj = re.match(r"\s+(?:[\w'’-]+\s+){0,6}?that\b", ctx.text[cs:e])
        if obj and re.search(r"\b(?:had|has|have|was|were|is|are|would|will)\b", obj.group(0)):
            obj = None
        cs = cs + obj.end() if obj else cs
        cut = re.search(r",\s+(?:but|while|whereas)\b|;", ctx.text[cs:e])
        return _claim(
            ctx, cs, cs + cut.start() if cut else e, who, cm.group(0), "indirect", lex.kind.get(cm.group(0))
        )
    return None


def _post_appositive(ctx: Ctx, s: int, e: int, lex: Lex) -> dict[str, Any] | None:
    """ "…, the Russian-installed mayor, Alexei Kulemzin, said.": a postposed attribution whose
    speaker is a role and a name set off by commas."""
    sent = ctx.text[s:e]
    m = re.search(
        r",\s+(?P<attr>(?:the\s+|a\s+)?[^,;]{2,80},\s+[A-Z][^,;]{1,50}),\s+(?P<cue>"
        + lex.cue.pattern[2:-2]
        + r")(?:\s+(?:on|in|at)\s+[^,;]{1,30})?[.!?]?[\"'”]?\s*$",
        sent,
    )
    if m is None or m.start() <= 20:
        return None
    who = find_claimant(ctx, s + m.start("attr"), s + m.end("attr"))
    if who is None:
        return None
    return _claim(ctx, s, s + m.start(), who, m.group("cue"), "indirect", lex.kind.get(m.group("cue")))


_ANAPHOR_ONLY = re.compile(
    r"^\s*(?:it|this|that|the (?:claims?|reports?|accusations?|allegations?|charges?))\W*$", re.I
)


def _short_content_ok(kind: str | None, rest: str) -> bool:
    """ "X denied involvement" has a claim ("involvement"); "X denied it" does not (anaphor only)."""
    return kind in {"deny", "accuse"} and len(rest.strip(" .")) > 2 and not _ANAPHOR_ONLY.match(rest)


_APPOS = re.compile(r"^\s*(?:the|a|an|who|which|its|his|her|their|head|chief|[A-Z][\w-]*['’]s|[a-z]+ing)\b")
# After a postposed cue only a short adjunct may follow ("on Telegram", "in a statement"), not content.
_CONTENT_AFTER = re.compile(r"\b(?:that|had|has|have|was|were|is|are|would|will|could|did)\b")


def _subject_offset(subj: str) -> int:
    """Start of the subject inside a preposed window: after the last clause comma, unless the
    pieces after it are appositions ("Dmitry Peskov, the Kremlin spokesman, said")."""
    pieces = subj.split(",")
    k = len(pieces) - 1
    while k > 0 and (_APPOS.match(pieces[k]) or not pieces[k].strip()):
        k -= 1
    return sum(len(p) + 1 for p in pieces[:k])


def _according(ctx: Ctx, s: int, e: int, acc: re.Match[str]) -> dict[str, Any] | None:
    sent = ctx.text[s:e]
    comma = sent.find(",", acc.end())
    if acc.start() < 3 and comma > 0:  # "According to X, content."
        who = find_claimant(ctx, s + acc.end(), s + comma)
        cs, ce = s + comma + 1, e
    else:  # "content, according to X."
        who = find_claimant(ctx, s + acc.end(), e)
        cs, ce = s, s + acc.start()
    if who is None or ce - cs < 10:
        return None
    return _claim(ctx, cs, ce, who, acc.group(0), "indirect", "say")


_FACT = re.compile(
    r"\b(?:killed|killing|dead|died|injured|injuring|wounded|wounding|casualties|shelled|struck|launched|fired|bombed|attacked|destroyed|responsible for|carried out by|behind the attack)\b",
    re.I,
)


def unattributed(ctx: Ctx, s: int, e: int) -> dict[str, Any] | None:
    sent = ctx.text[s:e]
    if not _FACT.search(sent) or lexicon().cue.search(sent) or "?" in sent[-2:]:
        return None
    if not (
        re.search(r"\d|\b(?:dozens|hundreds|one|two|three|four|five|six|seven|eight|nine|ten)\b", sent)
        or ctx.ents_in(s, e)
    ):
        return None
    return _claim(ctx, s, e, ("author", "AUTHOR"), None, "unattributed", None)


_FOLLOW = re.compile(
    r",\s+(?P<cue>adding|saying|noting|insisting|warning|stressing)(?:\s+that)?\s+|\s+and\s+(?P<cue2>added|said)\s+(?:that\s+)?"
)


def _followups(ctx: Ctx, claim: dict[str, Any], s: int, e: int) -> list[dict[str, Any]]:
    """One claim per content clause: "X said A, adding that B" -> A and B, both by X."""
    if claim["type"] == "unattributed":
        return [claim]
    tail_start = claim["end"]
    m = _FOLLOW.search(ctx.text, claim["start"], e)
    if m is None:
        return [claim]
    cue = m.group("cue") or m.group("cue2")
    first_end = min(claim["end"], m.start()) if m.start() < claim["end"] else claim["end"]
    out = []
    if first_end > claim["start"]:
        q = ctx.text[claim["start"] : first_end].rstrip(" ,")
        out.append(
            {
                **claim,
                "end": claim["start"] + len(q),
                "quote": q,
                "certainty": certainty(q, None) if claim["certainty"] != "denied" else "denied",
            }
        )
    who = (claim["claimant"], "NOUN")
    second = _claim(ctx, m.end(), e, who, cue, "indirect", lexicon().kind.get(cue))
    if second["end"] > second["start"] and m.end() >= min(tail_start, m.end()):
        out.append(second)
    return out or [claim]


def decode(text: str, entities: list[dict[str, Any]], with_unattributed: bool = True) -> list[dict[str, Any]]:
    """All claims of one document (pure; golden-tested)."""
    sents = sentences(text)
    ctx = Ctx(text, sorted(entities, key=lambda x: x["start"]), [])
    quotes = direct_quotes(ctx, sents)
    quoted = [(q["start"] - 1, q["end"] + 1) for q in quotes]
    out = list(quotes)
    for s, e in sents:
        if any(qs <= s + 1 and e <= qe + 2 for qs, qe in quoted) or any(
            qs >= s and qe <= e for qs, qe in quoted
        ):
            continue  # inside a quote, or carries its own quote attribution
        claim = reported(ctx, s, e)
        if claim is None and with_unattributed:
            claim = unattributed(ctx, s, e)
        if claim is not None and claim["end"] > claim["start"]:
            out.extend(_followups(ctx, claim, s, e))
    return sorted(out, key=lambda c: (c["start"], c["end"]))


class ClaimsAnalyzer:
    spec = AnalyzerSpec(name="claims.v1", version="1", requires=("entities",), produces=("claims",))

    def __init__(self, options: dict[str, Any]) -> None:
        self.unattributed = bool(options.get("unattributed", True))

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        out = []
        for item in batch:
            text = item.doc.text
            if guess_language(text, item.doc.language)[0] != "en" or not text.strip():
                out.append({"claims": []})
                continue
            out.append({"claims": decode(text, list(item.prior.get("entities") or []), self.unattributed)})
        return out


@register_analyzer("claims.v1")
def build_claims(options: dict[str, Any]) -> ClaimsAnalyzer:
    return ClaimsAnalyzer(options)
