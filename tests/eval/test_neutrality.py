"""The actor swap used by the neutrality check: both directions, whole words, offset map."""

from __future__ import annotations

from narrascope.eval.neutrality import has_actor, swap_actors, swap_actors_mapped


def test_swap_both_ways_and_whole_words() -> None:
    text = "Vladimir Putin met Zelensky in Kiev; Russian troops left Ukraine. Russiagate stays."
    assert swap_actors(text) == (
        "Volodymyr Zelensky met Putin in Moscow; Ukrainian troops left Russia. Russiagate stays."
    )
    assert (
        swap_actors(swap_actors("Russia, Ukraine, Putin, Moscow, Kremlin"))
        == "Russia, Ukraine, Putin, Moscow, Kremlin"
    )
    assert not has_actor("Nothing about either side here.")


def test_offset_map_follows_mentions() -> None:
    text = "In Kyiv, Putin was blamed by Ukrainians; the Kremlin denied it."
    new, m = swap_actors_mapped(text)
    for word, expected in (
        ("Putin", "Zelensky"),
        ("Ukrainians", "Russians"),
        ("Kremlin", "Bankova"),
        ("denied", "denied"),
    ):
        s = text.index(word)
        assert new[m(s) : m(s + len(word))] == expected
    assert m(0) == 0 and m(len(text)) == len(new)
