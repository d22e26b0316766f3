"""Ray runner: same records as the local runner; workers never touch the store.

Needs the ``ray`` extra (skips otherwise) and starts a 2-CPU local Ray instance once per module
(~10 s), hence ``slow``. The overhead figures are printed (``-s``), never asserted.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from narrascope import pipeline
from narrascope.config import load_config
from narrascope.errors import MissingExtraError
from narrascope.store import open_store
from tests.fakes import Exploding, FakeEntities, FakeIssues
from tests.runners.corpus import write_corpus

CFG = load_config(overrides={"pipeline": {"analyzers": []}})


def test_missing_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from narrascope.runners.ray import run_ray

    monkeypatch.setitem(sys.modules, "ray", None)
    with (
        open_store(tmp_path / "s.sqlite") as store,
        pytest.raises(MissingExtraError, match=r"narrascope\[ray\]"),
    ):
        run_ray([str(tmp_path)], store, CFG)


def test_cli_runner_ray_without_ray_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from narrascope.cli.main import main

    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.setattr(logging.root, "handlers", [])  # main() installs a handler on captured stderr
    monkeypatch.setattr(logging.root, "level", logging.root.level)
    code = main(["analyze", str(write_corpus(tmp_path)), "--out", str(tmp_path / "o"), "--runner", "ray"])
    assert code == 2 and "pip install 'narrascope[ray]'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    pytest.importorskip("ray.data", reason="the ray extra is not installed")
    import logging

    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def _records(store, keys) -> list[str]:  # type: ignore[no-untyped-def]
    return [json.dumps(r, ensure_ascii=False) for r in pipeline.records_for(store, keys)]


@pytest.mark.slow
def test_ray_records_identical_to_local_and_resume(ray_session: None, tmp_path: Path) -> None:
    from narrascope.runners.ray import run_ray

    src = write_corpus(tmp_path, extra=6)
    analyzers = pipeline.order_analyzers([FakeIssues(), FakeEntities(), Exploding()])
    with open_store(tmp_path / "local.sqlite") as store:
        local = pipeline.run([str(src)], store, CFG, analyzers=analyzers)
        expected = _records(store, local.keys)
    shards = tmp_path / "shards"
    with open_store(tmp_path / "ray.sqlite") as store:
        events: list[dict] = []
        got = run_ray(
            [str(src)],
            store,
            CFG,
            workers=2,
            analyzers=analyzers,
            batch_size=3,
            shard_dir=shards,
            on_event=events.append,
        )
        assert _records(store, got.keys) == expected
        assert (got.ok, got.failed, got.duplicates, got.analyzer_errors) == (
            local.ok,
            local.failed,
            local.duplicates,
            local.analyzer_errors,
        )
        assert len(events) == len(got.keys) and len(list(shards.glob("*.parquet"))) >= 2
        again = run_ray([str(src)], store, CFG, workers=2, analyzers=analyzers)
        assert again.skipped == len(got.keys) and store.count_records() == {"ok": 9, "failed": 2}


@pytest.mark.slow
def test_workers_build_analyzers_from_config(ray_session: None, tmp_path: Path) -> None:
    from narrascope.runners.ray import run_ray

    src = write_corpus(tmp_path, extra=3)
    ids = []
    for name, runner in (("local", pipeline.run), ("ray", run_ray)):
        with open_store(tmp_path / f"{name}.sqlite") as store:
            summary = runner([str(src)], store, CFG)
            ids.append(_records(store, summary.keys))
    assert ids[0] == ids[1]


@pytest.mark.slow
def test_print_ray_overhead_on_100_docs(ray_session: None, tmp_path: Path) -> None:
    from narrascope.runners.ray import run_ray

    src = write_corpus(tmp_path, extra=95)  # 5 + 95 inputs
    analyzers = [FakeEntities()]
    seconds = {}
    for name, runner, kw in (("local", pipeline.run, {}), ("ray", run_ray, {"workers": 2})):
        with open_store(tmp_path / f"{name}.sqlite") as store:
            t0 = time.perf_counter()
            summary = runner([str(src)], store, CFG, analyzers=analyzers, **kw)
            seconds[name] = time.perf_counter() - t0
            assert summary.ok + summary.failed == 100
    print(
        f"\n100 docs, fake analyzers: local {seconds['local']:.2f}s, ray (2 workers, warm) {seconds['ray']:.2f}s"
    )
