"""Perpetrator claims and incident places on the project's own wire-copy sentences.

Every blame pattern is tested both ways (Russia blamed, Ukraine blamed); model-free (alias entities).
"""

from __future__ import annotations

import pytest
from tests.analyzers.test_incidents import run


def _pcs(text: str) -> list[tuple[str, str, str]]:
    return [(p["actor"], p["claimant"], p["stance"]) for i in run(text) for p in i["perpetrator_claims"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X accused Y of shelling ..."
        ("Ukraine accused Russia of shelling a market in Kherson on Monday, killing three people.",
         ("Russia", "Ukraine", "alleged")),
        ("Russia accused Ukraine of shelling a market in Donetsk on Monday, killing three people.",
         ("Ukraine", "Russia", "alleged")),
        # "X blamed Y for the strike"
        ("Zelensky blamed Russia for the missile strike on Odesa that killed 12 people.",
         ("Russia", "Volodymyr Zelensky", "alleged")),
        ("Putin blamed Ukraine for the missile strike on Belgorod that killed 12 people.",
         ("Ukraine", "Vladimir Putin", "alleged")),
        # "Y's forces fired ..., X said"
        ("Russia's forces fired cluster munitions at Kherson on Monday, killing two people, "
         "Ukraine's prosecutor general said.", ("Russia", "Ukraine", "alleged")),
        ("Ukraine's forces fired cluster munitions at Donetsk on Monday, killing two people, "
         "Russia's Defence Ministry said.", ("Ukraine", "Russian Defence Ministry", "alleged")),
        # "... fired rockets at X" is shelling, with its agent
        ("Ukrainian forces fired rockets at Horlivka overnight, wounding four people, the city's mayor said.",
         ("Ukraine", "mayor", "alleged")),
        # "the attack, which X attributed to Y"
        ("The attack on Kramatorsk, which Kyiv attributed to Russia, killed 11 people.",
         ("Russia", "Ukraine", "alleged")),
        ("The attack on Donetsk, which Moscow attributed to Ukraine, killed 11 people.",
         ("Ukraine", "Russia", "alleged")),
        # "X said Y had launched ..."
        ("Ukrainian officials said Russia had launched a missile at a hospital in Dnipro, killing two people.",
         ("Russia", "Ukraine", "alleged")),
        ("Russian officials said Ukraine had launched a missile at a hospital in Belgorod, killing two people.",
         ("Ukraine", "Russia", "alleged")),
        # passive "... was shelled by Russian forces" (author's voice)
        ("A school in Kherson was shelled by Russian forces on Tuesday, injuring two teachers.",
         ("Russia", "author", "asserted")),
        ("A school in Donetsk was shelled by Ukrainian forces on Tuesday, injuring two teachers.",
         ("Ukraine", "author", "asserted")),
        # "Russian/Ukrainian forces struck ..." (author-asserted)
        ("Russian forces struck a power plant in Kharkiv region overnight.", ("Russia", "author", "asserted")),
        ("Ukrainian forces struck an oil depot in the Bryansk region overnight.", ("Ukraine", "author", "asserted")),
        # "Y said it was behind / had struck"
        ("Ukraine's military intelligence said it was behind the drone attack on an airfield in Pskov.",
         ("Ukraine", "Ukrainian military intelligence", "claimed_responsibility")),
        ("Russia's Defence Ministry said it had struck a military facility in Odesa with Kalibr missiles.",
         ("Russia", "Russian Defence Ministry", "claimed_responsibility")),
        # denials
        ("Ukraine denied involvement in the drone attack on the Kremlin on Wednesday.", ("Ukraine", "Ukraine", "denied")),
        ("Russia rejected the accusation that it had shelled the hospital in Kherson on Monday.",
         ("Russia", "Russia", "denied")),
        ("Ukraine denied it was responsible for the strike on the market in Donetsk on Sunday that killed 27 people.",
         ("Ukraine", "Ukraine", "denied")),
        ("Russia denied it was responsible for the strike on the market in Kostiantynivka on Sunday that killed "
         "17 people.", ("Russia", "Russia", "denied")),
        # "Z dismissed claims that Y ..."
        ("The Kremlin dismissed claims that Ukraine had attacked the Zaporizhzhia nuclear power plant on Sunday.",
         ("Ukraine", "Kremlin", "dismissed")),
        ("Kyiv dismissed claims that Russia had attacked the Zaporizhzhia nuclear power plant on Sunday.",
         ("Russia", "Ukraine", "dismissed")),
        # "X called it a Ukrainian/Russian provocation"
        ("Moscow called the explosion at the bridge in Crimea a Ukrainian provocation.", ("Ukraine", "Russia", "alleged")),
        ("Kyiv called the explosion at the dam in Nova Kakhovka a Russian provocation.", ("Russia", "Ukraine", "alleged")),
        # hedged: speculated
        ("An official suggested Ukraine may have been behind the drone attack on Moscow on Sunday.",
         ("Ukraine", "unnamed source", "speculated")),
        ("An official suggested Russia may have been behind the drone attack on the market in Sumy on Sunday.",
         ("Russia", "unnamed source", "speculated")),
        # perpetrator named in a later sentence of the paragraph
        ("A drone hit an apartment block in Belgorod on Sunday, killing two people. Officials blamed Kyiv.",
         ("Ukraine", "Russia", "alleged")),
        ("A drone hit an apartment block in Odesa on Sunday, killing two people. Officials blamed Moscow.",
         ("Russia", "Ukraine", "alleged")),
        # demonyms and metonyms are the state
        ("Ukrainian drones hit an oil depot in Bryansk overnight.", ("Ukraine", "author", "asserted")),
        ("Russian missiles hit an apartment block in Dnipro overnight, killing 40 people.",
         ("Russia", "author", "asserted")),
        ("Moscow said Ukrainian saboteurs blew up a railway bridge in the Bryansk region on Monday.",
         ("Ukraine", "Russia", "alleged")),
        ("Kyiv said Russian saboteurs blew up a railway bridge in the Chernihiv region on Monday.",
         ("Russia", "Ukraine", "alleged")),
        ("The Kremlin said the drone attack on Moscow was a terrorist act by the Kyiv regime.",
         ("Ukraine", "Kremlin", "alleged")),
        ("Ukraine's foreign ministry said the missile strike on Kyiv was a war crime by Russia.",
         ("Russia", "Ukrainian Foreign Ministry", "alleged")),
        # "the missile ... was fired by Y", X said
        ("Russian officials said the missile that hit the market in Kostiantynivka on Wednesday was fired by Ukraine.",
         ("Ukraine", "Russia", "alleged")),
        ("Ukrainian officials said the missile that hit the hospital in Kyiv on Monday was fired by Russia.",
         ("Russia", "Ukraine", "alleged")),
        # non-state actors
        ("Islamic State claimed responsibility for the attack in Krasnogorsk on Telegram.",
         ("Islamic State", "Islamic State", "claimed_responsibility")),
    ],
)  # fmt: skip
def test_blame_patterns(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    "text",
    [
        "A missile hit a market in Kostiantynivka on Wednesday, killing 15 people. "
        "It was not immediately clear who fired it.",
        "Ukraine did not comment on the drone attack on Moscow on Sunday.",
        "Shelling hit Belgorod on Saturday, killing two people, the governor said.",
    ],
)
def test_no_claim_without_a_named_actor(text: str) -> None:
    assert _pcs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Moscow called the explosion at the bridge in Crimea a Ukrainian provocation.",
        "Kyiv called the explosion at the dam in Nova Kakhovka a Russian provocation.",
    ],
)
def test_provocation_is_never_the_speakers_own_act(text: str) -> None:
    (alleged,) = [p for p in _pcs(text) if p[2] == "alleged"]
    assert alleged[0] != alleged[1]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("A missile hit the Saltivka district of Kharkiv on Monday, killing two people.", "Kharkiv", "Ukraine"),
        ("Shelling hit the Kievsky district of Donetsk on Monday, killing two people.", "Donetsk", "Ukraine"),
        ("Russian drones struck near Odesa overnight, injuring three people.", "Odesa", "Ukraine"),
        ("Ukrainian drones struck near Kursk overnight, injuring three people.", "Kursk", "Russia"),
        ("Shelling killed two people in a village in the Kherson region on Sunday, officials in Kyiv said.",
         "Kherson region", "Ukraine"),
        ("Shelling killed two people in a village in the Belgorod region on Sunday, officials in Moscow said.",
         "Belgorod region", "Russia"),
        ("A missile hit Okhmatdyt children's hospital on Monday, killing two people.", "Kyiv", "Ukraine"),
        ("Gunmen opened fire at Crocus City Hall on Friday, killing 40 people.", "Krasnogorsk", "Russia"),
        ("Drones attacked the Kremlin overnight, Russian officials said.", "Moscow", "Russia"),
        ("A missile strike on the town of Pokrovsk killed three people on Tuesday.", "Pokrovsk", "Ukraine"),
        ("A glide bomb hit the village of Velyka Pysarivka in the Sumy region on Tuesday, killing one person.",
         "Velyka Pysarivka", "Ukraine"),
        ("Ukrainian shelling killed a man in the village of Tyotkino in the Kursk region on Monday, the governor said.",
         "Tyotkino", "Russia"),
    ],
)  # fmt: skip
def test_places(text: str, name: str, country: str) -> None:
    (inc,) = run(text)
    assert inc["location"] == {"name": name, "country": country}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X had nothing to do with it / was not behind it", said by X's own side: denied
        ("Ukraine had nothing to do with the blast in Moscow on Monday, Podolyak said.",
         ("Ukraine", "Mykhailo Podolyak", "denied")),
        ("Russia had nothing to do with the explosion at the dam in Nova Kakhovka on Tuesday, Peskov said.",
         ("Russia", "Dmitry Peskov", "denied")),
        ("Drones attacked an airfield in Engels on Monday. Ukraine was not behind the attack, Podolyak said.",
         ("Ukraine", "Mykhailo Podolyak", "denied")),
        ("Drones attacked a hospital in Kharkiv on Monday. Russia was not behind the attack, Peskov said.",
         ("Russia", "Dmitry Peskov", "denied")),
        # "Y denied this" after an accusation
        ("Russia said Ukrainian forces used HIMARS rockets to strike the prison in Olenivka, killing 50 "
         "prisoners. Ukraine denied this.", ("Ukraine", "Ukraine", "denied")),
        ("Ukraine said Russian forces shelled the railway station in Kramatorsk, killing 50 people. "
         "Russia denied this.", ("Russia", "Russia", "denied")),
        # "X and Y blamed each other"
        ("A missile hit a market in Kostiantynivka on Wednesday, killing 15 people. "
         "Russia and Ukraine blamed each other for the strike.", ("Ukraine", "Russia", "alleged")),
        ("A missile hit a market in Kostiantynivka on Wednesday, killing 15 people. "
         "Russia and Ukraine blamed each other for the strike.", ("Russia", "Ukraine", "alleged")),
        # "a suspected Russian/Ukrainian drone": the author speculates
        ("A suspected Russian drone hit an apartment block in Sumy on Monday, killing two people.",
         ("Russia", "author", "speculated")),
        ("A suspected Ukrainian drone hit an apartment block in Kursk on Monday, killing two people.",
         ("Ukraine", "author", "speculated")),
        # own-side boasts
        ("Kadyrov said his fighters had stormed the village of Krynky on Monday.",
         ("Ramzan Kadyrov", "Ramzan Kadyrov", "claimed_responsibility")),
        # generic officials in a city held by Russia speak for Russia
        ("A Ukrainian missile attack on Sevastopol overnight killed two people, officials said.",
         ("Ukraine", "Russia", "alleged")),
        ("A Russian missile attack on Kyiv overnight killed two people, officials said.",
         ("Russia", "Ukraine", "alleged")),
    ],
)  # fmt: skip
def test_denials_each_other_and_hedges(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    "text",
    [
        "A Russian missile attack on Kyiv overnight killed two people, officials said.",
        "A Ukrainian missile attack on Sevastopol overnight killed two people, officials said.",
        "The strike on the prison in Olenivka was carried out by Ukrainian forces using HIMARS, Russia said.",
    ],
)
def test_a_target_city_is_never_the_attacker(text: str) -> None:
    assert not [p for p in _pcs(text) if p[2] == "claimed_responsibility" or p[0] == "Olenivka"]


