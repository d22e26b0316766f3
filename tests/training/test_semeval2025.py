"""SemEval-2025 training: folds, thresholds, temperature, and an end-to-end fit on a synthetic
dataset in the official layout (fake embedder, so no model and no ../shared)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.analyzers.heads_semeval2025 import LinearArtifact, NarrativeModel, RoleModel
from narrascope.backends.embedders import FakeEmbedder
from narrascope.training import semeval2025 as tr

COARSE = ["URW: Praise of Russia", "URW: Discrediting Ukraine"]
FINE = [
    "URW: Praise of Russia: Praise of Russian military might",
    "URW: Praise of Russia: Other",
    "URW: Discrediting Ukraine: Discrediting Ukrainian military",
    "URW: Discrediting Ukraine: Other",
]
ROLES = {
    "name": "Entity Framing",
    "children": [
        {"name": "Protagonist", "children": [{"name": "Guardian"}, {"name": "Virtuous"}]},
        {"name": "Antagonist", "children": [{"name": "Tyrant"}, {"name": "Deceiver"}]},
    ],
}
# Two kinds of synthetic article (written for this test), alternating.
PRAISE = "The army of Russia advanced with great strength near Avdiivka. Generals praised the brave troops."
SMEAR = "Officials in Kyiv lied again about losses. The army of Ukraine abandoned its positions in panic."


def make_train_layout(root: Path, n: int = 16) -> Path:
    d = root / "train" / "EN"
    (d / "raw-documents").mkdir(parents=True)
    (root / "taxonomy").mkdir()
    (root / "taxonomy" / "subtask2_narratives.txt").write_text("\n".join([*COARSE, "Other"]) + "\n")
    (root / "taxonomy" / "subtask2_subnarratives.txt").write_text("\n".join([*FINE, "Other"]) + "\n")
    (root / "taxonomy" / "entity_roles_taxonomy.json").write_text(json.dumps(ROLES))
    st1, st2 = [], []
    for i in range(n):
        text = (PRAISE if i % 2 == 0 else SMEAR) + f" Report number {i}."
        name = f"EN_{i:03d}.txt"
        (d / "raw-documents" / name).write_text(text, encoding="utf-8")
        if i % 4 == 3:
            st2.append(f"{name}\tOther\tOther")
        elif i % 2 == 0:
            st2.append(f"{name}\t{COARSE[0]}\t{FINE[0]}")
        else:
            st2.append(f"{name}\t{COARSE[1]}\t{FINE[2]}")
        who = "Russia" if i % 2 == 0 else "Kyiv"
        s = text.index(who)
        role = "Protagonist\tGuardian" if i % 2 == 0 else "Antagonist\tDeceiver"
        st1.append(f"{name}\t{who}\t{s}\t{s + len(who) - 1}\t{role}")
    (d / "subtask-1-annotations.txt").write_text("\n".join(st1) + "\n")
    (d / "subtask-2-annotations.txt").write_text("\n".join(st2) + "\n")
    return root


def _args(data: Path, out: Path, **kw: object) -> argparse.Namespace:
    base = dict(
        data=str(data),
        out=str(out),
        lang="EN",
        cv=0,
        C=1.0,
        limit=None,
        no_label_features=False,
        thr_coarse=0.5,
        thr_fine=0.5,
        thr_other=0.5,
        other_gate=False,
        second_ratio=1.1,
    )
    base.update(kw)
    return argparse.Namespace(**base)


@pytest.fixture
def fake_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tr, "training_embedder", lambda name="minilm-int8": FakeEmbedder(384))


def test_doc_folds_deterministic_and_balanced() -> None:
    ids = [f"d{i}" for i in range(10)]
    a, b = tr.doc_folds(ids, 5), tr.doc_folds(ids, 5)
    assert a == b
    assert sorted(np.bincount(list(a.values()))) == [2, 2, 2, 2, 2]


def test_fit_temperature_softens_overconfident_scores() -> None:
    y = np.array([0, 1] * 50)
    p = np.tile([[0.99, 0.01]], (100, 1))  # always sure of class 0, right half the time
    assert tr.fit_temperature(p, y) >= 4.0


@pytest.mark.usefixtures("fake_embedder")
def test_train_narratives_end_to_end(tmp_path: Path) -> None:
    data = make_train_layout(tmp_path / "data")
    out = tmp_path / "narr"
    res = tr.train_narratives(_args(data, out, cv=2))
    assert {"f1_samples_fine", "f1_samples_coarse"} <= set(res["cv"])
    assert res["baseline_all_other"]["f1_samples_fine"] == pytest.approx(0.25)
    art = LinearArtifact.load(out)
    assert art.config["fine_labels"] == FINE and art.arrays["W_fine"].shape[1] == len(FINE)
    again = tmp_path / "narr2"
    tr.train_narratives(_args(data, again, cv=2))
    assert (out / "weights.npz").read_bytes() == (again / "weights.npz").read_bytes()  # seeded, reproducible
    assert NarrativeModel(out).config["cv"] == res["cv"]


@pytest.mark.usefixtures("fake_embedder")
def test_train_roles_end_to_end(tmp_path: Path) -> None:
    data = make_train_layout(tmp_path / "data")
    out = tmp_path / "roles"
    res = tr.train_roles(_args(data, out, cv=2))
    assert res["n"] == 16 and 0.0 <= res["cv"]["emr"] <= 1.0
    model = RoleModel(out)
    assert model.config["main_labels"] == ["Protagonist", "Antagonist"]
    assert model.config["fine_parent"] == [0, 0, 1, 1]


@pytest.mark.usefixtures("fake_embedder")
def test_models_trained_without_cv_still_predict(tmp_path: Path) -> None:
    from narrascope.analyzers.framing_base import encode_docs
    from narrascope.model import Document, InputRef

    data = make_train_layout(tmp_path / "data")
    tr.train_roles(_args(data, tmp_path / "r"))
    tr.train_narratives(_args(data, tmp_path / "n"))
    (enc,) = encode_docs([Document(SMEAR, InputRef("x", "-", "txt"))], FakeEmbedder(384))
    p_main, _ = RoleModel(tmp_path / "r").mention_scores(
        enc, [(SMEAR.index("Kyiv"), SMEAR.index("Kyiv") + 4)]
    )
    assert p_main.shape == (1, 2)
    for n in NarrativeModel(tmp_path / "n").predict(enc):
        assert n["evidence"] and 0.0 <= n["score"] <= 1.0


def test_layout_text_keeps_offsets_and_exposes_paragraphs() -> None:
    from narrascope.analyzers.framing_base import split_paragraphs

    raw = "First line here.  \r\n\r\nSecond one, CRLF.\r\nThird.\n"
    laid = tr.layout_text(raw)
    assert all(laid[i] == raw[i] for i in range(len(laid)) if not raw[i].isspace())
    assert len(laid) == len(raw.rstrip())
    assert [laid[s:e] for s, e in split_paragraphs(laid)] == [
        "First line here.",
        "Second one, CRLF.\n Third.",
    ]


@pytest.mark.usefixtures("fake_embedder")
def test_train_roles_with_span_features(tmp_path: Path) -> None:
    from narrascope.analyzers.framing_base import encode_docs
    from narrascope.backends.token_states import FakeTokenStates
    from narrascope.model import Document, InputRef

    data = make_train_layout(tmp_path / "data")
    out = tmp_path / "roles"
    res = tr.train_roles(_args(data, out, cv=2, features="span", C_fine=0.5))
    assert res["features"] == "span.v1" and len(res["class_margin_cv"]) == 4
    art = LinearArtifact.load(out)
    blocks = art.config["blocks"]
    # Main model: no weight on the sentence-vector block; fine model: none on the window block.
    assert not art.arrays["W_main"][slice(*blocks["context"])].any()
    assert not art.arrays["W_fine"][slice(*blocks["window"])].any()
    assert art.arrays["W_main"][slice(*blocks["span"])].any()
    assert blocks["cheap"][1] == art.arrays["mu"].shape[0]
    model = RoleModel(out)
    assert model.uses_span_states and model.config["token_encoder"] == FakeTokenStates.name
    (enc,) = encode_docs([Document(SMEAR, InputRef("x", "-", "txt"))], FakeEmbedder(384))
    k = SMEAR.index("Kyiv")
    p_main, _ = model.mention_scores(enc, [(k, k + 4)])
    assert p_main.shape == (1, 2) and np.isclose(p_main.sum(), 1.0)
    tr.train_roles(_args(data, tmp_path / "again", cv=2, features="span", C_fine=0.5))
    assert (out / "weights.npz").read_bytes() == (tmp_path / "again" / "weights.npz").read_bytes()
