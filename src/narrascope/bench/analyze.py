"""``narrascope bench analyze``: documents per second and peak memory of the document analyzers.

Synthetic ~800-word war-news articles are generated deterministically from templates (seeded;
no copied text): datelines, attributed statements, casualty figures, dates, denials, filler.
Load time (spaCy, gazetteer) is measured apart from the steady-state rate. Figures are printed,
never asserted. :func:`bench_analyzers` is reusable with any analyzer list.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Sequence
from typing import Any

from narrascope.registry import build_analyzer, register_task

SEED = 1729
DEFAULT_ANALYZERS = ("entities.v1", "claims.v1", "incidents.v1", "consistency.v1")
_PLACES = [
    "Kharkiv",
    "Odesa",
    "Belgorod",
    "Dnipro",
    "Zaporizhzhia",
    "Kursk",
    "Sumy",
    "Kherson",
    "Mykolaiv",
    "Bryansk",
]
_ACTORS = ["Russian forces", "Ukrainian forces", "the Russian army", "Ukraine's military"]
_CLAIMANTS = [
    "the regional governor",
    "the Defence Ministry",
    "Dmitry Peskov",
    "Volodymyr Zelensky",
    "local officials",
    "the mayor",
]
_WEAPONS = ["missiles", "drones", "artillery shells", "glide bombs", "rockets"]
_TARGETS = [
    "a residential building",
    "a market",
    "a school",
    "a power station",
    "a railway depot",
    "a hospital",
]
_DAYS = ["on Monday", "on Tuesday", "overnight", "on Saturday", "last weekend", "yesterday"]
_FILLER = [
    "Residents described hours spent in basements while sirens sounded across the district.",
    "Repair crews began clearing debris and restoring electricity to nearby streets.",
    "The city council said temporary shelters had been opened in two schools.",
    "Analysts noted that the front line had barely moved during the winter months.",
    "Humanitarian groups appealed for generators, blankets and medical supplies.",
    "Officials urged people to stay away from damaged buildings until engineers inspected them.",
    "Traffic on the main highway was diverted for most of the day.",
    "Volunteers handed out hot meals to families who had lost their homes.",
]


def synthetic_article(index: int, words: int = 800) -> str:
    """One deterministic news-style article of about ``words`` words."""
    rng = random.Random(SEED + index)
    place, weapon, target = rng.choice(_PLACES), rng.choice(_WEAPONS), rng.choice(_TARGETS)
    killed, injured = rng.randint(1, 40), rng.randint(2, 120)
    paras = [
        f"{rng.choice(_ACTORS).capitalize()} struck {target} in {place} {rng.choice(_DAYS)} with {weapon}, "
        f"killing at least {killed} people and injuring {injured}, {rng.choice(_CLAIMANTS)} said.",
        f"“We will not leave this crime unanswered, and the world must see what happened here,” "
        f"{rng.choice(_CLAIMANTS)} told reporters.",
        f"The death toll later rose to {killed + rng.randint(1, 5)}, according to {rng.choice(_CLAIMANTS)}.",
        f"{rng.choice(['Moscow', 'Kyiv'])} denied any involvement and accused the other side of staging the attack.",
    ]
    while sum(len(p.split()) for p in paras) < words:
        paras.append(" ".join(rng.choice(_FILLER) for _ in range(rng.randint(3, 6))))
    return "\n\n".join(paras)


def synthetic_docs(n: int, words: int = 800) -> list[Any]:
    from narrascope.eval.incidents import make_doc

    return [make_doc(synthetic_article(i, words), f"2024-0{1 + i % 9}-1{i % 10}") for i in range(n)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_analyzers(names: Sequence[str], docs: Sequence[Any], batch_size: int = 16) -> dict[str, Any]:
    """Run ``names`` in order over ``docs`` (warm-up batch first); per-analyzer and total seconds."""
    from narrascope.analyzers.base import DocInput

    t0 = time.perf_counter()
    analyzers = [build_analyzer(n) for n in names]
    warm = [DocInput(d) for d in docs[:2]]
    prior: list[dict[str, Any]] = [{} for _ in warm]
    for an in analyzers:  # loads models and indexes
        for k, f in enumerate(an.analyze([DocInput(w.doc, dict(prior[k])) for k, w in enumerate(warm)])):
            prior[k].update(f)
    load_s = time.perf_counter() - t0
    per: dict[str, float] = {n: 0.0 for n in names}
    out: list[dict[str, Any]] = [{} for _ in docs]
    t1, c1 = time.perf_counter(), time.process_time()
    for i in range(0, len(docs), batch_size):
        for name, an in zip(names, analyzers, strict=True):
            ts = time.perf_counter()
            batch = [DocInput(d, dict(out[i + k])) for k, d in enumerate(docs[i : i + batch_size])]
            for k, f in enumerate(an.analyze(batch)):
                out[i + k].update(f)
            per[name] += time.perf_counter() - ts
    total = time.perf_counter() - t1
    cpu = time.process_time() - c1
    return {
        "analyzers": list(names),
        "documents": len(docs),
        "load_seconds": round(load_s, 2),
        "seconds": round(total, 2),
        "docs_per_second": round(len(docs) / total, 2) if total else None,
        "cpu_seconds": round(cpu, 2),
        "docs_per_cpu_second": round(len(docs) / cpu, 2) if cpu else None,  # fair on a shared machine
        "seconds_per_analyzer": {k: round(v, 2) for k, v in per.items()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "incidents_found": sum(len(o.get("incidents") or []) for o in out),
    }


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs", type=int, default=200, help="number of synthetic articles (default 200)")
    p.add_argument("--words", type=int, default=800, help="words per article (default 800)")
    p.add_argument("--analyzers", default=",".join(DEFAULT_ANALYZERS), help="comma-separated analyzer names")


def _run(args: argparse.Namespace) -> dict[str, Any]:
    n = args.limit or args.docs
    docs = synthetic_docs(n, args.words)
    r = bench_analyzers([a.strip() for a in args.analyzers.split(",") if a.strip()], docs)
    print(
        f"bench analyze: {r['documents']} synthetic articles of ~{args.words} words; analyzers {', '.join(r['analyzers'])}"
    )
    print(
        f"  load {r['load_seconds']} s; run {r['seconds']} s -> {r['docs_per_second']} docs/s; peak RSS {r['peak_rss_mb']} MB"
    )
    print(f"  CPU {r['cpu_seconds']} s -> {r['docs_per_cpu_second']} docs per CPU-second (one thread)")
    print("  per analyzer: " + ", ".join(f"{k} {v} s" for k, v in r["seconds_per_analyzer"].items()))
    return r


register_task(
    "bench", "analyze", "docs/s and peak RSS of entities, claims, incidents and consistency", _add_args
)(_run)
