"""JSON Schemas of the v1 output contract, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=2)
def load_schema(name: str) -> dict[str, Any]:
    """``document`` or ``corpus``."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def validate(record: dict[str, Any], name: str = "document") -> list[str]:
    """Schema problems of ``record`` (empty when valid), plus quote/offset mismatches."""
    import jsonschema

    from narrascope.model.span import check_evidence

    validator = jsonschema.Draft202012Validator(load_schema(name))
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]
    if name == "document":
        problems += check_evidence(record.get("text", ""), {k: v for k, v in record.items() if k != "text"})
    return problems
