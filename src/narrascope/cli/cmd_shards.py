"""``narrascope import-shards``: load Parquet shards written by distributed workers (the one writer)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any, name: str = "import-shards", load_tasks: bool = False) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="load Parquet shards from distributed workers into a store",
        description="Shards are loaded in input order; re-importing is a no-op (inputs already stored "
        "from the same bytes and config are skipped). Near-duplicates are found at import.",
    )
    p.add_argument("shards", nargs="+", metavar="SHARD", help="shard files (*.parquet)")
    p.add_argument("--db", metavar="FILE|URL", required=True, help="SQLite file or postgresql:// URL")
    p.add_argument(
        "--no-dedup", action="store_true", help="keep duplicate_of as written in the shards (no look-up)"
    )
    p.set_defaults(func=run_import)
    return p


def run_import(args: argparse.Namespace) -> int:
    from narrascope.cli.main import emit
    from narrascope.config import load_config
    from narrascope.store import open_store
    from narrascope.store.postgres import redact_url
    from narrascope.store.shards import import_shards

    config = load_config(args.config)
    threshold = None if args.no_dedup else float(config.data["dedup"]["threshold"])
    with open_store(args.db) as store:
        summary = import_shards(store, args.shards, dedup_threshold=threshold)
    code = 1 if (summary.failed or summary.analyzer_errors) else 0
    if not args.json and not args.quiet:
        print(
            f"{summary.imported} imported ({summary.ok} ok, {summary.failed} failed, "
            f"{summary.duplicates} near-duplicates), {summary.skipped} already stored"
        )
        print(f"store: {redact_url(args.db)}")
    emit(args, {"ok": code == 0, "db": redact_url(args.db), "exit_code": code, **summary.to_json()})
    return code
