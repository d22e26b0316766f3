"""Ray runner (the ``ray`` extra): Ray Data workers clean and analyse, the driver imports.

``ray.data.from_items(inputs).map_batches(AnalyzeBatch, ...)`` runs a fixed pool of actors;
each builds its analyzers once from the resolved config and turns a batch of raw inputs into
shard rows (:func:`narrascope.runners.local.process_batch`). Workers never touch the store: the
driver writes the batches as Parquet shards and loads them with
:func:`narrascope.store.shards.import_shards`, the one writer. Records are identical to the
local runner's (same ids, fields and near-duplicate links).

Without ``RAY_ADDRESS`` a local Ray instance with ``workers`` CPUs is started and stopped; with
it, the run joins that cluster (every node needs narrascope and its models installed).
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from narrascope.config import Config, load_config
from narrascope.errors import UsageError, require
from narrascope.ingest.readers import iter_inputs
from narrascope.pipeline import Event, RunSummary, build_analyzers, provenance
from narrascope.runners.local import process_batch
from narrascope.store.shards import import_shards, rows_to_table, write_shard

log = logging.getLogger("narrascope")

#: Inputs per Ray batch: large enough to amortise scheduling, small enough to spread work.
DEFAULT_BATCH = 16
#: Object store size for a local Ray instance: shards are small; do not reserve 30% of RAM.
OBJECT_STORE_BYTES = 256 * 1024 * 1024


class AnalyzeBatch:
    """Ray Data callable class: built once per actor, then batch in, batch out (Arrow tables)."""

    def __init__(self, config: Config, analyzers_blob: bytes | None) -> None:
        self.analyzers = pickle.loads(analyzers_blob) if analyzers_blob else build_analyzers(config)
        self.prov = provenance(config, self.analyzers)
        self.config_hash = config.hash
        self.batch_size = int(config.data["pipeline"]["batch_size"])

    def __call__(self, batch: Any) -> Any:
        pairs = zip(batch["seq"].to_pylist(), batch["raw"].to_pylist(), strict=True)
        items = [(int(seq), pickle.loads(raw)) for seq, raw in pairs]
        rows = process_batch(items, self.analyzers, self.prov, self.config_hash, self.batch_size)
        return rows_to_table(rows)


def run_ray(
    sources: Sequence[str],
    store: Any,
    config: Config | None = None,
    *,
    workers: int = 2,
    analyzers: Sequence[Any] | None = None,
    batch_size: int = DEFAULT_BATCH,
    shard_dir: str | Path | None = None,
    on_event: Event | None = None,
) -> RunSummary:
    """Analyse ``sources`` into ``store`` with ``workers`` Ray actors (see module docstring).

    ``analyzers`` (optional) are pickled to the workers instead of being built from config:
    for tests and light analyzers. ``shard_dir`` keeps the shards (default: a temp dir,
    removed after the import).
    """
    ray: Any = require("ray", "ray")
    require("ray.data", "ray")
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    config = config or load_config()
    t0 = time.perf_counter()
    summary = RunSummary()
    emit = on_event or (lambda e: None)
    items = _pending(sources, store, config, summary, emit)
    if items:
        blob = pickle.dumps(list(analyzers)) if analyzers is not None else None
        started = _ensure_ray(ray, workers)
        try:
            with tempfile.TemporaryDirectory(prefix="narrascope-shards.") as tmp:
                out = Path(shard_dir) if shard_dir else Path(tmp)
                for path in _write_shards(ray, items, config, blob, workers, batch_size, out):
                    _import(store, [path], config, summary, emit)
        finally:
            if started:
                ray.shutdown()
    summary.seconds = time.perf_counter() - t0
    return summary


def _pending(
    sources: Sequence[str], store: Any, config: Config, summary: RunSummary, emit: Event
) -> list[dict[str, Any]]:
    """Inputs not yet stored with the same bytes and config, as Ray items (the resume check)."""
    ing = config.section("ingest")
    raws = iter_inputs(sources, max_bytes=int(ing["max_bytes"]), timeout=float(ing["url_timeout"]))
    items: list[dict[str, Any]] = []
    for raw in raws:
        summary.keys.append(raw.key)
        prior = store.done(raw.key, raw.sha256, config.hash)
        if prior is not None:
            summary.skipped += 1
            summary.ok += prior["status"] == "ok"
            summary.failed += prior["status"] != "ok"
            emit({"event": "skipped", "input": raw.key, "id": prior["id"]})
            continue
        items.append({"seq": len(items), "raw": pickle.dumps(raw)})
    return items


def _ensure_ray(ray: Any, workers: int) -> bool:
    """Start a local Ray instance unless one is running or RAY_ADDRESS names a cluster."""
    if ray.is_initialized():
        return False
    quiet = {"include_dashboard": False, "logging_level": logging.WARNING, "log_to_driver": False}
    if os.environ.get("RAY_ADDRESS"):
        ray.init(**quiet)
    else:
        ray.init(num_cpus=workers, object_store_memory=OBJECT_STORE_BYTES, **quiet)
    return True


def _write_shards(
    ray: Any,
    items: list[dict[str, Any]],
    config: Config,
    blob: bytes | None,
    workers: int,
    batch_size: int,
    out: Path,
) -> Iterator[Path]:
    """Shards as the batches come back, in input order (so each can be imported at once and an
    interrupted run keeps every imported batch)."""
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    if not log.isEnabledFor(logging.DEBUG):  # Ray Data logs every execution plan at INFO
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    ds = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), 4 * workers))).map_batches(
        AnalyzeBatch,
        fn_constructor_args=(config, blob),
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    for n, table in enumerate(ds.iter_batches(batch_size=None, batch_format="pyarrow")):
        if table.num_rows:
            yield write_shard(table, out / f"shard-{n:05d}.parquet")


def _import(store: Any, paths: list[Path], config: Config, summary: RunSummary, emit: Event) -> None:
    def on_record(key: str, rec: dict[str, Any]) -> None:
        summary.ok += rec["status"] == "ok"
        summary.failed += rec["status"] != "ok"
        if rec["status"] == "ok":
            emit({"event": "ok", "input": key, "id": rec["id"], "duplicate_of": rec.get("duplicate_of")})
        else:
            err = rec.get("error") or {}
            emit({"event": "failed", "input": key, "code": err.get("code"), "message": err.get("message")})

    done = import_shards(
        store, paths, dedup_threshold=float(config.data["dedup"]["threshold"]), on_record=on_record
    )
    summary.skipped += done.skipped
    summary.duplicates += done.duplicates
    summary.analyzer_errors += done.analyzer_errors
