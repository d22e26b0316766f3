from __future__ import annotations

from narrascope.link.claims import contradiction, group_claims
from narrascope.link.relations import escalation_links


def _c(quote: str, certainty: str = "reported") -> dict:
    return {"quote": quote, "certainty": certainty}


def test_contradiction_rules() -> None:
    assert (
        contradiction(
            _c("Ukraine was behind the attack on the concert hall"),
            _c("Ukraine had nothing to do with the attack on the concert hall", "denied"),
        )
        == "denial"
    )
    assert (
        contradiction(
            _c("the attack on the market killed 24 people"), _c("the attack on the market killed 5 people")
        )
        == "numbers"
    )
    assert (
        contradiction(
            _c("the missile was fired by Russian forces at the hospital"),
            _c("the missile was not fired by Russian forces at the hospital"),
        )
        == "negation"
    )
    assert contradiction(_c("drones hit Kazan"), _c("the market in Kharkiv reopened")) is None
    assert contradiction(_c("in 2023 the attack killed 24"), _c("in 2024 the attack killed 24")) is None


def test_escalation_link_from_text() -> None:
    text = (
        "Putin vowed retaliation after drones hit Kazan. "
        "The strike on Kyiv came in retaliation for the drone attack on Kazan."
    )
    k = text.index("drones hit Kazan")
    s = text.index("The strike on Kyiv")
    d = text.index("the drone attack on Kazan")
    rec = {
        "id": "d1",
        "text": text,
        "incidents": [
            {
                "id": "a",
                "date": {"value": "2024-12-21"},
                "evidence": [
                    {"start": k, "end": k + 16, "quote": "drones hit Kazan"},
                    {"start": d, "end": d + 25, "quote": "the drone attack on Kazan"},
                ],
            },
            {
                "id": "b",
                "date": {"value": "2024-12-25"},
                "evidence": [{"start": s, "end": s + 18, "quote": "The strike on Kyiv"}],
            },
        ],
    }
    m = {("d1", "a"): "KAZAN", ("d1", "b"): "KYIV"}
    incs = {"KAZAN": {"date": {"value": "2024-12-21"}}, "KYIV": {"date": {"value": "2024-12-25"}}}
    links = escalation_links([rec], m, incs)
    rels = {(x["from"], x["to"], x["relation"]) for x in links}
    assert ("KYIV", "KAZAN", "retaliation_for") in rels
    assert ("KAZAN", None, "threat_after") in rels
    for x in links:
        for ev in x["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["quote"]


def test_group_claims_across_sources() -> None:
    def rec(doc: str, site: str, text: str, quote: str, certainty: str) -> dict:
        s = text.index(quote)
        return {
            "id": doc,
            "site": site,
            "text": text,
            "entities": [],
            "duplicate_of": None,
            "incidents": [{"id": "a", "evidence": [{"start": 0, "end": 10, "quote": text[:10]}]}],
            "claims": [
                {
                    "start": s,
                    "end": s + len(quote),
                    "quote": quote,
                    "claimant": "X",
                    "cue": "said",
                    "type": "indirect",
                    "certainty": certainty,
                }
            ],
        }

    r1 = rec(
        "d1",
        "a.example",
        "Officials said Ukraine organised the concert hall attack.",
        "Ukraine organised the concert hall attack",
        "reported",
    )
    r2 = rec(
        "d2",
        "b.example",
        "Kyiv denied that Ukraine organised the concert hall attack.",
        "Ukraine organised the concert hall attack",
        "denied",
    )
    groups = group_claims([r1, r2], {("d1", "a"): "INC", ("d2", "a"): "INC"})
    [g] = [g for g in groups if g.get("incident") == "INC"]
    assert len(g["claims"]) == 2 and g["contradictions"][0]["reason"] == "denial"
