"""Backend protocols. Analyzers receive a backend; they never build one themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    """Sentence/paragraph encoder. Returns L2-normalised float32 rows, one per text."""

    name: str
    revision: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class Generator(Protocol):
    """Text generator (an OpenAI-compatible LLM endpoint, or a recorded fake in tests)."""

    name: str

    def generate(self, prompt: str, *, max_tokens: int = 512, temperature: float = 0.0) -> str: ...


def describe(backend: Any) -> str:
    """``name@revision`` for provenance."""
    return f"{getattr(backend, 'name', type(backend).__name__)}@{getattr(backend, 'revision', '0')}"
