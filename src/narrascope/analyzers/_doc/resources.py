"""Loading of the versioned data files under ``narrascope/analyzers/resources`` (read once)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

_PKG = "narrascope.analyzers.resources"


def read_text(name: str) -> str:
    return resources.files(_PKG).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def load_yaml(name: str) -> dict[str, Any]:
    """A resource YAML file; every file carries ``version`` and ``source``."""
    data = yaml.safe_load(read_text(name))
    if not isinstance(data, dict) or "version" not in data or "source" not in data:
        raise ValueError(f"resource {name} lacks version/source")
    return data


def resource_version(name: str) -> str:
    """``name@version`` for provenance."""
    if name.endswith(".tsv"):
        for line in read_text(name).splitlines():
            if line.startswith("# version:"):
                return f"{name}@{line.split(':', 1)[1].strip()}"
        return f"{name}@?"
    return f"{name}@{load_yaml(name)['version']}"
