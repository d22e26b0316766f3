"""claims.v1: direct quotes, reported speech, claimants, certainty; decoded without the model
(entities come from the alias table only, plus a few hand-made spans)."""

from __future__ import annotations

import pytest

from narrascope.analyzers import claims
from narrascope.analyzers.entities import EntitiesAnalyzer
from narrascope.model.span import check_evidence


def run(text: str, extra: list[tuple[int, int, str]] | None = None) -> list[dict]:
    ents = [e.to_json(text) for e in EntitiesAnalyzer({}).decode(text, True, extra or [])]
    out = claims.decode(text, ents)
    assert check_evidence(text, out) == []
    return out


def test_direct_quote_with_postposed_attribution_and_pronoun() -> None:
    text = (
        "Peskov spoke first. “This attack will not go unpunished, and everyone knows it,” he told reporters."
    )
    (c,) = [c for c in run(text) if c["type"] == "direct_quote"]
    assert c["quote"] == "This attack will not go unpunished, and everyone knows it,"[:-1]
    assert (c["claimant"], c["cue"], c["certainty"]) == ("Dmitry Peskov", "told", "asserted")


def test_guillemets_and_preposed_attribution() -> None:
    text = "Zakharova wrote on Telegram: «The so-called investigation is a crude fabrication by the West.»"
    (c,) = run(text)
    assert (c["type"], c["claimant"], c["cue"]) == ("direct_quote", "Maria Zakharova", "wrote")
    assert c["certainty"] == "denied"  # "fabrication" rejects the claim


def test_scare_quotes_are_not_claims() -> None:
    assert [
        c for c in run('Moscow calls it a "special operation" in Ukraine.') if c["type"] == "direct_quote"
    ] == []


def test_reported_speech_preposed_with_that() -> None:
    text = "Lavrov told journalists that Western weapons had prolonged the war."
    (c,) = run(text)
    assert (c["claimant"], c["cue"], c["type"]) == ("Sergei Lavrov", "told", "indirect")
    assert c["quote"] == "Western weapons had prolonged the war"


def test_reported_speech_postposed_named() -> None:
    text = "Eleven drones were shot down over the Bryansk region, the Russian Defence Ministry said."
    (c,) = run(text)
    assert c["claimant"] == "Russian Defence Ministry"
    assert c["quote"] == "Eleven drones were shot down over the Bryansk region"


def test_according_to_both_orders() -> None:
    a = run("According to the regional governor, nine people were injured.")[0]
    b = run("Nine people were injured, according to Gladkov.")[0]
    assert (a["claimant"], a["quote"]) == ("regional governor", "nine people were injured")
    assert (b["claimant"], b["quote"]) == ("Vyacheslav Gladkov", "Nine people were injured")


def test_apposition_keeps_the_person_as_claimant() -> None:
    text = "Dmitry Peskov, the Kremlin spokesman, said the talks were over."
    assert run(text)[0]["claimant"] == "Dmitry Peskov"


def test_role_noun_resolves_to_previous_claimant() -> None:
    text = "Zelensky said the air defence held. The president added that more systems were needed."
    cs = run(text)
    assert [c["claimant"] for c in cs] == ["Volodymyr Zelensky", "Volodymyr Zelensky"]


@pytest.mark.parametrize(
    ("sentence", "certainty"),
    [
        ("Kyiv denied that its forces had fired on the town, the ministry said.", "denied"),
        ("It cannot be ruled out that saboteurs were involved, Peskov said.", "speculative"),
        ("The blast may have been caused by a drone, officials said.", "speculative"),
        ("The drone was reportedly launched from the north, officials said.", "reported"),
        ("The blast was likely caused by a drone, officials said.", "hedged"),
        ("Twelve people were killed in the strike, officials said.", "asserted"),
    ],
)
def test_certainty_levels(sentence: str, certainty: str) -> None:
    assert run(sentence)[0]["certainty"] == certainty


def test_unattributed_casualty_sentence_is_an_author_claim() -> None:
    (c,) = run("A missile struck the railway station in Kramatorsk, killing 61 civilians.")
    assert (c["type"], c["claimant"], c["cue"]) == ("unattributed", "author", None)


def test_denial_cue_gives_denied() -> None:
    text = "The Ukrainian Defence Ministry denied reports that its drones had struck the refinery."
    (c,) = run(text)
    assert (c["claimant"], c["certainty"]) == ("Ukrainian Defence Ministry", "denied")


def test_bad_input() -> None:
    assert claims.decode("", []) == []
    assert claims.decode("“unterminated quote and no attribution", []) == []


def test_generic_bodies_take_their_place_from_the_story() -> None:
    text = "Drones hit Sumy overnight. The regional administration said two people were injured in Sumy."
    assert run(text)[-1]["claimant"] == "Sumy regional administration"
    text = "A missile hit a market in Kharkiv. Local officials said nine people were injured."
    assert run(text)[-1]["claimant"] == "Ukraine"


def test_one_claim_per_content_clause() -> None:
    text = "Gladkov said the shelling had stopped, adding that schools would stay closed."
    cs = run(text)
    assert [(c["claimant"], c["cue"], c["quote"]) for c in cs] == [
        ("Vyacheslav Gladkov", "said", "the shelling had stopped"),
        ("Vyacheslav Gladkov", "adding", "schools would stay closed"),
    ]


@pytest.mark.parametrize(
    ("text", "claimant", "quote"),
    [
        ("In a statement on its website, the Russian Defence Ministry said air defences had destroyed 12 drones.",
         "Russian Defence Ministry", "air defences had destroyed 12 drones"),
        ("Two people were killed, Governor Vyacheslav Gladkov wrote on Telegram, and 11 were injured.",
         "Vyacheslav Gladkov", "Two people were killed"),
        ("Zelensky, speaking in Kyiv on Monday alongside the visiting Dutch prime minister, said Russia would pay.",
         "Volodymyr Zelensky", "Russia would pay"),
        ("Officials in Odesa said the port was hit.", "Ukraine", "the port was hit"),
        ("Gladkov said on Telegram that two people had been injured.", "Vyacheslav Gladkov", "two people had been injured"),
    ],
)  # fmt: skip
def test_attribution_layouts(text: str, claimant: str, quote: str) -> None:
    (c,) = run(text)
    assert (c["claimant"], c["quote"]) == (claimant, quote)
