"""The service layer: inputs → clean → analyzers → store → outputs. Kept thin on purpose.

Interfaces (CLI, API, web) call :func:`run` / :func:`analyze_texts`; they never call analyzers.
"""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.analyzers.base import DocInput
from narrascope.clean.dispatch import clean_raw
from narrascope.config import Config, load_config
from narrascope.errors import ConfigError, ErrorInfo
from narrascope.ingest.raw import RawInput
from narrascope.ingest.readers import expand, iter_inputs, read_bytes
from narrascope.model import Document
from narrascope.model.record import document_record, failed_record
from narrascope.registry import build_analyzer
from narrascope.store.base import DocumentStore as Store

log = logging.getLogger("narrascope")

Event = Callable[[dict[str, Any]], None]

#: Failures that depend on the moment, not on the bytes: re-runs try these inputs again.
RETRY_CODES = frozenset({"E_INPUT_URL"})


@dataclass
class RunSummary:
    """What a run did. ``keys`` lists input positions in input order (for documents.jsonl)."""

    ok: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    analyzer_errors: int = 0
    keys: list[str] = field(default_factory=list)
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all ok, 1 some inputs failed or some analyzer errored."""
        return 1 if (self.failed or self.analyzer_errors) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "succeeded": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "analyzer_errors": self.analyzer_errors,
            "inputs": len(self.keys),
            "seconds": round(self.seconds, 3),
            "outputs": self.outputs,
            "exit_code": self.exit_code,
        }


def order_analyzers(analyzers: Sequence[Any]) -> list[Any]:
    """Order by requires/produces; a requirement nobody produces is a start-up error."""
    pending, done = list(analyzers), []
    produced: set[str] = set()
    all_produced = {f for a in analyzers for f in a.spec.produces}
    for a in analyzers:
        missing = set(a.spec.requires) - all_produced
        if missing:
            raise ConfigError(
                f"analyzer {a.spec.name} requires {sorted(missing)}, which no configured analyzer produces"
            )
    while pending:
        ready = [a for a in pending if set(a.spec.requires) <= produced]
        if not ready:
            raise ConfigError(f"circular requirements among {[a.spec.name for a in pending]}")
        for a in ready:
            done.append(a)
            produced.update(a.spec.produces)
            pending.remove(a)
    return done


def analyzer_options(config: Config, name: str) -> dict[str, Any]:
    """An analyzer's options; LLM analyzers also get the ``[llm]`` section (endpoint, model,
    key) underneath their own options."""
    opts = config.analyzer_options(name)
    if name.startswith("llm"):
        llm = {k: v for k, v in config.section("llm").items() if v is not None}
        opts = {**llm, **opts}
    return opts


def build_analyzers(config: Config) -> list[Any]:
    return order_analyzers([build_analyzer(n, analyzer_options(config, n)) for n in config.analyzers])


def provenance(config: Config, analyzers: Sequence[Any]) -> dict[str, Any]:
    from narrascope import __version__

    return {
        "narrascope": __version__,
        "config_hash": config.hash,
        "analyzers": [f"{a.spec.name}@{a.spec.version}" for a in analyzers],
    }


def analyze_docs(
    docs: Sequence[Document], analyzers: Sequence[Any]
) -> tuple[list[dict[str, Any]], list[list[dict[str, str]]]]:
    """Run analyzers over a batch. An analyzer error is isolated to the document it hit."""
    fields: list[dict[str, Any]] = [{} for _ in docs]
    errors: list[list[dict[str, str]]] = [[] for _ in docs]
    for a in analyzers:
        inputs = [DocInput(d, f) for d, f in zip(docs, fields, strict=True)]
        try:
            outs = a.analyze(inputs)
        except Exception:
            outs = []
            for i, di in enumerate(inputs):
                try:
                    outs.append(a.analyze([di])[0])
                except Exception as exc:
                    log.warning("analyzer %s failed on %s: %s", a.spec.name, di.doc.id, exc)
                    errors[i].append(
                        {
                            "analyzer": a.spec.name,
                            "code": "E_ANALYZER",
                            "message": f"{type(exc).__name__}: {exc}",
                        }
                    )
                    outs.append({})
        for f, out in zip(fields, outs, strict=True):
            f.update(out)
    return fields, errors


def _clean_one(raw: RawInput) -> tuple[RawInput, Document | None, ErrorInfo | None]:
    try:
        doc, err = clean_raw(raw)
    except Exception as exc:
        log.exception("cleaning failed for %s", raw.key)
        doc, err = None, ErrorInfo.of("E_INPUT_UNSUPPORTED", f"cleaning failed: {type(exc).__name__}: {exc}")
    return raw, doc, err


def _chunks(items: Iterable[RawInput], size: int) -> Iterator[list[RawInput]]:
    chunk: list[RawInput] = []
    for it in items:
        chunk.append(it)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _cleaned(
    raws: Iterable[RawInput], workers: int
) -> Iterator[tuple[RawInput, Document | None, ErrorInfo | None]]:
    """Clean in order. With workers > 1 a process pool cleans chunks; the store is only
    touched from the calling thread (the skip check runs while a chunk is materialised)."""
    if workers <= 1:
        for raw in raws:
            yield _clean_one(raw)
        return
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers) as pool:
        for chunk in _chunks(raws, 16 * workers):
            yield from pool.imap(_clean_one, chunk, chunksize=4)


class Runner:
    """Runs inputs into a store with resume, batching, dedup and per-input records."""

    def __init__(
        self,
        store: Store,
        config: Config,
        analyzers: Sequence[Any] | None = None,
        on_event: Event | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.analyzers = list(analyzers) if analyzers is not None else build_analyzers(config)
        self.prov = provenance(config, self.analyzers)
        self.on_event = on_event or (lambda e: None)
        self.summary = RunSummary()
        self._batch: list[tuple[RawInput, Document, int]] = []
        self._seq = store.next_seq()

    def feed(self, raws: Iterable[RawInput], workers: int = 1, progress: Any = None) -> RunSummary:
        t0 = time.perf_counter()
        pending = self._skip_done(raws)
        for raw, doc, err in _cleaned(pending, workers):
            seq = self._next()
            self.store.put_raw(raw.sha256, raw.data)
            if doc is None:
                self._write_failed(raw, err or ErrorInfo.of("E_EXTRACT_EMPTY"), seq)
            else:
                self._batch.append((raw, doc, seq))
                if len(self._batch) >= int(self.config.data["pipeline"]["batch_size"]):
                    self.flush()
            if progress is not None:
                progress.update(1)
        self.flush()
        self.summary.seconds += time.perf_counter() - t0
        return self.summary

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _skip_done(self, raws: Iterable[RawInput]) -> Iterator[RawInput]:
        for raw in raws:
            self.summary.keys.append(raw.key)
            prior = self.store.done(raw.key, raw.sha256, self.config.hash)
            if prior is not None and (prior.get("error") or {}).get("code") in RETRY_CODES:
                prior = None  # a transient failure (network) is tried again on every run
            if prior is not None:
                self.summary.skipped += 1
                self._count(prior)
                self.on_event({"event": "skipped", "input": raw.key, "id": prior["id"]})
                continue
            yield raw

    def _count(self, rec: dict[str, Any]) -> None:
        if rec["status"] == "ok":
            self.summary.ok += 1
        else:
            self.summary.failed += 1

    def _write_failed(self, raw: RawInput, err: ErrorInfo, seq: int) -> None:
        rec = failed_record(raw.ref, err, self.prov)
        with self.store.transaction():
            self.store.put_input(rec, raw.key, self.config.hash, seq)
        self._count(rec)
        self.on_event({"event": "failed", "input": raw.key, "code": err.code, "message": err.message})

    def flush(self) -> None:
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        docs = [self._with_duplicate(doc, seq) for _, doc, seq in batch]
        fields, errors = analyze_docs(docs, self.analyzers)
        with self.store.transaction():
            for (raw, _doc, seq), doc, f, errs in zip(batch, docs, fields, errors, strict=True):
                rec = document_record(doc, f, self.prov)
                if errs:
                    rec["analysis_errors"] = errs
                    self.summary.analyzer_errors += 1
                self.store.put_input(rec, raw.key, self.config.hash, seq)
                self._count(rec)
                self.summary.duplicates += 1 if doc.duplicate_of else 0
                self.on_event(
                    {"event": "ok", "input": raw.key, "id": doc.id, "duplicate_of": doc.duplicate_of}
                )

    def _with_duplicate(self, doc: Document, seq: int) -> Document:
        from dataclasses import replace

        from narrascope.clean.dedup import signature

        sig = signature(doc.text)
        dup = self.store.find_duplicate(doc.id, sig, float(self.config.data["dedup"]["threshold"]))
        with self.store.transaction():
            self.store.add_fingerprint(doc.id, sig, seq)
        return replace(doc, duplicate_of=dup) if dup else doc


def run(
    sources: Sequence[str],
    store: Store,
    config: Config | None = None,
    *,
    workers: int = 1,
    analyzers: Sequence[Any] | None = None,
    on_event: Event | None = None,
    progress: bool = False,
) -> RunSummary:
    """Analyse ``sources`` (paths, dirs, globs, ``-``, URLs) into ``store``."""
    config = config or load_config()
    runner = Runner(store, config, analyzers, on_event)
    ing = config.section("ingest")
    raws = iter_inputs(sources, max_bytes=int(ing["max_bytes"]), timeout=float(ing["url_timeout"]))
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=sum(1 for _ in expand(sources)), unit="file", desc="analyse", leave=False)
    try:
        return runner.feed(raws, workers=workers, progress=bar)
    finally:
        if bar is not None:
            bar.close()


def run_bytes(
    items: Sequence[tuple[str, bytes]],
    store: Store,
    config: Config | None = None,
    analyzers: Sequence[Any] | None = None,
) -> RunSummary:
    """Analyse in-memory inputs ``(name, bytes)`` (uploads, pasted text)."""
    config = config or load_config()
    runner = Runner(store, config, analyzers)
    max_bytes = int(config.section("ingest")["max_bytes"])
    raws = (r for name, data in items for r in read_bytes(name, data, max_bytes))
    return runner.feed(raws)


def records_for(store: Store, keys: Sequence[str]) -> Iterator[dict[str, Any]]:
    """One record per input key, in order; a second input with the same text gets its own
    ``input`` and ``duplicate_of`` pointing at the first (exact duplicate)."""
    seen: set[str] = set()
    for key in keys:
        row = store.input_row(key)
        if row is None:
            continue
        rec = store.get_record(row["doc_id"])
        if rec is None:
            continue
        if rec["id"] in seen and rec["status"] == "ok":
            rec = dict(
                rec,
                input={k: row[k] for k in ("path", "line", "url", "sha256", "format")},
                duplicate_of=rec["id"],
            )
        seen.add(rec["id"])
        yield rec


def build_corpus(store: Store) -> dict[str, Any]:
    """The corpus record from stored annotations (linkers are read-only over documents)."""
    from narrascope.link import corpus as link_corpus

    corpus = link_corpus.build_corpus(list(store.iter_records()))
    store.put_corpus(corpus)
    return corpus


def write_outputs(
    store: Store, summary: RunSummary, out_dir: str | Path, *, report: bool = True
) -> dict[str, str]:
    """documents.jsonl (this run's inputs, in order), corpus.json and report.html."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs_path = out / "documents.jsonl"
    tmp = docs_path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for rec in records_for(store, summary.keys):
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")
    tmp.replace(docs_path)
    corpus = build_corpus(store)
    corpus_path = out / "corpus.json"
    corpus_path.write_text(json.dumps(corpus, ensure_ascii=False, indent=2), encoding="utf-8")
    paths = {"documents": str(docs_path), "corpus": str(corpus_path)}
    if report:
        from narrascope.reports import write_report

        rp = out / "report.html"
        write_report(store, rp, fmt="html")
        paths["report"] = str(rp)
    summary.outputs = paths
    return paths
