"""``narrascope eval extraction``: main text and metadata extraction on four benchmarks.

The folder given with ``--data`` is recognised by its files and scored with that benchmark's
own metric (see each benchmark's README under ``shared/data/extraction``):

- ``scrapinghub-aeb``: 4-gram shingle precision/recall/F1, per-document normalised (plus the
  1-gram token variant);
- ``trafilatura-eval``: must-have / must-not-have segments, micro-averaged; title, author and
  date columns;
- ``htmldate-eval``: publication-date precision/recall/accuracy;
- ``flattened-cases``: mean per-case token F1, leaked / lost strings, metadata exact rate.

Each run scores narrascope and, in the same run, plain trafilatura as the README baseline ran
it. ``--gate`` checks the figures against the floors pinned in ``baselines/extraction.json``;
``--pin`` rewrites them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html as html_lib
import json
import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from narrascope.registry import register_task

BASELINES = Path(__file__).parent / "baselines" / "extraction.json"
PIN_TOLERANCE = 0.005  # floors sit this far below the measured figure (run-to-run noise is ~0)
_TOKEN = re.compile(r"\w+")
_WS = re.compile(r"\s+")

# --------------------------------------------------------------------------- metrics


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of consecutive ``n``-grams; a shorter non-empty text gives one short shingle."""
    toks = tokens(text)
    if not toks:
        return Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)))


