"""``narrascope eval gate``: the quality ratchet.

Each entry of ``baselines/gate.json`` names an eval command line, the data it reads (hashed:
file names and sizes) and floors for metrics at dotted paths of the task's JSON result. The
gate runs every entry whose data is present, prints measured vs floor, and fails (exit 1) when
a metric falls below its floor. When the data's hash differs from the pinned one the entry is
reported as "corpus changed" (re-pin with ``--pin``), not as a regression. Floors are never
lowered silently: ``--pin`` rewrites them from the current figures minus a small tolerance and
the diff shows up in review.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from narrascope.registry import TASKS, register_task

BASELINES = Path(__file__).with_name("baselines") / "gate.json"
#: Pinning keeps this much headroom below the measured figure (noise from ties and threads).
TOLERANCE = 0.01


def data_hash(path: Path) -> str:
    """Hash of the relative file names and sizes under ``path`` (cheap, detects edits)."""
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for p in files:
        h.update(f"{p.relative_to(path) if path.is_dir() else p.name}:{p.stat().st_size}\n".encode())
    return h.hexdigest()[:16]


def metric(result: dict[str, Any], dotted: str) -> float | None:
    node: Any = result
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) else None


def run_task(argv: list[str]) -> dict[str, Any]:
    """Run ``narrascope eval TASK ...`` in-process and return its result dict (output hidden)."""
    from narrascope.cli.main import build_parser

    args = build_parser(argv).parse_args(argv)
    task = TASKS[argv[0]][argv[1]]
    with contextlib.redirect_stdout(io.StringIO()):
        return dict(task.run(args))


def check(root: Path, pin: bool = False, only: str | None = None) -> dict[str, Any]:
    spec = json.loads(BASELINES.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for entry in spec["entries"]:
        if only and entry["name"] != only:
            continue
        data = (root / entry["data"]).resolve()
        if not data.exists():
            rows.append({"entry": entry["name"], "status": "skipped", "reason": f"{entry['data']} absent"})
            continue
        argv = [a.replace("{data}", str(data)) for a in entry["argv"]]
        result = run_task(argv)
        digest = data_hash(data)
        changed = entry.get("data_hash") not in (None, digest)
        for path, floor in sorted(entry["floors"].items()):
            got = metric(result, path)
            ok = got is not None and got >= floor
            status = "ok" if ok else ("corpus changed" if changed else "REGRESSION")
            rows.append(
                {"entry": entry["name"], "metric": path, "measured": got, "floor": floor, "status": status}
            )
            if pin and got is not None:
                entry["floors"][path] = round(max(0.0, got - TOLERANCE), 4)
        if pin:
            entry["data_hash"] = digest
    if pin:
        BASELINES.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = [r for r in rows if r["status"] == "REGRESSION"]
    return {"benchmark": "gate", "rows": rows, "regressions": len(failed), "_exit_code": 1 if failed else 0}


def _add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pin", action="store_true", help="rewrite the floors from the current figures")
    p.add_argument("--only", metavar="NAME", help="one entry of baselines/gate.json")
    p.add_argument("--root", default=".", help="directory the entries' data paths are relative to")


@register_task(
    "eval", "gate", "quality ratchet: every pinned eval figure must stay above its floor", _add_args
)
def run(args: argparse.Namespace) -> dict[str, Any]:
    res = check(Path(args.root), pin=args.pin, only=args.only)
    print(f"{'entry':24} {'metric':40} {'measured':>9} {'floor':>7}  status")
    for r in res["rows"]:
        if r["status"] == "skipped":
            print(f"{r['entry']:24} {'-':40} {'-':>9} {'-':>7}  skipped ({r['reason']})")
            continue
        m = "n/a" if r["measured"] is None else f"{r['measured']:.4f}"
        print(f"{r['entry']:24} {r['metric']:40} {m:>9} {r['floor']:>7.4f}  {r['status']}")
    print(f"{res['regressions']} regression(s)")
    return res
