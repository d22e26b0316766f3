"""narrascope: evidence-grounded analysis of news coverage of armed conflict.

The curated public API::

    import narrascope
    records = narrascope.analyze(["corpus/"])                 # paths, dirs, globs
    records = narrascope.analyze(texts=["Officials said ..."])  # in-memory texts
    store = narrascope.open_store("narrascope.sqlite")         # queries over a stored run

Records are v1 document records (``docs/output-contract.md``; JSON Schema in
``narrascope.schemas``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

__version__ = "0.1.0"
__all__ = ["Config", "Store", "__version__", "analyze", "load_config", "open_store", "validate_record"]

from narrascope.config import Config, load_config
from narrascope.store import Store, open_store


def analyze(
    paths: Sequence[str | Path] = (),
    *,
    texts: Sequence[str] = (),
    config: Config | str | None = None,
    db: str | Path | None = None,
    analyzers: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Analyse files/directories/globs and/or in-memory texts; return one record per input.

    ``db``: a SQLite store to write into (default: a temporary one, discarded).
    ``analyzers``: override the configured analyzer list (``[]`` = clean only).
    Bad inputs come back as records with ``status == "failed"`` and an ``error`` code.
    """
    import tempfile

    from narrascope import pipeline

    overrides = {"pipeline": {"analyzers": list(analyzers)}} if analyzers is not None else None
    cfg = config if isinstance(config, Config) else load_config(config, overrides)
    if isinstance(config, Config) and overrides:
        cfg = load_config(None, {**config.data, **overrides})
    with tempfile.TemporaryDirectory(prefix="narrascope-") as tmp:
        store = open_store(db or Path(tmp) / "store.sqlite")
        try:
            keys: list[str] = []
            if paths:
                keys += pipeline.run([str(p) for p in paths], store, cfg).keys
            if texts:
                items = [(f"text-{i + 1}.txt", t.encode("utf-8")) for i, t in enumerate(texts)]
                keys += pipeline.run_bytes(items, store, cfg).keys
            return list(pipeline.records_for(store, keys))
        finally:
            store.close()


def validate_record(record: dict[str, Any], kind: str = "document") -> list[str]:
    """Problems of a record against the shipped JSON Schema and its quotes (empty = valid)."""
    from narrascope.schemas import validate

    return validate(record, kind)
