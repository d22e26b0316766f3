"""``narrascope bench ingest``: cleaning throughput and memory.

- HTML: ``clean_html`` over the pages of an extraction benchmark (``scrapinghub-aeb`` by
  default), with plain trafilatura on the same pages in the same run (``extract`` for text only,
  and ``bare_extraction(with_metadata=True)``, which does the same work as ``clean_html``).
- Text dumps: ``clean_flattened`` on synthetic 800-word dumps generated here (seeded, so every
  run cleans the same bytes).
- Memory: resident set size after 1, 2 and 4 passes over the corpus (it should stay flat), and
  the peak from ``resource.getrusage``.
- ``--workers N``: docs/s of a process pool with N workers next to the single-process figure.

Pages are read and decoded before the clock starts; times cover the cleaning calls only.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from narrascope.registry import register_task

DEFAULT_DATA = "../shared/data/extraction/scrapinghub-aeb"
DUMP_WORDS = 800  # body length of one synthetic text dump
DUMP_COUNT = 400  # synthetic dumps per pass
SEED = 20240301

Page = tuple[str, str | None]

# --------------------------------------------------------------------------- synthetic dumps

_WORD_TEXT = (
    "council residents bridge river budget vote evening meeting school road repair mayor plan "
    "funding library market station weather harbour report committee volunteers festival traffic "
    "project parking office hospital water park district ferry museum train schedule local winter "
    "summer engineers survey proposal letter members public hearing press statement officials"
)
_WORDS = tuple(_WORD_TEXT.split(" "))
_BOILER_TOP = [
    "We value your privacy",
    "We and our partners use cookies to store and access information on your device.",
    "Accept all",
    "Reject all",
    "Manage preferences",
    "Skip to main content",
    "Home",
    "News",
    "Sport",
    "Sign in",
    "Quillfield Courier",
]
_BOILER_BOTTOM = [
    "Share this article",
    "Facebook",
    "Twitter",
    "Email",
    "Sign up for our daily newsletter",
    "Latest Contents",
    "Ferry timetable changes for spring",
    "Market square works begin",
    "12 comments",
    "Log in to comment",
    "Back to top",
    "© 2024 Quillfield Courier. All rights reserved.",
]


def synthetic_dump(index: int, words: int = DUMP_WORDS) -> str:
    """One deterministic 'save as text' dump: consent lines, headline, byline, body, footer."""
    rng = random.Random(SEED + index)
    body: list[str] = []
    left = words
    while left > 0:
        n = min(left, rng.randint(60, 120))
        sentences, used = [], 0
        while used < n:
            k = min(n - used, rng.randint(8, 16))
            words_ = " ".join(rng.choice(_WORDS) for _ in range(k))
            sentences.append(words_[0].upper() + words_[1:] + ".")
            used += k
        body.append(" ".join(sentences))
        left -= n
    head = [
        f"Town {rng.choice(_WORDS)} plan number {index} approved",
        f"By Reporter {index % 17}",
        f"Published {1 + index % 28} March 2024",
    ]
    return "\n".join(_BOILER_TOP + head + ["\n\n".join(body)] + _BOILER_BOTTOM) + "\n"


# --------------------------------------------------------------------------- measuring


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc), falling back to the peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _rate(fn: Callable[[Any], Any], docs: list[Any]) -> float:
    start = time.perf_counter()
    for doc in docs:
        fn(doc)
    elapsed = time.perf_counter() - start
    return len(docs) / elapsed if elapsed > 0 else 0.0


def _clean_page(page: Page) -> int:
    from narrascope.clean.html import clean_html

    return len(clean_html(page[0], page[1]).text)


def _traf_extract(page: Page) -> int:
    from trafilatura import extract

    return len(extract(page[0], url=page[1], include_comments=False) or "")


def _traf_meta(page: Page) -> int:
    from trafilatura import bare_extraction

    doc = bare_extraction(page[0], url=page[1], include_comments=False, with_metadata=True)
    return len(getattr(doc, "text", "") or "")


def _clean_dump(text: str) -> int:
    from narrascope.clean.flattened import clean_flattened

    return len(clean_flattened(text).text)


def _pool_context(mp: Any) -> Any:
    """fork where the platform has it (workers inherit loaded modules); spawn elsewhere."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _pool_rate(fn: Callable[[Any], int], docs: list[Any], workers: int) -> float:
    import multiprocessing as mp

    with _pool_context(mp).Pool(workers) as pool:
        pool.map(fn, docs[: workers * 2])  # warm-up: imports and rule loading happen here
        start = time.perf_counter()
        pool.map(fn, docs, chunksize=max(1, len(docs) // (workers * 8)))
        elapsed = time.perf_counter() - start
    return len(docs) / elapsed if elapsed > 0 else 0.0


def load_pages(data: Path, limit: int | None) -> list[Page]:
    from narrascope.eval.extraction import detect_benchmark, load_items, read_page

    bench = detect_benchmark(data)
    if bench == "flattened-cases":
        raise SystemExit("E_USAGE: bench ingest needs an HTML benchmark folder")
    items = load_items(bench, data)[: limit or None]
    return [(read_page(Path(it["path"])), it.get("url")) for it in items]


# --------------------------------------------------------------------------- task


def _add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=1, help="also measure a pool of N worker processes")
    parser.add_argument("--dumps", type=int, default=DUMP_COUNT, help="synthetic text dumps per pass")


def _interleaved_rates(fns: dict[str, Callable[[Page], int]], pages: list[Page]) -> dict[str, float]:
    """docs/s of each function, timed page by page in turn so that load changes hit all alike."""
    spent = dict.fromkeys(fns, 0.0)
    for page in pages:
        for name, fn in fns.items():
            start = time.perf_counter()
            fn(page)
            spent[name] += time.perf_counter() - start
    return {name: len(pages) / t if t > 0 else 0.0 for name, t in spent.items()}


def _html_section(pages: list[Page], workers: int) -> dict[str, Any]:
    for fn in (_clean_page, _traf_extract, _traf_meta):
        fn(pages[0])  # warm-up: imports and rule loading are not throughput
    rss = {"start": rss_mb()}
    rates = _interleaved_rates(
        {
            "narrascope": _clean_page,
            "trafilatura_extract": _traf_extract,
            "trafilatura_with_metadata": _traf_meta,
        },
        pages,
    )
    rss["after_1x"] = rss_mb()
    for passes in (2, 4):  # memory must stay flat as the corpus grows
        for _ in range(passes // 2):
            _rate(_clean_page, pages)
        rss[f"after_{passes}x"] = rss_mb()
    out: dict[str, Any] = {"docs": len(pages), **{f"{k}_docs_per_s": v for k, v in rates.items()}}
    out["rss_mb"] = rss
    out["peak_rss_mb"] = peak_rss_mb()
    out["ratio_vs_extract"] = rates["narrascope"] / rates["trafilatura_extract"]
    out["ratio_vs_with_metadata"] = rates["narrascope"] / rates["trafilatura_with_metadata"]
    if workers > 1:
        out["narrascope_docs_per_s_1_worker"] = rates["narrascope"]
        out[f"narrascope_docs_per_s_{workers}_workers"] = _pool_rate(_clean_page, pages, workers)
    return out


def _dump_section(count: int, workers: int) -> dict[str, Any]:
    try:
        from narrascope.clean.flattened import clean_flattened  # noqa: F401
    except ImportError as exc:
        return {"skipped": f"narrascope.clean.flattened not available ({exc})"}
    dumps = [synthetic_dump(i) for i in range(count)]
    _clean_dump(dumps[0])
    rss = {"start": rss_mb()}
    rates = []
    for passes in (1, 2, 4):
        while len(rates) < passes:
            rates.append(_rate(_clean_dump, dumps))
        rss[f"after_{passes}x"] = rss_mb()
    out: dict[str, Any] = {"docs": count, "words_per_doc": DUMP_WORDS, "docs_per_s": rates[0], "rss_mb": rss}
    if workers > 1:
        out[f"docs_per_s_{workers}_workers"] = _pool_rate(_clean_dump, dumps, workers)
    return out


def _print(result: dict[str, Any]) -> None:
    html, dumps = result["html"], result["dumps"]
    print(f"HTML ({html['docs']} pages from {result['data']}):")
    for key, value in html.items():
        if key != "docs":
            print(f"  {key:40s} {value if isinstance(value, dict) else round(value, 2)}")
    print("text dumps (synthetic, clean_flattened):")
    for key, value in dumps.items():
        print(f"  {key:40s} {value if isinstance(value, dict | str) else round(value, 2)}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data or DEFAULT_DATA)
    workers = max(1, getattr(args, "workers", 1) or 1)
    pages = load_pages(data, getattr(args, "limit", None))
    result: dict[str, Any] = {"data": str(data), "workers": workers, "html": _html_section(pages, workers)}
    result["dumps"] = _dump_section(getattr(args, "dumps", DUMP_COUNT) or DUMP_COUNT, workers)
    result["peak_rss_mb"] = peak_rss_mb()
    _print(result)
    return result


register_task("bench", "ingest", "cleaning throughput (docs/s) and memory vs plain trafilatura", _add_args)(
    run
)
