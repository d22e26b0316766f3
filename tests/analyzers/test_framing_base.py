from __future__ import annotations

import numpy as np

from narrascope.analyzers.framing_base import encode_docs, split_paragraphs, split_sentences
from narrascope.backends.embedders import FakeEmbedder
from narrascope.model import Document, InputRef


def _paras(t: str) -> list[str]:
    return [t[s:e] for s, e in split_paragraphs(t)]


def test_paragraphs_trailing_newline_crlf_and_spaces() -> None:
    assert _paras("A b.\n\nC d.\n") == ["A b.", "C d."]
    assert _paras("A b.  \r\n\r\nC d. \r\n") == ["A b.", "C d."]
    assert _paras("Line one\nline two\n\nPara 2.\n\n") == ["Line one\nline two", "Para 2."]
    assert _paras("   ") == []


def test_sentences_respect_abbreviations_and_offsets() -> None:
    t = 'Dr. Smith said the U.S. would help. "It is bad," he said. Kyiv responded.'
    spans = split_sentences(t)
    assert [t[s:e] for s, e in spans] == [
        "Dr. Smith said the U.S. would help.",
        '"It is bad," he said.',
        "Kyiv responded.",
    ]


def test_one_encoder_call_per_batch() -> None:
    calls: list[int] = []

    class Counting(FakeEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(len(texts))
            return super().embed(texts)

    docs = [
        Document(text=f"First {i}. Second.\n\nThird {i}.", input=InputRef(None, "0" * 64, "text"))
        for i in range(3)
    ]
    enc = encode_docs(docs, Counting())
    assert len(calls) == 1 and calls[0] == 3 * (3 + 2)
    assert enc[0].sent_emb.shape == (3, 64) and enc[0].para_emb.shape == (2, 64)
    assert np.isclose(np.linalg.norm(enc[1].doc_emb), 1.0)
