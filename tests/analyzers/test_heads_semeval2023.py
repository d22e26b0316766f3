"""Techniques / genre / frames heads: decoding goldens, artifacts, cue lexicon, a full predict."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from narrascope.analyzers.framing_base import EncodedDoc, split_paragraphs, split_sentences
from narrascope.analyzers.heads_semeval2023 import (
    MODELS_DIR,
    FramesHead,
    GenreHead,
    TechniquesHead,
    decode_frames,
    decode_genre,
    decode_techniques,
    load_cues,
    load_model,
)
from narrascope.model import Document, InputRef
from narrascope.model.span import check_evidence

GOLDEN = Path(__file__).parent / "goldens" / "semeval2023_decode.json"
REGEN = os.environ.get("NARRASCOPE_REGEN_GOLDENS") == "1"

TECHNIQUES_23 = [
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
]

# A text written for this test (not from any data set).
TEXT = (
    "The council met on Tuesday. Members voted to repair the bridge.\n\n"
    "Critics called the plan an utter disaster! They said nobody would ever trust the mayor again.\n\n"
    "Is this really the best we can do? Either we act now or the town collapses."
)


def _spans() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    paras = split_paragraphs(TEXT)
    sents = [s for p in paras for s in split_sentences(TEXT, *p)]
    return paras, sents


def _decoded() -> dict[str, object]:
    paras, sents = _spans()
    labels = ["Loaded_Language", "Doubt", "False_Dilemma-No_Choice"]
    ps = np.array([[0.10, 0.05, 0.02], [0.81, 0.30, 0.01], [0.20, 0.66, 0.72]])
    ss = np.array(
        [[0.1, 0.0, 0.0], [0.0, 0.1, 0.0], [0.9, 0.2, 0.0], [0.7, 0.3, 0.0], [0.1, 0.8, 0.1], [0.1, 0.2, 0.9]]
    )
    techs = decode_techniques(
        TEXT, paras, sents, ps, ss, labels, [0.5, 0.5, 0.5], span_threshold=0.6, max_sentences=2
    )
    genre = decode_genre(
        TEXT,
        sents,
        np.array([0.7, 0.25, 0.05]),
        np.array([0.0, 0.5, 0.0]),
        ["opinion", "reporting", "satire"],
        np.array([[0.1, 0.3, 0], [0.2, 0.9, 0], [0.5, 0, 0], [0.4, 0, 0], [0.9, 0, 0], [0.3, 0, 0]]),
    )
    frames = decode_frames(
        TEXT,
        sents,
        np.array([0.9, 0.2, 0.55]),
        ["Political", "Economic", "Quality_of_life"],
        [0.5, 0.5, 0.6],
        np.arange(18, dtype=float).reshape(6, 3),
    )
    return {"techniques": techs, "genre": genre, "frames": frames}


def test_decode_golden() -> None:
    got = json.loads(json.dumps(_decoded()))
    if REGEN or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_decode_contract_shape() -> None:
    out = _decoded()
    assert check_evidence(TEXT, out) == []
    techs = out["techniques"]
    assert isinstance(techs, list)
    names = [(t["technique"], t["quote"]) for t in techs]
    # paragraph 2: Loaded_Language on its two sentences (second reaches span_threshold 0.6)
    assert ("Loaded_Language", "Critics called the plan an utter disaster!") in names
    assert ("Loaded_Language", "They said nobody would ever trust the mayor again.") in names
    # paragraph 3: Doubt on the question, False dilemma on the either/or sentence
    assert ("Doubt", "Is this really the best we can do?") in names
    assert ("False_Dilemma-No_Choice", "Either we act now or the town collapses.") in names
    assert all(t["end"] - t["start"] < len(TEXT) for t in techs)
    # the offset for reporting (+0.5) is not enough to beat opinion's lead
    assert out["genre"]["label"] == "opinion"
    assert [f["frame"] for f in out["frames"]] == ["Political"]


def test_decode_nothing_above_threshold() -> None:
    paras, sents = _spans()
    out = decode_techniques(
        TEXT, paras, sents, np.zeros((3, 2)), np.zeros((6, 2)), ["Doubt", "Slogans"], [0.5, 0.5]
    )
    assert out == []


@pytest.mark.parametrize(
    ("sub", "stem"),
    [("techniques", "paragraph"), ("techniques", "sentence"), ("genre", "genre"), ("frames", "frames")],
)
def test_shipped_artifacts_load_with_consistent_shapes(sub: str, stem: str) -> None:
    m = load_model(MODELS_DIR / sub, stem)
    assert m.W.shape == (len(m.labels), m.mu.shape[0])
    assert np.isfinite(m.W).all() and np.isfinite(m.b).all() and (m.sd > 0).all()
    n_cues = len(load_cues().names)
    dims = {"paragraph": 2 * 384, "sentence": 2 * 384, "genre": 2 * 384, "frames": 2 * 384}
    assert m.W.shape[1] == dims[stem] + n_cues
    if sub == "techniques":
        assert list(m.labels) == TECHNIQUES_23
    if stem in ("paragraph", "frames"):
        assert len(m.config["thresholds"]) == len(m.labels)
    if sub == "genre":
        assert list(m.labels) == ["opinion", "reporting", "satire"]
    assert (MODELS_DIR / sub / "MODEL_CARD.md").is_file()


def test_cue_lexicon_is_valid() -> None:
    cues = load_cues()
    assert len(cues.names) == len(set(cues.names))
    for name, tech, _ in cues.groups:
        assert tech in TECHNIQUES_23 or tech == "none", name
    hits = cues.matches("Critics called the plan shameful and barbaric!", "Loaded_Language")
    assert hits, "a loaded word must match"
    assert cues.counts("Either we act now or we lose everything.")[cues.names.index("dilemma_cue")] == 1


def _random_enc(text: str, seed: int = 0) -> EncodedDoc:
    doc = Document(text=text, input=InputRef(path=None, sha256="", format="text"), language="en")
    paras = split_paragraphs(text)
    sents = [s for p in paras for s in split_sentences(text, *p)]
    rng = np.random.default_rng(seed)

    def unit(n: int) -> np.ndarray:
        v = rng.normal(size=(n, 384)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    pv = unit(len(paras))
    dv = pv.mean(0)
    return EncodedDoc(doc, tuple(sents), tuple(paras), unit(len(sents)), pv, dv / np.linalg.norm(dv))


def test_heads_predict_on_synthetic_vectors() -> None:
    enc = _random_enc(TEXT)
    heads = [TechniquesHead({}), GenreHead({}), FramesHead({})]
    out: dict[str, object] = {}
    for h in heads:
        out.update(h.predict(enc, {}))
    assert check_evidence(TEXT, out) == []
    assert out["genre"]["label"] in {"opinion", "reporting", "satire"}
    assert 0.0 <= out["genre"]["score"] <= 1.0
    for t in out["techniques"]:
        assert t["technique"] in TECHNIQUES_23 and 0 <= t["score"] <= 1
        assert t["quote"] == TEXT[t["start"] : t["end"]] and "\n\n" not in t["quote"]
    # deterministic
    again: dict[str, object] = {}
    for h in heads:
        again.update(h.predict(enc, {}))
    assert again == out


def test_head_rejects_wrong_embedding_size() -> None:
    from narrascope.errors import ModelError

    enc = _random_enc(TEXT)
    small = EncodedDoc(
        enc.doc, enc.sentences, enc.paragraphs, enc.sent_emb[:, :64], enc.para_emb[:, :64], enc.doc_emb[:64]
    )
    with pytest.raises(ModelError):
        TechniquesHead({}).predict(small, {})


def test_neutral_directions_are_orthonormal_and_projected_out() -> None:
    from narrascope.analyzers.heads_semeval2023 import load_neutral, project_out

    U = load_neutral(MODELS_DIR / "techniques")
    assert U is not None and U.shape[1] == 384 and 1 <= U.shape[0] <= 64
    assert np.allclose(U @ U.T, np.eye(U.shape[0]), atol=1e-4)
    v = np.random.default_rng(1).normal(size=(3, 384)).astype(np.float32)
    assert np.abs(project_out(v, U) @ U.T).max() < 1e-4
    assert project_out(v, None) is v
