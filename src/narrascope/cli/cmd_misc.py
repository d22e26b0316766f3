"""``narrascope serve``, ``report`` and ``info``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parser(sub: Any, name: str, load_tasks: bool = False) -> argparse.ArgumentParser:
    if name == "serve":
        p = sub.add_parser("serve", help="local web workbench and REST API over a store")
        p.add_argument("--db", metavar="FILE", required=True)
        p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=8765)
        p.add_argument(
            "--token",
            help="API token (required when binding beyond localhost); default: $NARRASCOPE_API_TOKEN",
        )
        p.set_defaults(func=run_serve)
    elif name == "report":
        p = sub.add_parser("report", help="write a self-contained HTML (or Markdown) report")
        p.add_argument("--db", metavar="FILE", required=True)
        p.add_argument("--out", metavar="FILE", required=True, help="report.html or report.md")
        p.add_argument("--format", choices=["html", "md"], help="default: from the file extension")
        p.set_defaults(func=run_report)
    else:
        p = sub.add_parser("info", help="version, registered analyzers and tasks, model artifacts")
        p.set_defaults(func=run_info)
    return p


def run_serve(args: argparse.Namespace) -> int:
    import os

    from narrascope.errors import require

    require("fastapi", "web")
    require("uvicorn", "web")
    from narrascope.api.server import serve

    serve(args.db, host=args.host, port=args.port, token=args.token or os.environ.get("NARRASCOPE_API_TOKEN"))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from narrascope.cli.main import emit
    from narrascope.reports import write_report
    from narrascope.store import open_store

    fmt = args.format or ("md" if str(args.out).endswith(".md") else "html")
    with open_store(args.db) as store:
        if store.get_corpus() is None:
            from narrascope.pipeline import build_corpus

            build_corpus(store)
        write_report(store, Path(args.out), fmt=fmt)
    if not args.json:
        print(f"report: {args.out}")
    emit(args, {"ok": True, "report": str(args.out)})
    return 0


def run_info(args: argparse.Namespace) -> int:
    from narrascope import __version__
    from narrascope.cli.main import emit
    from narrascope.registry import ANALYZERS, TASKS, load_builtins

    load_builtins()
    models_dir = Path(__file__).resolve().parents[1] / "models"
    cards = sorted(str(p.parent.name) for p in models_dir.glob("*/MODEL_CARD.md"))
    info = {
        "version": __version__,
        "analyzers": sorted(ANALYZERS),
        "tasks": {k: sorted(v) for k, v in TASKS.items()},
        "models": cards,
    }
    if not args.json:
        print(json.dumps(info, indent=2))
    emit(args, info)
    return 0
