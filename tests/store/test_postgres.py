"""PostgresStore against a real server: the same behaviour as tests/store/test_sqlite.py.

The session fixture uses $NARRASCOPE_PG_URL when set, otherwise starts a throwaway cluster with
scripts/ensure-postgres.sh (installing Debian's postgresql when root) and stops it at the end.
Each test gets its own schema. Skips with the reason when no server can be had.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from narrascope import pipeline
from narrascope.config import load_config
from narrascope.errors import MissingExtraError, StoreError
from narrascope.store import open_store
from tests.fakes import Exploding, FakeEntities, FakeIssues
from tests.runners.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ensure-postgres.sh"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    pytest.importorskip("psycopg", reason="the postgres extra (psycopg) is not installed")
    if os.environ.get("NARRASCOPE_PG_URL"):
        yield os.environ["NARRASCOPE_PG_URL"]
        return
    tmp = tempfile.mkdtemp(prefix="narrascope-pg.")
    try:
        proc = subprocess.run(["bash", str(SCRIPT), tmp], capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.skip(f"cannot start PostgreSQL: {exc}")
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.skip(f"cannot start PostgreSQL (exit {proc.returncode}): {proc.stderr.strip()[-400:]}")
    try:
        yield proc.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(SCRIPT), "--stop", tmp], capture_output=True, timeout=120)


@pytest.fixture
def pg(pg_url: str) -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped after the test."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in pg_url else "?"
    yield f"{pg_url}{sep}options={quote(f'-c search_path={schema}')}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


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


def test_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'narrascope\[postgres\]'"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_unreachable_server_is_a_store_error() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match=r"cannot connect") as err:
        open_store("postgresql://me:secret@127.0.0.1:1/none?connect_timeout=2")
    assert "secret" not in str(err.value)


@pytest.mark.slow
def test_migrations_and_idempotent_upserts(pg: str) -> None:
    with open_store(pg) as s:
        version = s.schema_version
        assert version >= 1
        for _ in range(2):
            with s.transaction():
                s.put_input(_rec(1, "Missiles hit Kyiv overnight."), "p1#0", "cfg", 1)
                s.put_raw("0" * 64, b"raw \x00 bytes")
        assert s.count_records() == {"ok": 1, "failed": 0}
        assert s.done("p1#0", "0" * 64, "cfg")["id"] == "doc0001"
        assert s.done("p1#0", "0" * 64, "other-config") is None
        assert s.get_raw("0" * 64) == b"raw \x00 bytes"
        assert list(s.get_record("doc0001")) == list(_rec(1, "Missiles hit Kyiv overnight."))  # field order
        s.put_corpus({"b": 1, "a": [1, 2]})
        assert list(s.get_corpus()) == ["b", "a"]
    with open_store(pg) as again:  # re-opening does not re-migrate or lose data
        assert again.schema_version == version and again.count_records()["ok"] == 1


@pytest.mark.slow
def test_search_filters_pagination_and_read_only(pg: str) -> None:
    import psycopg

    with open_store(pg) as s, s.transaction():
        for i in range(12):
            text = f"Report {i}: drones over Kyiv" if i % 2 else f"Report {i}: Belgorod shelling"
            s.put_input(_rec(i, text, site="a.example" if i < 6 else "b.example"), f"p{i}#0", "cfg", i)
    with open_store(pg, read_only=True) as ro:
        total, rows = ro.search("kyiv drones", limit=3)
        assert total == 6 and len(rows) == 3 and "[" in rows[0]["snippet"]
        assert [r["id"] for r in ro.search("kyiv drones", limit=3, offset=3)[1]] == [
            "doc0007",
            "doc0009",
            "doc0011",
        ]
        assert ro.search("kyiv", filters={"site": "b.example"})[0] == 3
        assert ro.search("kyiv -drones")[0] == 0 and ro.search("belgorod or drones")[0] == 12
        total, rows = ro.list_documents(limit=5, offset=10)
        assert total == 12 and [r["id"] for r in rows] == ["doc0010", "doc0011"]
        assert ro.list_documents(filters={"label": "Kyiv"})[0] == 6
        assert ro.list_documents(filters={"date_from": "2024-03", "date_to": "2024-04"})[0] == 3
        assert ro.search('"unbalanced OR (') == (0, []) and ro.search("   ") == (0, [])
        assert ro.search("'; DROP TABLE documents; --")[0] == 0
        with pytest.raises(psycopg.Error):
            ro.conn.execute("DELETE FROM documents")
    with open_store(pg, read_only=True) as ro:
        assert ro.count_records()["ok"] == 12


@pytest.mark.slow
def test_read_only_without_a_store_is_a_clear_error(pg: str) -> None:
    with pytest.raises(StoreError, match="no narrascope store"):
        open_store(pg, read_only=True)


@pytest.mark.slow
def test_pipeline_run_matches_sqlite(pg: str, tmp_path: Path) -> None:
    src = write_corpus(tmp_path)
    cfg = load_config(overrides={"pipeline": {"analyzers": []}})
    analyzers = pipeline.order_analyzers([FakeIssues(), FakeEntities(), Exploding()])
    dumps = []
    for db in (str(tmp_path / "s.sqlite"), pg):
        with open_store(db) as store:
            s1 = pipeline.run([str(src)], store, cfg, analyzers=analyzers)
            assert (s1.ok, s1.failed, s1.analyzer_errors, s1.duplicates) == (3, 2, 1, 1)
            recs = list(pipeline.records_for(store, s1.keys))
            dumps.append([json.dumps(r, ensure_ascii=False) for r in recs])
            s2 = pipeline.run([str(src)], store, cfg, analyzers=analyzers)
            assert s2.skipped == 5 and store.count_records() == {"ok": 3, "failed": 2}
            out = pipeline.write_outputs(store, s2, tmp_path / ("pg" if db == pg else "lite"), report=False)
            dumps[-1].append(Path(out["corpus"]).read_text(encoding="utf-8"))
    assert dumps[0] == dumps[1]  # byte-identical records (field order too) and corpus
