"""``narrascope bench serve``: latency of the workbench pages and API calls on a large store.

Builds a synthetic SQLite store (10k documents by default, generated here, written through the
store's API) in a temporary directory, then times requests through an in-process client
(httpx over the ASGI app, no network) and prints p50/p95 per route. Target: p95 < 200 ms for
the list and document pages. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from narrascope.registry import register_task

SITES = [f"outlet-{i:02d}.example" for i in range(24)]
PLACES = [
    ("Belgorod", "Russia"),
    ("Kharkiv", "Ukraine"),
    ("Odesa", "Ukraine"),
    ("Kyiv", "Ukraine"),
    ("Donetsk", "Ukraine"),
    ("Kursk", "Russia"),
    ("Zaporizhzhia", "Ukraine"),
    ("Sevastopol", "Ukraine"),
]
ACTORS = ["Russia", "Ukraine", "NATO", "Volodymyr Zelensky", "Vladimir Putin", "United States"]
NARRATIVES = [
    "URW: Discrediting Ukraine",
    "URW: Praise of Russia",
    "URW: Discrediting the West, Diplomacy",
    "URW: Russia is the Victim",
    "URW: Blaming the war on others rather than the invader",
]
TECHNIQUES = ["Loaded_Language", "Name_Calling-Labeling", "Doubt", "Appeal_to_Fear-Prejudice", "Flag_Waving"]
TYPES = ["shelling", "missile_strike", "drone_strike", "air_strike"]
FILLER = (
    "Officials gave few details about the damage. Residents described a night of sirens and "
    "explosions. Emergency crews worked through the morning to clear debris. "
)


def _ev(text: str, start: int, quote: str) -> dict[str, Any]:
    return {"start": start, "end": start + len(quote), "quote": quote}


def synthetic_record(i: int, rng: random.Random, n_incidents: int) -> dict[str, Any]:
    """One fictional, internally consistent document record (offsets match the text)."""
    place, country = PLACES[i % len(PLACES)]
    actor, other = rng.sample(ACTORS, 2)
    day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
    killed = rng.randint(1, 40)
    lead = f"A {TYPES[i % 4].replace('_', ' ')} hit {place} on {day}, killing {killed} people. "
    blame = f"{actor} blamed {other} for the barbaric attack. "
    text = lead + blame + FILLER * rng.randint(4, 12) + f"Document number {i} ends here."
    b = len(lead)
    inc_id = i % n_incidents
    return {
        "schema": "narrascope.document/1",
        "id": f"doc{i:06d}",
        "status": "ok",
        "error": None,
        "input": {
            "path": f"bench/{i}.txt",
            "line": None,
            "url": None,
            "sha256": f"{i:064x}",
            "format": "txt",
        },
        "title": f"Strike on {place}, report {i}",
        "author": None,
        "site": SITES[i % len(SITES)],
        "url": f"https://{SITES[i % len(SITES)]}/{i}",
        "published": {"value": day, "precision": "day"},
        "language": "en",
        "text": text,
        "removed": [{"kind": "share", "text": "Share this article"}],
        "duplicate_of": None,
        "language_spans": [],
        "entities": [
            {**_ev(text, lead.index(place), place), "type": "GPE", "canonical": place},
            {**_ev(text, b, actor), "type": "GPE", "canonical": actor},
            {**_ev(text, b + len(actor) + 8, other), "type": "GPE", "canonical": other},
        ],
        "incidents": [
            {
                "id": f"i{inc_id}",
                "type": TYPES[inc_id % 4],
                "location": {"name": place, "country": country},
                "date": {"value": day, "precision": "day"},
                "killed": {"min": killed, "max": killed},
                "injured": None,
                "children_killed": None,
                "weapons": [],
                "targets": [],
                "perpetrator_claims": [
                    {
                        "actor": other,
                        "claimant": actor,
                        "stance": "alleged",
                        "evidence": [_ev(text, b, blame.strip())],
                    }
                ],
                "evidence": [_ev(text, 0, lead.strip())],
                "analyzer": "incidents.v1",
                "score": 0.8,
            }
        ],
        "claims": [
            {
                **_ev(text, b, blame.strip()),
                "claimant": actor,
                "cue": "blamed",
                "type": "indirect",
                "certainty": "asserted",
                "analyzer": "claims.v1",
                "score": 0.7,
            }
        ],
        "roles": [
            {
                "entity": other,
                "main_role": "Antagonist",
                "fine_roles": ["Terrorist"],
                "score": 0.7,
                "evidence": [_ev(text, b + len(actor) + 8, other)],
                "analyzer": "roles.v1",
            }
        ],
        "narratives": [
            {
                "narrative": NARRATIVES[i % len(NARRATIVES)],
                "subnarrative": NARRATIVES[i % len(NARRATIVES)] + ": Other",
                "score": 0.6,
                "evidence": [_ev(text, b, blame.strip())],
                "analyzer": "narratives.v1",
            }
        ],
        "explanation": "Synthetic benchmark document.",
        "techniques": [
            {
                "technique": TECHNIQUES[i % len(TECHNIQUES)],
                **_ev(text, blame.index("barbaric") + b, "barbaric attack"),
                "score": 0.9,
                "analyzer": "techniques.v1",
            }
        ],
        "genre": {"label": "news", "score": 0.8},
        "frames": [],
        "issues": [],
    }


def synthetic_corpus(records: list[dict[str, Any]], n_incidents: int) -> dict[str, Any]:
    docs: dict[int, list[str]] = {}
    for i, rec in enumerate(records):
        docs.setdefault(i % n_incidents, []).append(rec["id"])
    incidents = []
    for k, ids in sorted(docs.items()):
        first = records[k]
        inc = first["incidents"][0]
        killed = {r: records[int(r[3:])]["incidents"][0]["killed"]["min"] for r in ids}
        values = sorted(set(killed.values()))
        incidents.append(
            {
                "id": f"inc{k:05d}",
                "label": f"Strike, {inc['location']['name']}, {inc['date']['value']}",
                "type": inc["type"],
                "location": inc["location"],
                "date": inc["date"],
                "documents": ids,
                "mentions": [{"doc": d, "incident": f"i{k}"} for d in ids],
                "facts": {"killed": [{"doc": d, "min": v, "max": v} for d, v in killed.items()]},
                "consensus": [{"field": "location", "value": inc["location"]["name"], "documents": ids}],
                "contested": [
                    {
                        "field": "killed",
                        "positions": [
                            {"value": str(v), "documents": [d for d in ids if killed[d] == v]} for v in values
                        ],
                    }
                ]
                if len(values) > 1
                else [],
                "single_source": [],
            }
        )
    entities: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        for role in rec["roles"]:
            entities.setdefault(role["entity"], []).append({"doc": rec["id"], "main_role": role["main_role"]})
    return {
        "schema": "narrascope.corpus/1",
        "documents": {"ok": len(records), "failed": 0},
        "incidents": incidents,
        "timeline": [{"date": i["date"]["value"], "incident": i["id"]} for i in incidents],
        "links": [],
        "narratives": [],
        "duplicates": [],
        "entities": [{"canonical": k, "roles": v} for k, v in sorted(entities.items())],
    }


def build_store(path: Path, n_docs: int, seed: int = 13) -> list[str]:
    """Write ``n_docs`` synthetic records and their corpus into a new SQLite store; returns the ids."""
    from narrascope.store.sqlite import open_store

    rng = random.Random(seed)
    n_incidents = max(1, n_docs // 8)
    records = [synthetic_record(i, rng, n_incidents) for i in range(n_docs)]
    store = open_store(path)
    try:
        with store.conn:
            for seq, rec in enumerate(records, start=1):
                store.put_raw(rec["input"]["sha256"], rec["text"].encode())
                store.put_record(rec, rec["input"]["path"], "bench", seq)
        store.put_corpus(synthetic_corpus(records, n_incidents))
    finally:
        store.close()
    return [r["id"] for r in records]


def _routes(ids: list[str], n_incidents: int, rng: random.Random) -> dict[str, Callable[[], str]]:
    def doc() -> str:
        return rng.choice(ids)

    def off() -> int:
        return rng.randrange(0, max(1, len(ids) - 50))

    return {
        "page /documents": lambda: f"/documents?offset={off()}",
        "page /documents/{id}": lambda: f"/documents/{doc()}",
        "page / (overview)": lambda: "/",
        "page /incidents/{id}": lambda: f"/incidents/inc{rng.randrange(n_incidents):05d}",
        "page /search": lambda: (
            "/search?q=" + rng.choice(["Kharkiv", "barbaric attack", "sirens", "Odesa NATO"])
        ),
        "page /entities/{name}": lambda: "/entities/" + rng.choice(["NATO", "Russia"]),
        "api /documents": lambda: f"/api/v1/documents?limit=50&offset={off()}",
        "api /documents/{id}": lambda: f"/api/v1/documents/{doc()}",
        "api /search": lambda: (
            "/api/v1/search?q=" + rng.choice(["Kharkiv", "debris", "Kyiv", "Loaded_Language"])
        ),
        "api /incidents": lambda: f"/api/v1/incidents?offset={rng.randrange(max(1, n_incidents - 50))}",
        "api /incidents/{id}": lambda: f"/api/v1/incidents/inc{rng.randrange(n_incidents):05d}",
        "api /overview": lambda: "/api/v1/overview",
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(db: Path, ids: list[str], requests: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    from fastapi.testclient import TestClient

    from narrascope.api.app import create_app

    rng = random.Random(seed)
    with TestClient(create_app(db)) as client:
        t0 = time.perf_counter()
        cold = client.get("/api/v1/overview").status_code
        yield {
            "route": "overview, first (cold) build",
            "n": 1,
            "p50_ms": (time.perf_counter() - t0) * 1000,
            "p95_ms": (time.perf_counter() - t0) * 1000,
            "errors": int(cold != 200),
        }
        for name, make in _routes(ids, max(1, len(ids) // 8), rng).items():
            times, errors = [], 0
            for _ in range(requests):
                url = make()
                t = time.perf_counter()
                resp = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                errors += resp.status_code != 200
            yield {
                "route": name,
                "n": requests,
                "p50_ms": statistics.median(times),
                "p95_ms": _pct(times, 0.95),
                "errors": errors,
            }


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--docs", type=int, default=10_000, help="synthetic documents in the store (default 10000)"
    )
    p.add_argument("--requests", type=int, default=40, help="timed requests per route (default 40)")


@register_task(
    "bench", "serve", "p50/p95 latency of workbench pages and API calls on a synthetic store", _args
)
def run(args: argparse.Namespace) -> dict[str, Any]:
    n_docs = int(getattr(args, "limit", None) or getattr(args, "docs", None) or 10_000)
    requests = int(getattr(args, "requests", None) or 40)
    with tempfile.TemporaryDirectory(prefix="narrascope-bench-serve-") as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        ids = build_store(db, n_docs)
        build_s = time.perf_counter() - t0
        print(
            f"store: {n_docs} synthetic documents written in {build_s:.1f} s ({db.stat().st_size / 1e6:.0f} MB)"
        )
        rows = list(measure(db, ids, requests))
    print(f"{'route':34} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for r in rows:
        flag = (
            "  <- over 200 ms"
            if r["route"].startswith(("page /documents", "api /documents")) and r["p95_ms"] > 200
            else ""
        )
        print(f"{r['route']:34} {r['n']:>4} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['errors']:>6}{flag}")
    for r in rows:
        r["p50_ms"], r["p95_ms"] = round(r["p50_ms"], 2), round(r["p95_ms"], 2)
    return {"documents": n_docs, "build_seconds": round(build_s, 2), "routes": rows}
