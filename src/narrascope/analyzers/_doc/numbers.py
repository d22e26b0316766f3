"""Numbers and casualty ranges from digits and English number words.

A count is a range ``{"min": int | None, "max": int | None}``:
"at least 24" -> 24..None, "over 100" -> 101..None, "nearly 50" -> None..50, "fewer than 50" -> None..49,
"about 30" -> 30..30
(approximate figures keep the figure itself), "dozens" -> 24..None (at least two dozen),
"a dozen" -> 12..12, "hundreds" -> 200..None, "two to five" -> 2..5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Vague quantities: (min, max). Reason: the smallest value the word can honestly mean.
VAGUE = {
    "dozens": (24, None),  # "dozens" = at least two dozen
    "scores": (40, None),  # "scores" = at least two score
    "hundreds": (200, None),
    "thousands": (2000, None),
    "several": (3, None),  # "several" = more than two
    "a few": (2, None),
    "a number of": (2, None),
    "a dozen": (12, 12),
    "a couple of": (2, 2),
    "a handful of": (2, None),
}
_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
_NUM_WORDS = rf"(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*)"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))
NUMBER = rf"(?:{_VAGUE}|{_DIGITS}|{_NUM_WORDS})"  # vague phrases first: "a couple of" before "a"

_LOWER = r"at least|no fewer than|no less than|a minimum of|as many as|upwards of"
_ABOVE = r"more than|over|above|in excess of|upward of"
_NEAR = r"nearly|almost|close to|just under"
_BELOW = r"fewer than|less than|under"
_UPTO = r"up to|as many as|a maximum of"
_APPROX = r"about|around|approximately|some|roughly|an estimated|estimated|at around|nearly all"
MODIFIER = rf"(?:{_LOWER}|{_ABOVE}|{_NEAR}|{_BELOW}|{_UPTO}|{_APPROX})"
# A count phrase: optional modifier, a number, optional range tail.
COUNT = (
    rf"(?:between\s+{NUMBER}\s+and\s+{NUMBER}|(?:(?:{MODIFIER})\s+)?{NUMBER}(?:\s*(?:-|–|to|or)\s*{NUMBER})?)"
)
COUNT_RE = re.compile(rf"\b{COUNT}\b", re.I)


@dataclass(frozen=True)
class Count:
    min: int | None
    max: int | None

    def to_json(self) -> dict[str, int | None]:
        return {"min": self.min, "max": self.max}

    def intersects(self, other: Count) -> bool:
        lo = max(self.min or 0, other.min or 0)
        hi_a = self.max if self.max is not None else 10**9
        hi_b = other.max if other.max is not None else 10**9
        return lo <= min(hi_a, hi_b)

    @property
    def key(self) -> int:
        """Sort key: the best lower bound (for "take the highest toll")."""
        return self.min if self.min is not None else (self.max or 0)


def parse_number(text: str) -> int | None:
    """An exact integer from digits or number words ("twenty-four", "1,200", "two hundred")."""
    t = text.strip().lower().replace("–", "-")
    if re.fullmatch(_DIGITS, t):
        return int(t.replace(",", ""))
    words = [w for w in re.split(r"[\s-]+", t) if w and w != "and"]
    if not words:
        return None
    total, cur = 0, 0
    for w in words:
        if w in UNITS:
            cur += UNITS[w]
        elif w in TENS:
            cur += TENS[w]
        elif w == "hundred":
            cur = max(cur, 1) * 100
        elif w in SCALES:
            total += max(cur, 1) * SCALES[w]
            cur = 0
        else:
            return None
    return total + cur


def parse_count(phrase: str) -> Count | None:
    """A casualty range from a count phrase ("at least 24", "dozens", "two to five")."""
    p = re.sub(r"\s+", " ", phrase.strip().lower())
    between = re.fullmatch(rf"between ({NUMBER}) and ({NUMBER})", p, re.I)
    if between:
        lo, hi = parse_number(between.group(1)), parse_number(between.group(2))
        return Count(lo, hi) if lo is not None and hi is not None and hi >= lo else None
    m = re.fullmatch(rf"(?:({MODIFIER}) )?({NUMBER})(?:\s*(?:-|–|to|or)\s*({NUMBER}))?", p, re.I)
    if not m:
        return None
    mod, first, second = m.group(1), m.group(2), m.group(3)
    if first in VAGUE:
        lo, hi = VAGUE[first]
        return Count(lo, hi)
    n = parse_number(first)
    if n is None:
        return None
    if second:
        n2 = parse_number(second)
        if n2 is not None and n2 >= n:
            return Count(n, n2)
    return _apply_modifier(mod, n)


def _apply_modifier(mod: str | None, n: int) -> Count:
    if not mod:
        return Count(n, n)
    if re.fullmatch(_LOWER, mod):
        return Count(n, None) if mod != "as many as" else Count(None, n)
    if re.fullmatch(_ABOVE, mod):
        return Count(n + 1, None)
    if re.fullmatch(_NEAR, mod):
        return Count(None, n)  # "nearly 600": at most 600
    if re.fullmatch(_BELOW, mod):
        return Count(None, n - 1) if n > 0 else Count(0, 0)
    if re.fullmatch(_UPTO, mod):
        return Count(None, n)
    return Count(n, n)  # approximate: keep the figure as stated
