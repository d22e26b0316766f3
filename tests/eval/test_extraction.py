"""Extraction metrics on tiny hand-made inputs with known answers, plus a shared-data smoke test."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from narrascope.eval import extraction as ex


def test_shingles_short_text_gives_one_short_shingle() -> None:
    assert ex.shingles("a b") == {("a", "b"): 1}
    assert ex.shingles("") == {}
    assert sum(ex.shingles("a b c d e").values()) == 2


def test_doc_prf_normalises_counts() -> None:
    # gold 4-grams: (a b c d), (b c d e); prediction has the first and one extra
    tp, fp, fn = ex.doc_prf("a b c d e", "a b c d x")
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_aeb_scores_known_values() -> None:
    pairs = [
        ("one two three four five", "one two three four five"),  # perfect
        ("one two three four five", "one two three four six"),  # tp 1, fp 1, fn 1
        ("alpha beta gamma delta", ""),  # nothing returned: recall only
    ]
    res = ex.aeb_scores(pairs)
    assert res["precision"] == pytest.approx((1 + 0.5) / 2)
    assert res["recall"] == pytest.approx((1 + 0.5 + 0) / 3)
    p, r = res["precision"], res["recall"]
    assert res["f1"] == pytest.approx(2 * p * r / (p + r))
    assert res["accuracy"] == pytest.approx(1 / 3)


def test_token_variant_ignores_order() -> None:
    assert ex.aeb_scores([("a b c d", "d c b a")], n=1)["f1"] == 1.0
    assert ex.aeb_scores([("a b c d", "d c b a")], n=4)["f1"] == 0.0


def test_segment_metric_micro_average() -> None:
    out = "The  bridge\nopened today. Share this"
    counts = [
        ex.segment_counts(out, ["bridge opened", "missing part"], ["Share this", "Cookie"]),
        ex.segment_counts(None, ["anything"], ["nothing"]),
    ]
    assert counts[0] == (1, 1, 1, 1)
    assert counts[1] == (0, 0, 1, 1)
    res = ex.segment_scores(counts)
    assert res["precision"] == pytest.approx(0.5)
    assert res["recall"] == pytest.approx(1 / 3)
    assert res["f1"] == pytest.approx(2 / (2 + 1 + 2))
    assert res["accuracy"] == pytest.approx(3 / 6)


def test_segment_matching_is_case_sensitive() -> None:
    assert ex.segment_counts("Bridge", ["bridge"], []) == (0, 0, 1, 0)


def test_title_and_author_normalisation() -> None:
    assert ex.norm_title("  „Café“ – reopened!  ") == ex.norm_title('"café" - Reopened')
    assert ex.author_names("By J. Smith and Ana Lee") == {"j smith", "ana lee"}
    assert ex.author_names(["Ana Lee", "Bo Ek"]) == {"ana lee", "bo ek"}
    assert ex.author_names(None) == set()


def test_norm_date_repairs_malformed_gold() -> None:
    assert ex.norm_date("2022-11-1") == "2022-11-01"
    assert ex.norm_date("2022-01.26") == "2022-01-26"
    assert ex.norm_date(float("nan")) is None


def test_date_scores() -> None:
    res = ex.date_scores([("2020-01-01", "2020-01-01"), ("2020-01-02", "2020-01-03"), ("2020-01-04", None)])
    assert res["date_precision"] == pytest.approx(0.5)
    assert res["date_recall"] == pytest.approx(0.5)
    assert res["date_accuracy"] == pytest.approx(1 / 3)
    assert res["no_date"] == 1


def test_flat_scores_counts_leaks_and_losses() -> None:
    case = {
        "expected_text": "The bridge opened.\n\nPeople came.",
        "expected_metadata": {"title": "Bridge", "author": None, "date": "2024-03-12", "site": None},
        "must_contain": ["The bridge opened."],
        "must_not_contain": ["Accept all"],
    }
    out = {"text": "Accept all\nThe bridge opened.", "title": "Bridge", "date": "2024-03-12"}
    res = ex._flat_scores([case], [out])
    assert res["must_not_leaked"] == 1
    assert res["must_lost"] == 0
    assert res["metadata_exact"] == 1.0
    assert res["recall"] == pytest.approx(3 / 5)


def test_gate_pin_and_corpus_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex, "BASELINES", tmp_path / "extraction.json")
    floors = ex.pin("scrapinghub-aeb", "hash1", {"precision": 0.95, "recall": 0.97, "f1": 0.96})
    assert floors["f1"] == pytest.approx(0.955)
    assert ex.gate("scrapinghub-aeb", "hash1", {"precision": 0.95, "recall": 0.97, "f1": 0.96})[0]
    ok, msgs = ex.gate("scrapinghub-aeb", "hash1", {"precision": 0.95, "recall": 0.97, "f1": 0.90})
    assert not ok and "f1" in msgs[0]
    ok, msgs = ex.gate("scrapinghub-aeb", "hash2", {"f1": 0.0})
    assert ok and "corpus changed" in msgs[0]


def test_corpus_hash_depends_on_names_and_sizes(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    first = ex.corpus_hash(tmp_path)
    (tmp_path / "a.json").write_text('{"x": 1}')
    assert ex.corpus_hash(tmp_path) != first


@pytest.mark.shared_data
@pytest.mark.parametrize("bench", ["scrapinghub-aeb", "trafilatura-eval", "htmldate-eval", "flattened-cases"])
def test_eval_smoke(shared_data: Path, bench: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = shared_data / "extraction" / bench
    args = argparse.Namespace(data=str(data), limit=5, workers=1, gate=False, pin=False)
    res = ex.run(args)
    assert res["benchmark"] == bench
    assert res["n"] == 5
    assert "trafilatura" in res["systems"]
    for figures in res["systems"].values():
        assert figures["ms_per_doc"] >= 0
    json.dumps(res)
    assert bench in capsys.readouterr().out
