"""Word lists shared by the linkers (data in ``resources/stopwords.txt``)."""

from __future__ import annotations

from importlib import resources


def _load() -> frozenset[str]:
    text = resources.files("narrascope.link").joinpath("resources/stopwords.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


STOPWORDS = _load()