def doc_prf(gold: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one document, as the Scrapinghub benchmark defines them."""
    g, p = shingles(gold, n), shingles(pred, n)
    tp = fp = fn = 0
    for key in g.keys() | p.keys():
        gc, pc = g.get(key, 0), p.get(key, 0)
        tp += min(gc, pc)
        fp += max(0, pc - gc)
        fn += max(0, gc - pc)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return 0.0 if tp == 0 and fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return 0.0 if tp == 0 and fn == 0 else tp / (tp + fn)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def aeb_scores(pairs: Iterable[tuple[str, str]], n: int = 4) -> dict[str, float]:
    """Corpus P/R/F1 and accuracy over (gold, predicted) pairs: the benchmark's ``evaluate.py``."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = count = 0
    for gold, pred in pairs:
        count += 1
        exact += tokens(gold) == tokens(pred)
        tp, fp, fn = doc_prf(gold, pred, n)
        if tp + fp > 0:
            precisions.append(_precision(tp, fp, fn))
        if tp + fn > 0:
            recalls.append(_recall(tp, fp, fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": _f1(p, r), "accuracy": exact / count if count else 0.0}


def norm_ws(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def segment_counts(output: str | None, with_: list[str], without: list[str]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page for the trafilatura-eval segment metric."""
    out = norm_ws(output or "")
    tp = sum(norm_ws(s) in out for s in with_)
    fp = sum(norm_ws(s) in out for s in without)
    return tp, fp, len(with_) - tp, len(without) - fp


def segment_scores(counts: Iterable[tuple[int, int, int, int]]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for a, b, c, d in counts:
        tp, fp, fn, tn = tp + a, fp + b, fn + c, tn + d
    total = tp + fp + fn + tn
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "accuracy": (tp + tn) / total if total else 0.0,
    }


_QUOTES = str.maketrans({c: '"' for c in "„“”«»″‟"} | {c: "'" for c in "‘’‚‹›′‛`´"})
_DASHES = re.compile(r"[‐‑‒–—―−]")
_EDGE = " \t\"'.,;:!?-|·•"


def norm_title(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_QUOTES)
    return norm_ws(_DASHES.sub("-", text)).strip(_EDGE)


def author_names(value: str | list[str] | None) -> set[str]:
    """Normalised author names: split on ; / and / und, case-folded, no dots, no leading By."""
    if isinstance(value, list):
        value = "; ".join(value)
    names = set()
    for part in re.split(r";|\band\b|\bund\b", value or "", flags=re.IGNORECASE):
        name = norm_ws(re.sub(r"^\s*by\s+", "", part.replace(".", ""), flags=re.IGNORECASE)).casefold()
        if name:
            names.add(name)
    return names


def norm_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from a gold or predicted date; malformed gold like ``2022-11-1`` is repaired."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})", value)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def date_scores(pairs: Iterable[tuple[str | None, str | None]]) -> dict[str, float]:
    """htmldate's ``evaluate_result``: equal TP, different FP, nothing FN (gold is never None)."""
    tp = fp = fn = 0
    for gold, pred in pairs:
        if pred is None:
            fn += 1
        elif pred == gold:
            tp += 1
        else:
            fp += 1
    n = tp + fp + fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "date_precision": p,
        "date_recall": r,
        "date_f1": _f1(p, r),
        "date_accuracy": tp / n if n else 0.0,
        "no_date": fn,
    }


# --------------------------------------------------------------------------- benchmarks


def detect_benchmark(data: Path) -> str:
    if (data / "ground-truth.json").is_file():
        return "scrapinghub-aeb"
    if (data / "evaldata.json").is_file():
        return "trafilatura-eval"
    if (data / "eval_default.json").is_file():
        return "htmldate-eval"
    if any("expected_text" in p.read_text(encoding="utf-8")[:20000] for p in data.glob("*.json")):
        return "flattened-cases"
    raise SystemExit(f"E_USAGE: {data} is not a known extraction benchmark folder")


def corpus_hash(data: Path) -> str:
    """sha256 over the sorted list of (relative path, size) of every file in the folder."""
    lines = sorted(
        f"{p.relative_to(data).as_posix()}\t{p.stat().st_size}" for p in data.rglob("*") if p.is_file()
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def read_page(path: Path) -> str:
    """Decode a stored page (gzip of the original bytes; encodings vary)."""
    from trafilatura.utils import decode_file

    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return str(decode_file(raw))


def load_items(bench: str, data: Path) -> list[dict[str, Any]]:
    """Items ``{id, url, path|input, gold...}`` in a stable order."""
    if bench == "scrapinghub-aeb":
        gt = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
        return [
            {"id": k, "url": v["url"], "path": str(data / "html" / f"{k}.html.gz"), "body": v["articleBody"]}
            for k, v in sorted(gt.items())
        ]
    if bench == "trafilatura-eval":
        ev = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
        return [
            {"id": url, "url": url, "path": str(data / "html" / f"{v['file']}.gz"), **v}
            for url, v in sorted(ev.items())
        ]
    if bench == "htmldate-eval":
        items = []
        for name in ("eval_default.json", "eval_mediacloud_2020.json"):
            ev = json.loads((data / name).read_text(encoding="utf-8"))
            for url, v in sorted(ev.items()):
                gold = norm_date(v.get("date"))
                if gold is not None:  # NaN gold: no determinable date, left out (README)
                    items.append(
                        {
                            "id": url,
                            "url": url,
                            "path": str(data / "html" / f"{v['file']}.gz"),
                            "date": gold,
                            "subset": name.split("_")[1].split(".")[0],
                        }
                    )
        return items
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(data.glob("*.json"))]


# --------------------------------------------------------------------------- systems


def _timed(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        out = fn()
    except Exception as exc:  # a crash counts as empty output, as upstream scores it
        out = {"text": "", "error": f"{type(exc).__name__}: {exc}"}
    out["ms"] = (time.perf_counter() - start) * 1000
    return out


def _narrascope_html(html: str, url: str | None) -> dict[str, Any]:
    from narrascope.clean.html import clean_html

    res = clean_html(html, url)
    m = res.metadata
    return {
        "text": res.text,
        "title": m.title,
        "author": m.author,
        "date": m.published.value if m.published else None,
        "site": m.site,
    }


def _trafilatura_html(html: str, url: str | None) -> dict[str, Any]:
    from trafilatura import bare_extraction

    doc = bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return {"text": ""}
    return {
        "text": doc.text or "",
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "site": doc.sitename,
    }


def _htmldate(html: str, url: str | None) -> dict[str, Any]:
    from htmldate import find_date

    return {"date": find_date(html, url=url, extensive_search=True, original_date=True)}


def _lines_as_html(text: str) -> str:
    paras = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    return f"<html><body>\n{paras}</body></html>"


def _flat_narrascope(case: dict[str, Any]) -> dict[str, Any]:
    if case.get("kind") == "markdown":
        from narrascope.clean.markdown import clean_markdown as clean
    else:
        from narrascope.clean.flattened import clean_flattened as clean
    res = clean(case["input"])
    m = res.metadata
    return {
        "text": res.text,
        "title": m.title,
        "author": m.author,
        "date": m.published.value if m.published else None,
        "site": m.site,
    }


def _flat_trafilatura(case: dict[str, Any]) -> dict[str, Any]:
    return _trafilatura_html(_lines_as_html(case["input"]), None)


def systems_for(bench: str) -> dict[str, Callable[[dict[str, Any], str], dict[str, Any]]]:
    """System name -> callable(item, page) for this benchmark (page is '' for flattened-cases)."""
    if bench == "flattened-cases":
        return {
            "narrascope": lambda it, _: _flat_narrascope(it),
            "trafilatura": lambda it, _: _flat_trafilatura(it),
        }
    out: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
        "narrascope": lambda it, page: _narrascope_html(page, it.get("url")),
        "trafilatura": lambda it, page: _trafilatura_html(page, it.get("url")),
    }
    if bench == "htmldate-eval":
        out["htmldate"] = lambda it, page: _htmldate(page, it.get("url"))
    return out


def flattened_available() -> str | None:
    """None when the flattened/markdown cleaners import; else the reason they are skipped."""
    try:
        from narrascope.clean.flattened import clean_flattened  # noqa: F401
        from narrascope.clean.markdown import clean_markdown  # noqa: F401
    except ImportError as exc:
        return f"narrascope flattened/markdown cleaners not available yet ({exc}); system skipped"
    return None


def run_item(job: tuple[str, dict[str, Any], list[str]]) -> dict[str, Any]:
    """All systems on one item. Top-level so a multiprocessing pool can pickle it."""
    bench, item, names = job
    page = read_page(Path(item["path"])) if "path" in item else ""
    systems = systems_for(bench)
    return {name: _timed(lambda name=name: systems[name](item, page)) for name in names}


def _pool_context(mp: Any) -> Any:
    """fork where the platform has it (workers inherit loaded modules); spawn elsewhere."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _run_all(
    bench: str, items: list[dict[str, Any]], names: list[str], workers: int
) -> Iterator[dict[str, Any]]:
    jobs = [(bench, it, names) for it in items]
    if workers <= 1:
        if jobs:
            run_item(jobs[0])  # warm-up: first-call imports and caches are not per-document time
        yield from map(run_item, jobs)
        return
    import multiprocessing as mp

    with _pool_context(mp).Pool(workers) as pool:
        yield from pool.imap(run_item, jobs, chunksize=4)


# --------------------------------------------------------------------------- scoring


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _meta_scores(items: list[dict[str, Any]], outs: list[dict[str, Any]]) -> dict[str, float]:
    title_exact, title_contains, author_exact, author_any, dates = [], [], [], [], []
    for it, out in zip(items, outs, strict=True):
        if it.get("title"):
            gold, pred = norm_title(it["title"]), norm_title(out.get("title"))
            title_exact.append(gold == pred)
            title_contains.append(bool(pred) and gold in pred)
        if it.get("author"):
            gold_names, pred_names = author_names(it["author"]), author_names(out.get("author"))
            author_exact.append(gold_names == pred_names)
            joined = " ; ".join(sorted(pred_names))
            author_any.append(any(name in joined for name in gold_names) if joined else False)
        if norm_date(it.get("date")):
            dates.append(norm_date(it["date"]) == norm_date(out.get("date")))
    return {
        "title_exact": _mean(title_exact),
        "title_contains": _mean(title_contains),
        "author_exact": _mean(author_exact),
        "author_any": _mean(author_any),
        "date_accuracy": _mean(dates),
    }


def _case_pr(gold: str, text: str, n: int) -> tuple[float, float]:
    """Per-case precision and recall; an empty output has precision 0."""
    tp, fp, fn = doc_prf(gold, text, n)
    return (_precision(tp, fp, fn) if text else 0.0), _recall(tp, fp, fn)


def _flat_scores(items: list[dict[str, Any]], outs: list[dict[str, Any]]) -> dict[str, Any]:
    p, r, f, f4 = [], [], [], []
    leaked = lost = must_not = must = meta_ok = meta_n = 0
    for case, out in zip(items, outs, strict=True):
        text = out.get("text") or ""
        prec, rec = _case_pr(case["expected_text"], text, 1)
        p.append(prec)
        r.append(rec)
        f.append(_f1(prec, rec))
        f4.append(_f1(*_case_pr(case["expected_text"], text, 4)))
        leaked += sum(s in text for s in case["must_not_contain"])
        lost += sum(s not in text for s in case["must_contain"])
        must_not += len(case["must_not_contain"])
        must += len(case["must_contain"])
        for key, gold in case["expected_metadata"].items():
            if gold is not None:
                meta_n += 1
                pred = out.get(key)
                meta_ok += (norm_date(pred) == gold) if key == "date" else (norm_ws(pred or "") == gold)
    return {
        "precision": _mean(p),
        "recall": _mean(r),
        "f1": _mean(f),
        "shingle_f1": _mean(f4),
        "must_not_leaked": leaked,
        "must_not_total": must_not,
        "must_lost": lost,
        "must_total": must,
        "metadata_exact": meta_ok / meta_n if meta_n else 0.0,
    }


def score(bench: str, items: list[dict[str, Any]], outs: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures of one system on one benchmark (``outs`` aligned with ``items``)."""
    res: dict[str, Any] = {
        "ms_per_doc": _mean([o.get("ms", 0.0) for o in outs]),
        "errors": sum("error" in o for o in outs),
    }
    if bench == "scrapinghub-aeb":
        pairs = [(it["body"], o.get("text") or "") for it, o in zip(items, outs, strict=True)]
        res |= aeb_scores(pairs)
        res["token_f1"] = aeb_scores(pairs, n=1)["f1"]
    elif bench == "trafilatura-eval":
        res |= segment_scores(
            segment_counts(o.get("text"), it["with"], it["without"])
            for it, o in zip(items, outs, strict=True)
        )
        res |= _meta_scores(items, outs)
    elif bench == "htmldate-eval":
        res |= date_scores((it["date"], norm_date(o.get("date"))) for it, o in zip(items, outs, strict=True))
        mc = [
            (it["date"], norm_date(o.get("date")))
            for it, o in zip(items, outs, strict=True)
            if it["subset"] == "mediacloud"
        ]
        res["date_accuracy_mediacloud"] = date_scores(mc)["date_accuracy"]
    else:
        res |= _flat_scores(items, outs)
    return res


# --------------------------------------------------------------------------- gate


GATED = {
    "scrapinghub-aeb": ("precision", "recall", "f1"),
    "trafilatura-eval": ("precision", "recall", "f1", "title_exact", "author_exact", "date_accuracy"),
    "htmldate-eval": ("date_accuracy", "date_accuracy_mediacloud"),
    "flattened-cases": ("f1", "metadata_exact"),
}


def _load_baselines() -> dict[str, Any]:
    return json.loads(BASELINES.read_text(encoding="utf-8")) if BASELINES.is_file() else {}


def pin(bench: str, chash: str, figures: dict[str, Any]) -> dict[str, float]:
    floors = {k: math.floor((figures[k] - PIN_TOLERANCE) * 1000) / 1000 for k in GATED[bench] if k in figures}
    data = _load_baselines()
    data[bench] = {"corpus_hash": chash, "floors": floors}
    BASELINES.parent.mkdir(parents=True, exist_ok=True)
    BASELINES.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return floors


def gate(bench: str, chash: str, figures: dict[str, Any]) -> tuple[bool, list[str]]:
    """(ok, messages). A changed corpus is reported, not failed."""
    entry = _load_baselines().get(bench)
    if entry is None:
        return False, [f"no floors pinned for {bench}; run with --pin"]
    if entry["corpus_hash"] != chash:
        return True, ["corpus changed, re-pin with --pin (floors not checked)"]
    msgs = [
        f"{k}: {figures.get(k, 0.0):.4f} < floor {floor:.3f}"
        for k, floor in sorted(entry["floors"].items())
        if figures.get(k, 0.0) < floor
    ]
    return not msgs, msgs or ["all figures at or above their floors"]


# --------------------------------------------------------------------------- task


def _add_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--gate", action="store_true", help="fail when a figure falls below its pinned floor")
    parser.add_argument("--pin", action="store_true", help="rewrite the floors from this run")


def _print_table(bench: str, n: int, systems: dict[str, dict[str, Any]]) -> None:
    cols: list[str] = []
    for figs in systems.values():
        cols += [k for k, v in figs.items() if isinstance(v, float | int) and k not in cols]
    print(f"{bench}: {n} items")
    print("system".ljust(12) + "".join(c[:16].rjust(17) for c in cols))
    for name, figs in systems.items():
        row = "".join(
            (f"{figs[c]:.4f}" if isinstance(figs.get(c), float) else str(figs.get(c, "-"))).rjust(17)
            for c in cols
        )
        print(name.ljust(12) + row)


def run(args: argparse.Namespace) -> dict[str, Any]:
    data = Path(args.data or "../shared/data/extraction/scrapinghub-aeb")
    bench = detect_benchmark(data)
    items = load_items(bench, data)
    if getattr(args, "limit", None):
        items = items[: args.limit]
    names = list(systems_for(bench))
    notes: list[str] = []
    if bench == "flattened-cases" and (why := flattened_available()):
        names.remove("narrascope")
        notes.append(why)
        print(why)
    outs = list(_run_all(bench, items, names, getattr(args, "workers", 1) or 1))
    systems = {name: score(bench, items, [o[name] for o in outs]) for name in names}
    _print_table(bench, len(items), systems)
    result: dict[str, Any] = {"benchmark": bench, "n": len(items), "systems": systems, "notes": notes}
    if getattr(args, "out", None):
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    chash = corpus_hash(data)
    full = not getattr(args, "limit", None)
    if getattr(args, "pin", False) and "narrascope" in systems:
        if not full:
            print("--pin refused: floors are pinned on full runs only (drop --limit)")
        else:
            result["floors"] = pin(bench, chash, systems["narrascope"])
            print(f"pinned floors for {bench}: {result['floors']}")
    if getattr(args, "gate", False):
        ok, msgs = (
            (True, ["gate skipped: --limit runs are not gated"])
            if not full
            else gate(bench, chash, systems.get("narrascope", {}))
        )
        for msg in msgs:
            print(f"gate: {msg}")
        result["gate"] = {"ok": ok, "messages": msgs}
        if not ok:
            if getattr(args, "json", False):  # the CLI never gets to print it: exit comes first
                print(json.dumps(result))
            raise SystemExit(1)
    return result


register_task("eval", "extraction", "main text + metadata extraction benchmarks (vs trafilatura)", _add_args)(
    run
)
