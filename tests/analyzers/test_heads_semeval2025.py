"""SemEval-2025 heads: decoders (golden files of recorded raw scores), artifact loading, shapes.

Regenerate the golden file only on purpose: ``NARRASCOPE_REGEN_GOLDEN=1 pytest -m slow
tests/analyzers/test_heads_semeval2025.py`` (records MiniLM scores of the synthetic text below).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from narrascope.analyzers.base import DocInput
from narrascope.analyzers.framing_base import FramingAnalyzer, encode_docs
from narrascope.analyzers.heads_semeval2025 import (
    MODELS_DIR,
    LinearArtifact,
    NarrativeModel,
    RoleModel,
    calibrate,
    decode_narratives,
    decode_roles,
    mention_features,
    sentence_evidence,
)
from narrascope.analyzers.semeval2025_explain import build_explanation, claim_phrase, fallback_mentions
from narrascope.backends.embedders import FakeEmbedder
from narrascope.backends.token_states import FakeTokenStates
from narrascope.model import Document, InputRef
from narrascope.model.span import check_evidence

GOLDEN = Path(__file__).parent / "goldens" / "semeval2025_narratives.json"

# Written for these tests (no dataset text).
TEXT = (
    "Western governments keep sending weapons to Kyiv, and the Kremlin warns that this risks a wider war.\n\n"
    "A commentator on state television said NATO provoked the conflict and that Ukraine is a puppet of Washington. "
    "He added that sanctions will hurt Europe more than Russia.\n\n"
    "Officials in Brussels rejected the claims and said Russia alone started the invasion."
)


def _doc(text: str = TEXT) -> Document:
    return Document(text, InputRef("t.txt", "-", "txt"), language="en")


def _toy_config() -> dict[str, Any]:
    return {
        "coarse_labels": ["CC: A", "URW: B", "URW: C"],
        "fine_labels": [
            "CC: A: a1",
            "CC: A: Other",
            "URW: B: b1",
            "URW: B: b2",
            "URW: B: Other",
            "URW: C: Other",
        ],
        "fine_parent": [0, 0, 1, 1, 1, 2],
        "thr_coarse": [0.5, 0.5, 0.5],
        "thr_fine": [0.4] * 6,
        "single_domain": True,
    }


def test_decode_narratives_hierarchy_and_other() -> None:
    cfg = _toy_config()
    p_c = np.array([0.6, 0.9, 0.7])
    p_f = np.array([0.9, 0.0, 0.3, 0.8, 0.0, 0.0])
    out = decode_narratives(p_c, p_f, cfg)
    # CC is dropped (one domain per document); B gets its passing child, C falls back to Other.
    assert [(n, s) for n, s, _, _ in out] == [("URW: B", "URW: B: b2"), ("URW: C", "URW: C: Other")]
    assert decode_narratives(np.array([0.1, 0.2, 0.3]), p_f, cfg) == []


def test_decode_narratives_other_gate() -> None:
    cfg = dict(_toy_config(), thr_other=0.6)
    low = np.array([0.1, 0.3, 0.2])
    p_f = np.zeros(6)
    assert decode_narratives(low, p_f, cfg, p_other=0.7) == []
    out = decode_narratives(low, p_f, cfg, p_other=0.2)  # the best narrative is always kept
    assert [(n, s) for n, s, _, _ in out] == [("URW: B", "URW: B: Other")]


def test_decode_roles_stays_in_main_role() -> None:
    cfg = {
        "main_labels": ["Protagonist", "Antagonist"],
        "fine_labels": ["Guardian", "Martyr", "Tyrant", "Deceiver"],
        "fine_parent": [0, 0, 1, 1],
        "second_ratio": 0.5,
    }
    main, fine, score = decode_roles(np.array([0.3, 0.7]), np.array([0.9, 0.05, 0.04, 0.01]), cfg)
    assert (main, fine) == ("Antagonist", ["Tyrant"])  # Guardian is not an Antagonist role
    assert score == pytest.approx(0.7)
    _, fine2, _ = decode_roles(np.array([0.3, 0.7]), np.array([0.1, 0.0, 0.5, 0.3]), cfg)
    assert fine2 == ["Tyrant", "Deceiver"]


def test_calibrate_is_monotone_interpolation() -> None:
    table = [
        {"mean_score": 0.2, "rate": 0.1},
        {"mean_score": 0.6, "rate": 0.05},
        {"mean_score": 0.9, "rate": 0.7},
    ]
    assert calibrate(0.4, None) == 0.4
    assert calibrate(0.2, table) == pytest.approx(0.1)
    assert calibrate(0.6, table) == pytest.approx(0.1)  # a dip in the table is flattened
    assert calibrate(0.95, table) == pytest.approx(0.85)
    assert calibrate(0.0, table) == 0.0 and calibrate(1.0, table) == 1.0


def test_golden_decode_from_recorded_scores() -> None:
    gold = json.loads(GOLDEN.read_text(encoding="utf-8"))
    out = decode_narratives(np.array(gold["p_coarse"]), np.array(gold["p_fine"]), gold["config"])
    assert [[n, s] for n, s, _, _ in out] == gold["expected"]


def test_shipped_artifacts_load_without_pickle() -> None:
    for name in ("narratives", "roles"):
        art = LinearArtifact.load(MODELS_DIR / name)
        assert art.config["dim"] == 384
        assert art.arrays["mu"].shape == art.arrays["sd"].shape
        with np.load(MODELS_DIR / name / "weights.npz", allow_pickle=False) as z:
            assert all(z[k].dtype == np.float32 for k in z.files)
    cfg = NarrativeModel().config
    assert len(cfg["fine_labels"]) == len(cfg["fine_parent"]) == len(cfg["thr_fine"])
    assert all(
        f.startswith(cfg["coarse_labels"][p])
        for f, p in zip(cfg["fine_labels"], cfg["fine_parent"], strict=True)
    )


def test_heads_contract_shapes_with_fake_embedder() -> None:
    analyzer = FramingAnalyzer(
        {
            "embedder_obj": FakeEmbedder(384),
            "heads": ["narratives", "roles", "explanation"],
            "head_options": {"roles": {"token_encoder": "fake"}},
        }
    )
    ents = [
        {"start": i, "end": i + 6, "quote": "Russia", "type": "GPE", "canonical": "Russia"}
        for i in [TEXT.index("Russia")]
    ]
    (res,) = analyzer.analyze([DocInput(_doc(), {"entities": ents})])
    assert set(res) == {"narratives", "roles", "explanation"}
    assert not check_evidence(TEXT, res)
    for n in res["narratives"]:
        assert n["evidence"] and 0.0 <= n["score"] <= 1.0
        assert n["subnarrative"].startswith(n["narrative"])
    for r in res["roles"]:
        assert r["entity"] == "Russia" and r["main_role"] in {"Protagonist", "Antagonist", "Innocent"}
    assert len(res["explanation"].split()) <= 80


def test_roles_on_given_mentions_and_features() -> None:
    (enc,) = encode_docs([_doc()], FakeEmbedder(384))
    s = TEXT.index("NATO")
    feats = mention_features(enc, s, s + 4, 256)
    assert feats.shape == (5 * 384 + 3 * 256,)
    model = RoleModel(token_encoder=FakeTokenStates())
    p_main, p_fine = model.mention_scores(enc, [(s, s + 4), (0, 7)])
    assert p_main.shape == (2, 3) and p_fine.shape == (2, 22)
    assert np.allclose(p_main.sum(1), 1.0)


def test_shipped_roles_artifact_needs_no_token_states() -> None:
    # The span.v1 variant was not shipped (name-swap neutrality, docs/decisions/011).
    model = RoleModel()
    assert not model.uses_span_states
    (enc,) = encode_docs([_doc()], FakeEmbedder(384))
    model.mention_scores(enc, [(0, 7)])
    assert model._tok is None
    recall = model.config["class_margin_cv"][0]["recall"]
    assert set(recall) == {"Protagonist", "Antagonist", "Innocent"}


def test_roles_skipped_when_document_has_no_narrative() -> None:
    analyzer = FramingAnalyzer({"embedder_obj": FakeEmbedder(384), "heads": ["roles"]})
    (res,) = analyzer.analyze([DocInput(_doc(), {"narratives": [], "entities": []})])
    assert res == {"roles": []}


def test_sentence_evidence_offsets() -> None:
    (enc,) = encode_docs([_doc()], FakeEmbedder(384))
    ev = sentence_evidence(enc, enc.sent_emb[1], k=1)
    assert ev[0]["quote"] == TEXT[ev[0]["start"] : ev[0]["end"]]
    assert "NATO provoked" in ev[0]["quote"]


def test_explanation_and_claims() -> None:
    assert claim_phrase(
        "URW: Discrediting Ukraine", "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
    ) == ("Ukraine is a puppet of the West")
    assert claim_phrase(
        "URW: Discrediting the West, Diplomacy", "URW: Discrediting the West, Diplomacy: The West is weak"
    ) == ("the West is weak")
    assert claim_phrase("URW: Praise of Russia", "none") == "praise of Russia"
    s = TEXT.index("A commentator")
    e = TEXT.index("Washington.") + len("Washington.")
    text = build_explanation(
        TEXT, "URW: Discrediting Ukraine", "URW: Discrediting Ukraine: Other", [(s, e)], ["NATO"]
    )
    assert text.startswith("The text argues that discrediting Ukraine, portraying NATO.")
    assert "puppet of Washington" in text
    long = build_explanation("word " * 300, "URW: X", "none", [(0, 1500)])
    assert len(long.split()) == 80


def test_fallback_mentions() -> None:
    ms = fallback_mentions(TEXT)
    names = {m["canonical"] for m in ms}
    assert "Russia" in names and "A" not in names and "Western" not in names
    assert all(TEXT[m["start"] : m["end"]] == m["quote"] for m in ms)


@pytest.mark.slow
def test_record_or_check_golden_with_minilm() -> None:
    """With MiniLM: the recorded scores still come out of the shipped model (or re-record them)."""
    from narrascope.backends.embedders import get_embedder

    (enc,) = encode_docs([_doc()], get_embedder("minilm-int8"))
    model = NarrativeModel()
    p_c, p_f, _ = model.scores(enc)
    keep = ("coarse_labels", "fine_labels", "fine_parent", "thr_coarse", "thr_fine", "single_domain")
    if os.environ.get("NARRASCOPE_REGEN_GOLDEN") == "1":
        cfg = {k: model.config[k] for k in keep}
        exp = [[n, s] for n, s, _, _ in decode_narratives(p_c, p_f, cfg)]
        GOLDEN.parent.mkdir(exist_ok=True)
        data = {
            "p_coarse": np.round(p_c, 5).tolist(),
            "p_fine": np.round(p_f, 5).tolist(),
            "config": cfg,
            "expected": exp,
        }
        GOLDEN.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    gold = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert np.allclose(p_c, gold["p_coarse"], atol=2e-3)
    assert np.allclose(p_f, gold["p_fine"], atol=2e-3)


def test_heads_survive_degenerate_documents() -> None:
    analyzer = FramingAnalyzer(
        {
            "embedder_obj": FakeEmbedder(384),
            "heads": ["narratives", "roles", "explanation"],
            "head_options": {"roles": {"require_narrative": False, "token_encoder": "fake"}},
        }
    )
    texts = ["   \n\n  ", "Russia", "Kyiv Kyiv Kyiv"]
    ents = {"entities": [{"start": 0, "end": 4, "quote": "Kyiv", "type": "GPE", "canonical": "Kyiv"}]}
    batch = [DocInput(_doc(texts[0])), DocInput(_doc(texts[1])), DocInput(_doc(texts[2]), ents)]
    for text, res in zip(texts, analyzer.analyze(batch), strict=True):
        assert not check_evidence(text, res)
