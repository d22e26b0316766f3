"""``narrascope bench link``: time and memory of incident linking on synthetic corpora.

Synthetic mentions (generated in code, deterministic): incidents spread over cities and
days, each reported by 1–6 sources with jittered casualty figures and blame, plus
undated passing references. Prints mentions, clusters, seconds, µs per mention and peak
traced memory, for each size, so growth can be compared with linear.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import date, timedelta
from typing import Any

from narrascope.registry import register_task

CITIES = [
    "Kyiv",
    "Kharkiv",
    "Odesa",
    "Dnipro",
    "Zaporizhzhia",
    "Lviv",
    "Sumy",
    "Kherson",
    "Mykolaiv",
    "Poltava",
    "Belgorod",
    "Kursk",
    "Bryansk",
    "Moscow",
    "Kazan",
    "Donetsk",
    "Luhansk",
    "Sevastopol",
    "Kramatorsk",
    "Chernihiv",
]
CITIES += [f"Town{i:03d}" for i in range(180)]  # not in the gazetteer: blocked by name
TYPES = ["shelling", "missile_strike", "drone_strike", "air_strike", "terrorist_attack"]


def synthetic_records(n_mentions: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    start = date(2022, 2, 24)
    made = 0
    doc = 0
    while made < n_mentions:
        city, typ = rng.choice(CITIES), rng.choice(TYPES)
        day = start + timedelta(days=rng.randrange(1000))
        killed = rng.randrange(0, 60)
        for _ in range(rng.randint(1, 6)):
            doc += 1
            text = f"Officials said a {typ.replace('_', ' ')} hit {city} on {day.isoformat()}, killing {killed} people."
            undated = rng.random() < 0.1
            inc = {
                "id": "a",
                "type": typ,
                "location": {"name": city, "country": None},
                "date": None if undated else {"value": day.isoformat(), "precision": "day"},
                "killed": {"min": max(0, killed + rng.randint(-2, 2)), "max": None},
                "injured": None,
                "weapons": [],
                "targets": [],
                "evidence": [{"start": 0, "end": len(text), "quote": text}],
                "perpetrator_claims": [
                    {
                        "actor": rng.choice(["Russia", "Ukraine"]),
                        "claimant": "author",
                        "stance": "asserted",
                        "evidence": [{"start": 0, "end": 9, "quote": text[:9]}],
                    }
                ],
            }
            pub = day + timedelta(days=rng.randint(0, 3) + (30 if undated else 0))
            records.append(
                {
                    "id": f"d{doc}",
                    "site": f"site{rng.randrange(200)}.example",
                    "text": text,
                    "published": {"value": pub.isoformat(), "precision": "day"},
                    "status": "ok",
                    "incidents": [inc],
                    "claims": [],
                    "entities": [],
                    "duplicate_of": None,
                }
            )
            made += 1
            if made >= n_mentions:
                break
    return records


def bench_size(n: int) -> dict[str, Any]:
    from narrascope.link.incidents import link_corpus

    records = synthetic_records(n)
    tracemalloc.start()
    t0 = time.perf_counter()
    out = link_corpus(records)
    secs = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "mentions": n,
        "clusters": len(out["incidents"]),
        "seconds": round(secs, 3),
        "us_per_mention": round(secs / n * 1e6, 1),
        "peak_traced_mb": round(peak / 2**20, 1),
    }


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated mention counts")


@register_task(
    "bench", "link", "incident linking time and memory on synthetic corpora (1k/10k/100k)", _add_args
)
def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(s) for s in str(args.sizes).split(",") if s]
    if args.limit:
        sizes = [s for s in sizes if s <= args.limit] or [args.limit]
    rows = []
    print(f"{'mentions':>9} {'clusters':>9} {'seconds':>9} {'µs/mention':>11} {'peak MB':>8}")
    for n in sizes:
        r = bench_size(n)
        rows.append(r)
        print(
            f"{r['mentions']:>9} {r['clusters']:>9} {r['seconds']:>9.2f} {r['us_per_mention']:>11.1f} "
            f"{r['peak_traced_mb']:>8.1f}"
        )
    return {"benchmark": "link", "sizes": rows}
