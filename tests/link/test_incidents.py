from __future__ import annotations

from typing import Any

from narrascope.link.corpus import build_corpus
from narrascope.link.incidents import cluster, mentions_of, source_groups
from narrascope.schemas import validate


def _ev(text: str, quote: str) -> dict[str, Any]:
    s = text.index(quote)
    return {"start": s, "end": s + len(quote), "quote": quote}


def _inc(
    text: str, quote: str, local: str, typ: str, place: str | None, day: str | None, **kw: Any
) -> dict[str, Any]:
    inc = {
        "id": local,
        "type": typ,
        "location": {"name": place, "country": "Russia"} if place else None,
        "date": {"value": day, "precision": "day" if day and len(day) == 10 else "month"} if day else None,
        "killed": kw.get("killed"),
        "injured": kw.get("injured"),
        "weapons": kw.get("weapons", []),
        "targets": kw.get("targets", []),
        "perpetrator_claims": [],
        "evidence": [_ev(text, quote)],
    }
    for actor, claimant, stance in kw.get("blame", []):
        inc["perpetrator_claims"].append(
            {"actor": actor, "claimant": claimant, "stance": stance, "evidence": [_ev(text, quote)]}
        )
    return inc


def _rec(
    doc: str, site: str, pub: str, text: str, incidents: list[dict[str, Any]], **kw: Any
) -> dict[str, Any]:
    return {
        "id": doc,
        "site": site,
        "published": {"value": pub, "precision": "day"},
        "text": text,
        "status": "ok",
        "incidents": incidents,
        "duplicate_of": kw.get("duplicate_of"),
        "claims": kw.get("claims", []),
        "entities": [],
        "roles": kw.get("roles", []),
        "narratives": kw.get("narratives", []),
    }


def corpus_records() -> list[dict[str, Any]]:
    t1 = "Gunmen attacked Crocus City Hall in Krasnogorsk on March 22. Islamic State claimed responsibility."
    t2 = "The death toll from the attack near Moscow rose to 139. Russian officials accused Ukraine of involvement."
    t3 = "Kyiv denied any role in the Moscow concert hall attack, which killed at least 137 people."
    t4 = "Shelling of Belgorod on December 30 killed 24 people, the governor said."
    t5 = "At least 24 people died when Belgorod was shelled on Saturday, officials said."
    t6 = "A drone hit Belgorod on February 15, injuring two. Days after the bombings of Belgorod, the city stays tense."
    t7 = "Residents still recall the shelling of Belgorod, which officials blamed on Ukraine."
    t2b = t2 + " Copied."
    return [
        _rec(
            "d1",
            "wire-a.example",
            "2024-03-23",
            t1,
            [
                _inc(
                    t1,
                    "Gunmen attacked Crocus City Hall in Krasnogorsk",
                    "a",
                    "terrorist_attack",
                    "Krasnogorsk",
                    "2024-03-22",
                    blame=[("Islamic State", "Islamic State", "claimed_responsibility")],
                )
            ],
        ),
        _rec(
            "d2",
            "daily-b.example",
            "2024-03-24",
            t2,
            [
                _inc(
                    t2,
                    "the attack near Moscow rose to 139",
                    "a",
                    "terrorist_attack",
                    "Moscow",
                    "2024-03-22",
                    killed={"min": 139, "max": 139},
                    blame=[("Ukraine", "Russia", "alleged")],
                )
            ],
        ),
        _rec(
            "d2c",
            "copy-c.example",
            "2024-03-24",
            t2b,
            [
                _inc(
                    t2b,
                    "the attack near Moscow rose to 139",
                    "a",
                    "terrorist_attack",
                    "Moscow",
                    "2024-03-22",
                    killed={"min": 139, "max": 139},
                    blame=[("Ukraine", "Russia", "alleged")],
                )
            ],
            duplicate_of="d2",
        ),
        _rec(
            "d3",
            "post-d.example",
            "2024-03-25",
            t3,
            [
                _inc(
                    t3,
                    "Moscow concert hall attack, which killed at least 137",
                    "a",
                    "terrorist_attack",
                    "Moscow",
                    "2024-03-22",
                    killed={"min": 137, "max": None},
                    blame=[("Ukraine", "Ukraine", "denied")],
                )
            ],
        ),
        _rec(
            "d4",
            "wire-a.example",
            "2023-12-31",
            t4,
            [
                _inc(
                    t4,
                    "Shelling of Belgorod on December 30 killed 24",
                    "a",
                    "shelling",
                    "Belgorod",
                    "2023-12-30",
                    killed={"min": 24, "max": 24},
                )
            ],
        ),
        _rec(
            "d5",
            "daily-b.example",
            "2023-12-31",
            t5,
            [
                _inc(
                    t5,
                    "At least 24 people died when Belgorod was shelled",
                    "a",
                    "shelling",
                    "Belgorod",
                    "2023-12-30",
                    killed={"min": 24, "max": None},
                )
            ],
        ),
        _rec(
            "d6",
            "post-d.example",
            "2024-02-16",
            t6,
            [
                _inc(
                    t6,
                    "A drone hit Belgorod on February 15",
                    "a",
                    "drone_strike",
                    "Belgorod",
                    "2024-02-15",
                    injured={"min": 2, "max": 2},
                )
            ],
        ),
        _rec(
            "d7",
            "blog-e.example",
            "2024-01-10",
            t7,
            [
                _inc(
                    t7,
                    "the shelling of Belgorod",
                    "a",
                    "shelling",
                    "Belgorod",
                    None,
                    blame=[("Ukraine", "Russia", "alleged")],
                )
            ],
        ),
    ]


