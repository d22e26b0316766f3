"""SemEval-2025 Task 10 evaluation: metrics on hand-made examples, the official layout reader
(CRLF kept, inclusive end offsets, dev layout), submission lines, and an eval run."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from narrascope.backends.embedders import FakeEmbedder
from narrascope.eval import semeval2025 as ev
from narrascope.eval.semeval2025_io import (
    accuracy,
    exact_match_ratio,
    micro_f1,
    read_split,
    samples_f1,
    st1_lines,
    st2_lines,
)

# Synthetic documents written for these tests; the second uses CRLF line breaks.
DOC_A = "Moscow blamed the West for the war.\n\nAnalysts in Kyiv disagreed with that view."
DOC_B = "Activists praised the plan.\r\n\r\nCritics in Berlin called the plan a costly mistake."


def make_layout(root: Path, split: str = "dev") -> Path:
    """A tiny dataset in the official layout (dev style: subtask-N-documents, CRLF annotations)."""
    d = root / split / "EN"
    for sub in ("subtask-1-documents", "subtask-2-documents", "subtask-3-documents"):
        (d / sub).mkdir(parents=True)
        for name, text in (("EN_A.txt", DOC_A), ("EN_B.txt", DOC_B)):
            (d / sub / name).write_bytes(text.encode("utf-8"))
    b_start = DOC_B.index("Berlin")
    st1 = [
        "EN_A.txt\tMoscow\t0\t5\tAntagonist\tInstigator",
        f"EN_B.txt\tBerlin\t{b_start}\t{b_start + 5}\tProtagonist\tGuardian\tVirtuous",
    ]
    (d / "subtask-1-annotations.txt").write_bytes(("\r\n".join(st1) + "\r\n").encode())
    st2 = [
        "EN_A.txt\tURW: Blaming the war on others rather than the invader\t"
        "URW: Blaming the war on others rather than the invader: The West are the aggressors",
        "EN_B.txt\tOther\tOther",
    ]
    (d / "subtask-2-annotations.txt").write_bytes(("\r\n".join(st2) + "\r\n").encode())
    st3 = "EN_A.txt\tURW: Blaming the war on others rather than the invader\tnone\tThe text blames the West for the war."
    (d / "subtask-3-annotations.txt").write_bytes((st3 + "\r\n").encode())
    return root


def test_samples_f1_is_mean_of_document_f1() -> None:
    classes = {"A", "B", "C", "Other"}
    gold = [{"A", "B"}, {"Other"}, {"C"}]
    pred = [{"A"}, {"Other"}, {"A"}]
    # doc1: P=1, R=.5 -> 2/3; doc2: 1; doc3: 0
    assert samples_f1(gold, pred, classes) == pytest.approx((2 / 3 + 1 + 0) / 3)
    # labels outside the class list are ignored, and an empty match scores 0
    assert samples_f1([{"A", "Z"}], [{"A"}], classes) == pytest.approx(1.0)
    assert samples_f1([{"A"}], [set()], classes) == 0.0


def test_emr_accuracy_micro_f1() -> None:
    gold = [("Tyrant",), ("Guardian", "Virtuous"), ("Victim",)]
    pred = [["Tyrant"], ["Guardian"], ["Victim"]]
    assert exact_match_ratio(gold, pred) == pytest.approx(2 / 3)
    assert accuracy(["Antagonist", "Protagonist"], ["Antagonist", "Innocent"]) == 0.5
    assert micro_f1(gold, pred) == pytest.approx(2 * 3 / (2 * 3 + 0 + 1))


def test_reader_keeps_crlf_and_converts_inclusive_ends(tmp_path: Path) -> None:
    sp = read_split(make_layout(tmp_path), "dev", "EN")
    assert "\r\n" in sp.docs["EN_B.txt"]
    for m in sp.mentions:
        assert sp.docs[m.doc_id][m.start : m.end] == m.text
    assert sp.mentions[1].fine_roles == ("Guardian", "Virtuous")
    assert sp.narratives["EN_B.txt"].narratives == ("Other",)
    assert sp.explanations["EN_A.txt"].subnarrative == "none"


def test_submission_lines_round_trip(tmp_path: Path) -> None:
    sp = read_split(make_layout(tmp_path), "dev", "EN")
    lines = st1_lines(sp.mentions, [(m.main_role, list(m.fine_roles)) for m in sp.mentions])
    assert lines[0] == "EN_A.txt\tMoscow\t0\t5\tAntagonist\tInstigator"
    sub = "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
    rows = st2_lines(
        ["x", "y"], [(["URW: Discrediting Ukraine"], [sub, "URW: Discrediting Ukraine: Other"]), ([], [])]
    )
    assert (
        rows[0]
        == f"x\tURW: Discrediting Ukraine;URW: Discrediting Ukraine\t{sub};URW: Discrediting Ukraine: Other"
    )
    assert rows[1] == "y\tOther\tOther"


def _args(data: Path, **kw: object) -> argparse.Namespace:
    base = dict(
        data=str(data),
        split="dev",
        lang="EN",
        limit=None,
        out=None,
        predict_only=False,
        embedder="fake",
        no_cache=True,
    )
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.fixture
def fake384(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ev, "_embedder", lambda args: FakeEmbedder(384))


@pytest.mark.usefixtures("fake384")
def test_eval_runs_on_dev_layout(tmp_path: Path) -> None:
    root = make_layout(tmp_path)
    r2 = ev.run_st2(_args(root))
    assert r2["task"] == "semeval2025-st2" and r2["n"] == 2 and r2["split"] == "dev"
    assert set(r2["metrics"]) == {"f1_samples_fine", "f1_samples_coarse"}
    r1 = ev.run_st1(_args(root))
    assert set(r1["metrics"]) == {"emr", "main_role_accuracy", "f1_micro_fine"} and r1["n"] == 2
    r3 = ev.run_st3(_args(root))
    assert -1.0 <= r3["metrics"]["similarity"] <= 1.0


@pytest.mark.usefixtures("fake384")
def test_predict_only_writes_official_format(tmp_path: Path) -> None:
    root = make_layout(tmp_path)
    out = tmp_path / "pred.txt"
    r = ev.run_st1(_args(root, predict_only=True, out=str(out)))
    assert r["metrics"] == {}
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row[:4] for row in rows] == [
        ["EN_A.txt", "Moscow", "0", "5"],
        ["EN_B.txt", "Berlin", *rows[1][2:4]],
    ]
    assert all(row[4] in {"Protagonist", "Antagonist", "Innocent"} and len(row) >= 6 for row in rows)


@pytest.mark.shared_data
def test_smoke_eval_on_shared_train(shared_data: Path) -> None:
    data = shared_data / "semeval2025_task10"
    args = _args(data, split="train", limit=3, embedder="minilm-int8", no_cache=False)
    r = ev.run_st2(args)
    assert r["n"] == 3 and "note" in r
    r1 = ev.run_st1(args)
    assert 0.0 <= r1["metrics"]["emr"] <= 1.0
