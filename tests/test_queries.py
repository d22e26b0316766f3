"""The read side: overview, documents, incidents side by side, entities, timeline, search."""

from __future__ import annotations

from narrascope import queries
from narrascope.api.testing import MemoryStore, sample_store


def test_overview_counts_and_charts() -> None:
    ov = queries.overview(sample_store())
    assert ov["documents"] == {"ok": 3, "failed": 1}
    assert {s["value"] for s in ov["sources"]} == {
        "news-one.example",
        "wire-two.example",
        "<script>bad()</script>",
    }
    assert ov["languages"] == [{"value": "en", "count": 3}]
    assert ov["failed"][0]["input"]["path"] == "samples/broken.pdf"
    by_source = {r["group"]: r["counts"] for r in ov["narratives_by_source"]}
    assert by_source["news-one.example"] == [{"value": "URW: Discrediting Ukraine", "count": 1}]
    assert [r["group"] for r in ov["narratives_by_month"]] == ["2023-12"]
    assert ov["top_incidents"][0]["id"] == "inc-belgorod-2023-12-30"
    assert ov["top_incidents"][0]["contested_fields"] == ["perpetrator", "killed"]
    assert ov["top_entities"][0] == {
        "canonical": "Ukraine",
        "n_documents": 2,
        "roles": {"Antagonist": 1, "Protagonist": 1},
    }


def test_overview_without_corpus_uses_record_roles() -> None:
    st = sample_store()
    st.corpus = None
    ov = queries.overview(st)
    assert ov["linked"] is False and ov["top_incidents"] == []
    assert ov["top_entities"][0]["canonical"] == "Ukraine"
    assert queries.entities(st)["items"][0]["roles"] == {"Antagonist": 1, "Protagonist": 1}
    assert queries.incidents(st)["total"] == 0 and queries.timeline(st) == {"events": [], "links": []}


def test_documents_page_and_filters() -> None:
    st = sample_store()
    page = queries.documents(st, limit=3, offset=0, filters={"site": "", "language": "en"})
    assert page["total"] == 3 and page["limit"] == 3 and len(page["items"]) == 3


def test_incident_matches_local_incident_by_hint() -> None:
    st = sample_store()
    a = next(iter(st.records))
    rec = st.records[a]
    decoy = dict(rec["incidents"][0], id="decoy", killed={"min": 999, "max": 999})
    st.records[a] = dict(rec, incidents=[decoy, rec["incidents"][0]])
    st.corpus["incidents"][0]["members"] = [{"doc": a, "incident": "i1"}]  # type: ignore[index]
    inc = queries.incident(st, "inc-belgorod-2023-12-30")
    assert inc is not None and inc["columns"][0]["cells"]["killed"] == {"min": 24, "max": 24}


def test_incident_missing_document_and_duplicates() -> None:
    st = sample_store()
    corpus = st.corpus or {}
    corpus["incidents"][0]["documents"].append("gone")
    b = corpus["incidents"][0]["documents"][1]
    corpus["duplicates"] = [[corpus["incidents"][0]["documents"][0], b]]
    inc = queries.incident(st, "inc-belgorod-2023-12-30")
    assert inc is not None
    assert inc["columns"][-1]["local"] is None
    assert [s["duplicate"] for s in inc["columns"]] == [False, True, False]
    assert queries.incident(st, "nope") is None


def test_entity_roles_per_source() -> None:
    ent = queries.entity(sample_store(), "Ukraine")
    assert ent is not None
    assert [(s["site"], s["roles"][0]["fine_roles"]) for s in ent["sources"]] == [
        ("news-one.example", ["Terrorist"]),
        ("wire-two.example", ["Guardian"]),
    ]
    assert ent["sources"][0]["roles"][0]["evidence"][0]["quote"] == "Ukraine"
    assert queries.entity(sample_store(), "Nobody") is None
    assert queries.entities(sample_store(), q="ukr")["total"] == 1


def test_timeline_orders_and_labels_links() -> None:
    tl = queries.timeline(sample_store())
    assert [e["incident_summary"]["label"] for e in tl["events"]] == [
        "Shelling, Belgorod, 2023-12-30",
        "Attack, Kyiv, 2024-01-02",
    ]
    assert tl["links"][0]["to_label"] == "Attack, Kyiv, 2024-01-02"


def test_search_blank_query_returns_nothing() -> None:
    assert queries.search(sample_store(), "   ")["total"] == 0
    res = queries.search(sample_store(), "belgorod", limit=1)
    assert res["total"] == 2 and len(res["items"]) == 1 and res["q"] == "belgorod"


def test_raw_input_and_helpers() -> None:
    st = sample_store()
    a = next(iter(st.records))
    ref, data = queries.raw_input(st, a) or ({}, b"")
    assert data.decode() == st.records[a]["text"] and ref["path"] == "samples/a.txt"
    assert queries.raw_input(MemoryStore(), "x") is None
    assert queries.format_range({"min": 24, "max": None}) == "≥24"
    assert queries.format_range({"min": 3, "max": 5}) == "3–5"
    assert queries.format_range({"min": 4, "max": 4}) == "4"
    assert queries.format_range(None) == ""
    assert queries.month_of({"value": "2024", "precision": "year"}) is None
    assert queries.month_of({"value": "2024-03-22", "precision": "day"}) == "2024-03"