def test_source_groups_merge_sites_and_syndicated_copies() -> None:
    recs = corpus_records()
    g = source_groups(recs)
    assert g["d2"] == g["d2c"] == g["d5"]  # same site as d5, and d2c is d2's copy
    assert g["d1"] == g["d4"] != g["d3"]


def test_clusters_separate_decoys_and_attach_passing_reference() -> None:
    recs = corpus_records()
    ms = mentions_of(recs)
    clusters = [{ms[i].doc for i in c} for c in cluster(ms)]
    assert {"d1", "d2", "d2c", "d3"} in clusters
    assert {"d4", "d5", "d7"} in clusters  # undated reference published in Jan joins the Dec 30 shelling
    assert {"d6"} in clusters  # same city, different day


def test_consensus_contested_single_source() -> None:
    corpus = build_corpus(corpus_records())
    assert validate(corpus, "corpus") == []
    crocus = next(i for i in corpus["incidents"] if "d1" in i["documents"])
    contested = {c["field"]: c for c in crocus["contested"]}
    values = {p["value"] for p in contested["perpetrator"]["positions"]}
    assert {"Islamic State", "Ukraine", "not Ukraine"} <= values
    # 139 (two copies = one source) and "at least 137" overlap: consensus of independent sources
    killed = next(c for c in crocus["consensus"] if c["field"] == "killed")
    assert killed["sources"] == 2 and killed["value"] == "139"
    assert any(c["field"] == "location" for c in crocus["consensus"])
    belgorod = next(i for i in corpus["incidents"] if "d4" in i["documents"])
    assert any(c["field"] == "killed" and c["value"] == "24" for c in belgorod["consensus"])
    perp = next(c for c in belgorod["single_source"] if c["field"] == "perpetrator")
    assert perp["value"] == "Ukraine (alleged)"  # an accusation reported is not a fact agreed
    assert perp["claimants"] == ["Russia (alleged)"]
    assert [t["date"] for t in corpus["timeline"]] == sorted(t["date"] for t in corpus["timeline"])


def test_casualty_disagreement_is_contested() -> None:
    recs = corpus_records()
    recs[5]["incidents"][0]["killed"] = {"min": 5, "max": 5}
    corpus = build_corpus(recs)
    belgorod = next(i for i in corpus["incidents"] if "d4" in i["documents"])
    killed = next(c for c in belgorod["contested"] if c["field"] == "killed")
    assert sorted(p["value"] for p in killed["positions"]) == ["24", "5"]
    assert all(p["evidence"] for p in killed["positions"])


def test_incremental_ids_are_stable() -> None:
    recs = corpus_records()
    before = {i["label"]: i["id"] for i in build_corpus(recs[:5])["incidents"]}
    after = {i["label"]: i["id"] for i in build_corpus(recs)["incidents"]}
    for label, iid in before.items():
        if label in after:
            assert after[label] == iid


def test_place_compatibility_landmarks_regions_and_distance() -> None:
    from narrascope.link.geo import compatible

    assert compatible("Crocus City Hall", "Krasnogorsk")
    assert compatible("Crocus City Hall", "Moscow")  # Krasnogorsk is ~20 km from Moscow
    assert compatible("Belgorod Oblast", "Belgorod")
    assert not compatible("Belgorod", "Kharkiv")  # ~75 km apart, different incidents
    assert not compatible("Kazan", "Yelabuga")
