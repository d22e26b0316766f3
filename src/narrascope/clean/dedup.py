"""Near-duplicate detection: MinHash signatures over word shingles with LSH banding.

Syndicated copies differ in headline tweaks and boilerplate, so the clean bodies share most
5-word shingles. A document is a duplicate of the earliest stored document whose estimated
Jaccard similarity is at least :data:`THRESHOLD`. Cost: one signature per document plus
bucket look-ups, so the corpus check is near-linear, not pairwise.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

#: Shingle size in words. Reason: 5-grams rarely repeat between distinct articles on the
#: same event, but survive light edits.
SHINGLE = 5
#: Number of hash functions = BANDS * ROWS.
BANDS, ROWS = 16, 8
#: Estimated Jaccard at or above which two bodies are near-duplicates (syndicated copies).
THRESHOLD = 0.7

_WORD = re.compile(r"\w+", re.U)
_MERSENNE = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240322)
_A = _rng.integers(1, (1 << 61) - 1, size=BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=BANDS * ROWS, dtype=np.uint64)


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        words = words + [""] * (k - len(words))
    out = set()
    for i in range(len(words) - k + 1):
        h = hashlib.blake2b(" ".join(words[i : i + k]).encode("utf-8"), digest_size=8).digest()
        out.add(int.from_bytes(h, "little") >> 4)
    return out


def signature(text: str) -> np.ndarray:
    """MinHash signature (uint64, BANDS*ROWS values)."""
    sh = np.fromiter(shingles(text), dtype=np.uint64)
    with np.errstate(over="ignore"):
        vals = (np.outer(sh, _A) + _B) % _MERSENNE
    return vals.min(axis=0).astype(np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def bands(sig: np.ndarray) -> Iterable[tuple[int, str]]:
    """``(band, bucket)`` keys for LSH look-up."""
    for b in range(BANDS):
        chunk = sig[b * ROWS : (b + 1) * ROWS].tobytes()
        yield b, hashlib.blake2b(chunk, digest_size=8).hexdigest()


class DuplicateIndex:
    """In-memory LSH index; the store keeps the same keys in ``lsh_bands`` for persistence."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, str], list[str]] = {}
        self._sigs: dict[str, np.ndarray] = {}
        self._order: dict[str, int] = {}

    def add(self, doc_id: str, sig: np.ndarray, seq: int) -> None:
        if doc_id in self._sigs:
            return
        self._sigs[doc_id] = sig
        self._order[doc_id] = seq
        for key in bands(sig):
            self._buckets.setdefault(key, []).append(doc_id)

    def find(self, doc_id: str, sig: np.ndarray, threshold: float = THRESHOLD) -> str | None:
        """The earliest indexed document (other than ``doc_id``) similar enough, if any."""
        cands = {d for key in bands(sig) for d in self._buckets.get(key, []) if d != doc_id}
        best = [d for d in cands if similarity(sig, self._sigs[d]) >= threshold]
        if not best:
            return None
        return min(best, key=lambda d: (self._order[d], d))
