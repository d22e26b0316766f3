"""Per-document analyzers: pure, batch-in batch-out, no IO."""

from narrascope.analyzers.base import Analyzer, AnalyzerSpec, DocInput

__all__ = ["Analyzer", "AnalyzerSpec", "DocInput"]
