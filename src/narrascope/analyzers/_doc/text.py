"""Text units and scripts: sentences, chunks for the NER model, language/script guess."""

from __future__ import annotations

import re
import unicodedata

# A sentence ends at . ! ? … (optionally followed by a closing quote/bracket) before white space
# and an upper-case letter, digit or opening quote; or at a line break.
_SENT_END = re.compile(r"(?<=[.!?…])[\"'”»’)]*\s+(?=[\"'“«‘(]?[A-ZА-ЯЁІЇЄҐ0-9])|\n+")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Jr|Sr|Prof|Gov|Sen|Rep|No|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Lt\.Col|Maj|Capt|Adm|Brig)"
    r"|\b[A-Z]|\bU\.S|\bU\.K|\bU\.N|\be\.g|\bi\.e)\.$"
)
MAX_SENTENCE = 2000  # characters; longer "sentences" (tables, lists without stops) are cut here


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (rule-based, abbreviation-aware)."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _SENT_END.finditer(text, start, end):
        if "\n" not in m.group(0) and _ABBREV.search(
            text[max(cur, m.start() - 12) : m.start()].rstrip("\"'”»’)")
        ):
            continue
        _append(text, cur, m.start(), spans)
        cur = m.end()
    _append(text, cur, end, spans)
    return spans


def _append(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    while e - s > MAX_SENTENCE:
        cut = text.rfind(" ", s, s + MAX_SENTENCE) if " " in text[s : s + MAX_SENTENCE] else s + MAX_SENTENCE
        cut = cut if cut > s else s + MAX_SENTENCE
        out.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))


def chunks(text: str, size: int = 20000, limit: int | None = None) -> list[tuple[int, int]]:
    """Spans of at most ``size`` characters cut at paragraph or sentence ends (for the NER model).

    ``limit`` caps the total characters covered (bounded time on huge inputs).
    """
    end_all = len(text) if limit is None else min(len(text), limit)
    out: list[tuple[int, int]] = []
    s = 0
    while s < end_all:
        e = min(s + size, end_all)
        if e < end_all:
            cut = max(text.rfind("\n", s, e), text.rfind(". ", s, e) + 1)
            e = cut if cut > s + size // 2 else e
        out.append((s, e))
        s = e
    return out


def script_profile(text: str, sample: int = 20000) -> dict[str, float]:
    """Shares of letters by script (latin, cyrillic, other) in the first ``sample`` characters."""
    counts = {"latin": 0, "cyrillic": 0, "other": 0}
    for ch in text[:sample]:
        if not ch.isalpha():
            continue
        o = ord(ch)
        if o < 0x250 or 0x1E00 <= o < 0x1F00:
            counts["latin"] += 1
        elif 0x400 <= o < 0x530:
            counts["cyrillic"] += 1
        else:
            counts["other"] += 1
    total = sum(counts.values()) or 1
    return {k: v / total for k, v in counts.items()}


_EN_STOP = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "said",
        "at",
        "from",
        "has",
        "have",
        "were",
        "are",
        "it",
        "be",
    ]
)


def guess_language(text: str, declared: str | None) -> tuple[str, str]:
    """``(language, script)``: the declared language if any, else a cheap English check."""
    prof = script_profile(text)
    script = max(prof, key=lambda k: prof[k]) if any(prof.values()) else "none"
    if declared:
        return declared.lower().split("-")[0], script
    if script == "latin":
        words = re.findall(r"[a-z]+", text[:20000].lower())
        share = sum(w in _EN_STOP for w in words) / max(len(words), 1)
        return ("en" if share >= 0.12 else "und"), script  # English prose runs ~25-35 % these words
    if script == "cyrillic":
        return ("uk" if re.search(r"[іїєґ]", text[:20000]) else "ru"), script
    return "und", script


def norm_quotes(s: str) -> str:
    return unicodedata.normalize("NFC", s).replace("’", "'")


class SpanIndex:
    """Entities (dicts with ``start``/``end``) sorted by start, sliced by range in O(log n)."""

    def __init__(self, items: list[dict[str, object]]) -> None:
        import bisect

        self._bisect = bisect
        self.items = sorted(items, key=lambda x: (x["start"], x["end"]))  # type: ignore[arg-type, return-value]
        self.starts = [int(x["start"]) for x in self.items]  # type: ignore[call-overload]

    def within(self, s: int, e: int) -> list[dict[str, object]]:
        """Items that start at or after ``s`` and end at or before ``e``."""
        lo = self._bisect.bisect_left(self.starts, s)
        hi = self._bisect.bisect_left(self.starts, e)
        return [x for x in self.items[lo:hi] if int(x["end"]) <= e]  # type: ignore[call-overload]
