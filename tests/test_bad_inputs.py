"""The failed-record path end to end over examples/bad-inputs (and a simulated crash)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from narrascope import pipeline
from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.config import load_config
from narrascope.store import open_store

BAD = Path(__file__).resolve().parents[1] / "examples" / "bad-inputs"
EXPECTED = {
    ("01-empty.txt", None): "E_INPUT_EMPTY",
    ("02-whitespace-only.txt", None): "E_INPUT_EMPTY",
    ("03-fake-report.pdf", None): "E_INPUT_PDF",
    ("04-invalid-utf8.txt", None): None,
    ("05-one-broken-line.jsonl", 1): None,
    ("05-one-broken-line.jsonl", 2): "E_INPUT_JSON",
    ("05-one-broken-line.jsonl", 3): None,
    ("06-malformed.html", None): None,
    ("07-png-named-html.html", None): "E_INPUT_BINARY",
    ("08-undecodable-bytes.txt", None): "E_INPUT_DECODE",
}


def _cfg():  # type: ignore[no-untyped-def]
    return load_config(overrides={"pipeline": {"analyzers": []}})


def test_every_bad_input_gets_a_record_with_its_code(tmp_path: Path) -> None:
    files = sorted(str(p) for p in BAD.iterdir() if p.name != "README.md")
    with open_store(tmp_path / "s.sqlite") as store:
        summary = pipeline.run(files, store, _cfg())
        recs = list(pipeline.records_for(store, summary.keys))
        got = {(Path(r["input"]["path"]).name, r["input"]["line"]): r for r in recs}
        assert set(got) == set(EXPECTED)
        for key, code in EXPECTED.items():
            rec = got[key]
            assert (rec["error"] or {}).get("code") == code, key
            if code:
                assert rec["status"] == "failed" and rec["error"]["message"]
            else:
                assert rec["status"] == "ok" and rec["text"]
        assert "<!--" not in got[("06-malformed.html", None)]["text"]
        assert summary.exit_code == 1
        # raw bytes are kept even for failed inputs
        pdf = got[("03-fake-report.pdf", None)]
        assert store.get_raw(pdf["input"]["sha256"]) == (BAD / "03-fake-report.pdf").read_bytes()


class _CrashAfter:
    """Raises KeyboardInterrupt on the n-th batch: a Ctrl-C in the middle of a run."""

    spec = AnalyzerSpec("crash", "1", produces=("frames",))

    def __init__(self, n: int) -> None:
        self.n = n

    def analyze(self, batch: list[DocInput]) -> list[dict[str, Any]]:
        self.n -= 1
        if self.n < 0:
            raise KeyboardInterrupt
        return [{"frames": []} for _ in batch]


def test_interrupted_run_resumes_without_loss_or_doubles(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(7):
        (src / f"a{i}.txt").write_text(
            f"Report number {i}: shelling hit the district overnight, officials said. " * 3
        )
    cfg = load_config(overrides={"pipeline": {"analyzers": [], "batch_size": 2}})
    with open_store(tmp_path / "s.sqlite") as store:
        with pytest.raises(KeyboardInterrupt):
            pipeline.run([str(src)], store, cfg, analyzers=[_CrashAfter(2)])
        done_before = store.count_records()["ok"]
        assert 0 < done_before < 7
        summary = pipeline.run([str(src)], store, cfg, analyzers=[_CrashAfter(100)])
        assert summary.skipped == done_before and summary.ok == 7
        assert store.count_records() == {"ok": 7, "failed": 0}
        assert len(list(pipeline.records_for(store, summary.keys))) == 7
