"""Backends: Embedder, Generator protocols and their implementations (heavy imports stay inside)."""

from narrascope.backends.base import Embedder, Generator

__all__ = ["Embedder", "Generator"]
