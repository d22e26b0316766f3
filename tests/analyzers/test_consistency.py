"""consistency.v1: date, name, copyright, number and language checks (model-free)."""

from __future__ import annotations

from narrascope.analyzers import claims, consistency, incidents
from narrascope.analyzers.entities import EntitiesAnalyzer
from narrascope.eval.incidents import make_doc
from narrascope.model import RemovedBlock
from narrascope.model.span import check_evidence


def issues(
    text: str, published: str | None = "2024-12-23", language: str | None = "en", removed: tuple = ()
) -> list[dict]:
    doc = make_doc(text, published, language)
    if removed:
        from dataclasses import replace

        doc = replace(doc, removed=removed)
    ents = [e.to_json(text) for e in EntitiesAnalyzer({}).decode(text, language == "en", [])]
    incs = incidents.decode(text, doc.id, published, ents, claims.decode(text, ents))
    out = consistency.decode(doc, ents, incs)
    assert check_evidence(text, out) == []
    assert all(i["evidence"] and i["message"] for i in out)
    return out


def kinds(out: list[dict]) -> list[str]:
    return [i["kind"] for i in out]


def test_year_that_contradicts_a_recent_weekday() -> None:
    text = (
        "On December 21, 2023, drones struck apartment towers in Kazan. "
        "The airport in Kazan closed on Saturday after the attack."
    )
    out = issues(text)
    assert kinds(out) == ["date_inconsistency"]
    assert [e["quote"] for e in out[0]["evidence"]] == ["December 21, 2023", "on Saturday"]


def test_old_date_called_recent() -> None:
    out = issues("This week's strike on Kharkiv on March 3, 2023 killed four people.")
    assert kinds(out) == ["date_inconsistency"]


def test_consistent_dates_raise_nothing() -> None:
    assert issues("On December 21, 2024, drones struck apartment towers in Kazan on Saturday.") == []


def test_near_miss_place_name() -> None:
    text = (
        "Shelling hit the centre of Belgorod on Saturday. Belgorod's governor said 24 people died. "
        "Rescue teams in Belgrade worked through the night. Residents of Belgorod laid flowers."
    )
    out = [i for i in issues(text, "2023-12-31") if i["kind"] == "name_anomaly"]
    assert len(out) == 1 and "Belgrade" in out[0]["message"]
    assert out[0]["evidence"][0]["quote"] == "Belgrade"


def test_copyright_older_than_events_in_text_and_in_removed_footer() -> None:
    text = (
        "On March 22, 2024, gunmen opened fire at Crocus City Hall, killing 40 people. © 2021 Example Media"
    )
    assert "date_inconsistency" in kinds(issues(text, "2024-03-23"))
    footer = (RemovedBlock(kind="legal", text="© 2021 Vostok Media. All rights reserved."),)
    out = issues(
        "On March 22, 2024, gunmen opened fire at Crocus City Hall, killing 40 people.",
        "2024-03-23",
        removed=footer,
    )
    assert any("copyright year 2021" in i["message"] for i in out)


def test_contradicting_tolls_without_revision_cue() -> None:
    text = "A missile hit a market in Kharkiv, killing 12 people. The missile strike on Kharkiv killed 17 people."
    out = issues(text, "2024-05-01")
    assert kinds(out) == ["number_inconsistency"]


def test_revised_toll_is_not_an_inconsistency() -> None:
    text = "A missile hit a market in Kharkiv, killing 12 people. The death toll in Kharkiv later rose to 17."
    assert issues(text, "2024-05-01") == []


def test_unsupported_script_and_language() -> None:
    assert kinds(issues("這是一個關於戰爭的測試文章。" * 20, None, None)) == ["unsupported_language"]
    out = issues("Киев обстрелян ночью. Путин заявил о мести.", None, None)
    assert kinds(out) == ["unsupported_language"] and "'ru'" in out[0]["message"]


def test_empty_text() -> None:
    assert issues("", None) == []


def test_headline_decides_what_the_article_is_about() -> None:
    text = "Shelling killed 24 people in the city of Belgorod on Saturday. Putin was briefed on the events in Belgrade."
    doc = make_doc(text, "2023-12-31")
    from dataclasses import replace

    from narrascope.model import Metadata

    doc = replace(doc, meta=Metadata(title="Belgorod toll rises", published=doc.meta.published))
    ents = [e.to_json(text) for e in EntitiesAnalyzer({}).decode(text, True, [])]
    out = [i for i in consistency.decode(doc, ents, []) if i["kind"] == "name_anomaly"]
    assert len(out) == 1 and "'Belgorod'" in out[0]["message"]


def test_wider_scope_tolls_are_not_contradictions() -> None:
    text = "A missile hit the hospital in Kyiv, killing two adults. Across Kyiv, 33 people were killed by missiles."
    assert [i for i in issues(text, "2024-07-09") if i["kind"] == "number_inconsistency"] == []
