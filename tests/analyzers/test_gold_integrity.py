"""Integrity checks for the hand-annotated incident and claim gold set (tests/analyzers/gold/).

They check the annotations themselves, not any extractor: every file parses, ids are unique,
every quoted span is an exact substring of its paragraph, the closed vocabularies (output
contract plus gold/vocabulary.json) are respected, dates and counts are well formed, and the
conventions written in gold/README.md hold where a machine can check them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

GOLD = Path(__file__).parent / "gold"
VOCAB: dict[str, Any] = json.loads((GOLD / "vocabulary.json").read_text(encoding="utf-8"))
README = (GOLD / "README.md").read_text(encoding="utf-8")

PRECISION_PATTERNS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
PARAGRAPH_KEYS = {"id", "published", "style", "text", "incidents", "claims", "hard"}
INCIDENT_KEYS = {
    "type",
    "location",
    "date",
    "killed",
    "injured",
    "children_killed",
    "weapons",
    "targets",
    "perpetrator_claims",
    "evidence",
}


def _load() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(GOLD.glob("incidents-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{path.name}: top level must be a list"
        out.extend((path.name, item) for item in data)
    return out


PARAGRAPHS = _load()


def _ids() -> list[str]:
    return [f"{name}:{p.get('id')}" for name, p in PARAGRAPHS]


def _check_date(value: Any, where: str) -> None:
    assert isinstance(value, dict) and set(value) == {"value", "precision"}, where
    pattern = PRECISION_PATTERNS.get(value["precision"])
    assert pattern is not None, f"{where}: precision {value['precision']!r}"
    assert re.fullmatch(pattern, value["value"]), f"{where}: {value['value']!r} vs precision"
    full = value["value"] + {"day": "", "month": "-01", "year": "-01-01"}[value["precision"]]
    dt.date.fromisoformat(full)


def _check_count(value: Any, where: str) -> None:
    if value is None:
        return
    assert isinstance(value, dict) and set(value) == {"min", "max"}, where
    lo, hi = value["min"], value["max"]
    assert lo is None or (isinstance(lo, int) and lo >= 0), where
    assert hi is None or (isinstance(hi, int) and hi >= 0), where
    assert lo is not None or hi is not None, f"{where}: both bounds null, use null instead"
    if lo is not None and hi is not None:
        assert lo <= hi, where


def _check_spans(spans: Any, text: str, where: str) -> None:
    assert isinstance(spans, list) and spans, f"{where}: evidence must be a non-empty list"
    for s in spans:
        assert isinstance(s, str) and s and s.strip() == s, f"{where}: bad span {s!r}"
        assert s in text, f"{where}: {s!r} is not a substring of the text"


def test_enough_paragraphs() -> None:
    assert len(PARAGRAPHS) >= 60


def test_ids_unique_and_well_formed() -> None:
    ids = [p["id"] for _, p in PARAGRAPHS]
    assert len(ids) == len(set(ids)), "duplicate paragraph ids"
    assert all(re.fullmatch(r"p\d{3}", i) for i in ids)


def test_every_style_and_incident_type_present() -> None:
    assert {p["style"] for _, p in PARAGRAPHS} == set(VOCAB["styles"])
    used = {i["type"] for _, p in PARAGRAPHS for i in p["incidents"]}
    assert used == set(VOCAB["incident_types"]), "every incident type must be exercised"


def test_vocabulary_matches_output_contract() -> None:
    assert set(VOCAB["stances"]) == {
        "asserted",
        "alleged",
        "claimed_responsibility",
        "denied",
        "dismissed",
        "speculated",
    }
    assert set(VOCAB["claim_types"]) == {"direct_quote", "indirect", "unattributed"}
    assert set(VOCAB["certainties"]) == {"asserted", "reported", "hedged", "speculative", "denied"}


def test_readme_documents_every_normal_form_and_hard_tag() -> None:
    for form in [*VOCAB["weapons"], *VOCAB["targets"]]:
        assert f"`{form}`" in README, f"README does not document {form!r}"
    tags = {t for _, p in PARAGRAPHS for t in p.get("hard", [])}
    missing = sorted(t for t in tags if f"`{t}`" not in README)
    assert not missing, f"README does not document hard tags {missing}"


VARIANTS = {"Kiev", "Kharkov", "Odessa", "Artemovsk", "Gorlovka", "Lugansk", "Novaya Kakhovka", "ISIS"}


def test_canonical_names_only() -> None:
    names: set[str] = set()
    for _, p in PARAGRAPHS:
        for inc in p["incidents"]:
            if inc["location"]:
                names.add(inc["location"]["name"])
            names.update(pc["actor"] for pc in inc["perpetrator_claims"])
            names.update(pc["claimant"] for pc in inc["perpetrator_claims"])
        names.update(c["claimant"] for c in p["claims"] if c["claimant"])
    assert not names & VARIANTS, names & VARIANTS
    texts = " ".join(p["text"] for _, p in PARAGRAPHS)
    assert all(v in texts for v in VARIANTS - {"ISIS"}), "variant spellings must occur in the texts"


def test_blame_runs_both_ways() -> None:
    seen = {
        (pc["actor"], pc["stance"])
        for _, p in PARAGRAPHS
        for i in p["incidents"]
        for pc in i["perpetrator_claims"]
    }
    for actor in ("Russia", "Ukraine"):
        for stance in ("asserted", "alleged", "claimed_responsibility", "denied", "speculated"):
            assert (actor, stance) in seen, f"no {stance} blame for {actor}"


@pytest.mark.parametrize(("name", "para"), PARAGRAPHS, ids=_ids())
def test_paragraph(name: str, para: dict[str, Any]) -> None:
    where = f"{name}:{para['id']}"
    assert set(para) <= PARAGRAPH_KEYS, where
    assert {"id", "published", "style", "text", "incidents", "claims"} <= set(para), where
    assert para["style"] in VOCAB["styles"], where
    dt.date.fromisoformat(para["published"])
    text = para["text"]
    assert 40 <= len(text.split()) <= 160, f"{where}: {len(text.split())} words"
    assert text == text.strip() and "\n" not in text, where
    assert ("no_incident" in para.get("hard", [])) == (not para["incidents"]), f"{where}: no_incident tag"
    for tag in para.get("hard", []):
        assert re.fullmatch(r"[a-z0-9_]+", tag), f"{where}: hard tag {tag!r}"
    for k, inc in enumerate(para["incidents"]):
        _check_incident(inc, text, para["published"], f"{where}:incident{k}")
    for k, claim in enumerate(para["claims"]):
        _check_claim(claim, text, f"{where}:claim{k}")


def _check_incident(inc: dict[str, Any], text: str, published: str, where: str) -> None:
    assert set(inc) <= INCIDENT_KEYS, f"{where}: unknown keys {set(inc) - INCIDENT_KEYS}"
    assert INCIDENT_KEYS - {"children_killed"} <= set(inc), where
    assert inc["type"] in VOCAB["incident_types"], where
    loc = inc["location"]
    if loc is not None:
        assert set(loc) == {"name", "country"} and loc["name"], where
        assert loc["country"] is None or loc["country"] in VOCAB["countries"], where
    if inc["date"] is not None:
        _check_date(inc["date"], where)
        assert inc["date"]["value"] <= published, f"{where}: incident after publication"
    for field in ("killed", "injured", "children_killed"):
        _check_count(inc.get(field), f"{where}:{field}")
    kids, killed = inc.get("children_killed"), inc["killed"]
    if kids is not None and killed is not None and killed["max"] is not None:
        assert (kids["min"] or 0) <= killed["max"], f"{where}: more children than dead"
    for field, vocab in (("weapons", VOCAB["weapons"]), ("targets", VOCAB["targets"])):
        values = inc[field]
        assert all(v in vocab for v in values), f"{where}: {field} {values}"
        assert len(set(values)) == len(values), f"{where}: duplicate {field}"
    for pc in inc["perpetrator_claims"]:
        assert set(pc) == {"actor", "claimant", "stance", "evidence"}, where
        assert pc["stance"] in VOCAB["stances"], where
        assert pc["actor"] and pc["claimant"], where
        if pc["stance"] == "asserted":
            assert pc["claimant"] == "author", f"{where}: 'asserted' blame is the author's"
        if pc["claimant"] == "author":
            assert pc["stance"] in {"asserted", "speculated", "dismissed"}, f"{where}: author stance"
        _check_spans(pc["evidence"], text, f"{where}:perpetrator")
    _check_spans(inc["evidence"], text, where)


def _check_claim(claim: dict[str, Any], text: str, where: str) -> None:
    assert set(claim) == {"claimant", "cue", "quote", "type", "certainty"}, where
    assert claim["type"] in VOCAB["claim_types"], where
    assert claim["certainty"] in VOCAB["certainties"], where
    if claim["type"] == "unattributed":
        assert claim["claimant"] is None, f"{where}: unattributed claims have no claimant"
    else:
        assert isinstance(claim["claimant"], str) and claim["claimant"], where
        assert claim["claimant"] != "author", f"{where}: the author's own statements are not claims"
    _check_spans([claim["cue"]], text, f"{where}:cue")
    _check_spans([claim["quote"]], text, f"{where}:quote")
    q = claim["quote"]
    if claim["type"] == "direct_quote":
        assert not q.startswith(("“", '"')) and not q.endswith(("”", '"')), f"{where}: drop the marks"
        assert not q.endswith((",", ".")), f"{where}: drop the trailing comma or full stop"
        assert any(f"{o}{q}" in text for o in ("“", '"')), f"{where}: direct quote must follow a mark"
    else:
        assert not q.startswith("that "), f"{where}: leave the complementiser out of the quote"
