"""incidents.v1 and its decoders (numbers, dates, casualties); model-free (alias entities)."""

from __future__ import annotations

import datetime as dt

import pytest

from narrascope.analyzers import claims, incidents
from narrascope.analyzers._doc.casualties import find_figures
from narrascope.analyzers._doc.dates import find_dates
from narrascope.analyzers._doc.numbers import Count, parse_count
from narrascope.analyzers.entities import EntitiesAnalyzer
from narrascope.model.span import check_evidence


def run(
    text: str, published: str | None = "2024-01-02", extra: list[tuple[int, int, str]] | None = None
) -> list[dict]:
    ents = [e.to_json(text) for e in EntitiesAnalyzer({}).decode(text, True, extra or [])]
    cl = claims.decode(text, ents)
    out = incidents.decode(text, "doc", published, ents, cl)
    assert check_evidence(text, out) == []
    return out


@pytest.mark.parametrize(
    ("phrase", "lo", "hi"),
    [
        ("at least 24", 24, None),
        ("over 100", 101, None),
        ("more than 130", 131, None),
        ("dozens", 24, None),
        ("a dozen", 12, 12),
        ("four", 4, 4),
        ("twenty-four", 24, 24),
        ("1,200", 1200, 1200),
        ("two to five", 2, 5),
        ("nearly 50", None, 50),
        ("fewer than 50", None, 49),
        ("a number of", 2, None),
        ("up to 40", None, 40),
        ("about 30", 30, 30),
        ("between 20 and 30", 20, 30),
        ("two hundred and five", 205, 205),
    ],
)
def test_parse_count(phrase: str, lo: int | None, hi: int | None) -> None:
    assert parse_count(phrase) == Count(lo, hi)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Shelling killed at least 24 people, including four children, and injured more than 100.",
         [("killed", 24, None), ("children_killed", 4, 4), ("injured", 101, None)]),
        ("The death toll rose to 137 on Sunday.", [("killed", 137, 137)]),
        ("A missile killed a woman and wounded three others.", [("killed", 1, 1), ("injured", 3, 3)]),
        ("No one was killed in the attack.", [("killed", 0, 0)]),
        ("Four children were among 11 people killed.", [("children_killed", 4, 4), ("killed", 11, 11)]),
        ("Dozens of people were injured.", [("injured", 24, None)]),
        ("In 2022, the bridge was hit.", []),
        ("The strike killed a couple of soldiers.", [("killed", 2, 2)]),
    ],
)  # fmt: skip
def test_casualty_figures(sentence: str, expected: list[tuple[str, int | None, int | None]]) -> None:
    got = [(f.field, f.count.min, f.count.max) for f in find_figures(sentence, 0, len(sentence))]
    assert got == expected


def test_revision_cue_is_flagged() -> None:
    s = "The death toll climbed to 25."
    assert find_figures(s, 0, len(s))[0].revision


PUB = dt.date(2024, 1, 2)  # a Tuesday


@pytest.mark.parametrize(
    ("phrase", "value", "precision", "recent"),
    [
        ("On December 30, 2023, it happened.", "2023-12-30", "day", False),
        ("It happened on December 21.", "2023-12-21", "day", False),
        ("It happened on Saturday.", "2023-12-30", "day", True),
        ("It happened yesterday.", "2024-01-01", "day", True),
        ("It happened overnight.", "2024-01-02", "day", True),
        ("It happened last weekend.", "2023-12", "month", True),
        ("It happened shortly before the New Year.", "2023-12", "month", False),
        ("It happened a few months prior.", None, "month", False),
        ("It happened two months ago.", "2023-11", "month", False),
        ("It happened in March.", "2023-03", "month", False),
        ("It happened in July 2023.", "2023-07", "month", False),
        ("It happened in 2022.", "2022", "year", False),
        ("It happened last month.", "2023-12", "month", False),
    ],
)
def test_dates_resolve_against_publication(phrase: str, value: str, precision: str, recent: bool) -> None:
    (d,) = find_dates(phrase, PUB)
    assert (d.value, d.precision, d.recent) == (value, precision, recent)


def test_dates_without_publication_keep_only_explicit_years() -> None:
    assert [d.value for d in find_dates("On Saturday and on 5 May 2023.", None)] == [None, "2023-05-05"]


def test_one_incident_mentioned_twice_is_merged() -> None:
    text = (
        "Russian missiles struck a shopping centre in Kremenchuk on Monday, killing 18 people, officials said. "
        "The death toll from the strike on Kremenchuk later rose to 20."
    )
    (inc,) = run(text)
    assert inc["type"] == "missile_strike"
    assert inc["location"] == {"name": "Kremenchuk", "country": "Ukraine"}
    assert inc["date"] == {"value": "2024-01-01", "precision": "day"}
    assert inc["killed"] == {"min": 20, "max": 20}
    assert len(inc["evidence"]) == 2 and "shopping centre" in inc["targets"] and inc["weapons"] == ["missile"]
    assert {"actor": "Russia", "claimant": "Ukraine", "stance": "alleged"} in [
        {k: p[k] for k in ("actor", "claimant", "stance")} for p in inc["perpetrator_claims"]
    ]


