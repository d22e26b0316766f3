"""``narrascope eval|bench|train TASK``: tasks registered in narrascope.registry."""

from __future__ import annotations

import argparse
from typing import Any

HELP = {
    "eval": "score against a benchmark with its official metric (prints figures)",
    "bench": "measure speed and memory (prints figures)",
    "train": "train a shipped model reproducibly (seeded, CPU)",
}


def add_parser(sub: Any, name: str, load_tasks: bool = False) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=HELP[name])
    p.set_defaults(func=_no_task, kind=name)
    if not load_tasks:
        p.add_argument("task", nargs="?", help="task name (see `narrascope %s --help`)" % name)
        return p
    from narrascope.registry import TASKS, load_builtins

    load_builtins()
    tsub = p.add_subparsers(dest="task", metavar="TASK")
    for tname, task in sorted(TASKS[name].items()):
        tp = tsub.add_parser(tname, help=task.help, description=task.help)
        tp.add_argument("--data", metavar="DIR", help="dataset directory")
        tp.add_argument("--out", metavar="PATH", help="output file or directory")
        tp.add_argument("--limit", type=int, metavar="N", help="only the first N items (quick runs)")
        if task.add_args:
            task.add_args(tp)
        tp.set_defaults(func=_runner(task))
    return p


def _no_task(args: argparse.Namespace) -> int:
    from narrascope.registry import TASKS, load_builtins

    load_builtins()
    names = ", ".join(sorted(TASKS[args.kind])) or "(none registered)"
    print(f"usage: narrascope {args.kind} TASK ...; tasks: {names}")
    return 2


def _runner(task: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        from narrascope.cli.main import emit

        try:
            result = task.run(args)
        except (TypeError, FileNotFoundError, NotADirectoryError) as exc:
            if getattr(args, "data", None) is None:
                from narrascope.errors import UsageError

                raise UsageError(f"`{args.kind} {task.name}` needs --data DIR ({exc})") from exc
            raise
        code = int(result.pop("_exit_code", 0)) if isinstance(result, dict) else 0
        emit(args, result)
        return code

    return run
