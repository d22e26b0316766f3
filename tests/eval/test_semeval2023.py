"""SemEval-2023 Task 3 metrics, readers (hand-made layout) and a shared-data smoke test."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from narrascope.eval import semeval2023_data as D
from narrascope.eval.neutrality_techniques import flip_stats, swap_actors
from narrascope.eval.semeval2023 import f1_multilabel, f1_single, paragraph_labels


def test_f1_single_macro_and_accuracy_by_hand() -> None:
    gold = ["opinion", "opinion", "reporting", "satire"]
    pred = ["opinion", "reporting", "reporting", "opinion"]
    # opinion: tp1 fp1 fn1 -> 0.5; reporting: tp1 fp1 fn0 -> 2/3; satire: tp0 -> 0
    macro, acc = f1_single(gold, pred)
    assert macro == pytest.approx((0.5 + 2 / 3 + 0.0) / 3)
    assert acc == pytest.approx(0.5)


def test_f1_multilabel_micro_macro_by_hand() -> None:
    Y = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 0]], dtype=bool)
    P = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 0]], dtype=bool)
    micro, macro = f1_multilabel(Y, P)
    # tp=2 (a row0, b row1), fp=1 (b row0), fn=1 (a row1): 4/6
    assert micro == pytest.approx(4 / 6)
    # a: tp1 fn1 -> 2/3; b: tp1 fp1 -> 2/3; c: absent everywhere -> 1 (zero_division=1)
    assert macro == pytest.approx((2 / 3 + 2 / 3 + 1.0) / 3)
    assert f1_multilabel(np.zeros((2, 2), bool), np.zeros((2, 2), bool)) == (1.0, 1.0)


def _layout(root: Path, split: str = "dev") -> Path:
    d = root / "data" / "en"
    (d / f"{split}-articles-subtask-3").mkdir(parents=True)
    (d / f"{split}-articles-subtask-1").mkdir(parents=True)
    art = "A made-up headline\n\n  First paragraph says hello.  \n\nSecond one! It shouts.\n\ufeff\n"
    for sub in (1, 3):
        (d / f"{split}-articles-subtask-{sub}" / "article42.txt").write_text(art, encoding="utf-8")
    (d / f"{split}-labels-subtask-1.txt").write_text("42\topinion\n", encoding="utf-8")
    (d / f"{split}-labels-subtask-3.template").write_text(
        "42\t1\tA made-up headline\n42\t3\tFirst paragraph says hello.\n42\t5\tSecond one! It shouts.\n",
        encoding="utf-8",
    )
    (d / f"{split}-labels-subtask-3.txt").write_text(
        "42\t1\t\n42\t3\tDoubt\n42\t5\tLoaded_Language,Slogans\n", encoding="utf-8"
    )
    (root / "label_lists").mkdir()
    (root / "label_lists" / "techniques_subtask3.txt").write_text(
        "Doubt\nLoaded_Language\nSlogans\n", encoding="utf-8"
    )
    return root


def test_readers_on_official_layout(tmp_path: Path) -> None:
    root = _layout(tmp_path)
    arts = D.st_articles(root, "en", "dev", 3)
    art = arts["42"]
    assert art.line_nos == (1, 3, 5)  # the BOM-only line is skipped
    raw = (root / "data/en/dev-articles-subtask-3/article42.txt").read_text(encoding="utf-8")
    for (s, e), o in zip(art.para_spans, art.orig_starts, strict=True):
        assert raw[o : o + e - s] == art.doc.text[s:e]
    s, e = art.para_spans[1]
    assert art.to_orig(s, e) == (raw.index("First"), raw.index("hello.") + len("hello."))
    assert D.read_st1(root, "en", "dev") == {"42": "opinion"}
    assert D.read_st3_paragraphs(root, "en", "dev")[("42", 5)] == ["Loaded_Language", "Slogans"]
    assert D.read_template(root, "en", "dev") == [("42", 1), ("42", 3), ("42", 5)]
    techs = [{"technique": "Doubt", "start": s + 1, "end": e}]
    assert paragraph_labels(art, techs) == {3: ["Doubt"]}


def test_swap_actors_both_ways() -> None:
    text = "Russia said Ukrainian forces left Kyiv; PUTIN met Zelenskyy. Russians and Ukrainians."
    out = swap_actors(text)
    assert out == "Ukraine said Russian forces left Moscow; ZELENSKY met Putin. Ukrainians and Russians."
    assert swap_actors("Russian Ukraine") == "Ukrainian Russia"


def test_flip_stats() -> None:
    before = [{"Doubt"}, {"Loaded_Language"}, set()]
    after = [{"Doubt"}, {"Name_Calling-Labeling"}, set()]
    st = flip_stats(before, after, [True, True, False])
    assert st["paragraphs_touched"] == 2 and st["paragraph_flip_rate"] == 0.5
    assert st["label_flip_rate"] == pytest.approx(round(2 / 3, 4))


@pytest.mark.shared_data
@pytest.mark.slow
def test_eval_smoke_on_shared_train(shared_data: Path) -> None:
    from narrascope.eval.semeval2023 import eval_st1, eval_st2, eval_st3

    root = shared_data / "semeval2023_task3"
    ns = argparse.Namespace(data=str(root), split="train", lang="en", limit=3, predict_only=False, out=None)
    for fn, key in ((eval_st1, "f1_macro"), (eval_st2, "f1_micro"), (eval_st3, "f1_micro")):
        res = fn(ns)
        assert res["n"] > 0 and 0.0 <= res["metrics"][key] <= 1.0
        assert "in-sample" in res["note"]