@pytest.mark.parametrize(
    ("text", "name", "label", "country"),
    [
        (
            "A glide bomb hit a school in Kupiansk on Monday, killing two people.",
            "Kupiansk",
            "PERSON",
            "Ukraine",
        ),
        ("A drone hit a refinery in Tuapse on Monday, killing two people.", "Tuapse", "ORG", "Russia"),
    ],
)
def test_a_town_mistagged_by_the_model_is_still_the_place(
    text: str, name: str, label: str, country: str
) -> None:
    k = text.index(name)
    (inc,) = run(text, extra=[(k, k + len(name), label)])
    assert inc["location"] == {"name": name, "country": country}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ukrainian military intelligence said it had carried out the drone attack on the oil refinery in Ryazan "
         "overnight.", "Ryazan"),
        ("Russia's Defence Ministry said it had struck an ammunition depot in Kramatorsk overnight.", "Kramatorsk"),
    ],
)  # fmt: skip
def test_gazetteer_finds_war_zone_places_after_a_preposition(text: str, name: str) -> None:
    from narrascope.analyzers.entities import EntitiesAnalyzer

    ents = EntitiesAnalyzer({}).decode(text, True, [])
    assert name in [e.canonical for e in ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weapon named after the nationality adjective, hedged
        ("The missile that hit the market in Kostiantynivka was probably a Ukrainian air defence missile, "
         "analysts said.", ("Ukraine", "analysts", "speculated")),
        ("The missile that hit the shop in Kharkiv was probably a Russian S-300, analysts said.",
         ("Russia", "analysts", "speculated")),
        # "caused by a Russian/Ukrainian drone"
        ("The blast at the oil depot in Kursk was caused by a Ukrainian drone, the governor said.",
         ("Ukraine", "governor", "alleged")),
        ("The blast at the oil depot in Odesa was caused by a Russian drone, the governor said.",
         ("Russia", "governor", "alleged")),
        # "X hinted that it was behind": speculated
        ("Ukraine's military intelligence agency hinted that it was behind the explosion at an airfield in "
         "Pskov on Wednesday.", ("Ukraine", "Ukrainian military intelligence", "speculated")),
        # own-side past denial
        ("Russia's Defence Ministry said it did not strike the market in Kostiantynivka on Wednesday.",
         ("Russia", "Russian Defence Ministry", "denied")),
        ("Ukraine's General Staff said its forces did not strike the market in Donetsk on Wednesday.",
         ("Ukraine", "General Staff of the Armed Forces of Ukraine", "denied")),
        # "denied involvement, saying a Russian/Ukrainian missile ...": a denial, not a dismissal
        ("Kyiv denied involvement in the blast at the market in Donetsk, saying a Russian missile had fallen short.",
         ("Ukraine", "Ukraine", "denied")),
        ("Moscow denied involvement in the blast at the market in Kostiantynivka, saying a Ukrainian missile "
         "had fallen short.", ("Russia", "Russia", "denied")),
    ],
)  # fmt: skip
def test_weapons_hints_and_own_denials(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv denied involvement in the blast at the market in Donetsk, saying a Russian missile had fallen short.",
        "Moscow denied involvement in the blast at the market in Kostiantynivka, saying a Ukrainian missile "
        "had fallen short.",
    ],
)
def test_a_denial_with_a_counter_accusation_is_not_a_dismissal(text: str) -> None:
    assert not [p for p in _pcs(text) if p[2] == "dismissed"]


