"""SemEval-2023 Task 3 framing heads: persuasion ``techniques``, ``genre`` and ``frames``.

All three decode from the shared encoder pass (:mod:`narrascope.analyzers.framing_base`):
frozen all-MiniLM-L6-v2 vectors of sentences, paragraphs and the document, plus a few counts
of lexicon cues (``resources/techniques/cues.yaml``). The weights are small linear models
trained by ``narrascope train techniques|ptc-spans|genre|frames`` and shipped as ``.npz`` +
JSON under ``narrascope/models/{techniques,genre,frames}/`` (no pickle).

Decoding is pure: ``decode_*(enc-derived spans, raw scores, config) -> contract dicts``, so it
is tested with recorded raw scores and no model.

- techniques: a paragraph model says *which* techniques a paragraph uses (per-label thresholds
  tuned by cross-validation); a sentence model says *where*: each detection points to the
  best-scoring sentence of the paragraph (plus any other sentence above the span threshold).
- genre: multinomial logistic regression over the document vector and style features, with
  per-class offsets tuned for macro-F1; evidence = the sentences that push most toward it.
- frames: one-vs-rest logistic regression over the document vector, per-label thresholds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc, register_head
from narrascope.analyzers.heads_semeval2023_features import (
    CueLexicon,
    doc_features,
    load_cues,
    load_neutral,
    load_token_model,
    para_features,
    prob_windows,
    project_out,
    sent_features,
    token_feature_ids,
    token_spans,
    unit_para_index,
)
from narrascope.errors import ModelError
from narrascope.model import evidence

__all__ = [
    "CueLexicon",
    "LinearHead",
    "decode_frames",
    "decode_genre",
    "decode_techniques",
    "doc_features",
    "load_cues",
    "load_model",
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

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class LinearHead:
    """A standardised linear model: ``logits = ((X - mu) / sd) @ W.T + b``."""

    labels: tuple[str, ...]
    W: np.ndarray
    b: np.ndarray
    mu: np.ndarray
    sd: np.ndarray
    config: dict[str, Any]

    def logits(self, X: np.ndarray) -> np.ndarray:
        if X.shape[1] != self.W.shape[1]:
            raise ModelError(
                f"model {self.config.get('name')} expects {self.W.shape[1]} features, got {X.shape[1]}; "
                "was it trained with another embedder?",
                code="E_MODEL_SHAPE",
            )
        return ((X - self.mu) / self.sd) @ self.W.T + self.b

    def sigmoid(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(X), -30, 30)))

    def softmax(self, X: np.ndarray) -> np.ndarray:
        z = self.logits(X)
        z = z - z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)

    def save(self, directory: Path, stem: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(
            directory / f"{stem}.npz",
            W=self.W.astype(np.float32),
            b=self.b.astype(np.float32),
            mu=self.mu.astype(np.float32),
            sd=self.sd.astype(np.float32),
        )
        cfg = dict(self.config, labels=list(self.labels))
        (directory / f"{stem}.json").write_text(
            json.dumps(cfg, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )


def load_model(directory: Path | str, stem: str) -> LinearHead:
    """Load ``stem.npz`` + ``stem.json`` (``allow_pickle=False``) and check their shapes."""
    d = Path(directory)
    npz, js = d / f"{stem}.npz", d / f"{stem}.json"
    if not npz.is_file() or not js.is_file():
        raise ModelError(
            f"model files {npz} / {js} missing; run `narrascope train ...`", code="E_MODEL_MISSING"
        )
    cfg = json.loads(js.read_text(encoding="utf-8"))
    with np.load(npz, allow_pickle=False) as z:
        W, b, mu, sd = (np.asarray(z[k], dtype=np.float32) for k in ("W", "b", "mu", "sd"))
    labels = tuple(cfg.pop("labels"))
    if W.shape != (len(labels), mu.shape[0]) or b.shape != (len(labels),) or sd.shape != mu.shape:
        raise ModelError(
            f"{npz}: inconsistent shapes W{W.shape} b{b.shape} mu{mu.shape}", code="E_MODEL_SHAPE"
        )
    return LinearHead(labels, W, b, mu, sd, cfg)


# --------------------------------------------------------------------------- decoding


def _ev(text: str, s: int, e: int) -> dict[str, Any]:
    return evidence(text, s, e)


def decode_techniques(
    text: str,
    paragraphs: list[tuple[int, int]],
    sentences: list[tuple[int, int]],
    para_scores: np.ndarray,
    sent_scores: np.ndarray,
    labels: list[str],
    thresholds: list[float],
    span_threshold: float = 1.0,
    max_sentences: int = 2,
    windows: dict[int, list[tuple[int, int]]] | None = None,
    narrow: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Paragraph detections -> technique objects located on their best sentence(s).

    A technique is reported for paragraph ``p`` when ``para_scores[p, t] >= thresholds[t]``;
    its span is the sentence of ``p`` with the highest ``sent_scores[:, t]`` plus up to
    ``max_sentences - 1`` further sentences scoring at least ``span_threshold``. For the
    short-span techniques in ``narrow``, a sentence with word windows (``windows[j]``, from the
    token model) is replaced by those windows. Output is sorted by (start, technique) and is
    deterministic.
    """
    out: list[dict[str, Any]] = []
    starts = np.array([s for s, _ in paragraphs], dtype=np.int64)
    sidx = np.clip(np.searchsorted(starts, [s for s, _ in sentences], side="right") - 1, 0, None)
    for p, (ps, pe) in enumerate(paragraphs):
        members = [j for j in range(len(sentences)) if sidx[j] == p] if len(sentences) else []
        for t, name in enumerate(labels):
            score = float(para_scores[p, t])
            if score < thresholds[t]:
                continue
            chosen = _pick_sentences(
                members, sent_scores[:, t] if members else None, span_threshold, max_sentences
            )
            spans = [w for j in chosen for w in _narrowed(j, sentences, name, windows, narrow)] or [(ps, pe)]
            for s, e in spans:
                out.append(
                    {
                        "technique": name,
                        "start": s,
                        "end": e,
                        "quote": text[s:e],
                        "score": round(score, 4),
                        "evidence": [_ev(text, s, e)],
                    }
                )
    out.sort(key=lambda d: (d["start"], d["technique"], d["end"]))
    return out


