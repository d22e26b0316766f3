"""Markdown notes: front matter, wiki links, timestamp anchors, sniffing."""

from __future__ import annotations

import pytest

from narrascope.clean.markdown import clean_markdown, looks_like_markdown_note, split_front_matter
from narrascope.model import DateValue

NOTE = """---
title: "Notes: Kherson ferry"
author: [Ola Berg, Ivan Hora]
date: 2024-05-08
source: https://v.example/w?v=1&utm_source=x
tags: [a, b]
---

# Notes: Kherson ferry

<a class="yt-timestamp" data-t="00:01:43">[00:01:43]</a> The [[Kherson|city]] ferry stopped after the [[Dnipro]] crossing was shelled.

## Context

See [the report](https://r.example/1) and ![[map.png]] for *details* about the <b>crossing</b>.
"""


def test_front_matter_becomes_metadata() -> None:
    res = clean_markdown(NOTE)
    m = res.metadata
    assert m.title == "Notes: Kherson ferry"
    assert m.author == "Ola Berg, Ivan Hora"
    assert m.published == DateValue("2024-05-08")
    assert m.url == "https://v.example/w?v=1"
    assert res.removed[0].kind == "front_matter"
    assert "tags:" not in res.text and "---" not in res.text


def test_body_markup() -> None:
    res = clean_markdown(NOTE)
    assert res.text == (
        "The city ferry stopped after the Dnipro crossing was shelled.\n\n"
        "Context\n\n"
        "See the report and for details about the crossing."
    )
    kinds = {(b.kind, b.rule) for b in res.removed}
    assert ("markup", "markdown.timestamp_anchor") in kinds
    assert ("markup", "markdown.embed") in kinds


def test_wiki_link_forms() -> None:
    text = "A [[Page#Section|alias]] then [[Page#Section]] then [[#Only section]] and [[Plain]] end of line here."
    assert clean_markdown(text).text == "A alias then Page then Only section and Plain end of line here."


def test_first_heading_is_title_without_front_matter() -> None:
    res = clean_markdown(
        "# Port reopens\n\nThe port of Izmail reopened on Monday after repairs, officials said."
    )
    assert res.metadata.title == "Port reopens"
    assert res.text == "The port of Izmail reopened on Monday after repairs, officials said."


def test_heading_different_from_front_matter_title_is_kept() -> None:
    text = "---\ntitle: Note A\n---\n# Different heading\n\nBody line of the note is long enough to count as prose here."
    res = clean_markdown(text)
    assert res.metadata.title == "Note A"
    assert res.text.startswith("Different heading\n\n")


def test_bad_front_matter_falls_back_to_key_lines() -> None:
    fields, raw, rest = split_front_matter("---\ntitle: a: b: [\nauthor: X\n---\nbody")
    assert fields["author"] == "X" and raw.startswith("---") and rest == "body"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: x\n---\nbody", True),
        ("Some text with a [[wiki link]] inside.", True),
        ("# Heading\n\nText with a [link](https://x.example).", True),
        ("# One\n\ntext\n\n## Two\n\nmore", True),
        ("Plain page dump\nBy Someone\nText of the article.", False),
        ("#1 in the charts\nNothing else here.", False),
        ("---\n\nJust a rule line above, no front matter keys.\n---\n", False),
    ],
)
def test_looks_like_markdown_note(text: str, expected: bool) -> None:
    assert looks_like_markdown_note(text) is expected


def test_short_list_at_top_of_note_is_kept() -> None:
    text = "---\ntitle: Cities hit\n---\n## Cities\n- Kharkiv\n- Odesa\n- Dnipro\n- Lviv\n\nAll four cities reported damage to energy facilities overnight, officials said."
    res = clean_markdown(text)
    assert res.text.split("\n\n")[:5] == ["Cities", "Kharkiv", "Odesa", "Dnipro", "Lviv"]


def test_crlf_and_bom_note() -> None:
    text = "\ufeff---\r\ntitle: T\r\ndate: 2024-01-02\r\n---\r\n\r\nBody of the note says the bridge reopened on Monday morning."
    assert looks_like_markdown_note(text)
    res = clean_markdown(text)
    assert res.metadata.title == "T" and res.metadata.published == DateValue("2024-01-02")
    assert res.text == "Body of the note says the bridge reopened on Monday morning."
