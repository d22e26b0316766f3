"""The quality ratchet in CI: every pinned figure stays above its floor (slow; needs the data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.eval.gate import BASELINES, check, data_hash, metric

ROOT = Path(__file__).resolve().parents[2]


def test_baselines_file_is_well_formed() -> None:
    spec = json.loads(BASELINES.read_text(encoding="utf-8"))
    names = [e["name"] for e in spec["entries"]]
    assert len(names) == len(set(names))
    for e in spec["entries"]:
        assert e["argv"][0] == "eval" and "{data}" in e["argv"]
        assert all(0.0 <= v <= 1.0 for v in e["floors"].values())


def test_metric_paths_and_hash(tmp_path: Path) -> None:
    assert metric({"a": {"b c": {"f1": 0.5}}}, "a.b c.f1") == 0.5
    assert metric({"a": {}}, "a.f1") is None
    (tmp_path / "x.txt").write_text("abc")
    h1 = data_hash(tmp_path)
    (tmp_path / "x.txt").write_text("abcd")
    assert data_hash(tmp_path) != h1


@pytest.mark.slow
def test_no_quality_regression() -> None:
    res = check(ROOT)
    bad = [r for r in res["rows"] if r["status"] == "REGRESSION"]
    assert not bad, bad
