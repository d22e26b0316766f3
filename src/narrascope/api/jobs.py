"""Analysis jobs started from the browser or ``POST /api/v1/analyze``.

Uploads are checked against :class:`UploadLimits` (count, size, type) and kept in memory: no
uploaded name ever becomes a path on this machine. One worker thread runs jobs one after the
other (SQLite has one writer). The analysis callable is injected:

``analyze(store_path, inputs) -> Iterable[dict]`` where ``inputs`` is a list of
``{"name": safe base name, "data": bytes, "format": "html"|"txt"|...}``. It may return a list
or yield one result per document as it finishes (a contract record or a summary with at least
``id`` and ``status``); the job shows each result as soon as it is yielded.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.api.errors import ApiError

AnalyzeFn = Callable[[str, list[dict[str, Any]]], Iterable[dict[str, Any]]]


@dataclass(frozen=True)
class UploadLimits:
    """What one analyze request may carry."""

    max_files: int = 20
    max_file_bytes: int = 5 * 1024 * 1024
    max_total_bytes: int = 20 * 1024 * 1024
    types: tuple[str, ...] = ("html", "htm", "txt", "md", "json", "jsonl", "csv")

    @property
    def max_request_bytes(self) -> int:
        # room for multipart headers and form fields around the files
        return self.max_total_bytes + 64 * 1024


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_name(name: str | None, fallback: str = "upload.txt") -> str:
    """A display-only base name: no directories, no control characters, no leading dots."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip(" .")[:120]
    return base or fallback


def check_upload(name: str, data: bytes, limits: UploadLimits) -> dict[str, Any]:
    """One uploaded file as an analysis input, or an :class:`ApiError` that says what is wrong."""
    clean = safe_name(name)
    ext = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if ext not in limits.types:
        allowed = ", ".join("." + t for t in limits.types)
        raise ApiError(415, "E_UPLOAD_TYPE", f"{clean}: type '.{ext}' is not accepted; use one of {allowed}.")
    if len(data) > limits.max_file_bytes:
        raise ApiError(
            413,
            "E_UPLOAD_TOO_LARGE",
            f"{clean}: {len(data)} bytes is over the per-file limit of {limits.max_file_bytes} bytes.",
        )
    if not data.strip():
        raise ApiError(400, "E_UPLOAD_EMPTY", f"{clean}: the file is empty.")
    return {"name": clean, "data": data, "format": "html" if ext == "htm" else ext}


def check_batch(inputs: list[dict[str, Any]], limits: UploadLimits) -> None:
    if not inputs:
        raise ApiError(400, "E_UPLOAD_EMPTY", "Nothing to analyse: paste text or choose at least one file.")
    if len(inputs) > limits.max_files:
        raise ApiError(
            400, "E_UPLOAD_COUNT", f"{len(inputs)} files is over the limit of {limits.max_files} per request."
        )
    total = sum(len(i["data"]) for i in inputs)
    if total > limits.max_total_bytes:
        raise ApiError(
            413,
            "E_UPLOAD_TOO_LARGE",
            f"{total} bytes in total is over the limit of {limits.max_total_bytes}.",
        )


def _result(item: dict[str, Any]) -> dict[str, Any]:
    """A record or summary reduced to what the job list shows."""
    ref = item.get("input") or {}
    return {
        "id": item.get("id"),
        "name": item.get("name") or ref.get("path"),
        "status": item.get("status") or "ok",
        "title": item.get("title"),
        "error": item.get("error"),
    }


@dataclass
class Job:
    id: str
    names: list[str]
    status: str = "queued"
    created: float = field(default_factory=time.time)
    finished: float | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "inputs": list(self.names),
            "total": len(self.names),
            "done": len(self.results),
            "results": list(self.results),
            "error": self.error,
        }


class JobManager:
    """Queues analysis jobs on one worker thread and keeps the last ``keep`` of them."""

    def __init__(self, analyze: AnalyzeFn | None, store_path: str | Path | None, keep: int = 100) -> None:
        self.analyze = analyze
        self.store_path = str(store_path) if store_path is not None else ""
        self.keep = keep
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="narrascope-analyze")
        self._seq = itertools.count(1)

    def resolve(self) -> AnalyzeFn:
        if self.analyze is not None:
            return self.analyze
        try:
            from narrascope import pipeline
        except ImportError as exc:
            raise ApiError(
                503, "E_ANALYZE_UNAVAILABLE", f"Analysis is not available in this installation ({exc})."
            ) from None
        if not self.store_path:
            raise ApiError(503, "E_ANALYZE_UNAVAILABLE", "This server has no store file to analyse into.")
        return getattr(pipeline, "analyze_into_store", None) or run_bytes_adapter

    def submit(self, inputs: list[dict[str, Any]]) -> Job:
        fn = self.resolve()
        job = Job(id=f"{next(self._seq)}-{uuid.uuid4().hex[:12]}", names=[i["name"] for i in inputs])
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > self.keep:
                self.jobs.popitem(last=False)
        self.pool.submit(self._run, job, fn, inputs)
        return job

    def _run(self, job: Job, fn: AnalyzeFn, inputs: list[dict[str, Any]]) -> None:
        job.status = "running"
        try:
            for item in fn(self.store_path, inputs):
                job.results.append(_result(item))
            job.status = "done"
        except Exception as exc:  # a failed job is data, shown to the user
            job.status = "failed"
            job.error = {"code": "E_ANALYZE", "message": f"{type(exc).__name__}: {exc}"}
        finally:
            job.finished = time.time()

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def run_bytes_adapter(
    store_path: str, inputs: list[dict[str, Any]], *, analyzer_names: list[str] | None = None
) -> Iterable[dict[str, Any]]:
    """Default analysis when ``pipeline.analyze_into_store`` is absent: ``pipeline.run_bytes``
    one input at a time (so each result shows as soon as it is stored), then relink the corpus.
    Analyzers are built once per job (from the config, or from ``analyzer_names``)."""
    from narrascope import pipeline
    from narrascope.config import load_config
    from narrascope.registry import build_analyzer
    from narrascope.store.sqlite import open_store

    config = load_config()
    if analyzer_names is None:
        analyzers = pipeline.build_analyzers(config)
    else:
        analyzers = [build_analyzer(name) for name in analyzer_names]
    store = open_store(store_path)
    try:
        for item in inputs:
            summary = pipeline.run_bytes(
                [(item["name"], item["data"])], store, config=config, analyzers=analyzers
            )
            for rec in pipeline.records_for(store, summary.keys):
                yield {**rec, "name": item["name"]}
        pipeline.build_corpus(store)
    finally:
        store.close()