def _narrowed(
    j: int,
    sentences: list[tuple[int, int]],
    name: str,
    windows: dict[int, list[tuple[int, int]]] | None,
    narrow: tuple[str, ...],
) -> list[tuple[int, int]]:
    if windows and name in narrow and windows.get(j):
        return windows[j]
    return [sentences[j]]


def _pick_sentences(members: list[int], col: np.ndarray | None, thr: float, k: int) -> list[int]:
    if not members or col is None:
        return []
    ranked = sorted(members, key=lambda j: (-float(col[j]), j))
    chosen = [ranked[0]] + [j for j in ranked[1:k] if float(col[j]) >= thr]
    return sorted(chosen)


def _top_sentences(
    text: str, sentences: list[tuple[int, int]], weights: np.ndarray, k: int = 2
) -> list[dict[str, Any]]:
    if not sentences:
        return [_ev(text, 0, len(text))] if text else []
    order = sorted(range(len(sentences)), key=lambda j: (-float(weights[j]), j))[:k]
    return [_ev(text, *sentences[j]) for j in sorted(order)]


def decode_genre(
    text: str,
    sentences: list[tuple[int, int]],
    probs: np.ndarray,
    offsets: np.ndarray,
    labels: list[str],
    sent_push: np.ndarray,
) -> dict[str, Any]:
    """Genre = argmax(log p + offsets); evidence = the sentences pushing most toward it."""
    adj = np.log(np.clip(probs, 1e-9, 1.0)) + offsets
    c = int(np.argmax(adj))
    return {
        "label": labels[c],
        "score": round(float(probs[c]), 4),
        "evidence": _top_sentences(text, sentences, sent_push[:, c] if len(sent_push) else sent_push),
    }


def decode_frames(
    text: str,
    sentences: list[tuple[int, int]],
    probs: np.ndarray,
    labels: list[str],
    thresholds: list[float],
    sent_push: np.ndarray,
) -> list[dict[str, Any]]:
    """Frames whose probability reaches their threshold, highest first, each with evidence."""
    out = []
    for f in sorted(range(len(labels)), key=lambda i: (-float(probs[i]), labels[i])):
        if probs[f] >= thresholds[f]:
            out.append(
                {
                    "frame": labels[f],
                    "score": round(float(probs[f]), 4),
                    "evidence": _top_sentences(
                        text, sentences, sent_push[:, f] if len(sent_push) else sent_push
                    ),
                }
            )
    return out


# --------------------------------------------------------------------------- heads


def _sent_push(head: LinearHead, enc: EncodedDoc) -> np.ndarray:
    """How much each sentence vector pushes each label (the doc-vector part of the weights)."""
    dim = enc.sent_emb.shape[1] if enc.sent_emb.ndim == 2 else 0
    if not dim or not len(enc.sent_emb):
        return np.zeros((0, len(head.labels)), dtype=np.float32)
    w = head.W[:, :dim] / head.sd[:dim]
    return enc.sent_emb @ w.T


