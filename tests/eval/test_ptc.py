"""PTC metrics checked against hand-computed values, plus a shared-data smoke test."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from narrascope.eval.ptc import PTC_LABELS, merge_spans, si_scores, tc_accuracy, tc_classify
from narrascope.eval.semeval2023_data import PTC_TO_2023


def test_merge_spans() -> None:
    assert merge_spans([(5, 10), (0, 3), (8, 12), (12, 14), (3, 3)]) == [(0, 3), (5, 12), (12, 14)]


def test_si_partial_overlap_by_hand() -> None:
    gold = {"a": [(0, 10), (20, 30)], "b": [(0, 4)]}
    pred = {"a": [(5, 15), (22, 24)], "c": [(0, 2)]}
    # a: s1=(5,15)∩(0,10)=5 -> P 5/10, R 5/10; s2=(22,24)∩(20,30)=2 -> P 2/2, R 2/10
    # |S|=3 (incl. c), |T|=3 (incl. b)
    p = (0.5 + 1.0) / 3
    r = (0.5 + 0.2) / 3
    got = si_scores(gold, pred)
    assert got["precision"] == pytest.approx(round(p, 4))
    assert got["recall"] == pytest.approx(round(r, 4))
    assert got["f1"] == pytest.approx(round(2 * p * r / (p + r), 4))


def test_si_merges_overlapping_predictions_first() -> None:
    gold = {"a": [(0, 10)]}
    # two overlapping predictions become one span (0, 10): perfect score
    assert si_scores(gold, {"a": [(0, 6), (4, 10)]})["f1"] == 1.0
    assert si_scores(gold, {})["f1"] == 0.0


def test_tc_accuracy_with_duplicate_spans() -> None:
    gold = [("a", 0, 5, "Doubt"), ("a", 0, 5, "Slogans"), ("a", 7, 9, "Repetition")]
    pred = [("a", 0, 5, "Slogans"), ("a", 0, 5, "Doubt"), ("a", 7, 9, "Doubt")]
    assert tc_accuracy(gold, pred) == pytest.approx(2 / 3)


def test_tc_classify_maps_2023_names_to_ptc() -> None:
    labels = ["Doubt", "Straw_Man", "Loaded_Language"]
    scores = np.array([[0.1, 0.9, 0.2], [0.8, 0.0, 0.1]])
    sents = [(0, 10), (11, 20)]
    assert tc_classify(scores, sents, (2, 5), labels) == "Whataboutism,Straw_Men,Red_Herring"
    assert tc_classify(scores, sents, (12, 15), labels) == "Doubt"


def test_mapping_covers_all_14_ptc_classes() -> None:
    assert len(PTC_LABELS) == 14 and set(PTC_TO_2023) == set(PTC_LABELS)


@pytest.mark.shared_data
@pytest.mark.slow
def test_ptc_eval_smoke(shared_data: Path) -> None:
    from narrascope.eval.ptc import eval_si, eval_tc

    ns = argparse.Namespace(
        data=str(shared_data / "ptc_semeval2020_task11"),
        split="dev",
        lang="en",
        limit=2,
        predict_only=False,
        out=None,
    )
    si = eval_si(ns)
    assert 0.0 <= si["metrics"]["f1"] <= 1.0 and "in-sample" in si["note"]
    tc = eval_tc(ns)
    assert tc["n"] > 0 and 0.0 <= tc["metrics"]["f1_micro"] <= 1.0
