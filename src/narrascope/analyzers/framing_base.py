"""Shared encoder pass for every framing head (narratives, roles, techniques, genre, frames).

One call to the embedder per batch of documents embeds every sentence and every paragraph of
every document; each registered :class:`FramingHead` then decodes from those vectors. No head
re-encodes the text. Heads are small trained artifacts under ``narrascope/models/<head>/``.

Units are half-open code-point spans into ``doc.text`` so evidence offsets come for free.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.model import Document

# A paragraph ends before a blank line (spaces, CR allowed) or at the end of the text.
_PARA = re.compile(r"\S(?:.*?\S)?(?=[^\S\n]*\r?\n\s*\n|\s*\Z)", re.S)
# Sentence end: . ! ? … followed by space/newline and an upper-case letter, digit or quote.
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”»)]?\s+(?=[\"'“«(]?[A-ZА-ЯЁІЇЄҐ0-9])|\n+")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Jr|Sr|Prof|Gov|Sen|Rep|No|vs|etc|approx|U\.S|U\.K|e\.g|i\.e)\.$"
)

#: Longest unit (characters) sent to the encoder; longer paragraphs are cut (the model
#: truncates at 256 word pieces anyway, and cost grows with length).
MAX_UNIT_CHARS = 1500


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: runs of text separated by blank lines."""
    return [(m.start(), m.end()) for m in _PARA.finditer(text)]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (rule-based, abbreviation-aware)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _SENT_END.finditer(text, start, end):
        piece = text[cur : m.start()]
        if _ABBREV.search(piece.rstrip("\"'”»)")):
            continue
        _append_trimmed(text, cur, m.start(), spans)
        cur = m.end()
    _append_trimmed(text, cur, end, spans)
    return spans


def _append_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


@dataclass(frozen=True)
class EncodedDoc:
    """A document with its unit spans and their embeddings (rows L2-normalised)."""

    doc: Document
    sentences: tuple[tuple[int, int], ...]
    paragraphs: tuple[tuple[int, int], ...]
    sent_emb: np.ndarray  # (n_sentences, dim)
    para_emb: np.ndarray  # (n_paragraphs, dim)
    doc_emb: np.ndarray  # (dim,) mean of paragraph vectors, re-normalised

    def sentence_text(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.doc.text[s:e]


def encode_docs(docs: Sequence[Document], embedder: Any) -> list[EncodedDoc]:
    """Embed all sentences and paragraphs of ``docs`` in ONE embedder call."""
    units: list[str] = []
    layout: list[tuple[list[tuple[int, int]], list[tuple[int, int]], int]] = []
    for doc in docs:
        paras = split_paragraphs(doc.text)
        sents = [s for p in paras for s in split_sentences(doc.text, p[0], p[1])]
        layout.append((sents, paras, len(units)))
        units.extend(doc.text[s:e][:MAX_UNIT_CHARS] for s, e in sents)
        units.extend(doc.text[s:e][:MAX_UNIT_CHARS] for s, e in paras)
    vecs = embedder.embed(units) if units else np.zeros((0, embedder.dim), dtype=np.float32)
    out: list[EncodedDoc] = []
    for doc, (sents, paras, off) in zip(docs, layout, strict=True):
        sv = vecs[off : off + len(sents)]
        pv = vecs[off + len(sents) : off + len(sents) + len(paras)]
        dv = pv.mean(0) if len(pv) else np.zeros(embedder.dim, dtype=np.float32)
        n = float(np.linalg.norm(dv))
        out.append(EncodedDoc(doc, tuple(sents), tuple(paras), sv, pv, dv / n if n > 0 else dv))
    return out


class FramingHead(Protocol):
    """A decoder over an :class:`EncodedDoc`. ``produces`` names contract fields."""

    name: str
    version: str
    produces: tuple[str, ...]

    def predict(self, enc: EncodedDoc, prior: dict[str, Any]) -> dict[str, Any]: ...


HeadFactory = Callable[[dict[str, Any]], FramingHead]
HEADS: dict[str, HeadFactory] = {}


def register_head(name: str) -> Callable[[HeadFactory], HeadFactory]:
    """Register a framing head factory (``options -> FramingHead``) under ``name``."""

    def deco(factory: HeadFactory) -> HeadFactory:
        HEADS[name] = factory
        return factory

    return deco


class FramingAnalyzer:
    """Runs the configured heads over one shared encoder pass.

    Options: ``embedder`` (default ``minilm-int8``), ``heads`` (names; default all registered),
    ``languages`` (documents in other languages get no framing labels; default ``["en"]``).
    The embedder object may be passed directly as ``options["embedder_obj"]`` (tests).
    """

    def __init__(self, options: dict[str, Any]) -> None:
        from narrascope.backends.embedders import get_embedder

        self._embedder = options.get("embedder_obj") or get_embedder(options.get("embedder", "minilm-int8"))
        names = options.get("heads") or sorted(HEADS)
        unknown = [n for n in names if n not in HEADS]
        if unknown:
            from narrascope.errors import ConfigError

            raise ConfigError(f"unknown framing head(s) {unknown}; registered: {sorted(HEADS)}")
        head_opts = options.get("head_options", {})
        self._heads = [HEADS[n](dict(head_opts.get(n, {}))) for n in names]
        self._languages = set(options.get("languages", ["en"]))
        produces = tuple(f for h in self._heads for f in h.produces)
        self.spec = AnalyzerSpec("framing.v1", "1", requires=("entities",), produces=produces)

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        keep = [i for i, d in enumerate(batch) if (d.doc.language or "en") in self._languages and d.doc.text]
        encoded = encode_docs([batch[i].doc for i in keep], self._embedder)
        results: list[dict[str, Any]] = [{} for _ in batch]
        for i, enc in zip(keep, encoded, strict=True):
            prior = dict(batch[i].prior)
            for head in self._heads:
                out = head.predict(enc, prior)
                results[i].update(out)
                prior.update(out)
        return results


def _factory(options: dict[str, Any]) -> FramingAnalyzer:
    return FramingAnalyzer(options)


from narrascope.registry import register_analyzer  # noqa: E402

register_analyzer("framing.v1")(_factory)
