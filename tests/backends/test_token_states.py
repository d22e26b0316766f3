"""Token states: focus-centred truncation, span pooling, and (slow) agreement with the
mean-pooled MiniLM sentence vector."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.backends.token_states import FakeTokenStates, TokenStates, _focus_slice


def test_focus_slice_keeps_the_focus_inside_the_window() -> None:
    offsets = [(i * 5, i * 5 + 4) for i in range(300)]
    cut = _focus_slice(offsets, (1000, 1004), 126)  # token 200
    assert cut.stop - cut.start == 126 and cut.start <= 200 < cut.stop
    assert _focus_slice(offsets[:50], (0, 4), 126) == slice(0, 50)
    end = _focus_slice(offsets, (1495, 1499), 126)  # last token: window flush with the end
    assert end == slice(174, 300)


def test_pool_averages_only_the_span_tokens() -> None:
    ts = TokenStates(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 3.0]]), np.array([[0, 5], [6, 9], [9, 12]]))
    assert np.allclose(ts.pool(6, 12), [0.0, 2.0])
    assert np.allclose(ts.pool(100, 105), ts.mean())  # no token: whole window


def test_fake_token_states_are_deterministic_and_aligned() -> None:
    text = "Officials in Kyiv said the convoy reached Kharkiv."
    a, b = FakeTokenStates(16).encode([text]), FakeTokenStates(16).encode([text])
    assert np.array_equal(a[0].states, b[0].states)
    s = text.index("Kyiv")
    assert a[0].span_mask(s, s + 4).sum() == 1
    assert [text[x:y] for x, y in a[0].offsets.tolist()][2] == "Kyiv"


@pytest.mark.slow
def test_minilm_token_states_match_the_sentence_vector() -> None:
    from narrascope.backends.embedders import get_embedder
    from narrascope.backends.token_states import TokenStateEncoder

    emb = get_embedder("minilm-int8")
    tok = TokenStateEncoder(emb, max_tokens=128)
    texts = ["The mayor thanked the volunteers who repaired the school.", "Kyiv " * 400]
    short, long_ = tok.encode(texts, [None, (1000, 1004)])
    assert short.states.shape[1] == 384 and len(long_.states) == 126
    assert long_.span_mask(1000, 1004).sum() == 1
    v = short.mean() / np.linalg.norm(short.mean())
    assert float(v @ emb.embed([texts[0]])[0]) > 0.98  # same encoder, only [CLS]/[SEP] left out
    s = texts[0].index("mayor")
    assert [texts[0][a:b] for a, b in short.offsets.tolist()].count("mayor") == 1
    assert short.span_mask(s, s + 5).sum() == 1
