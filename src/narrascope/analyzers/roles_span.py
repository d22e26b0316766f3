"""Entity-span features for the ``roles`` head: MiniLM token states pooled over the mention.

A sentence vector says what a sentence is about, not which of its entities is the villain or
the victim. Here the encoder is run over a *mention window* (the mention's sentence ± 1,
at most 128 word pieces, centred on the mention) and its last hidden states are mean-pooled
over the mention's own word pieces (tokenizer offsets map characters to tokens). Mentions in
the same sentence share one window. Cheap surface cues are added: preceding ``by`` (agent of
a passive), preceding ``of/against/on`` (target), sentence-initial position (subject proxy),
cue-word counts around the mention (lexicon ``models/roles/cues.tsv``) and how often the name
occurs in the document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc

CUES_PATH = Path(__file__).resolve().parents[1] / "models" / "roles" / "cues.tsv"
_WORD = re.compile(r"\w+|'s\b", re.UNICODE)
_TARGET_PREP = {"of", "against", "on", "at", "into", "upon"}
_ARTICLES = {"the", "a", "an", "president", "leader", "minister", "of"}


@lru_cache(maxsize=2)
def load_cues(path: Path = CUES_PATH) -> tuple[list[str], tuple[tuple[str, int, bool], ...]]:
    """Categories and (word, category index, is_prefix) rules from the TSV lexicon."""
    cats: list[str] = []
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, cat = line.split("\t")[:2]
        if cat not in cats:
            cats.append(cat)
        rules.append((word.rstrip("*").lower(), cats.index(cat), word.endswith("*")))
    return cats, tuple(rules)


def _cue_counts(words: Sequence[str]) -> np.ndarray:
    cats, rules = load_cues()
    out = np.zeros(len(cats), dtype=np.float32)
    for w in words:
        lw = w.lower()
        for word, c, prefix in rules:
            if lw == word or (prefix and lw.startswith(word)):
                out[c] += 1.0
                break
    return out


def _sent_of(enc: EncodedDoc, start: int) -> int:
    best = 0
    for i, (s, e) in enumerate(enc.sentences):
        if s <= start < e:
            return i
        if s <= start:
            best = i
    return best


@dataclass(frozen=True)
class MentionWindow:
    """Text given to the encoder for a group of mentions in one sentence."""

    start: int  # character offset of the window in the document
    text: str
    focus: tuple[int, int]  # union of the group's mentions, relative to ``start``


def mention_windows(
    enc: EncodedDoc, spans: Sequence[tuple[int, int]]
) -> tuple[list[MentionWindow], list[int]]:
    """One window per sentence holding a mention (that sentence ± 1); ``row[k]`` = window of span k."""
    text = enc.doc.text
    sents = enc.sentences or ((0, len(text)),)
    groups: dict[int, list[int]] = {}
    for k, (s, _) in enumerate(spans):
        groups.setdefault(min(_sent_of(enc, s), len(sents) - 1), []).append(k)
    windows, row = [], [0] * len(spans)
    for g, i in enumerate(sorted(groups)):
        a = min(sents[max(0, i - 1)][0], *(spans[k][0] for k in groups[i]))
        b = max(sents[min(len(sents) - 1, i + 1)][1], *(spans[k][1] for k in groups[i]))
        lo = min(spans[k][0] for k in groups[i]) - a
        hi = max(spans[k][1] for k in groups[i]) - a
        windows.append(MentionWindow(a, text[a:b], (lo, hi)))
        for k in groups[i]:
            row[k] = g
    return windows, row


def cheap_features(enc: EncodedDoc, start: int, end: int, ctx: int = 6) -> np.ndarray:
    """Surface cues of one mention (see module docstring); 6 + 3 × categories values."""
    text = enc.doc.text
    sents = enc.sentences or ((0, len(text)),)
    s0, s1 = sents[min(_sent_of(enc, start), len(sents) - 1)]
    left_all = _WORD.findall(text[max(s0, start - 200) : start] if start > s0 else "")
    right_all = _WORD.findall(text[end : min(s1, end + 200)] if end < s1 else "")
    prev = left_all[-1].lower() if left_all else ""
    nxt = right_all[0].lower() if right_all else ""
    initial = all(w.lower() in _ARTICLES for w in left_all) or len(left_all) <= 1
    name = text[start:end]
    n_occ = text.count(name) if name else 1
    first = text.find(name) if name else start
    flags = [
        float(prev == "by"),
        float(prev in _TARGET_PREP),
        float(initial),
        float(nxt == "'s"),
        math.log1p(n_occ),
        first / max(1, len(text)),
    ]
    sent_words = _WORD.findall(text[s0:s1])
    parts = [
        np.array(flags, dtype=np.float32),
        np.log1p(_cue_counts(left_all[-ctx:])),
        np.log1p(_cue_counts(right_all[:ctx])),
        np.log1p(_cue_counts(sent_words)),
    ]
    return np.concatenate(parts)


MASK = "[MASK]"


def masked_windows(
    enc: EncodedDoc, spans: Sequence[tuple[int, int]]
) -> tuple[list[MentionWindow], list[int]]:
    """One window per mention, the mention itself replaced by ``[MASK]``: the states then say
    what the context does to that slot, not who the entity is."""
    windows: list[MentionWindow] = []
    for s, e in spans:
        (w,), _ = mention_windows(enc, [(s, e)])
        lo, hi = s - w.start, e - w.start
        windows.append(MentionWindow(w.start, w.text[:lo] + MASK + w.text[hi:], (lo, lo + len(MASK))))
    return windows, list(range(len(spans)))


def span_vectors(
    enc: EncodedDoc, spans: Sequence[tuple[int, int]], token_encoder: Any, mask: bool = False
) -> np.ndarray:
    """``(n, 2 * dim)``: token states pooled over each mention (or its ``[MASK]`` stand-in),
    and over its whole window. One batched encoder call for all windows of the document."""
    if not spans:
        return np.zeros((0, 2 * int(token_encoder.dim)), dtype=np.float32)
    windows, row = masked_windows(enc, spans) if mask else mention_windows(enc, spans)
    states = token_encoder.encode([w.text for w in windows], [w.focus for w in windows])
    out = []
    for k, (s, e) in enumerate(spans):
        w, st = windows[row[k]], states[row[k]]
        a, b = w.focus if mask else (s - w.start, e - w.start)
        out.append(np.concatenate([st.pool(a, b), st.mean()]))
    return np.stack(out).astype(np.float32)


def span_features(
    enc: EncodedDoc,
    spans: Sequence[tuple[int, int]],
    token_encoder: Any,
    vectors: np.ndarray | None = None,
    mask: bool = False,
) -> np.ndarray:
    """Span-pooled + window vectors (``vectors`` if precomputed) and cheap cues per mention."""
    vecs = span_vectors(enc, spans, token_encoder, mask) if vectors is None else vectors
    if not len(spans):
        return vecs
    cheap = np.stack([cheap_features(enc, s, e) for s, e in spans])
    return np.concatenate([vecs, cheap], axis=1).astype(np.float32)
