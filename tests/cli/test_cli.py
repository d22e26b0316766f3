from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.cli.main import main


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["analyze"]) == 2  # missing --out and paths
    assert main(["bogus-verb"]) == 2
    capsys.readouterr()


def test_version_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "narrascope" in capsys.readouterr().out


def test_ingest_json_summary_and_partial_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.txt").write_text("Drones hit Kazan on Saturday, officials said. " * 5, encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"text": "fine text here for a record"}\n{oops\n', encoding="utf-8")
    db = tmp_path / "s.sqlite"
    code = main(["ingest", str(tmp_path / "ok.txt"), str(tmp_path / "bad.jsonl"), "--db", str(db), "--json"])
    out = _last_json(capsys.readouterr().out)
    assert code == 1 and out["ok"] is False and out["failed"] == 1 and out["ok"] is False
    code = main(["ingest", str(tmp_path / "ok.txt"), "--db", str(db), "--json"])
    out = _last_json(capsys.readouterr().out)
    assert code == 0 and out["skipped"] == 1


def test_bad_config_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[pipeline]\nbatch_size = 0\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Some text about Kyiv.", encoding="utf-8")
    code = main(
        [
            "ingest",
            str(tmp_path / "a.txt"),
            "--db",
            str(tmp_path / "s.sqlite"),
            "--config",
            str(cfg),
            "--json",
        ]
    )
    assert code == 2
    assert _last_json(capsys.readouterr().out)["error"]["code"] == "E_CONFIG"


def test_export_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Missiles struck Kyiv overnight, officials said. " * 4, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["ingest", str(tmp_path / "a.txt"), "--db", str(db), "-q"]) == 0
    out_dir = tmp_path / "exp"
    assert (
        main(
            [
                "export",
                "--db",
                str(db),
                "--out",
                str(out_dir),
                "--format",
                "jsonl",
                "--format",
                "csv",
                "--format",
                "parquet",
                "--json",
            ]
        )
        == 0
    )
    res = _last_json(capsys.readouterr().out)
    assert set(res["outputs"]) == {"jsonl", "csv", "parquet", "corpus"}
    import pyarrow.parquet as pq

    table = pq.read_table(out_dir / "documents.parquet")
    assert table.num_rows == 1 and "Kyiv" in table.column("text")[0].as_py()
