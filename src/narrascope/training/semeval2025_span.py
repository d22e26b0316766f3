"""Span features for training the ``roles`` head (see :mod:`narrascope.analyzers.roles_span`):
the feature matrix with its block layout, token-state vectors cached under ``.cache/roles-span``
(git-ignored), and the class-prior logit margin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc
from narrascope.analyzers.heads_semeval2025 import mention_features


def logit_margin(y_main: np.ndarray, n_cls: int, tau: float) -> np.ndarray:
    """Additive main-role logit offsets ``-tau * log(prior)``: a margin in favour of rare
    classes (logit adjustment); ``tau = 0`` leaves the scores as trained."""
    prior = np.clip(np.bincount(y_main, minlength=n_cls) / max(1, len(y_main)), 1e-6, None)
    return (-tau * np.log(prior)).astype(np.float32)


def training_token_encoder(embedder: Any) -> Any:
    """Token states matching the training embedder: fake with the fake embedder (tests)."""
    from narrascope.analyzers.heads_semeval2025 import make_token_encoder
    from narrascope.backends.embedders import FakeEmbedder

    return make_token_encoder("fake" if embedder.name == FakeEmbedder.name else "minilm-int8")


def cached_span_vectors(
    encs: dict[str, EncodedDoc],
    mentions: list[Any],
    tok: Any,
    cache_dir: Path | None = None,
    mask: bool = False,
) -> np.ndarray:
    """Span + window vectors of every mention (one encoder call per document), cached per
    document under ``.cache/roles-span`` keyed by encoder, text and mention offsets."""
    import hashlib

    from narrascope.analyzers.roles_span import span_vectors
    from narrascope.training.semeval2025_cache import DEFAULT_CACHE

    path = (
        cache_dir or DEFAULT_CACHE.parent / "roles-span"
    ) / f"{tok.name}-{tok.max_tokens}{'-mask' if mask else ''}.npz"
    cache: dict[str, np.ndarray] = {}
    if path.is_file() and not tok.name.startswith("fake"):
        with np.load(path, allow_pickle=False) as z:
            cache = {k: z[k] for k in z.files}
    out = np.zeros((len(mentions), 2 * int(tok.dim)), dtype=np.float32)
    dirty = False
    for d in sorted(encs):
        idx = [i for i, m in enumerate(mentions) if m.doc_id == d]
        spans = [(mentions[i].start, mentions[i].end) for i in idx]
        key = hashlib.sha1(f"{encs[d].doc.text}\0{spans}".encode()).hexdigest()
        if key not in cache:
            cache[key], dirty = span_vectors(encs[d], spans, tok, mask), True
        out[idx] = cache[key]
    if dirty and not tok.name.startswith("fake"):  # tests never write the project cache
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path.with_suffix(".tmp.npz"), **cache)  # type: ignore[arg-type]
        path.with_suffix(".tmp.npz").replace(path)
    return out


def role_features(
    encs: dict[str, EncodedDoc],
    mentions: list[Any],
    features: str,
    emb: Any,
    hash_dim: int = 256,
    mask: bool = False,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Feature matrix and its layout: ``context`` = the sentence-vector features only;
    ``span`` = those + span-pooled token states, window states and cheap cues (block names
    in the layout say which model reads which columns)."""
    x = np.stack([mention_features(encs[m.doc_id], m.start, m.end, hash_dim) for m in mentions])
    if features != "span":
        return x, {"features": "context.v1"}
    from narrascope.analyzers.roles_span import cheap_features

    tok = training_token_encoder(emb)
    vecs = cached_span_vectors(encs, mentions, tok, mask=mask)
    cheap = np.stack([cheap_features(encs[m.doc_id], m.start, m.end) for m in mentions])
    d, w, dim = x.shape[1], vecs.shape[1], int(tok.dim)
    blocks = {
        "context": [0, d],
        "span": [d, d + dim],
        "window": [d + dim, d + w],
        "cheap": [d + w, d + w + cheap.shape[1]],
    }
    layout = {
        "features": "span.v1",
        "token_encoder": tok.name,
        "max_tokens": int(tok.max_tokens),
        "mask_mention": mask,
        "blocks": blocks,
        # Chosen by CV (docs/decisions/011): the main role reads the mention's own states,
        # the fine role adds them to the sentence-vector features.
        "main_blocks": ["span", "window", "cheap"],
        "fine_blocks": ["context", "span", "cheap"],
    }
    return np.concatenate([x, vecs, cheap], axis=1).astype(np.float32), layout
