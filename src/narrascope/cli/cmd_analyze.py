"""``narrascope analyze`` and ``narrascope ingest``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from narrascope.config import load_config


def add_parser(sub: Any, name: str, load_tasks: bool = False) -> argparse.ArgumentParser:
    if name == "analyze":
        p = sub.add_parser(
            "analyze",
            help="analyse inputs and write documents.jsonl, corpus.json, report.html",
            description="Files, directories (recursive), globs, '-' for stdin, http(s) URLs.",
        )
        p.add_argument("--out", metavar="DIR", required=True, help="output directory")
        p.add_argument("--no-report", action="store_true", help="skip report.html")
        p.add_argument(
            "--analyzers",
            metavar="LIST",
            help="comma-separated analyzer names (default: config pipeline.analyzers); 'none' for none",
        )
    else:
        p = sub.add_parser("ingest", help="read and clean inputs into the store (no analysis)")
        p.add_argument("--out", metavar="DIR", help="also write documents.jsonl here")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--db",
        metavar="FILE|URL",
        help="SQLite file or postgresql:// URL (default: OUT/narrascope.sqlite or ./narrascope.sqlite)",
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="cleaning processes, or Ray workers (default 1)"
    )
    p.add_argument(
        "--runner",
        choices=("local", "ray"),
        default="local",
        help="local (this machine) or ray (Ray Data workers write shards, one importer; narrascope[ray])",
    )
    p.add_argument("--max-bytes", type=int, metavar="N", help="per-input size limit in bytes")
    p.set_defaults(func=run_analyze if name == "analyze" else run_ingest)
    return p


def _overrides(args: argparse.Namespace, analyzers: list[str] | None) -> dict[str, Any]:
    over: dict[str, Any] = {}
    if analyzers is not None:
        over["pipeline"] = {"analyzers": analyzers}
    if args.max_bytes:
        over["ingest"] = {"max_bytes": args.max_bytes}
    return over


def _event_printer(args: argparse.Namespace) -> Any:
    if not args.json:
        return None

    def on_event(e: dict[str, Any]) -> None:
        print(json.dumps(e, ensure_ascii=False), file=sys.stderr)

    return on_event


def _run(args: argparse.Namespace, analyzers: list[str] | None, out: str | None, report: bool) -> int:
    from narrascope import pipeline
    from narrascope.cli.main import emit
    from narrascope.store import open_store
    from narrascope.store.postgres import redact_url

    if args.workers < 1:
        from narrascope.errors import UsageError

        raise UsageError("--workers must be at least 1")
    if args.runner == "ray":
        from narrascope.errors import require

        require("ray.data", "ray")
    config = load_config(args.config, _overrides(args, analyzers))
    db = args.db or str(Path(out or ".") / "narrascope.sqlite")
    with open_store(db) as store:
        summary = _execute(args, store, config)
        if out:
            pipeline.write_outputs(store, summary, out, report=report)
    db = redact_url(db)
    result = {"ok": summary.exit_code == 0, "db": db, **summary.to_json()}
    if not args.json and not args.quiet:
        print(
            f"{summary.ok} ok, {summary.failed} failed, {summary.skipped} already done, "
            f"{summary.duplicates} near-duplicates, {summary.seconds:.1f}s"
        )
        if summary.failed:
            _print_failures(db, summary.keys)
        print(f"store: {db}")
        for kind, path in summary.outputs.items():
            print(f"{kind}: {path}")
    emit(args, result)
    return summary.exit_code


def _execute(args: argparse.Namespace, store: Any, config: Any) -> Any:
    from narrascope import pipeline

    if args.runner == "ray":
        from narrascope.runners.ray import run_ray

        return run_ray(args.paths, store, config, workers=args.workers, on_event=_event_printer(args))
    return pipeline.run(
        args.paths,
        store,
        config,
        workers=args.workers,
        on_event=_event_printer(args),
        progress=not (args.quiet or args.json),
    )


def _print_failures(db: str, keys: list[str], limit: int = 20) -> None:
    """Name the failed inputs with their codes (human mode), so nobody has to dig in JSONL."""
    from narrascope import pipeline
    from narrascope.store import open_store

    with open_store(db, read_only=True) as store:
        failed = [r for r in pipeline.records_for(store, keys) if r["status"] == "failed"]
    for rec in failed[:limit]:
        inp = rec.get("input") or {}
        where = inp.get("path") or inp.get("url") or "-"
        if inp.get("line"):
            where += f":{inp['line']}"
        print(f"  failed {where}: {rec['error']['code']} {rec['error']['message']}")
    if len(failed) > limit:
        print(f"  … and {len(failed) - limit} more (see documents.jsonl)")


def run_analyze(args: argparse.Namespace) -> int:
    names = None
    if args.analyzers:
        names = (
            []
            if args.analyzers.strip().lower() == "none"
            else [n.strip() for n in args.analyzers.split(",") if n.strip()]
        )
    return _run(args, names, args.out, report=not args.no_report)


def run_ingest(args: argparse.Namespace) -> int:
    return _run(args, [], args.out, report=False)
