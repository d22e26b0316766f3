"""An on-disk embedding cache for training and evaluation (never used in production).

Vectors are keyed by SHA-1 of the unit text and stored per embedder model under
``.cache/emb/<model name>/shard-*.npz`` (keys + float32 vectors, no pickle). Embedding the
English SemEval-2023 and PTC articles once takes minutes on 2 cores; every later training or
evaluation run then reads the vectors back in seconds and goes through the very same
:func:`narrascope.analyzers.framing_base.encode_docs` path as production.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers.framing_base import EncodedDoc, encode_docs
from narrascope.model import Document

__all__ = ["CachedEmbedder", "default_cache_dir", "encode_cached"]


def default_cache_dir() -> Path:
    env = os.environ.get("NARRASCOPE_CACHE")
    root = Path(env) if env else Path(__file__).resolve().parents[3] / ".cache"
    return root / "emb"


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).hexdigest().encode("ascii")


class CachedEmbedder:
    """Wraps an embedder; embeds only texts whose vectors are not on disk yet."""

    def __init__(self, embedder: Any, cache_dir: Path | None = None) -> None:
        self._inner = embedder
        self.dim = embedder.dim
        self.name = embedder.name
        self._dir = (cache_dir or default_cache_dir()) / embedder.name.replace("/", "_")
        self._dir.mkdir(parents=True, exist_ok=True)
        self._mem: dict[bytes, np.ndarray] = {}
        for shard in sorted(self._dir.glob("shard-*.npz")):
            with np.load(shard, allow_pickle=False) as z:
                for k, v in zip(z["keys"], z["vecs"], strict=True):
                    self._mem[bytes(k)] = v
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        missing: dict[bytes, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in self._mem and k not in missing:
                missing[k] = t
        if missing:
            self.misses += len(missing)
            vecs = np.asarray(self._inner.embed(list(missing.values())), dtype=np.float32)
            mk = list(missing)
            for k, v in zip(mk, vecs, strict=True):
                self._mem[k] = v
            name = f"shard-{len(list(self._dir.glob('shard-*.npz'))):05d}.npz"
            np.savez(self._dir / name, keys=np.array(mk, dtype="S40"), vecs=vecs)
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._mem[k] for k in keys]).astype(np.float32)


def encode_cached(
    docs: Sequence[Document], embedder_name: str = "minilm-int8", chunk: int = 16, progress: bool = False
) -> list[EncodedDoc]:
    """:func:`encode_docs` over ``docs`` in chunks, through the disk cache."""
    from narrascope.backends.embedders import get_embedder

    emb = _cached(embedder_name)
    if emb is None:
        emb = CachedEmbedder(get_embedder(embedder_name))
        _CACHE[embedder_name] = emb
    out: list[EncodedDoc] = []
    for i in range(0, len(docs), chunk):
        out.extend(encode_docs(docs[i : i + chunk], emb))
        if progress and emb.misses:
            print(
                f"  encoded {min(i + chunk, len(docs))}/{len(docs)} docs ({emb.misses} new units)", flush=True
            )
    return out


_CACHE: dict[str, CachedEmbedder] = {}


def _cached(name: str) -> CachedEmbedder | None:
    return _CACHE.get(name)
