"""Shared fixtures. Tests that need ../shared/data use ``shared_data`` and skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_data_dir() -> Path | None:
    env = os.environ.get("NARRASCOPE_SHARED_DATA")
    cand = Path(env) if env else ROOT.parent / "shared" / "data"
    return cand if cand.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (or $NARRASCOPE_SHARED_DATA); skips the test when it is absent."""
    d = _shared_data_dir()
    if d is None:
        pytest.skip("../shared/data is absent")
    return d


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