class TechniquesHead:
    name = "techniques"
    version = "1"
    produces = ("techniques",)

    def __init__(self, options: dict[str, Any]) -> None:
        d = Path(options.get("model_dir", MODELS_DIR / "techniques"))
        self.para = load_model(d, "paragraph")
        self.sent = load_model(d, "sentence")
        self.cues = load_cues()
        self.thresholds = [float(x) for x in self.para.config["thresholds"]]
        self.span_threshold = float(
            options.get("span_threshold", self.sent.config.get("span_threshold", 1.0))
        )
        self.max_sentences = int(options.get("max_sentences", self.sent.config.get("max_sentences", 2)))
        self.tokens = load_token_model(d) if options.get("narrow", True) else None
        self.U = load_neutral(d) if options.get("neutralise", True) else None

    def raw_scores(self, enc: EncodedDoc) -> tuple[np.ndarray, np.ndarray]:
        ps = (
            self.para.sigmoid(para_features(enc, self.cues, self.U))
            if enc.paragraphs
            else np.zeros((0, len(self.para.labels)))
        )
        ss = (
            self.sent.sigmoid(sent_features(enc, self.cues, self.U))
            if enc.sentences
            else np.zeros((0, len(self.sent.labels)))
        )
        if list(self.sent.labels) != list(self.para.labels):
            ss = _align(ss, list(self.sent.labels), list(self.para.labels))
        return ps, ss

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]:
        ps, ss = self.raw_scores(enc)
        techs = decode_techniques(
            enc.doc.text,
            list(enc.paragraphs),
            list(enc.sentences),
            ps,
            ss,
            list(self.para.labels),
            self.thresholds,
            self.span_threshold,
            self.max_sentences,
        )
        return {"techniques": techs}


def _align(scores: np.ndarray, have: list[str], want: list[str]) -> np.ndarray:
    out = np.zeros((scores.shape[0], len(want)), dtype=np.float32)
    for i, w in enumerate(want):
        if w in have:
            out[:, i] = scores[:, have.index(w)]
    return out


def prior_shift(
    labels: Sequence[str], counts: dict[str, int] | None, prior: dict[str, float] | None
) -> np.ndarray:
    """Log-ratio offsets that move a classifier from its training class prior to the prior of
    the corpus it is used on (label-shift correction). SemEval-2023 English train is 88 %
    opinion; a newsroom corpus is mostly reporting, so production sets ``deployment_prior``.
    No shift when either side is missing (benchmark evaluation keeps the training prior)."""
    out = np.zeros(len(labels), dtype=np.float32)
    if not counts or not prior:
        return out
    total = float(sum(counts.values()))
    for i, lab in enumerate(labels):
        train_p = max(counts.get(lab, 0) / total, 1e-6)
        out[i] = float(np.log(max(float(prior.get(lab, 1e-6)), 1e-6) / train_p))
    return out


class GenreHead:
    name = "genre"
    version = "1"
    produces = ("genre",)

    def __init__(self, options: dict[str, Any]) -> None:
        self.model = load_model(options.get("model_dir", MODELS_DIR / "genre"), "genre")
        self.cues = load_cues()
        self.offsets = np.array(
            self.model.config.get("offsets", [0.0] * len(self.model.labels)), dtype=np.float32
        ) + prior_shift(
            self.model.labels, self.model.config.get("class_counts"), options.get("deployment_prior")
        )

    def raw_scores(self, enc: EncodedDoc) -> np.ndarray:
        return self.model.softmax(doc_features(enc, self.cues))[0]

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]:
        probs = self.raw_scores(enc)
        g = decode_genre(
            enc.doc.text,
            list(enc.sentences),
            probs,
            self.offsets,
            list(self.model.labels),
            _sent_push(self.model, enc),
        )
        return {"genre": g}


class FramesHead:
    name = "frames"
    version = "1"
    produces = ("frames",)

    def __init__(self, options: dict[str, Any]) -> None:
        self.model = load_model(options.get("model_dir", MODELS_DIR / "frames"), "frames")
        self.cues = load_cues()
        self.thresholds = [float(x) for x in self.model.config["thresholds"]]

    def raw_scores(self, enc: EncodedDoc) -> np.ndarray:
        return self.model.sigmoid(doc_features(enc, self.cues))[0]

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]:
        probs = self.raw_scores(enc)
        fr = decode_frames(
            enc.doc.text,
            list(enc.sentences),
            probs,
            list(self.model.labels),
            self.thresholds,
            _sent_push(self.model, enc),
        )
        return {"frames": fr}


@register_head("techniques")
def _techniques(options: dict[str, Any]) -> TechniquesHead:
    return TechniquesHead(options)


@register_head("genre")
def _genre(options: dict[str, Any]) -> GenreHead:
    return GenreHead(options)


@register_head("frames")
def _frames(options: dict[str, Any]) -> FramesHead:
    return FramesHead(options)
