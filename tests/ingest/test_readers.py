from __future__ import annotations

import json
from pathlib import Path

from narrascope.ingest.readers import expand, iter_inputs, read_bytes


def _write(p: Path, data: bytes | str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return p


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", "b")
    _write(tmp_path / "a" / "c.md", "c")
    _write(tmp_path / ".hidden.txt", "h")
    got = [Path(p).relative_to(tmp_path).as_posix() for p in expand([str(tmp_path)])]
    assert got == ["b.txt", "a/c.md"] or got == ["a/c.md", "b.txt"]
    assert ".hidden.txt" not in got


def test_glob_and_missing_path(tmp_path: Path) -> None:
    _write(tmp_path / "x1.txt", "one")
    _write(tmp_path / "x2.txt", "two")
    raws = list(iter_inputs([str(tmp_path / "x*.txt"), str(tmp_path / "nope.txt")]))
    assert [r.error is None for r in raws] == [True, True, False]
    assert raws[2].error is not None and raws[2].error.code == "E_INPUT_NOT_FOUND"


def test_bad_inputs_get_codes(tmp_path: Path) -> None:
    cases = {
        "empty.txt": (b"   \n", "E_INPUT_EMPTY"),
        "doc.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "E_INPUT_PDF"),
        "a.zip": (b"PK\x03\x04\x14\x00\x00\x00", "E_INPUT_ARCHIVE"),
        "bin.dat": (b"\x00\x01\x02\x03" * 100, "E_INPUT_BINARY"),
    }
    for name, (data, _) in cases.items():
        _write(tmp_path / name, data)
    raws = {Path(r.path or "").name: r for r in iter_inputs([str(tmp_path)])}
    for name, (_, code) in cases.items():
        assert raws[name].error is not None, name
        assert raws[name].error.code == code, name


def test_size_limit(tmp_path: Path) -> None:
    _write(tmp_path / "big.txt", "word " * 1000)
    [raw] = list(iter_inputs([str(tmp_path / "big.txt")], max_bytes=100))
    assert raw.error is not None and raw.error.code == "E_INPUT_TOO_LARGE"
    assert "limit" in raw.error.message


def test_jsonl_broken_line_reports_line_number() -> None:
    lines = [
        json.dumps({"text": "First article body.", "title": "One"}),
        '{"text": "broken',
        "",
        json.dumps({"html": "<p>Second</p>", "url": "https://a.example/2"}),
        json.dumps({"title": "no body"}),
    ]
    raws = list(read_bytes("x.jsonl", "\n".join(lines).encode()))
    assert len(raws) == 4
    assert raws[0].error is None and raws[0].fields["title"] == "One" and raws[0].line == 1
    assert (
        raws[1].error is not None
        and raws[1].error.code == "E_INPUT_JSON"
        and "line 2" in raws[1].error.message
    )
    assert raws[2].url == "https://a.example/2" and raws[2].line == 4
    assert raws[3].error is not None and raws[3].error.code == "E_INPUT_FIELDS"
    assert len({r.key for r in raws}) == 4


def test_csv_rows_and_missing_body_column() -> None:
    ok = list(read_bytes("a.csv", b'title,text,published\nT1,Body one,2024-01-05\nT2,"Body, two",\n'))
    assert [r.fields.get("text") for r in ok] == ["Body one", "Body, two"]
    assert ok[0].fields["published"] == "2024-01-05" and ok[0].line == 2
    bad = list(read_bytes("b.csv", b"title,url\nT,https://x.example\n"))
    assert bad[0].error is not None and bad[0].error.code == "E_INPUT_CSV"


def test_json_file_holding_html_is_html() -> None:
    [raw] = list(read_bytes("page.json", b"<!DOCTYPE html><html><body><p>Hello</p></body></html>"))
    assert raw.error is None and raw.format == "html"


def test_url_without_network_is_a_clear_failure() -> None:
    [raw] = list(iter_inputs(["http://127.0.0.1:9/nothing"], timeout=2))
    assert raw.error is not None and raw.error.code == "E_INPUT_URL"