@pytest.mark.parametrize(
    "text",
    [
        # the habitual present is no denial of the incident
        "A missile hit a market in Kostiantynivka on Wednesday. Russia says it does not target civilians.",
        "A drone hit a market in Donetsk on Wednesday. Ukraine says it does not target civilians.",
    ],
)
def test_habitual_denials_are_not_claims(text: str) -> None:
    assert _pcs(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Peskov called the accusations "absurd" after the strike on the market in Kostiantynivka.',
         ("Russia", "Dmitry Peskov", "denied")),
        ('Podolyak called the accusations "absurd" after the blast at the market in Donetsk.',
         ("Ukraine", "Mykhailo Podolyak", "denied")),
        ("Two people were killed in a suspected sabotage attack by Ukraine on the railway in Bryansk on Monday.",
         ("Ukraine", "author", "speculated")),
        ("Two people were killed in a suspected sabotage attack by Russia on the railway in Lviv on Monday.",
         ("Russia", "author", "speculated")),
        ("Russian terrorists struck the centre of Kharkiv with guided bombs on Monday, killing two people.",
         ("Russia", "author", "asserted")),
        ("Ukrainian terrorists shelled the centre of Donetsk on Monday, killing two people.",
         ("Ukraine", "author", "asserted")),
    ],
)  # fmt: skip
def test_quoted_rejections_suspicions_and_loaded_nouns(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    "text",
    [
        "A missile hit a market in Kostiantynivka on Wednesday, killing 15 people. Russia denies targeting civilians.",
        "A drone hit a market in Donetsk on Wednesday, killing 15 people. Ukraine denies targeting civilians.",
    ],
)
def test_a_standing_denial_is_not_a_claim(text: str) -> None:
    assert not [p for p in _pcs(text) if p[2] == "denied"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A missile hit a hospital in Kyiv on Monday, killing two people. Moscow, which denied involvement, "
         "said it had struck military targets.", ("Russia", "Russia", "denied")),
        ("A missile hit a market in Donetsk on Monday, killing two people. Kyiv, which denied involvement, "
         "said it had struck military targets.", ("Ukraine", "Ukraine", "denied")),
        ("A missile hit a hospital in Kyiv on Monday, killing two people. Zelensky's office denied that "
         "Ukrainian air defences were to blame.", ("Ukraine", "Volodymyr Zelensky", "denied")),
        ("A missile hit a hospital in Belgorod on Monday, killing two people. Putin's spokesman denied that "
         "Russian forces were to blame.", ("Russia", "Vladimir Putin", "denied")),
    ],
)  # fmt: skip
def test_denials_by_organs_and_relative_clauses(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Shelling hit the Saltivka district on Monday, killing two people in Kharkiv.", "Kharkiv"),
        ("Shelling hit the Kuibyshevsky district on Monday, killing two people in Donetsk.", "Donetsk"),
    ],
)
def test_an_unknown_district_gives_way_to_its_city(text: str, name: str) -> None:
    (inc,) = run(text)
    assert inc["location"]["name"] == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A missile hit a market in Kostiantynivka on Wednesday. The missile was probably Ukrainian, analysts said.",
         ("Ukraine", "analysts", "speculated")),
        ("A missile hit a market in Kherson on Wednesday. The missile was probably Russian, analysts said.",
         ("Russia", "analysts", "speculated")),
        ("Russia pounded Kharkiv with glide bombs on Monday, killing two people.", ("Russia", "author", "asserted")),
        ("Ukraine pounded Belgorod with rockets on Monday, killing two people.", ("Ukraine", "author", "asserted")),
    ],
)  # fmt: skip
def test_predicate_adjectives_and_strong_verbs(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


def test_a_manufacturer_adjective_is_not_the_attacker() -> None:
    text = "A drone hit a market in Kherson on Wednesday. The drone was Iranian-made, analysts said."
    assert not [p for p in _pcs(text) if p[0] in {"Iran", "Iranian"}]


@pytest.mark.parametrize(
    ("text", "adj", "actor"),
    [
        ("A Russian-launched drone hit an apartment block in Odesa on Monday, killing two people.", "Russian", "Russia"),
        ("A Ukrainian-launched drone hit an apartment block in Kursk on Monday, killing two people.", "Ukrainian",
         "Ukraine"),
    ],
)  # fmt: skip
def test_launched_by_adjective(text: str, adj: str, actor: str) -> None:
    k = text.index(adj)  # the model tags the adjective inside the compound
    pcs = [(p["actor"], p["claimant"], p["stance"]) for i in run(text, extra=[(k, k + len(adj), "NORP")])
           for p in i["perpetrator_claims"]]  # fmt: skip
    assert (actor, "author", "asserted") in pcs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukrainian forces shelled Donetsk on Monday, killing two people, the Russian-installed leader of the "
         "region, Denis Pushilin, said.", ("Ukraine", "Denis Pushilin", "alleged")),
        ("Russian troops shelled Nikopol on Monday, killing two people, the head of the regional military "
         "administration, Serhiy Lysak, said.", ("Russia", "Serhiy Lysak", "alleged")),
    ],
)  # fmt: skip
def test_postposed_attribution_with_an_apposition(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # armed groups on either side
        ("The Freedom of Russia Legion said it had crossed into the Belgorod region on Monday, killing two "
         "border guards.", ("Freedom of Russia Legion", "Freedom of Russia Legion", "claimed_responsibility")),
        ("Atesh partisans said they had blown up a railway line in the Zaporizhzhia region on Monday.",
         ("Atesh", "Atesh", "claimed_responsibility")),
        ("The RDK claimed responsibility for the raid on the village of Tyotkino in the Kursk region.",
         ("Russian Volunteer Corps", "Russian Volunteer Corps", "claimed_responsibility")),
        ("Akhmat fighters shelled a village in the Kharkiv region on Monday, killing two people, Ukrainian "
         "officials said.", ("Russia", "Ukraine", "alleged")),
        ("Kraken fighters shelled a village in the Belgorod region on Monday, killing two people, Russian "
         "officials said.", ("Ukraine", "Russia", "alleged")),
    ],
)  # fmt: skip
def test_armed_groups(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A missile hit a market in Kherson on Monday. Analysts said the damage was consistent with a Russian "
         "Kh-101 missile.", ("Russia", "Analysts", "speculated")),
        ("A missile hit a market in Donetsk on Monday. Analysts said the damage was consistent with a Ukrainian "
         "Tochka-U missile.", ("Ukraine", "Analysts", "speculated")),
    ],
)  # fmt: skip
def test_weapon_models_and_forensic_hedges(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('A missile hit a hospital in Kyiv on Monday, killing two people. Zelensky said Russia "deliberately" '
         "struck the hospital.", ("Russia", "Volodymyr Zelensky", "alleged")),
        ('Shelling hit a market in Donetsk on Monday, killing two people. Pushilin said Ukraine "deliberately" '
         "struck the market.", ("Ukraine", "Denis Pushilin", "alleged")),
        ("A missile hit a hospital in Kyiv on Monday, killing two people. Kuleba said Russia was targeting "
         "civilians in Kyiv.", ("Russia", "Dmytro Kuleba", "alleged")),
        ("Shelling hit a market in Donetsk on Monday, killing two people. Zakharova said Ukraine was targeting "
         "civilians in Donetsk.", ("Ukraine", "Maria Zakharova", "alleged")),
        ("A missile hit a hospital in Kyiv on Monday, killing two people. Zelensky said Russia must be held "
         "accountable.", ("Russia", "Volodymyr Zelensky", "alleged")),
        ("Shelling hit a market in Donetsk on Monday, killing two people. Peskov said Ukraine must be held "
         "accountable.", ("Ukraine", "Dmitry Peskov", "alleged")),
    ],
)  # fmt: skip
def test_progressive_and_accountability_forms(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The drone that hit the refinery in Ryazan was operated by the SBU, Russian officials said.",
         ("Ukraine", "Russia", "alleged")),
        ("The drone that hit the market in Kherson was operated by Rubikon, Ukrainian officials said.",
         ("Russia", "Ukraine", "alleged")),
        ("The blast on the Crimean Bridge was a special operation of the SBU, Russian officials said.",
         ("Ukraine", "Russia", "alleged")),
    ],
)  # fmt: skip
def test_operated_by_and_operation_of(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukraine's General Staff confirmed the strike on the airfield in Saky on Monday.",
         ("Ukraine", "General Staff of the Armed Forces of Ukraine", "claimed_responsibility")),
        ("Russia's Defence Ministry confirmed the strike on the port in Odesa on Monday.",
         ("Russia", "Russian Defence Ministry", "claimed_responsibility")),
        ("Ukraine's military intelligence said its agents had set fire to a train in the Bryansk region on Monday.",
         ("Ukraine", "Ukrainian military intelligence", "claimed_responsibility")),
    ],
)  # fmt: skip
def test_confirmations_and_sabotage_boasts(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("surface", "canonical", "country"),
    [
        ("Severodonetsk", "Sievierodonetsk", "Ukraine"),
        ("Slavyansk", "Sloviansk", "Ukraine"),
        ("Krivoy Rog", "Kryvyi Rih", "Ukraine"),
        ("Saky", "Saky", "Ukraine"),
        ("Tyotkino", "Tyotkino", "Russia"),
        ("Glushkovo", "Glushkovo", "Russia"),
    ],
)
def test_gazetteer_spellings_and_small_war_places(surface: str, canonical: str, country: str) -> None:
    from narrascope.analyzers._doc import gazetteer

    place = gazetteer.lookup(surface)
    assert place is not None and (place.canonical, place.country) == (canonical, country)


