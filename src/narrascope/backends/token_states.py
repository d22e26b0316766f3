"""Token-level states of the shared MiniLM encoder: one batched ONNX call, per-token vectors
plus character offsets, for entity-span pooling (the ``roles`` head).

:class:`TokenStateEncoder` wraps an existing :class:`~narrascope.backends.embedders.MiniLMInt8`
instance and reuses its ONNX session (no second model in memory); it keeps its own copy of the
tokenizer so that truncation and padding settings of the embedder are not touched.
``embedders.py`` itself is left as is: its ``embed`` mean-pools ``last_hidden_state`` away.

Each text may carry a *focus* span (character offsets into that text): when the text is longer
than ``max_tokens`` word pieces, the kept slice is the one centred on the focus, so a mention
is never truncated away. :class:`FakeTokenStates` is a model-free stand-in for tests.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_CLS_ID, _SEP_ID = 101, 102


@dataclass(frozen=True)
class TokenStates:
    """States of the kept word pieces of one text (special tokens dropped)."""

    states: np.ndarray  # (n_tokens, dim) float32
    offsets: np.ndarray  # (n_tokens, 2) int, half-open character spans into the text

    def span_mask(self, start: int, end: int) -> np.ndarray:
        """Tokens overlapping characters ``[start, end)``."""
        if not len(self.offsets):
            return np.zeros(0, dtype=bool)
        return (self.offsets[:, 0] < end) & (self.offsets[:, 1] > start)

    def pool(self, start: int, end: int) -> np.ndarray:
        """Mean state over the tokens of ``[start, end)``; the mean of all tokens if none."""
        if not len(self.states):
            return np.zeros(self.states.shape[1] if self.states.ndim == 2 else 0, dtype=np.float32)
        m = self.span_mask(start, end)
        rows = self.states[m] if m.any() else self.states
        return rows.mean(0).astype(np.float32)

    def mean(self) -> np.ndarray:
        return self.states.mean(0).astype(np.float32)


def _focus_slice(offsets: list[tuple[int, int]], focus: tuple[int, int] | None, room: int) -> slice:
    """Window of at most ``room`` tokens, centred on the tokens overlapping ``focus``."""
    n = len(offsets)
    if n <= room:
        return slice(0, n)
    if focus is None:
        return slice(0, room)
    hit = [i for i, (a, b) in enumerate(offsets) if a < focus[1] and b > focus[0]]
    if not hit:
        return slice(0, room)
    mid = (hit[0] + hit[-1]) // 2
    lo = max(0, min(mid - room // 2, n - room))
    return slice(lo, lo + room)


class TokenStateEncoder:
    """Per-token last hidden states of MiniLM (int8 ONNX), one batched call per list of texts."""

    def __init__(self, base: Any | None = None, max_tokens: int = 128) -> None:
        from tokenizers import Tokenizer

        from narrascope.backends.embedders import MiniLMInt8, get_embedder

        base = base if base is not None else get_embedder("minilm-int8")
        if not isinstance(base, MiniLMInt8):
            raise TypeError(f"token states need the minilm-int8 embedder, got {type(base).__name__}")
        self.name = base.name
        self.dim = base.dim
        self.max_tokens = max_tokens
        self._sess = base._sess  # the shared session: one model in memory
        self._tok = Tokenizer.from_str(base._tok.to_str())
        self._tok.no_truncation()
        self._tok.no_padding()

    def encode(
        self,
        texts: Sequence[str],
        focus: Sequence[tuple[int, int] | None] | None = None,
        batch_size: int = 32,
    ) -> list[TokenStates]:
        """Token states of every text; ``focus[i]`` keeps that span inside the truncated window."""
        focus = list(focus) if focus is not None else [None] * len(texts)
        room = self.max_tokens - 2
        pieces: list[tuple[list[int], list[tuple[int, int]]]] = []
        for text, fc in zip(texts, focus, strict=True):
            enc = self._tok.encode(text or " ", add_special_tokens=False)
            cut = _focus_slice(enc.offsets, fc, room)
            pieces.append((enc.ids[cut], enc.offsets[cut]))
        out: list[TokenStates | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i][0]))
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            width = max(len(pieces[i][0]) for i in idx) + 2
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(idx):
                row = [_CLS_ID, *pieces[i][0], _SEP_ID]
                ids[r, : len(row)] = row
                mask[r, : len(row)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._sess.run(["last_hidden_state"], feeds)[0]
            for r, i in enumerate(idx):
                n = len(pieces[i][0])
                offs = np.array(pieces[i][1], dtype=np.int64).reshape(n, 2)
                out[i] = TokenStates(hidden[r, 1 : 1 + n].astype(np.float32), offs)
        return [o for o in out if o is not None]


_WORD = re.compile(r"\w+", re.UNICODE)


class FakeTokenStates:
    """Deterministic hashed word vectors as 'token states' (tests; no model)."""

    name = "fake-token-states"

    def __init__(self, dim: int = 384, max_tokens: int = 128) -> None:
        self.dim = dim
        self.max_tokens = max_tokens

    def _vec(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(word.lower().encode(), digest_size=4).digest(), "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def encode(
        self,
        texts: Sequence[str],
        focus: Sequence[tuple[int, int] | None] | None = None,
        batch_size: int = 32,
    ) -> list[TokenStates]:
        focus = list(focus) if focus is not None else [None] * len(texts)
        out = []
        for text, fc in zip(texts, focus, strict=True):
            words = list(_WORD.finditer(text))
            offs = [(m.start(), m.end()) for m in words]
            cut = _focus_slice(offs, fc, self.max_tokens - 2)
            kept = words[cut]
            states = np.stack([self._vec(m.group()) for m in kept]) if kept else np.zeros((0, self.dim))
            out.append(
                TokenStates(states.astype(np.float32), np.array(offs[cut], dtype=np.int64).reshape(-1, 2))
            )
        return out
