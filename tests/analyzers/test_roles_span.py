"""Entity-span features of the roles head: mention windows, cheap cues, shapes."""

from __future__ import annotations

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc, encode_docs
from narrascope.analyzers.roles_span import (
    MASK,
    cheap_features,
    load_cues,
    masked_windows,
    mention_windows,
    span_features,
)
from narrascope.backends.embedders import FakeEmbedder
from narrascope.backends.token_states import FakeTokenStates
from narrascope.model import Document, InputRef

# Written for these tests (no dataset text).
TEXT = (
    "The village was shelled by Russia overnight. Civilians fled towards Kharkiv.\n\n"
    "Ukraine said its brave defenders held the line. Russia denied the attack on the village."
)


def _enc() -> EncodedDoc:
    (enc,) = encode_docs([Document(TEXT, InputRef("t", "-", "txt"), language="en")], FakeEmbedder(384))
    return enc


def test_mentions_in_one_sentence_share_a_window_of_three_sentences() -> None:
    enc = _enc()
    r1, k = TEXT.index("Russia"), TEXT.index("Kharkiv")
    u = TEXT.index("Ukraine")
    windows, row = mention_windows(enc, [(r1, r1 + 6), (k, k + 7), (u, u + 7)])
    assert row[0] != row[1] and len(windows) == 3
    w = windows[row[2]]
    assert w.text.startswith("Civilians") and w.text.endswith("village.")  # sentence ± 1
    assert w.text[w.focus[0] : w.focus[1]] == "Ukraine"
    both, row2 = mention_windows(enc, [(r1, r1 + 6), (TEXT.index("village"), TEXT.index("village") + 7)])
    assert len(both) == 1 and row2 == [0, 0]


def test_cheap_features_see_passive_agent_and_cues() -> None:
    enc = _enc()
    cats, _ = load_cues()
    r1, r2 = TEXT.index("Russia"), TEXT.rindex("Russia")
    a, b = cheap_features(enc, r1, r1 + 6), cheap_features(enc, r2, r2 + 6)
    assert a[0] == 1.0 and b[0] == 0.0  # "by Russia" vs sentence-initial "Russia"
    assert b[2] == 1.0  # sentence-initial: subject proxy
    assert a[4] == b[4] == np.float32(np.log1p(2))  # "Russia" occurs twice
    harm = cats.index("harm")
    assert a[6 + harm] > 0  # "shelled" left of the first mention
    assert len(a) == 6 + 3 * len(cats)


def test_span_features_shape_and_focus() -> None:
    enc = _enc()
    u = TEXT.index("Ukraine")
    x = span_features(enc, [(u, u + 7), (0, 3)], FakeTokenStates(384))
    cats, _ = load_cues()
    assert x.shape == (2, 2 * 384 + 6 + 3 * len(cats))
    # The span block of "Ukraine" is its own word vector in the fake encoder.
    assert np.allclose(x[0, :384], FakeTokenStates(384)._vec("Ukraine"))
    assert span_features(enc, [], FakeTokenStates(384)).shape == (0, 768)


def test_masked_windows_hide_the_name_and_keep_the_context() -> None:
    enc = _enc()
    r1 = TEXT.index("Russia")
    (w,), row = masked_windows(enc, [(r1, r1 + 6)])
    assert row == [0] and "by [MASK] overnight" in w.text
    assert w.text[w.focus[0] : w.focus[1]] == MASK
    x = span_features(enc, [(r1, r1 + 6)], FakeTokenStates(384), mask=True)
    assert np.allclose(x[0, :384], FakeTokenStates(384)._vec("MASK"))
