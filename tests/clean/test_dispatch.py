from __future__ import annotations

from narrascope.clean.dispatch import clean_raw, repair_text
from narrascope.ingest.readers import read_bytes


def _clean(name: str, data: bytes):  # type: ignore[no-untyped-def]
    raw = next(iter(read_bytes(name, data)))
    return clean_raw(raw)


def test_mojibake_is_repaired_quotes_kept() -> None:
    assert repair_text("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ from Kyiv") == "привет from Kyiv"
    assert repair_text("He said “no”.\r\n") == "He said “no”.\n"


def test_structured_metadata_wins_and_dates_have_precision() -> None:
    line = b'{"text": "Drones struck Kazan on Saturday, officials said. No casualties were reported.", "title": "Kazan", "published": "2024-12", "author": "A. Writer"}'
    doc, err = _clean("x.jsonl", line + b"\n" + line.replace(b"Kazan", b"Kursk"))
    assert err is None and doc is not None
    assert doc.meta.title == "Kazan" and doc.meta.author == "A. Writer"
    assert doc.meta.published is not None and doc.meta.published.to_json() == {
        "value": "2024-12",
        "precision": "month",
    }


def test_language_and_foreign_passage() -> None:
    text = (
        "Officials in Paris condemned the attack on the concert hall on Saturday evening. "
        "« Nous ne laisserons pas ce crime impuni et nous soutenons les familles », a déclaré le ministre. "
        "Investigators said the death toll could still rise as rescuers searched the building."
    )
    doc, err = _clean("a.txt", text.encode())
    assert err is None and doc is not None and doc.language == "en"
    spans = [(doc.text[s.start : s.end], s.language) for s in doc.language_spans]
    assert any(lang == "fr" and "impuni" in quote for quote, lang in spans)
    cyr, _ = _clean(
        "b.txt", "Беспилотники атаковали жилые дома в Казани, сообщили власти республики.".encode()
    )
    assert cyr is not None and cyr.language == "ru"


def test_txt_holding_html_and_markdown_note_are_recognised() -> None:
    page = (
        b"<!DOCTYPE html><html><head><title>T</title></head><body><article><p>"
        + b"Shelling hit Kharkiv overnight, the governor said. " * 8
        + b"</p></article></body></html>"
    )
    doc, _ = _clean("page.txt", page)
    assert doc is not None and doc.input.format == "html" and "<p>" not in doc.text
    note = b"---\ntitle: Briefing\nauthor: N. H.\n---\n\nThe [[Belgorod|city]] was shelled, officials said, and residents sheltered overnight.\n"
    doc, _ = _clean("note.txt", note)
    assert doc is not None and doc.input.format == "markdown"
    assert "city was shelled" in doc.text and "[[" not in doc.text and doc.meta.title == "Briefing"


def test_page_with_no_article_text_fails_clearly() -> None:
    doc, err = _clean("empty.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert doc is None and err is not None and err.code == "E_EXTRACT_EMPTY"
