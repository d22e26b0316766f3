"""Document store: SQLite by default, PostgreSQL for ``postgresql://`` URLs (``postgres`` extra)."""

from narrascope.store.base import DocumentStore
from narrascope.store.sqlite import Store, open_store

__all__ = ["DocumentStore", "Store", "open_store"]
