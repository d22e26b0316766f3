"""Document store (SQLite by default)."""

from narrascope.store.sqlite import Store, open_store

__all__ = ["Store", "open_store"]
