"""Dates, bylines, site names and header metadata of flattened text."""

from __future__ import annotations

import pytest

from narrascope.clean.textmeta import (
    HeaderLine,
    analyse_header,
    dateline,
    extract_text_metadata,
    find_dates,
    parse_byline,
    parse_date,
    site_from_copyright,
    site_like,
)
from narrascope.model import DateValue


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Published 12 March 2024", "2024-03-12", "day"),
        ("Today : Dec 23, 2024", "2024-12-23", "day"),
        ("Jan 5, 2024", "2024-01-05", "day"),
        ("Sept. 14, 2024", "2024-09-14", "day"),
        ("Published 2024-01-05 10:00", "2024-01-05", "day"),
        ("Thursday 16 May 2024, 09:30", "2024-05-16", "day"),
        ("the 3rd of June 2024", "2024-06-03", "day"),
        ("Published: 28/10/2024", "2024-10-28", "day"),
        ("10/28/2024", "2024-10-28", "day"),
        ("15.01.2024 12:30", "2024-01-15", "day"),
        ("12 марта 2024, 14:05", "2024-03-12", "day"),
        ("5 июня 2024 г.", "2024-06-05", "day"),
        ("Опубліковано 15 березня 2024 року о 10:20", "2024-03-15", "day"),
        ("28 червня 2024 р., 08:15", "2024-06-28", "day"),
        ("March 2024", "2024-03", "month"),
        ("листопад 2023", "2023-11", "month"),
    ],
)
def test_parse_date(text: str, value: str, precision: str) -> None:
    assert parse_date(text) == DateValue(value, precision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["31 February 2024", "13/13/2024", "5 January", "2 hours ago", "in May", "1,200 people"]
)
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_in_order_without_overlap() -> None:
    found = find_dates("Updated 2024-01-06 08:15, first published 5 Jan 2024")
    assert [d.value for _, _, d in found] == ["2024-01-06", "2024-01-05"]


def test_dateline_labels_prefer_published() -> None:
    assert dateline("Last updated: 29 June 2024 | Published: 27 June 2024") == (
        DateValue("2024-06-27"),
        "published",
    )
    assert dateline("Updated: 11:05, 8 April 2024") == (DateValue("2024-04-08"), "updated")
    assert (
        dateline("The strike on 5 January 2024 damaged three buildings and a school in the city centre.")
        is None
    )


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Daniel Okafor", "Daniel Okafor"),
        ("By Aisha Raman, Events reporter", "Aisha Raman"),
        ("by Ruth Adler on 05 Jan 2024", "Ruth Adler"),
        ("Author: Aino Lehtonen", "Aino Lehtonen"),
        ("Written by Elena Marsh", "Elena Marsh"),
        ("Posted: 22 April 2024 by Courier Staff", "Courier Staff"),
        ("Posted by Marek Dolan on February 18, 2024", "Marek Dolan"),
        ("Iryna Bondar | Reporter", "Iryna Bondar"),
        ("By Anna Keller and Piotr Nowak", "Anna Keller and Piotr Nowak"),
        ("By Jan de Vries in Kyiv", "Jan de Vries"),
        ("Автор: Иван Смирнов", "Иван Смирнов"),
        ("Автор — Пётр Савельев", "Пётр Савельев"),
        ("by: Carla Mendes", "Carla Mendes"),
    ],
)
def test_parse_byline(line: str, name: str) -> None:
    assert parse_byline(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "By signing up you agree to our Privacy Policy.",
        "Council votes to reopen the footbridge",
        "Home | News | Sport",
    ],
)
def test_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None


def test_site_helpers() -> None:
    assert site_from_copyright("© 2024 Quay Courier Ltd. Registered in England No. 1.") == "Quay Courier"
    assert (
        site_from_copyright("Copyright 2023 Prairie Herald Media Group. All rights reserved.")
        == "Prairie Herald"
    )
    assert site_from_copyright("© The Daily Flare 2024") == "The Daily Flare"
    assert site_like("Evening Herald") and site_like("kyiv-news.example")
    assert not site_like("News") and not site_like("Herald, 9 May 2024")


def test_analyse_header_roles() -> None:
    lines = [
        HeaderLine("Skip to main content", "navigation"),
        HeaderLine("Exclusive analysis and data"),
        HeaderLine("World", "navigation"),
        HeaderLine("Kharkiv district loses power after strike"),
        HeaderLine("Lena Morrow"),
        HeaderLine("Published 14 March 2024"),
    ]
    res = analyse_header(lines)
    assert res.metadata.title == "Kharkiv district loses power after strike"
    assert res.metadata.author == "Lena Morrow"
    assert res.metadata.published == DateValue("2024-03-14")
    assert res.roles[3] == "meta.title" and res.roles[5] == "meta.dateline"


def test_extract_text_metadata_from_lines_and_text() -> None:
    lines = [
        "Grain ships leave Odesa",
        "By Ruth Adler",
        "5 Jan 2024",
        "Ships left the port on Friday morning, port officials said.",
    ]
    meta = extract_text_metadata(lines)
    assert (meta.title, meta.author, meta.published) == (
        "Grain ships leave Odesa",
        "Ruth Adler",
        DateValue("2024-01-05"),
    )
    text = "Accept all\n" + "\n".join(lines) + "\n© 2024 Harbour News. All rights reserved."
    meta2 = extract_text_metadata(text)
    assert meta2.title == "Grain ships leave Odesa" and meta2.site == "Harbour News"
