"""Static integrity of examples/demo-corpus and examples/bad-inputs (no pipeline needed).

The expectations in ``examples/demo-corpus/.expected.json`` are checked against the raw files
here, so that every must-contain string really is article text and every must-not-contain string
really occurs in the input (otherwise the check would test nothing).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-corpus"
BAD = ROOT / "examples" / "bad-inputs"
DISCLAIMER = "Synthetic sample written for the narrascope demo; not a real article."
URL = re.compile(r"https?://([^/\s\"'<>)?]+)")
WIKI = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")


def _articles() -> list[Path]:
    return sorted(
        p for p in DEMO.iterdir() if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    )


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads((DEMO / ".expected.json").read_text(encoding="utf-8"))


def _raw(record: dict[str, Any]) -> str:
    """The raw text a record's expectations refer to (one JSONL line, or the whole file)."""
    text = (DEMO / record["file"]).read_text(encoding="utf-8")
    if record["line"] is not None:
        obj = json.loads(text.splitlines()[record["line"] - 1])
        return str(obj.get("text") or obj.get("html"))
    if record["format"] == "json":
        return str(json.loads(text)["text"])
    return text


def _readable(record: dict[str, Any], raw: str) -> str:
    """Raw text as a reader sees it: entities decoded, wiki links shown as their display text."""
    text = html.unescape(raw)
    if record["format"] == "markdown":
        text = WIKI.sub(lambda m: m.group(2) or m.group(1), text)
    return text


def test_every_demo_file_says_it_is_synthetic() -> None:
    files = _articles()
    assert 12 <= len(files) <= 15
    for path in files:
        text = path.read_text(encoding="utf-8")
        head = "\n".join(text.splitlines()[:12])
        assert DISCLAIMER in head, f"{path.name}: disclaimer missing from the first lines"


def test_demo_urls_use_reserved_example_domains() -> None:
    for path in [*_articles(), DEMO / "README.md", DEMO / ".expected.json"]:
        for host in URL.findall(path.read_text(encoding="utf-8")):
            assert host.endswith(".example") or host == "…", f"{path.name}: {host}"


def test_structured_demo_records_have_the_export_fields() -> None:
    lines = (DEMO / "04-mixed-export.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    records = [json.loads(line) for line in lines]
    records.append(json.loads((DEMO / "03-crocus-northgate-wire.json").read_text(encoding="utf-8")))
    for rec in records:
        assert rec.get("text") or rec.get("html")
        for key in ("url", "title", "published", "author"):
            assert rec[key], key
    assert any("html" in r for r in records) and any("text" in r for r in records)


def test_expected_records_cover_every_article(expected: dict[str, Any]) -> None:
    files = {r["file"] for r in expected["records"]}
    assert files == {p.name for p in _articles()}
    for rec in expected["records"]:
        assert rec["main_incident"] in expected["incidents"], rec["file"]
        if rec["duplicate_of"]:
            assert rec["duplicate_of"] in files


def test_expected_strings_are_grounded_in_the_raw_input(expected: dict[str, Any]) -> None:
    for rec in expected["records"]:
        raw = _raw(rec)
        plain = _readable(rec, raw)
        for s in rec["must_contain"]:
            assert s in plain, (rec["file"], s)
        for s in rec["must_not_contain"]:
            assert s in raw or s in plain, (rec["file"], "must_not_contain string absent from input", s)
            assert all(s not in keep for keep in rec["must_contain"]), (rec["file"], s)
        for issue in rec["issues"]:
            assert issue["quote"] in plain, (rec["file"], issue)
        for span in rec["language_spans"]:
            assert span["quote"] in plain, (rec["file"], span)


def test_consistency_traps_are_present() -> None:
    html = (DEMO / "01-belgorod-northgate-wire.html").read_text(encoding="utf-8")
    assert html.count("Belgrade") == 1
    for name in ("08-kazan-steppe-herald.txt", "09-kazan-pinecrest-syndicated.txt"):
        text = (DEMO / name).read_text(encoding="utf-8")
        assert "On December 21, 2023" in text and "2024" in text
    assert "© 2021" in (DEMO / "05-crocus-opinion-vostok.txt").read_text(encoding="utf-8")


def test_syndicated_copy_shares_the_body() -> None:
    def words(name: str) -> set[tuple[str, ...]]:
        text = re.sub(r"<[^>]+>", " ", (DEMO / name).read_text(encoding="utf-8"))
        w = re.findall(r"\w+", text.lower())
        return {tuple(w[i : i + 5]) for i in range(len(w) - 4)}

    a, b = words("08-kazan-steppe-herald.txt"), words("09-kazan-pinecrest-syndicated.txt")
    assert len(a & b) / min(len(a), len(b)) > 0.6


def test_bad_inputs_are_really_bad() -> None:
    assert (BAD / "01-empty.txt").read_bytes() == b""
    assert not (BAD / "02-whitespace-only.txt").read_bytes().strip()
    assert (BAD / "03-fake-report.pdf").read_bytes().startswith(b"%PDF-1.4")
    with pytest.raises(UnicodeDecodeError):
        (BAD / "04-invalid-utf8.txt").read_bytes().decode("utf-8")
    lines = (BAD / "05-one-broken-line.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    json.loads(lines[0]), json.loads(lines[2])
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[1])
    assert (BAD / "07-png-named-html.html").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(UnicodeDecodeError):
        (BAD / "08-undecodable-bytes.txt").read_bytes().decode("utf-8")
