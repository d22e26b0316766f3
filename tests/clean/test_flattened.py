"""Flattened-text boilerplate removal: own synthetic cases, the shared check set, rule files."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from narrascope.clean.flattened import RULES_DIR, clean_flattened, load_rules, strip_tracking
from narrascope.clean.markdown import clean_markdown
from narrascope.model import CleanResult
from narrascope.model.document import REMOVED_KINDS

CASES_DIR = Path(__file__).with_name("cases")
CASES = sorted(CASES_DIR.glob("*.json"))
RULE_PREFIXES = ("meta.", "header.", "markdown.", "url.")


def token_f1(got: str, want: str) -> float:
    """Token-level F1 over ``\\w+`` tokens as multisets (the shared cases' suggested score)."""
    g, w = Counter(re.findall(r"\w+", got)), Counter(re.findall(r"\w+", want))
    common = sum((g & w).values())
    if not common:
        return 1.0 if not g and not w else 0.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def run_case(case: dict[str, Any]) -> CleanResult:
    clean = clean_markdown if case["kind"] == "markdown" else clean_flattened
    return clean(case["input"])


def meta_of(res: CleanResult) -> dict[str, str | None]:
    m = res.metadata
    return {
        "title": m.title,
        "author": m.author,
        "date": m.published.value if m.published else None,
        "site": m.site,
    }


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- own cases


def test_enough_own_cases() -> None:
    assert len(CASES) >= 30
    assert all(load(p).get("synthetic") is True for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_own_case(path: Path) -> None:
    case = load(path)
    res = run_case(case)
    for s in case["must_contain"]:
        assert s in res.text, f"lost {s!r}"
    for s in case["must_not_contain"]:
        assert s not in res.text, f"kept {s!r}"
    assert meta_of(res) == case["expected_metadata"]
    assert token_f1(res.text, case["expected_text"]) >= 0.95


def test_own_cases_mean_f1() -> None:
    scores = [token_f1(run_case(c).text, c["expected_text"]) for c in map(load, CASES)]
    assert sum(scores) / len(scores) >= 0.98


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_removed_blocks_are_recorded_with_rules(path: Path) -> None:
    res = run_case(load(path))
    rules = load_rules()
    ids = {r.id for group in (rules.lines, rules.regions, rules.runs, rules.repeats) for r in group}
    for block in res.removed:
        assert block.kind in REMOVED_KINDS
        assert block.rule and (block.rule in ids or block.rule.startswith(RULE_PREFIXES)), block


@pytest.mark.parametrize("path", [p for p in CASES if load(p)["kind"] == "plain-text"], ids=lambda p: p.stem)
def test_body_lines_are_verbatim(path: Path) -> None:
    case = load(path)
    res = clean_flattened(case["input"])
    for para in res.text.split("\n\n"):
        if "://" not in para:  # URLs may lose tracking parameters
            assert para in case["input"]


# --------------------------------------------------------------------------- shared check set


@pytest.mark.shared_data
def test_shared_flattened_cases(shared_data: Path) -> None:
    paths = sorted((shared_data / "extraction" / "flattened-cases").glob("*.json"))
    assert paths
    scores, meta_ok = [], 0
    for path in paths:
        case = load(path)
        res = run_case(case)
        scores.append(token_f1(res.text, case["expected_text"]))
        assert all(s in res.text for s in case["must_contain"]), path.name
        assert not [s for s in case["must_not_contain"] if s in res.text], path.name
        got, want = meta_of(res), case["expected_metadata"]
        meta_ok += all(got[k] == want[k] for k in ("title", "author", "date") if want.get(k) is not None)
    assert sum(scores) / len(scores) >= 0.98
    assert meta_ok / len(paths) >= 0.9


# --------------------------------------------------------------------------- behaviour


def test_courtesy_line_becomes_url_without_tracking() -> None:
    text = (
        "Ceasefire talks resume in Istanbul after a two-week pause in negotiations.\n\n"
        "Delegations met for three hours on Monday and agreed to meet again next week, officials said.\n\n"
        "Courtesy https://wire.example/a/1?utm_source=x&utm_medium=y&id=7"
    )
    res = clean_flattened(text)
    assert res.metadata.url == "https://wire.example/a/1?id=7"
    assert "Courtesy" not in res.text
    assert [b.kind for b in res.removed] == ["tracking_url"]


def test_strip_tracking_keeps_other_parameters() -> None:
    assert strip_tracking("https://a.example/p?x=1&utm_campaign=z&fbclid=q") == "https://a.example/p?x=1"
    assert strip_tracking("https://a.example/p") == "https://a.example/p"


def test_prose_that_mentions_cookies_or_comments_is_kept() -> None:
    body = (
        "A drone struck a biscuit and cookie factory on the edge of the city on Sunday, officials said.\n\n"
        "The plant's director said the comments made by local officials about the damage were accurate.\n\n"
        "Advertisement"
    )
    res = clean_flattened(body)
    assert "cookie factory" in res.text and "comments made" in res.text
    assert "Advertisement" not in res.text


def test_menu_word_comments_in_header_does_not_wipe_article() -> None:
    text = "Home\nComments\nVideo\nSearch\n\n" + "\n\n".join(
        f"Paragraph {i} reports that the shelling of the district continued for several hours."
        for i in range(3)
    )
    res = clean_flattened(text)
    assert res.text.count("Paragraph") == 3


def test_paragraphs_normalised_and_crlf() -> None:
    text = "First paragraph of the report says the strike hit a warehouse.\r\n\r\n\r\n\r\nSecond paragraph adds that nobody was injured in the strike."
    assert clean_flattened(text).text == (
        "First paragraph of the report says the strike hit a warehouse.\n\n"
        "Second paragraph adds that nobody was injured in the strike."
    )


def test_deterministic() -> None:
    case = load(CASES[0])
    assert clean_flattened(case["input"]) == clean_flattened(case["input"])


def test_empty_input() -> None:
    res = clean_flattened("")
    assert res.text == "" and res.removed == ()


# --------------------------------------------------------------------------- rule files


def test_rule_files_are_complete() -> None:
    for name in ("flattened-lines.yaml", "flattened-regions.yaml"):
        doc = yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8"))
        entries = [e for key in ("rules", "regions", "runs") for e in doc.get(key, [])]
        assert entries
        for e in entries:
            assert e["id"] and e["reason"] and e["kind"] in REMOVED_KINDS, e


def test_rules_name_no_site_from_the_cases() -> None:
    text = "\n".join(p.read_text(encoding="utf-8").lower() for p in RULES_DIR.glob("flattened-*.yaml"))
    for case in map(load, CASES):
        site = case["expected_metadata"]["site"]
        if site:
            assert site.lower() not in text, site


def test_bad_rule_is_rejected(tmp_path: Path) -> None:
    for name in ("flattened-lines.yaml", "flattened-regions.yaml"):
        (tmp_path / name).write_text((RULES_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    doc = yaml.safe_load((tmp_path / "flattened-lines.yaml").read_text(encoding="utf-8"))
    doc["rules"].append({"id": "x.bad", "kind": "banner", "reason": "wrong kind", "match": ["x"]})
    (tmp_path / "flattened-lines.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown kind"):
        load_rules(tmp_path)


def test_prose_notice_above_byline_is_header_not_body() -> None:
    text = (
        "This page is updated regularly as new information comes in from our correspondents.\n"
        "Harbour Daily\n"
        "Ferry terminal damaged in Izmail drone attack\n"
        "By Nils Berg\n"
        "4 August 2024\n\n"
        "Drones damaged a ferry terminal in the Danube port of Izmail overnight, regional officials said.\n\n"
        "Two workers were lightly injured and traffic across the river was suspended for the day."
    )
    res = clean_flattened(text)
    assert res.text.startswith("Drones damaged a ferry terminal")
    assert (res.metadata.title, res.metadata.author, res.metadata.site) == (
        "Ferry terminal damaged in Izmail drone attack",
        "Nils Berg",
        "Harbour Daily",
    )
    assert any(b.rule == "header.before_title" for b in res.removed)


def test_page_date_above_menu_is_not_the_article_date() -> None:
    text = (
        "Steppe Today\nMonday, 8 July 2024\nPoltava +21°C\nNews\nRegion\nSport\n"
        "Bridge over the Vorskla reopens after repairs\nBy Ivan Lutsenko\n5 July 2024\n\n"
        "A road bridge over the Vorskla river reopened to traffic on Friday after repairs that took two months, officials said.\n\n"
        "Lorries over 20 tonnes remain barred from the bridge until load tests are completed."
    )
    res = clean_flattened(text)
    assert res.metadata.title == "Bridge over the Vorskla reopens after repairs"
    assert res.metadata.published is not None and res.metadata.published.value == "2024-07-05"
    assert res.text.startswith("A road bridge")


def test_pathological_line_is_fast() -> None:
    import time

    line = "share " * 200 + "x"
    t = time.perf_counter()
    clean_flattened("\n".join([line] * 50))
    assert time.perf_counter() - t < 2.0
