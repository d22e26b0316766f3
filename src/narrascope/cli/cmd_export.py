"""``narrascope export``: write documents.jsonl / CSV / Parquet and corpus.json from the store."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

FLAT_COLUMNS = (
    "id",
    "status",
    "title",
    "author",
    "site",
    "url",
    "published",
    "language",
    "duplicate_of",
    "input_path",
    "input_line",
    "error_code",
    "n_entities",
    "n_incidents",
    "n_claims",
    "genre",
    "narratives",
    "techniques",
    "text",
)


def add_parser(sub: Any, name: str, load_tasks: bool = False) -> argparse.ArgumentParser:
    p = sub.add_parser("export", help="write the stored records again (jsonl, csv, parquet)")
    p.add_argument("--db", metavar="FILE", required=True)
    p.add_argument("--out", metavar="DIR", required=True)
    p.add_argument(
        "--format", action="append", choices=["jsonl", "csv", "parquet"], help="repeatable; default jsonl"
    )
    p.set_defaults(func=run_export)
    return p


def flat_row(rec: dict[str, Any]) -> dict[str, Any]:
    """One CSV/Parquet row per document; nested analysis stays in documents.jsonl."""
    return {
        "id": rec["id"],
        "status": rec["status"],
        "title": rec.get("title"),
        "author": rec.get("author"),
        "site": rec.get("site"),
        "url": rec.get("url"),
        "published": (rec.get("published") or {}).get("value"),
        "language": rec.get("language"),
        "duplicate_of": rec.get("duplicate_of"),
        "input_path": (rec.get("input") or {}).get("path"),
        "input_line": (rec.get("input") or {}).get("line"),
        "error_code": (rec.get("error") or {}).get("code"),
        "n_entities": len(rec.get("entities") or []),
        "n_incidents": len(rec.get("incidents") or []),
        "n_claims": len(rec.get("claims") or []),
        "genre": (rec.get("genre") or {}).get("label"),
        "narratives": "; ".join(sorted({n.get("narrative", "") for n in rec.get("narratives") or []})),
        "techniques": "; ".join(sorted({t.get("technique", "") for t in rec.get("techniques") or []})),
        "text": rec.get("text"),
    }


def export(db: str, out: str, formats: list[str]) -> dict[str, str]:
    from narrascope.pipeline import build_corpus
    from narrascope.store import open_store

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, str] = {}
    with open_store(db) as store:
        records = list(store.iter_records())
        if "jsonl" in formats:
            p = out_dir / "documents.jsonl"
            with p.open("w", encoding="utf-8") as fh:
                for rec in records:
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            paths["jsonl"] = str(p)
        rows = [flat_row(r) for r in records]
        if "csv" in formats:
            p = out_dir / "documents.csv"
            with p.open("w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(FLAT_COLUMNS))
                w.writeheader()
                w.writerows(rows)
            paths["csv"] = str(p)
        if "parquet" in formats:
            import pyarrow as pa
            import pyarrow.parquet as pq

            p = out_dir / "documents.parquet"
            table = pa.table({c: [r[c] for r in rows] for c in FLAT_COLUMNS})
            table = table.append_column(
                "record", pa.array([json.dumps(r, ensure_ascii=False) for r in records])
            )
            pq.write_table(table, p)
            paths["parquet"] = str(p)
        corpus = build_corpus(store)
        cp = out_dir / "corpus.json"
        cp.write_text(json.dumps(corpus, ensure_ascii=False, indent=2), encoding="utf-8")
        paths["corpus"] = str(cp)
    return paths


def run_export(args: argparse.Namespace) -> int:
    from narrascope.cli.main import emit

    paths = export(args.db, args.out, args.format or ["jsonl"])
    if not args.json:
        for k, v in paths.items():
            print(f"{k}: {v}")
    emit(args, {"ok": True, "outputs": paths})
    return 0
