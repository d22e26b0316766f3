"""An embedding cache for training and evaluation: vectors keyed by model name + text hash.

Embedding the English train set costs minutes on 2 cores; every experiment after the first
reads the vectors from ``.cache/emb/<model>.npz`` instead (git-ignored). Only used by training
and evaluation code, never by analyzers (analyzers hold no hidden caches).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_CACHE = Path(__file__).resolve().parents[3] / ".cache" / "emb"


def _key(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\0{text}".encode()).hexdigest()


class CachedEmbedder:
    """Wraps an embedder; looks every text up by hash before embedding the missing ones."""

    def __init__(self, base: Any, cache_dir: Path = DEFAULT_CACHE) -> None:
        self._base = base
        self.dim: int = base.dim
        self.name: str = base.name
        self._path = Path(cache_dir) / f"{base.name}.npz"
        self._vecs: dict[str, np.ndarray] = {}
        if self._path.is_file():
            with np.load(self._path, allow_pickle=False) as z:
                for k, v in zip(z["keys"].tolist(), z["vecs"], strict=True):
                    self._vecs[k] = v
        self._dirty = False

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [_key(self.name, t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vecs}.items())
        if missing:
            vecs = self._base.embed([t for _, t in missing])
            for (k, _), v in zip(missing, vecs, strict=True):
                self._vecs[k] = np.asarray(v, dtype=np.float32)
            self._dirty = True
            self.save()
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vecs[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self._dirty:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._vecs)
        tmp = self._path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vecs=np.stack([self._vecs[k] for k in keys]))
        tmp.replace(self._path)
        self._dirty = False
