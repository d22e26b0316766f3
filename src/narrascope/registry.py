"""The one registry: analyzers, eval / bench / train tasks, exporters.

Components register themselves with decorators at import time. The CLI and the pipeline call
:func:`load_builtins` first, which imports every module of the built-in packages so that their
registrations run (the plugin path and the built-ins are the same path).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from narrascope.errors import ConfigError


@dataclass(frozen=True)
class Task:
    """An ``eval``/``bench``/``train`` task.

    ``run(args)`` returns a result dict (printed as JSON with ``--json``) and may print a
    human-readable table itself. ``add_args`` adds the task's own options to its sub-parser.
    """

    kind: str
    name: str
    help: str
    run: Callable[[argparse.Namespace], dict[str, Any]]
    add_args: Callable[[argparse.ArgumentParser], None] | None = None


AnalyzerFactory = Callable[[dict[str, Any]], Any]

ANALYZERS: dict[str, AnalyzerFactory] = {}
TASKS: dict[str, dict[str, Task]] = {"eval": {}, "bench": {}, "train": {}}

#: Packages whose modules register components when imported.
BUILTIN_PACKAGES = ("narrascope.analyzers", "narrascope.eval", "narrascope.bench", "narrascope.training")


def register_analyzer(name: str) -> Callable[[AnalyzerFactory], AnalyzerFactory]:
    """Register ``factory(options) -> Analyzer`` under a versioned name like ``entities.spacy.v1``."""

    def deco(factory: AnalyzerFactory) -> AnalyzerFactory:
        ANALYZERS[name] = factory
        return factory

    return deco


def register_task(
    kind: str, name: str, help: str, add_args: Callable[[argparse.ArgumentParser], None] | None = None
) -> Callable[
    [Callable[[argparse.Namespace], dict[str, Any]]], Callable[[argparse.Namespace], dict[str, Any]]
]:
    """Register an ``eval``, ``bench`` or ``train`` task: ``narrascope KIND NAME ...``."""
    if kind not in TASKS:
        raise ValueError(f"unknown task kind {kind!r}")

    def deco(
        fn: Callable[[argparse.Namespace], dict[str, Any]],
    ) -> Callable[[argparse.Namespace], dict[str, Any]]:
        TASKS[kind][name] = Task(kind, name, help, fn, add_args)
        return fn

    return deco


_loaded = False


def load_builtins() -> None:
    """Import every module of the built-in packages (idempotent)."""
    global _loaded
    if _loaded:
        return
    for pkg_name in BUILTIN_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg_name + "."):
            leaf = info.name.rsplit(".", 1)[-1]
            if leaf.startswith("_") or leaf.startswith("test"):
                continue
            importlib.import_module(info.name)
    _loaded = True


def build_analyzer(name: str, options: dict[str, Any] | None = None) -> Any:
    load_builtins()
    try:
        factory = ANALYZERS[name]
    except KeyError:
        raise ConfigError(f"unknown analyzer {name!r}; registered: {sorted(ANALYZERS)}") from None
    return factory(options or {})
