"""``narrascope`` command line. One thin module per verb; exit codes 0 ok, 1 partial, 2 usage."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from narrascope import __version__
from narrascope.errors import ConfigError, MissingExtraError, NarrascopeError, StoreError, UsageError

VERBS = ("analyze", "ingest", "export", "import-shards", "eval", "bench", "train", "serve", "report", "info")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--json", action="store_true", help="machine-readable output: one JSON object as the last line"
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, warnings only")
    p.add_argument("--verbose", "-v", action="store_true", help="debug logging")
    p.add_argument("--config", metavar="FILE", help="TOML config overriding the embedded defaults")


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    from narrascope.cli import cmd_analyze, cmd_export, cmd_misc, cmd_shards, cmd_tasks

    parser = argparse.ArgumentParser(
        prog="narrascope",
        description="Evidence-grounded analysis of news coverage of armed conflict.",
        epilog="Exit codes: 0 ok, 1 partial (some inputs failed), 2 usage or configuration error.",
    )
    parser.add_argument("--version", action="version", version=f"narrascope {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    verb = next((a for a in argv if not a.startswith("-")), None)
    modules = {
        "analyze": cmd_analyze,
        "ingest": cmd_analyze,
        "export": cmd_export,
        "import-shards": cmd_shards,
        "eval": cmd_tasks,
        "bench": cmd_tasks,
        "train": cmd_tasks,
        "serve": cmd_misc,
        "report": cmd_misc,
        "info": cmd_misc,
    }
    for name in VERBS:
        p = modules[name].add_parser(sub, name, load_tasks=(verb == name))
        _common(p)
        for action in p._subparsers._group_actions if p._subparsers else []:  # task sub-parsers
            for sp in getattr(action, "choices", {}).values():
                _common(sp)
    return parser


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING
    if getattr(args, "json", False):

        class JsonFormatter(logging.Formatter):
            def format(self, record: logging.LogRecord) -> str:
                return json.dumps(
                    {"level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
                )

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logging.basicConfig(level=level, handlers=[handler], force=True)
    else:
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)


def emit(args: argparse.Namespace, result: dict[str, Any]) -> None:
    """With --json, print ``result`` as one JSON line (always the last line of stdout)."""
    if getattr(args, "json", False):
        sys.stdout.flush()
        print(json.dumps(result, ensure_ascii=False, sort_keys=True, default=str))


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    if not getattr(args, "verb", None):
        parser.print_help()
        return 2
    _setup_logging(args)
    try:
        return int(args.func(args))
    except (UsageError, ConfigError, MissingExtraError) as exc:
        print(f"narrascope: {exc}", file=sys.stderr)
        emit(args, {"ok": False, "error": {"code": exc.code, "message": exc.message}})
        return 2
    except (StoreError, NarrascopeError) as exc:
        print(f"narrascope: {exc}", file=sys.stderr)
        emit(args, {"ok": False, "error": {"code": exc.code, "message": exc.message}})
        return 1
    except KeyboardInterrupt:
        print("narrascope: interrupted; finished inputs are stored, re-run to resume", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
