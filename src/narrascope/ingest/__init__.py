"""Ingestion: readers for files, directories, globs, stdin, URLs, JSON/JSONL/CSV exports."""

from narrascope.ingest.raw import RawInput
from narrascope.ingest.readers import expand, iter_inputs

__all__ = ["RawInput", "expand", "iter_inputs"]
