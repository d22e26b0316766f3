"""The serve benchmark on a tiny store, and the app's memo of overview/corpus invalidating on writes."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from fastapi.testclient import TestClient

from narrascope.api.app import create_app
from narrascope.api.testing import sample_store, to_sqlite
from narrascope.bench import serve as bench
from narrascope.store.sqlite import open_store


def test_bench_serve_small(tmp_path: Path, capsys: object) -> None:
    ids = bench.build_store(tmp_path / "b.db", 40)
    rows = list(bench.measure(tmp_path / "b.db", ids, requests=2))
    assert {r["route"] for r in rows} >= {"page /documents", "page /documents/{id}", "api /search"}
    assert all(r["errors"] == 0 for r in rows), rows
    result = bench.run(argparse.Namespace(limit=16, docs=16, requests=1))
    assert result["documents"] == 16 and len(result["routes"]) == len(rows)


def test_synthetic_offsets_match() -> None:
    import random

    from narrascope.model.span import check_evidence

    rec = bench.synthetic_record(5, random.Random(1), 3)
    assert check_evidence(rec["text"], rec) == []


def test_memo_follows_store_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    mem = sample_store()
    to_sqlite(mem, db)
    client = TestClient(create_app(db))
    assert client.get("/api/v1/incidents").json()["total"] == 2
    assert client.get("/api/v1/overview").json()["documents"]["ok"] == 3
    time.sleep(0.01)
    corpus = dict(mem.corpus or {}, incidents=[])
    store = open_store(db)
    with store.conn:
        store.put_record(dict(mem.records[next(iter(mem.records))], id="new-doc"), "new", "t", 99)
    store.put_corpus(corpus)
    store.close()
    assert client.get("/api/v1/incidents").json()["total"] == 0
    assert client.get("/api/v1/overview").json()["documents"]["ok"] == 4