def test_background_list_gives_separate_incidents() -> None:
    text = "The Crimean Bridge was attacked twice, in October 2022 and July 2023."
    got = [(i["location"]["name"], i["date"]["value"]) for i in run(text)]
    assert got == [("Crimea", "2022-10"), ("Crimea", "2023-07")]


def test_two_places_in_two_paragraphs_stay_apart() -> None:
    text = "Drones hit an apartment block in Odesa, killing two people.\n\nA missile hit a market in Kharkiv, killing five."
    assert [i["location"]["name"] for i in run(text)] == ["Odesa", "Kharkiv"]


@pytest.mark.parametrize(
    ("text", "actor", "claimant", "stance"),
    [
        ("Islamic State claimed responsibility for the attack on the concert hall in Krasnogorsk.",
         "Islamic State", "Islamic State", "claimed_responsibility"),
        ("Ukrainian forces shelled Shebekino with rockets, wounding five civilians, the Russian Defence Ministry said.",
         "Ukraine", "Russian Defence Ministry", "alleged"),
        ("A Russian missile hit a hospital in Kyiv, killing two people.", "Russia", "author", "asserted"),
        ("Kyiv denied any involvement in the explosion on the Crimean Bridge that killed two people.",
         "Ukraine", "Ukraine", "denied"),
        ("Moscow blamed Kyiv for the drone attack on Belgorod that injured seven people.", "Ukraine", "Russia", "alleged"),
        ("A drone strike on Belgorod injured four people; Ukraine may have been behind it, a blogger suggested.",
         "Ukraine", "blogger", "speculated"),
    ],
)  # fmt: skip
def test_perpetrator_stances(text: str, actor: str, claimant: str, stance: str) -> None:
    pcs = [(p["actor"], p["claimant"], p["stance"]) for i in run(text) for p in i["perpetrator_claims"]]
    assert (actor, claimant, stance) in pcs


def test_non_violent_uses_are_not_incidents() -> None:
    text = (
        "Workers staged a general strike in Lviv on Monday. Critics called it an attack on democracy in Kyiv."
    )
    assert run(text) == []


def test_cumulative_statistics_are_not_incidents() -> None:
    assert run("Since February 2022, at least 10,000 civilians have been killed in Ukraine.") == []


def test_ids_are_deterministic_and_unique() -> None:
    text = "The Crimean Bridge was attacked twice, in October 2022 and July 2023."
    a, b = run(text), run(text)
    assert [i["id"] for i in a] == [i["id"] for i in b] and len({i["id"] for i in a}) == 2


def test_bad_input() -> None:
    assert incidents.decode("", "d", None, [], []) == []
    assert run("Shelling.", None) == []


@pytest.mark.parametrize(
    ("text", "actor", "claimant", "stance"),
    [
        ("The Ukrainian General Staff said Ukrainian forces had hit a refinery in Tuapse overnight.",
         "Ukraine", "General Staff of the Armed Forces of Ukraine", "claimed_responsibility"),
        ("A missile hit a house in Pokrovsk on Monday, killing three people. "
         "Regional officials said the missile was probably fired by Russian forces.", "Russia", "Ukraine", "speculated"),
        ("Shelling hit Belgorod on Saturday, killing two people, the governor said, blaming a Czech-made rocket system.",
         "Russia", "governor", "never"),
    ],
)  # fmt: skip
def test_more_perpetrator_forms(text: str, actor: str, claimant: str, stance: str) -> None:
    pcs = [(p["actor"], p["claimant"], p["stance"]) for i in run(text) for p in i["perpetrator_claims"]]
    if stance == "never":
        assert not [p for p in pcs if p[0] == "Czech"]
    else:
        assert (actor, claimant, stance) in pcs


def test_follow_up_paragraph_joins_the_main_incident() -> None:
    text = (
        "Shelling killed 24 people in Belgorod on Saturday.\n\n"
        "The Russian Defence Ministry said Ukrainian forces had fired rockets with cluster munitions."
    )
    (inc,) = run(text)
    assert inc["weapons"] == ["cluster munitions"] and len(inc["evidence"]) == 2


def test_wave_on_named_places_and_country_framing() -> None:
    text = "Russian drones hit Kharkiv, Odesa and Dnipro overnight, injuring five people."
    assert [i["location"]["name"] for i in run(text)] == ["Kharkiv", "Odesa", "Dnipro"]
    text = "Russia fired 40 missiles at Kyiv and other cities overnight."
    assert [i["location"]["name"] for i in run(text)] == ["Ukraine"]


@pytest.mark.slow
def test_a_200k_word_document_runs_in_bounded_time() -> None:
    import time

    from narrascope.bench.analyze import synthetic_article
    from narrascope.eval.incidents import make_doc, run_pipeline

    big = "\n\n".join(synthetic_article(i) for i in range(250))  # ~207k words
    nonsense = "x" * 300_000  # one 300k-character "word": no sentence end, no entity
    t0 = time.perf_counter()
    out = run_pipeline(
        [make_doc(big, "2024-01-02"), make_doc(nonsense, None)],
        ("entities.v1", "claims.v1", "incidents.v1", "consistency.v1"),
    )
    assert time.perf_counter() - t0 < 180  # generous: the shared CI machine is slow
    assert out[0]["incidents"] and out[1]["incidents"] == []
    assert check_evidence(big, out[0]) == []
