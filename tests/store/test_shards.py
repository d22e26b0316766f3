"""Parquet shards and the one-writer importer (no Ray needed: shards are built in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope import pipeline
from narrascope.config import load_config
from narrascope.errors import StoreError
from narrascope.ingest.readers import iter_inputs
from narrascope.runners.local import process_batch
from narrascope.store import open_store
from narrascope.store.shards import import_shards, read_shard, write_shard
from tests.fakes import Exploding, FakeEntities, FakeIssues
from tests.runners.corpus import write_corpus

CFG = load_config(overrides={"pipeline": {"analyzers": []}})
THRESHOLD = float(CFG.data["dedup"]["threshold"])


def _analyzers() -> list:
    return pipeline.order_analyzers([FakeIssues(), FakeEntities(), Exploding()])


def _shards(src: Path, out: Path) -> list[Path]:
    """What a distributed driver does: number the inputs, process two batches, write two shards."""
    items = list(enumerate(iter_inputs([str(src)])))
    prov = pipeline.provenance(CFG, _analyzers())
    half = len(items) // 2
    batches = [items[:half], items[half:]]
    rows = [process_batch(b, _analyzers(), prov, CFG.hash, batch_size=2) for b in batches]
    return [write_shard(r, out / f"shard-{n}.parquet") for n, r in enumerate(rows)]


def test_rows_round_trip_in_order(tmp_path: Path) -> None:
    paths = _shards(write_corpus(tmp_path, extra=3), tmp_path / "shards")
    rows = read_shard(paths[0]) + read_shard(paths[1])
    assert [r["seq"] for r in rows] == list(range(8))
    assert {r["status"] for r in rows} == {"ok", "failed"}
    ok = next(r for r in rows if r["status"] == "ok")
    assert json.loads(ok["record"])["id"] == ok["id"] and ok["raw"] and len(ok["signature"]) > 0
    assert all(r["signature"] is None for r in rows if r["status"] == "failed")


def test_import_equals_local_run_and_is_idempotent(tmp_path: Path) -> None:
    src = write_corpus(tmp_path, extra=3)
    with open_store(tmp_path / "local.sqlite") as store:
        local = pipeline.run([str(src)], store, CFG, analyzers=_analyzers())
        expected = [json.dumps(r) for r in pipeline.records_for(store, local.keys)]
    paths = _shards(src, tmp_path / "shards")
    with open_store(tmp_path / "imported.sqlite") as store:
        first = import_shards(store, list(reversed(paths)), dedup_threshold=THRESHOLD)
        assert (first.imported, first.ok, first.failed, first.duplicates, first.analyzer_errors) == (
            8,
            6,
            2,
            1,
            1,
        )
        assert [json.dumps(r) for r in pipeline.records_for(store, local.keys)] == expected
        again = import_shards(store, paths, dedup_threshold=THRESHOLD)
        assert (again.imported, again.skipped) == (0, 8)
        assert store.count_records() == {"ok": 6, "failed": 2}
        resumed = pipeline.run([str(src)], store, CFG, analyzers=_analyzers())
        assert resumed.skipped == 8  # shards and local runs share the resume key


def test_without_threshold_duplicates_are_kept_as_written(tmp_path: Path) -> None:
    paths = _shards(write_corpus(tmp_path), tmp_path / "shards")
    with open_store(tmp_path / "s.sqlite") as store:
        assert import_shards(store, paths).duplicates == 0


def test_not_a_shard_is_a_store_error(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    bad = tmp_path / "other.parquet"
    pq.write_table(pa.table({"x": [1]}), bad)
    (tmp_path / "junk.parquet").write_bytes(b"not parquet")
    for path in (bad, tmp_path / "junk.parquet"):
        with pytest.raises(StoreError):
            read_shard(path)


def test_import_shards_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from narrascope.cli import cmd_shards
    from narrascope.cli.main import _common

    parser = argparse.ArgumentParser(prog="narrascope")
    _common(cmd_shards.add_parser(parser.add_subparsers(dest="verb"), "import-shards"))
    paths = [str(p) for p in _shards(write_corpus(tmp_path), tmp_path / "shards")]
    db = str(tmp_path / "s.sqlite")
    for expected, code in (((5, 0), 1), ((0, 5), 0)):  # 1: failed inputs were imported
        args = parser.parse_args(["import-shards", *paths, "--db", db, "--json"])
        assert args.func(args) == code
        out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
        assert (out["imported"], out["skipped"]) == expected and out["duplicates"] == (
            1 if expected[0] else 0
        )
