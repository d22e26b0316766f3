"""Features for the SemEval-2023 framing heads: cue lexicon, unit features, actor projection,
word-window model. Pure functions of a document's text and its shared-encoder vectors.

- cue features: counts of the lexicon groups in ``resources/techniques/cues.yaml`` + style;
- unit features: ``para_features`` / ``sent_features`` / ``doc_features`` (vectors + cues);
- actor neutrality: ``project_out`` removes the directions in ``neutral.npz``;
- word windows: a hashed-feature logistic model that narrows a sentence to the words that carry
  a short-span technique (``tokens.npz``).
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from narrascope.analyzers.framing_base import EncodedDoc
from narrascope.errors import ModelError

__all__ = [
    "CueLexicon",
    "TokenModel",
    "cue_matrix",
    "doc_features",
    "load_cues",
    "load_neutral",
    "load_token_model",
    "para_features",
    "prob_windows",
    "project_out",
    "sent_features",
    "token_feature_ids",
    "token_spans",
    "unit_para_index",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_QUOTED = re.compile(r"\"[^\"]{1,400}\"|“[^”]{1,400}”|«[^»]{1,400}»")
_FIRST = re.compile(r"\b(?:i|we|our|ours|us|my|me|myself|ourselves)\b", re.I)
_SECOND = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_CAPS = re.compile(r"\b[A-Z]{4,}\b")

# --------------------------------------------------------------------------- cue features


@dataclass(frozen=True)
class CueLexicon:
    """Compiled cue groups; ``names`` orders the feature columns (cue groups, then structural)."""

    version: int
    groups: tuple[tuple[str, str, re.Pattern[str]], ...]  # (name, technique, regex)
    structural: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(g[0] for g in self.groups) + self.structural

    def counts(self, text: str) -> np.ndarray:
        """Raw match counts per cue group (no structural features)."""
        return np.array([len(rx.findall(text)) for _, _, rx in self.groups], dtype=np.float32)

    def matches(self, text: str, technique: str) -> list[tuple[int, int]]:
        """Spans of ``text`` matched by the cue groups of ``technique``."""
        out: list[tuple[int, int]] = []
        for _, tech, rx in self.groups:
            if tech == technique:
                out.extend(m.span() for m in rx.finditer(text) if m.end() > m.start())
        return sorted(out)


def _compile_group(entry: dict[str, Any]) -> re.Pattern[str]:
    alts = [
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(entry.get("words", []), key=len, reverse=True)
    ]
    parts = []
    if alts:
        parts.append(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")
    parts.extend(f"(?:{p})" for p in entry.get("patterns", []))
    return re.compile("|".join(parts), re.I)


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> CueLexicon:
    """Load the cue lexicon (default: the packaged ``resources/techniques/cues.yaml``)."""
    if path is None:
        raw = (
            resources.files("narrascope.analyzers.resources")
            .joinpath("techniques/cues.yaml")
            .read_text("utf-8")
        )
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    groups = tuple((e["name"], e["technique"], _compile_group(e)) for e in data["cues"])
    structural = tuple(e["name"] for e in data.get("structural", []))
    return CueLexicon(int(data["version"]), groups, structural)


def _structural(text: str, doc_freq: dict[str, int]) -> list[float]:
    words = _WORD.findall(text)
    n = max(1, len(words))
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    content = [w.lower() for w in words if len(w) >= 5]
    rep = sum(1 for w in content if doc_freq.get(w, 0) >= 3) / max(1, len(content))
    return [
        math.log1p(text.count("!")),
        math.log1p(text.count("?")),
        quoted / max(1, len(text)),
        len(_FIRST.findall(text)) / n * 10,
        len(_SECOND.findall(text)) / n * 10,
        math.log1p(len(_CAPS.findall(text))),
        math.log1p(len(text)) / 8,
        rep,
    ]


def _doc_freq(text: str) -> dict[str, int]:
    freq: dict[str, int] = {}
    for w in _WORD.findall(text):
        if len(w) >= 5:
            k = w.lower()
            freq[k] = freq.get(k, 0) + 1
    return freq


def cue_matrix(texts: list[str], doc_text: str, cues: CueLexicon, per_word: bool = False) -> np.ndarray:
    """Cue features for each unit text: log1p counts (or rates per 100 words) + structural."""
    freq = _doc_freq(doc_text)
    rows = []
    for t in texts:
        c = cues.counts(t)
        if per_word:
            c = c / max(1, len(_WORD.findall(t))) * 100
        rows.append(np.concatenate([np.log1p(c), np.array(_structural(t, freq), dtype=np.float32)]))
    return np.array(rows, dtype=np.float32).reshape(len(texts), len(cues.names))


# --------------------------------------------------------------------------- features


def unit_para_index(enc: EncodedDoc) -> np.ndarray:
    """For each sentence, the index of the paragraph that contains it."""
    starts = np.array([s for s, _ in enc.paragraphs], dtype=np.int64)
    if not len(starts):
        return np.zeros(len(enc.sentences), dtype=np.int64)
    pos = np.array([s for s, _ in enc.sentences], dtype=np.int64)
    return np.clip(np.searchsorted(starts, pos, side="right") - 1, 0, None)


def project_out(v: np.ndarray, U: np.ndarray | None) -> np.ndarray:
    """Remove the components of ``v`` (rows) along the orthonormal rows of ``U`` (actor directions)."""
    if U is None or not len(U) or not v.size:
        return v
    if v.shape[-1] != U.shape[1]:
        raise ModelError(
            f"vectors of size {v.shape[-1]} but actor directions of size {U.shape[1]}", code="E_MODEL_SHAPE"
        )
    return v - (v @ U.T) @ U


def para_features(enc: EncodedDoc, cues: CueLexicon, U: np.ndarray | None = None) -> np.ndarray:
    """Per paragraph: [paragraph vector, document vector, cue features] (vectors actor-neutralised by U)."""
    texts = [enc.doc.text[s:e] for s, e in enc.paragraphs]
    n = len(texts)
    docv = np.repeat(project_out(enc.doc_emb[None, :], U), n, axis=0)
    pv = project_out(enc.para_emb, U)
    return np.hstack([pv, docv, cue_matrix(texts, enc.doc.text, cues)]).astype(np.float32)


def sent_features(enc: EncodedDoc, cues: CueLexicon, U: np.ndarray | None = None) -> np.ndarray:
    """Per sentence: [sentence vector, its paragraph's vector, cue features] (vectors neutralised by U)."""
    texts = [enc.doc.text[s:e] for s, e in enc.sentences]
    pidx = unit_para_index(enc)
    pv = enc.para_emb[pidx] if len(enc.para_emb) else np.zeros_like(enc.sent_emb)
    sv = project_out(enc.sent_emb, U)
    return np.hstack([sv, project_out(pv, U), cue_matrix(texts, enc.doc.text, cues)]).astype(np.float32)


def load_neutral(directory: Path | str) -> np.ndarray | None:
    """Actor directions ``U`` (k x dim, orthonormal) from ``neutral.npz``, if shipped."""
    path = Path(directory) / "neutral.npz"
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as z:
        U = np.asarray(z["U"], dtype=np.float32)
    if U.ndim != 2:
        raise ModelError(f"{path}: U must be 2-D, got {U.shape}", code="E_MODEL_SHAPE")
    return U


def doc_features(enc: EncodedDoc, cues: CueLexicon) -> np.ndarray:
    """One row: [document vector, mean sentence vector, cue rates and style of the whole text]."""
    ms = enc.sent_emb.mean(0) if len(enc.sent_emb) else np.zeros_like(enc.doc_emb)
    cm = cue_matrix([enc.doc.text], enc.doc.text, cues, per_word=True)[0]
    return np.concatenate([enc.doc_emb, ms, cm]).astype(np.float32)[None, :]


# --------------------------------------------------------------------------- token windows

_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")


def token_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Word tokens inside ``text[start:end]`` as absolute offsets."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, start, end)]


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if w.isupper() and len(w) > 1:
        return "X"
    return "Xx" if w[:1].isupper() else "x"


def token_feature_ids(words: list[str], bits: int) -> np.ndarray:
    """Hashed (CRC32, stable across runs) feature ids per token: word, neighbours, bigrams, shape."""
    lw = [w.lower() for w in words]
    n = len(words)
    rows = []
    for i, w in enumerate(lw):
        prev = lw[i - 1] if i else "<s>"
        nxt = lw[i + 1] if i + 1 < n else "</s>"
        feats = (
            f"w={w}",
            f"p={prev}",
            f"n={nxt}",
            f"pw={prev}|{w}",
            f"wn={w}|{nxt}",
            f"s3={w[-3:]}",
            f"sh={_shape(words[i])}",
            f"pos={'f' if i == 0 else 'l' if i == n - 1 else 'm'}",
        )
        rows.append([zlib.crc32(f.encode("utf-8")) & ((1 << bits) - 1) for f in feats])
    return np.array(rows, dtype=np.int64).reshape(n, 8)


@dataclass(frozen=True)
class TokenModel:
    """Hashed-feature logistic model: is this word inside a short technique span?"""

    w: np.ndarray
    b: float
    bits: int
    threshold: float
    narrow: tuple[str, ...]
    pad: int = 1

    def probs(self, words: list[str]) -> np.ndarray:
        if not words:
            return np.zeros(0)
        z = self.w[token_feature_ids(words, self.bits)].sum(1) + self.b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def windows(self, text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
        """Runs of tokens scoring >= threshold (a one-token gap is bridged) inside ``span``."""
        toks = token_spans(text, *span)
        return prob_windows(toks, self.probs([text[a:b] for a, b in toks]), self.threshold, self.pad)


def prob_windows(
    toks: list[tuple[int, int]], p: np.ndarray, threshold: float, pad: int = 1
) -> list[tuple[int, int]]:
    """Merge tokens with ``p >= threshold`` into windows (one-token gaps bridged, ``pad`` words added)."""
    out: list[list[int]] = []
    for i in range(len(toks)):
        if p[i] < threshold:
            continue
        if out and i - out[-1][1] <= 2:
            out[-1][1] = i
        else:
            out.append([i, i])
    last = len(toks) - 1
    return [(toks[max(0, a - pad)][0], toks[min(last, b + pad)][1]) for a, b in out]


def load_token_model(directory: Path | str, stem: str = "tokens") -> TokenModel | None:
    d = Path(directory)
    if not (d / f"{stem}.npz").is_file():
        return None
    cfg = json.loads((d / f"{stem}.json").read_text(encoding="utf-8"))
    with np.load(d / f"{stem}.npz", allow_pickle=False) as z:
        w = np.asarray(z["w"], dtype=np.float32)
    if w.shape != (1 << int(cfg["bits"]),):
        raise ModelError(f"{d / stem}.npz: weight vector of shape {w.shape}", code="E_MODEL_SHAPE")
    return TokenModel(
        w,
        float(cfg["bias"]),
        int(cfg["bits"]),
        float(cfg["threshold"]),
        tuple(cfg["narrow"]),
        int(cfg.get("pad", 1)),
    )
