"""Typed configuration: embedded defaults, optional TOML overrides, resolved and hashed.

The resolved config's hash is stamped on every record (``provenance.config_hash``); a re-run
with the same inputs and the same hash is skipped (resume), a changed config re-analyses.
Secrets are ``{"$env": "NAME"}`` references resolved at read time, never stored.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrascope.errors import ConfigError

DEFAULTS: dict[str, Any] = {
    "ingest": {"max_bytes": 20 * 1024 * 1024, "url_timeout": 20.0},
    "dedup": {"threshold": 0.7},
    "pipeline": {
        "batch_size": 8,
        "analyzers": ["entities.v1", "claims.v1", "incidents.v1", "consistency.v1", "framing.v1"],
    },
    "analyzers": {
        # Head order matters: explanation names the actors the roles head found.
        "framing.v1": {
            "embedder": "minilm-int8",
            "languages": ["en"],
            "heads": ["narratives", "roles", "explanation", "techniques", "genre", "frames"],
            # Label-shift correction for genre: the training data is 88 % opinion, news
            # corpora are mostly reporting (see docs/analyzers/genre.md).
            "head_options": {
                "genre": {"deployment_prior": {"reporting": 0.5, "opinion": 0.45, "satire": 0.05}}
            },
        },
    },
    "link": {"enabled": True},
    "llm": {"base_url": None, "model": None, "api_key": None, "cache_dir": ".cache/llm"},
}


def _merge(base: dict[str, Any], over: dict[str, Any], path: str = "") -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if path == "" and k not in base:
            raise ConfigError(f"unknown config section [{k}]; known: {sorted(base)}")
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "analyzers":
            out[k] = _merge(out[k], v, f"{path}{k}.")
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            merged = copy.deepcopy(out[k])
            for name, opts in v.items():
                merged[name] = {**merged.get(name, {}), **opts}
            out[k] = merged
        else:
            out[k] = v
    return out


def resolve_secrets(value: Any) -> Any:
    """Replace ``{"$env": "NAME"}`` by the environment variable's value (None when unset)."""
    if isinstance(value, dict):
        if set(value) == {"$env"}:
            return os.environ.get(str(value["$env"]))
        return {k: resolve_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_secrets(v) for v in value]
    return value


@dataclass(frozen=True)
class Config:
    data: dict[str, Any]

    @property
    def hash(self) -> str:
        """Hash of the resolved config minus secrets (what affects results)."""
        public = {k: v for k, v in self.data.items() if k != "llm"}
        blob = json.dumps(public, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))

    @property
    def analyzers(self) -> list[str]:
        return list(self.data["pipeline"]["analyzers"])

    def analyzer_options(self, name: str) -> dict[str, Any]:
        return dict(self.data.get("analyzers", {}).get(name, {}))


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Defaults, then a TOML file, then explicit overrides; validated before any model loads."""
    data = copy.deepcopy(DEFAULTS)
    if path:
        p = Path(path)
        if not p.exists():
            raise ConfigError(f"config file {p} not found")
        try:
            data = _merge(data, tomllib.loads(p.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{p}: {exc}") from exc
    if overrides:
        data = _merge(data, overrides)
    _validate(data)
    return Config(data)


def _validate(data: dict[str, Any]) -> None:
    bs = data["pipeline"].get("batch_size")
    if not isinstance(bs, int) or bs < 1:
        raise ConfigError(f"pipeline.batch_size must be a positive integer, got {bs!r}")
    if not isinstance(data["pipeline"].get("analyzers"), list):
        raise ConfigError("pipeline.analyzers must be a list of registered analyzer names")
    th = data["dedup"].get("threshold")
    if not isinstance(th, int | float) or not 0 < th <= 1:
        raise ConfigError(f"dedup.threshold must be in (0, 1], got {th!r}")
