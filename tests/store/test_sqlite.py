from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from narrascope.errors import StoreError
from narrascope.store import open_store


def _rec(i: int, text: str, **kw: object) -> dict:
    return {
        "id": f"doc{i:04d}",
        "status": "ok",
        "input": {"path": f"p{i}", "sha256": "0" * 64},
        "text": text,
        "title": f"Title {i}",
        "site": kw.get("site", "wire.example"),
        "published": {"value": f"2024-0{1 + i % 9}-01", "precision": "day"},
        "language": "en",
        "entities": [{"canonical": "Kyiv"}] if "Kyiv" in text else [],
    }


def test_migrations_wal_and_upserts(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with open_store(db) as s:
        assert s.schema_version >= 1
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for _ in range(2):
            with s.conn:
                s.put_input(_rec(1, "Missiles hit Kyiv overnight."), "p1#0", "cfg", 1)
        assert s.count_records() == {"ok": 1, "failed": 0}
        assert s.done("p1#0", "0" * 64, "cfg") is not None
        assert s.done("p1#0", "0" * 64, "other-config") is None


def test_search_filters_and_pagination(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite") as s, s.conn:
        for i in range(12):
            s.put_input(
                _rec(
                    i,
                    f"Report {i}: drones over Kyiv" if i % 2 else f"Report {i}: Belgorod shelling",
                    site="a.example" if i < 6 else "b.example",
                ),
                f"p{i}#0",
                "cfg",
                i,
            )
    with open_store(tmp_path / "s.sqlite", read_only=True) as ro:
        total, rows = ro.search("kyiv drones", limit=3)
        assert total == 6 and len(rows) == 3 and "[" in rows[0]["snippet"]
        total, rows = ro.search("kyiv", filters={"site": "b.example"})
        assert total == 3
        total, rows = ro.list_documents(limit=5, offset=10)
        assert total == 12 and len(rows) == 2
        assert ro.list_documents(filters={"label": "Kyiv"})[0] == 6
        assert ro.search('"unbalanced OR (') == (0, [])
        with pytest.raises(sqlite3.OperationalError):
            ro.conn.execute("DELETE FROM documents")


def test_read_only_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(tmp_path / "nope.sqlite", read_only=True)