@pytest.mark.parametrize(
    ("text", "name", "label", "country"),
    [
        ("Kozachi Laheri, a village in the Kherson region, was shelled on Monday, killing two people.",
         "Kozachi Laheri", "PERSON", "Ukraine"),
        ("Tyotkino, a village in the Kursk region, was shelled on Monday, killing two people.",
         "Tyotkino", "PERSON", "Russia"),
        ("In the Kherson region, Russian shelling killed two people in Bilozerka on Monday.",
         "Bilozerka", "PERSON", "Ukraine"),
        ("In the Belgorod region, Ukrainian shelling killed two people in Bezymeno on Monday.",
         "Bezymeno", "NORP", "Russia"),
    ],
)  # fmt: skip
def test_villages_the_model_mistook_take_their_regions_country(
    text: str, name: str, label: str, country: str
) -> None:
    k = text.index(name)
    (inc,) = run(text, extra=[(k, k + len(name), label)])
    assert inc["location"] == {"name": name, "country": country}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A missile hit a hospital in Kyiv on Monday. The White House dismissed the suggestion that Ukrainian "
         "air defences were to blame.", ("Ukraine", "White House", "dismissed")),
        ("Shelling hit a market in Donetsk on Monday. Beijing dismissed the suggestion that Russian forces were "
         "to blame.", ("Russia", "Beijing", "dismissed")),
        ("A missile hit a hospital in Kyiv on Monday. Kyiv rejected Moscow's version that Ukrainian air defences "
         "were to blame.", ("Ukraine", "Ukraine", "denied")),
        ("Shelling hit a market in Donetsk on Monday. Moscow rejected Kyiv's version that Russian forces were "
         "to blame.", ("Russia", "Russia", "denied")),
    ],
)  # fmt: skip
def test_dismissed_suggestions_and_rejected_versions(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A blast hit a bridge in Crimea on Sunday. The attack was likely the work of Ukrainian saboteurs.",
         ("Ukraine", "author", "speculated")),
        ("A blast hit a depot in Lviv on Sunday. The attack was likely the work of Russian saboteurs.",
         ("Russia", "author", "speculated")),
        ("A blast hit a bridge in Crimea on Sunday. Moscow said the attack bore the hallmarks of the SBU.",
         ("Ukraine", "Russia", "speculated")),
    ],
)  # fmt: skip
def test_the_work_of(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _pcs(text)
