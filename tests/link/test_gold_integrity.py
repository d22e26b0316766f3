"""Integrity of the incident-linking gold set in tests/link/gold (format: gold/README.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

GOLD_DIR = Path(__file__).resolve().parent / "gold"
INCIDENT_TYPES = {
    "shelling",
    "missile_strike",
    "air_strike",
    "drone_strike",
    "bombing",
    "terrorist_attack",
    "shooting",
    "sabotage",
    "ground_assault",
    "other",
}
FIELDS = {"perpetrator", "killed", "injured", "location", "date", "weapons"}
STATUSES = {"consensus", "contested", "single_source"}
ROLES = {"main", "passing"}


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    return json.loads((GOLD_DIR / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(gold: dict[str, Any]) -> dict[str, str]:
    docs_dir = GOLD_DIR / gold["docs_dir"]
    return {d["file"]: (docs_dir / d["file"]).read_text(encoding="utf-8") for d in gold["documents"]}


def _unit(doc: dict[str, Any]) -> str:
    """The independence unit: a syndication group counts once, otherwise the outlet."""
    return doc["syndication_group"] or doc["source"]


def _iso(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def test_document_files_exist_and_are_unique(gold: dict[str, Any]) -> None:
    files = [d["file"] for d in gold["documents"]]
    assert len(files) == len(set(files))
    assert len(files) >= 32
    on_disk = {p.name for p in (GOLD_DIR / gold["docs_dir"]).glob("*.txt")}
    assert set(files) == on_disk, "every listed file exists and every file on disk is listed"


def test_documents_are_short_articles(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        words = len(text.split())
        assert 80 <= words <= 250, f"{name} has {words} words"


def test_document_metadata(gold: dict[str, Any]) -> None:
    sources = set(gold["sources"])
    for d in gold["documents"]:
        assert d["source"] in sources, d
        _iso(d["published"])


def test_syndicated_copies_are_near_identical_and_from_other_sites(
    gold: dict[str, Any], texts: dict[str, str]
) -> None:
    groups: dict[str, list[dict[str, Any]]] = {}
    for d in gold["documents"]:
        if d["syndication_group"]:
            groups.setdefault(d["syndication_group"], []).append(d)
    assert len(groups) >= 2
    for name, members in groups.items():
        assert len(members) >= 2, name
        assert len({m["source"] for m in members}) == len(members), (
            f"{name}: copies come from different sites"
        )
        bodies = [_shingles(texts[m["file"]]) for m in members]
        for other in bodies[1:]:
            jaccard = len(bodies[0] & other) / len(bodies[0] | other)
            assert jaccard > 0.7, f"{name}: copies differ too much ({jaccard:.2f})"


def _shingles(text: str, k: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def test_incident_ids_unique_and_vocabulary(gold: dict[str, Any]) -> None:
    ids = [i["id"] for i in gold["incidents"]]
    assert len(ids) == len(set(ids))
    for inc in gold["incidents"]:
        assert inc["type"] in INCIDENT_TYPES, inc["id"]
        assert inc["date"]["precision"] in {"day", "month", "year"}
        _iso(inc["date"]["value"])
        assert inc["location"]["name"] and inc["location"]["country"]
        assert inc["decoy_of"] is None or inc["decoy_of"] in ids, inc["id"]
    assert sum(1 for i in gold["incidents"] if i["decoy_of"] is None) >= 7


def test_quotes_are_exact_substrings(gold: dict[str, Any], texts: dict[str, str]) -> None:
    for inc in gold["incidents"]:
        assert inc["mentions"], inc["id"]
        for m in inc["mentions"]:
            assert m["doc"] in texts, (inc["id"], m["doc"])
            assert m["role"] in ROLES
            assert m["quote"] and m["quote"] in texts[m["doc"]], (inc["id"], m["doc"], m["quote"])


def test_every_document_has_one_main_incident(gold: dict[str, Any]) -> None:
    mains: Counter[str] = Counter()
    for inc in gold["incidents"]:
        for m in inc["mentions"]:
            if m["role"] == "main":
                mains[m["doc"]] += 1
    for d in gold["documents"]:
        assert mains[d["file"]] == 1, f"{d['file']} has {mains[d['file']]} main incidents"


def test_documents_do_not_report_events_before_they_happen(gold: dict[str, Any]) -> None:
    published = {d["file"]: _iso(d["published"]) for d in gold["documents"]}
    for inc in gold["incidents"]:
        day = _iso(inc["date"]["value"])
        for m in inc["mentions"]:
            assert published[m["doc"]] >= day, (inc["id"], m["doc"])


def test_fact_values_reference_mentioning_documents(gold: dict[str, Any]) -> None:
    by_id = {i["id"]: i for i in gold["incidents"]}
    for fact in gold["facts"]:
        inc = by_id[fact["incident"]]
        assert fact["field"] in FIELDS and fact["status"] in STATUSES, fact
        main_docs = {m["doc"] for m in inc["mentions"] if m["role"] == "main"}
        assert fact["values"], fact
        for doc, value in fact["values"].items():
            assert doc in main_docs, (fact["incident"], fact["field"], doc)
            assert isinstance(value, str) and value, (fact["incident"], doc)
    keys = [(f["incident"], f["field"]) for f in gold["facts"]]
    assert len(keys) == len(set(keys)), "one fact per incident and field"


def test_fact_status_follows_the_counting_rule(gold: dict[str, Any]) -> None:
    docs = {d["file"]: d for d in gold["documents"]}
    for fact in gold["facts"]:
        values = fact["values"]
        units = {_unit(docs[doc]) for doc in values}
        distinct = set(values.values())
        if len(distinct) > 1:
            expected = "contested"
        elif len(units) >= 2:
            expected = "consensus"
        else:
            expected = "single_source"
        assert fact["status"] == expected, (fact["incident"], fact["field"], fact["status"], expected)


def test_location_and_date_facts_match_the_incident(gold: dict[str, Any]) -> None:
    by_id = {i["id"]: i for i in gold["incidents"]}
    for fact in gold["facts"]:
        inc = by_id[fact["incident"]]
        if fact["field"] == "location" and fact["status"] == "consensus":
            assert set(fact["values"].values()) == {inc["location"]["name"]}
        if fact["field"] == "date" and fact["status"] == "consensus":
            assert set(fact["values"].values()) == {inc["date"]["value"]}


def test_each_main_incident_has_consensus_and_contested_facts(gold: dict[str, Any]) -> None:
    statuses: dict[str, set[str]] = {}
    for fact in gold["facts"]:
        statuses.setdefault(fact["incident"], set()).add(fact["status"])
    for inc in gold["incidents"]:
        got = statuses.get(inc["id"], set())
        assert "consensus" in got, inc["id"]
        if inc["decoy_of"] is None:
            assert "contested" in got, inc["id"]


def test_decoys_share_a_city_or_a_day_with_their_target(gold: dict[str, Any]) -> None:
    by_id = {i["id"]: i for i in gold["incidents"]}
    for inc in gold["incidents"]:
        if inc["decoy_of"] is None:
            continue
        target = by_id[inc["decoy_of"]]
        same_city = inc["location"]["name"] == target["location"]["name"]
        same_day = inc["date"]["value"] == target["date"]["value"]
        same_country = inc["location"]["country"] == target["location"]["country"]
        assert (same_city or same_day or same_country) and not (same_city and same_day), inc["id"]
