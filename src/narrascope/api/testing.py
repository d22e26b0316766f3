"""Test helpers: an in-memory store with the read API of the SQLite store, and sample records.

``MemoryStore`` lets the API, the web workbench, the reports and the serve benchmark run
without the SQLite store (tests build one from hand-made records). The sample corpus is a
small fictional story written for narrascope's tests: two outlets report the same strike with
different figures and blame, a third is hostile markup, one input failed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from narrascope.queries import Record

_SEARCH_KEYS = ("title", "text")


def _haystack(rec: Record) -> str:
    parts = [str(rec.get(k) or "") for k in _SEARCH_KEYS]
    parts += [str(e.get("canonical") or e.get("quote") or "") for e in rec.get("entities") or []]
    parts += [
        str(n.get("narrative") or "") + " " + str(n.get("subnarrative") or "")
        for n in rec.get("narratives") or []
    ]
    parts += [str(t.get("technique") or "") for t in rec.get("techniques") or []]
    return "\n".join(parts).lower()


def _labels(rec: Record) -> set[str]:
    out = {
        str(n.get(k)) for n in rec.get("narratives") or [] for k in ("narrative", "subnarrative") if n.get(k)
    }
    out |= {str(t.get("technique")) for t in rec.get("techniques") or []}
    out |= {str(r.get("main_role")) for r in rec.get("roles") or []}
    return out


def _date(rec: Record) -> str:
    return str((rec.get("published") or {}).get("value") or "")


def matches(rec: Record, filters: dict[str, Any] | None) -> bool:
    """Filter semantics shared with the SQLite store: site, language, status, date range, label."""
    f = filters or {}
    if f.get("site") and rec.get("site") != f["site"]:
        return False
    if f.get("language") and rec.get("language") != f["language"]:
        return False
    if f.get("status") and rec.get("status") != f["status"]:
        return False
    if f.get("date_from") and not (_date(rec) and _date(rec) >= str(f["date_from"])):
        return False
    if f.get("date_to") and not (_date(rec) and _date(rec) <= str(f["date_to"])):
        return False
    return not (f.get("label") and f["label"] not in _labels(rec))


class MemoryStore:
    """Records held in a dict, read through the same methods as ``narrascope.store.sqlite.Store``."""

    def __init__(
        self,
        records: Iterable[Record] = (),
        corpus: Record | None = None,
        raw: dict[str, bytes] | None = None,
    ) -> None:
        self.records: dict[str, Record] = {}
        self.order: list[str] = []
        self.corpus = corpus
        self.raw = dict(raw or {})
        for rec in records:
            self.put(rec)

    def put(self, rec: Record, raw: bytes | None = None) -> None:
        if rec["id"] not in self.records:
            self.order.append(rec["id"])
        self.records[rec["id"]] = rec
        if raw is not None:
            self.raw[str(rec["input"]["sha256"])] = raw

    def iter_records(self, status: str | None = None) -> Iterator[Record]:
        for doc_id in self.order:
            rec = self.records[doc_id]
            if status is None or rec.get("status") == status:
                yield rec

    def get_record(self, doc_id: str) -> Record | None:
        return self.records.get(doc_id)

    def count_records(self) -> dict[str, int]:
        failed = sum(1 for r in self.records.values() if r.get("status") == "failed")
        return {"ok": len(self.records) - failed, "failed": failed}

    def get_corpus(self) -> Record | None:
        return self.corpus

    def get_raw(self, sha256: str) -> bytes | None:
        return self.raw.get(sha256)

    def search(
        self, q: str, *, limit: int = 20, offset: int = 0, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[Record]]:
        terms = [t for t in q.lower().split() if t]
        hits = []
        for rec in self.iter_records(status="ok"):
            hay = _haystack(rec)
            if terms and all(t in hay for t in terms) and matches(rec, filters):
                hits.append(rec)
        return len(hits), [self._hit(r, terms) for r in hits[offset : offset + limit]]

    def _hit(self, rec: Record, terms: list[str]) -> Record:
        text = str(rec.get("text") or "")
        at = max(0, text.lower().find(terms[0]) - 60) if terms else 0
        keys = ("id", "title", "site", "published", "language")
        return {**{k: rec.get(k) for k in keys}, "snippet": text[at : at + 200]}

    def list_documents(
        self, *, limit: int, offset: int, filters: dict[str, Any] | None = None
    ) -> tuple[int, list[Record]]:
        rows = [r for r in self.iter_records() if matches(r, filters)]
        keys = ("id", "title", "site", "published", "language", "status", "duplicate_of", "error", "input")
        return len(rows), [{k: r.get(k) for k in keys} for r in rows[offset : offset + limit]]

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- sample records


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ev(text: str, quote: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return {"start": start, "end": start + len(quote), "quote": quote}


def _base(text: str, name: str, **meta: Any) -> Record:
    raw = text.encode()
    return {
        "schema": "narrascope.document/1",
        "id": hashlib.sha256(text.encode()).hexdigest()[:16],
        "input": {"path": f"samples/{name}", "line": None, "url": None, "sha256": _sha(raw), "format": "txt"},
        "status": "ok",
        "error": None,
        "author": None,
        "url": None,
        "removed": [],
        "duplicate_of": None,
        "language_spans": [],
        "entities": [],
        "incidents": [],
        "claims": [],
        "roles": [],
        "narratives": [],
        "explanation": "",
        "techniques": [],
        "genre": None,
        "frames": [],
        "issues": [],
        "text": text,
        **meta,
    }


def _ent(text: str, quote: str, typ: str, canonical: str, nth: int = 0) -> Record:
    return {
        **_ev(text, quote, nth),
        "type": typ,
        "canonical": canonical,
        "analyzer": "entities.v1",
        "score": 0.9,
    }


_TEXT_A = (
    "Shelling hit the centre of Belgorod on 30 December, killing 24 people, including four children, "
    "officials said.\n\nRegional governor Vyacheslav Gladkov said cluster munitions struck a sports complex. "
    "Moscow blamed Ukraine for the barbaric attack, calling it an act of terror.\n\n"
    "Kiev did not comment on the strike."
)
_TEXT_B = (
    "Explosions were reported in Belgorod on 30 December. Russian officials said at least 20 people were "
    "killed.\n\nUkraine's military said Russian air defence missiles may have fallen on the city, "
    "and analysts cautioned that the cause was unclear.\n\nVolodymyr Zelensky urged allies to send more air defence."
)
_TEXT_H = (
    'Breaking: <script>window.__pwned = 1; alert("xss")</script> attack in Kyiv. '
    '<img src=x onerror="window.__pwned = 2"> Witnesses said <a href="javascript:window.__pwned=3">click</a> '
    "the report was false."
)


def _record_a() -> Record:
    t = _TEXT_A
    rec = _base(
        t,
        "a.txt",
        title="Belgorod shelling kills 24",
        site="news-one.example",
        language="en",
        published={"value": "2023-12-30", "precision": "day"},
        url="https://news-one.example/belgorod",
    )
    rec["entities"] = [
        _ent(t, "Belgorod", "GPE", "Belgorod"),
        _ent(t, "Vyacheslav Gladkov", "PERSON", "Vyacheslav Gladkov"),
        _ent(t, "Moscow", "GPE", "Russia"),
        _ent(t, "Ukraine", "GPE", "Ukraine"),
        _ent(t, "Kiev", "GPE", "Kyiv"),
    ]
    rec["incidents"] = [
        {
            "id": "i1",
            "type": "shelling",
            "location": {"name": "Belgorod", "country": "Russia"},
            "date": {"value": "2023-12-30", "precision": "day"},
            "killed": {"min": 24, "max": 24},
            "injured": None,
            "children_killed": {"min": 4, "max": 4},
            "weapons": ["cluster munitions"],
            "targets": ["sports complex"],
            "analyzer": "incidents.v1",
            "score": 0.8,
            "perpetrator_claims": [
                {
                    "actor": "Ukraine",
                    "claimant": "Russia",
                    "stance": "alleged",
                    "evidence": [_ev(t, "Moscow blamed Ukraine for the barbaric attack")],
                }
            ],
            "evidence": [_ev(t, "Shelling hit the centre of Belgorod on 30 December, killing 24 people")],
        }
    ]
    rec["claims"] = [
        {
            **_ev(t, "cluster munitions struck a sports complex"),
            "claimant": "Vyacheslav Gladkov",
            "cue": "said",
            "type": "indirect",
            "certainty": "reported",
            "analyzer": "claims.v1",
            "score": 0.7,
        }
    ]
    rec["roles"] = [
        {
            "entity": "Ukraine",
            "main_role": "Antagonist",
            "fine_roles": ["Terrorist"],
            "score": 0.8,
            "analyzer": "roles.v1",
            "evidence": [_ev(t, "Ukraine")],
        }
    ]
    rec["techniques"] = [
        {
            "technique": "Loaded_Language",
            **_ev(t, "barbaric attack"),
            "score": 0.9,
            "analyzer": "techniques.v1",
        },
        {
            "technique": "Name_Calling-Labeling",
            **_ev(t, "an act of terror"),
            "score": 0.6,
            "analyzer": "techniques.v1",
        },
    ]
    rec["narratives"] = [
        {
            "narrative": "URW: Discrediting Ukraine",
            "subnarrative": "URW: Discrediting Ukraine: Ukraine is a terrorist state",
            "score": 0.7,
            "analyzer": "narratives.v1",
            "evidence": [_ev(t, "Moscow blamed Ukraine for the barbaric attack")],
        }
    ]
    rec["explanation"] = "Russian officials frame the strike as Ukrainian terrorism."
    rec["genre"] = {"label": "news", "score": 0.8}
    rec["removed"] = [{"kind": "cookie_banner", "text": "We use cookies to improve your experience."}]
    return rec


def _record_b() -> Record:
    t = _TEXT_B
    rec = _base(
        t,
        "b.txt",
        title="Blasts in Belgorod, cause unclear",
        site="wire-two.example",
        language="en",
        published={"value": "2023-12-31", "precision": "day"},
        url="https://wire-two.example/b",
    )
    rec["entities"] = [
        _ent(t, "Belgorod", "GPE", "Belgorod"),
        _ent(t, "Ukraine", "GPE", "Ukraine"),
        _ent(t, "Volodymyr Zelensky", "PERSON", "Volodymyr Zelensky"),
    ]
    rec["incidents"] = [
        {
            "id": "i1",
            "type": "shelling",
            "location": {"name": "Belgorod", "country": "Russia"},
            "date": {"value": "2023-12-30", "precision": "day"},
            "killed": {"min": 20, "max": None},
            "injured": None,
            "children_killed": None,
            "weapons": ["air defence missiles"],
            "targets": [],
            "analyzer": "incidents.v1",
            "score": 0.7,
            "perpetrator_claims": [
                {
                    "actor": "Russia",
                    "claimant": "Ukraine",
                    "stance": "speculated",
                    "evidence": [_ev(t, "Russian air defence missiles may have fallen on the city")],
                }
            ],
            "evidence": [_ev(t, "at least 20 people were killed")],
        }
    ]
    rec["claims"] = [
        {
            **_ev(t, "the cause was unclear"),
            "claimant": "analysts",
            "cue": "cautioned",
            "type": "indirect",
            "certainty": "hedged",
            "analyzer": "claims.v1",
            "score": 0.6,
        }
    ]
    rec["roles"] = [
        {
            "entity": "Ukraine",
            "main_role": "Protagonist",
            "fine_roles": ["Guardian"],
            "score": 0.6,
            "analyzer": "roles.v1",
            "evidence": [_ev(t, "Ukraine")],
        }
    ]
    rec["narratives"] = [
        {
            "narrative": "URW: Praise of Russia",
            "subnarrative": "URW: Praise of Russia: Other",
            "score": 0.4,
            "analyzer": "narratives.v1",
            "evidence": [_ev(t, "Explosions were reported")],
        }
    ]
    rec["issues"] = [
        {
            "kind": "number_inconsistency",
            "message": "killed: 20 here, 24 elsewhere in the corpus",
            "evidence": [_ev(t, "at least 20 people")],
            "analyzer": "consistency.v1",
        }
    ]
    rec["genre"] = {"label": "news", "score": 0.7}
    return rec


def _record_hostile() -> Record:
    t = _TEXT_H
    rec = _base(
        t,
        "hostile.html",
        title='<img src=x onerror="window.__pwned=4">Hostile <b>title</b>',
        site="<script>bad()</script>",
        language="en",
        author='"><script>window.__pwned=5</script>',
        published={"value": "2024-01-02", "precision": "day"},
        url="javascript:window.__pwned=6",
    )
    rec["entities"] = [_ent(t, "Kyiv", "GPE", "Kyiv")]
    rec["techniques"] = [
        {"technique": "Doubt", **_ev(t, "the report was false"), "score": 0.5, "analyzer": "techniques.v1"}
    ]
    rec["claims"] = [
        {
            **_ev(t, '<img src=x onerror="window.__pwned = 2">'),
            "claimant": "<script>x()</script>",
            "cue": "said",
            "type": "indirect",
            "certainty": "asserted",
            "analyzer": "claims.v1",
            "score": 0.5,
        }
    ]
    rec["removed"] = [{"kind": "markup", "text": "<iframe src=javascript:alert(1)></iframe>"}]
    rec["explanation"] = "<svg onload=alert(1)>"
    return rec


def _record_failed() -> Record:
    rec = _base("", "broken.pdf")
    rec.update(
        id="failed-broken-pdf",
        status="failed",
        text="",
        title=None,
        site=None,
        language=None,
        error={"code": "E_INPUT_PDF", "message": "PDF files are not read. Convert with pdftotext."},
    )
    rec["input"]["format"] = "pdf"
    return rec


def sample_store() -> MemoryStore:
    """Four hand-made records (two linked sources, one hostile, one failed) and their corpus record."""
    a, b, h, f = _record_a(), _record_b(), _record_hostile(), _record_failed()
    corpus = {
        "schema": "narrascope.corpus/1",
        "documents": {"ok": 3, "failed": 1},
        "incidents": [
            {
                "id": "inc-belgorod-2023-12-30",
                "label": "Shelling, Belgorod, 2023-12-30",
                "type": "shelling",
                "location": {"name": "Belgorod", "country": "Russia"},
                "date": {"value": "2023-12-30", "precision": "day"},
                "documents": [a["id"], b["id"]],
                "facts": {
                    "killed": [
                        {"doc": a["id"], "min": 24, "max": 24},
                        {"doc": b["id"], "min": 20, "max": None},
                    ],
                    "perpetrator": [
                        {"doc": a["id"], "actor": "Ukraine", "claimant": "Russia", "stance": "alleged"},
                        {"doc": b["id"], "actor": "Russia", "claimant": "Ukraine", "stance": "speculated"},
                    ],
                },
                "consensus": [
                    {"field": "location", "value": "Belgorod", "documents": [a["id"], b["id"]]},
                    {"field": "date", "value": "2023-12-30", "documents": [a["id"], b["id"]]},
                ],
                "contested": [
                    {
                        "field": "perpetrator",
                        "positions": [
                            {"value": "Ukraine", "documents": [a["id"]]},
                            {"value": "Russia", "documents": [b["id"]]},
                        ],
                    },
                    {
                        "field": "killed",
                        "positions": [
                            {"value": "24", "documents": [a["id"]]},
                            {"value": "≥20", "documents": [b["id"]]},
                        ],
                    },
                ],
                "single_source": [{"field": "children_killed", "value": "4", "documents": [a["id"]]}],
            },
            {
                "id": "inc-kyiv-2024-01-02",
                "label": "Attack, Kyiv, 2024-01-02",
                "type": "other",
                "location": {"name": "Kyiv", "country": "Ukraine"},
                "date": {"value": "2024-01-02", "precision": "day"},
                "documents": [h["id"]],
                "facts": {},
                "consensus": [],
                "contested": [],
                "single_source": [],
            },
        ],
        "timeline": [
            {"date": "2023-12-30", "incident": "inc-belgorod-2023-12-30"},
            {"date": "2024-01-02", "incident": "inc-kyiv-2024-01-02"},
        ],
        "links": [
            {
                "from": "inc-belgorod-2023-12-30",
                "to": "inc-kyiv-2024-01-02",
                "relation": "retaliation_for",
                "evidence": [{"doc": h["id"], "quote": "attack in Kyiv"}],
            }
        ],
        "narratives": [{"narrative": "URW: Discrediting Ukraine", "documents": [a["id"]]}],
        "entities": [
            {
                "canonical": "Ukraine",
                "roles": [
                    {"doc": a["id"], "main_role": "Antagonist"},
                    {"doc": b["id"], "main_role": "Protagonist"},
                ],
            }
        ],
        "duplicates": [],
    }
    store = MemoryStore(corpus=corpus)
    for rec in (a, b, h, f):
        store.put(rec, raw=str(rec["text"]).encode())
    return store


def to_sqlite(mem: MemoryStore, path: Any) -> None:
    """Write a :class:`MemoryStore`'s records, raw bytes and corpus into a SQLite store file."""
    from narrascope.store.sqlite import open_store

    store = open_store(path)
    try:
        with store.conn:
            for sha, data in sorted(mem.raw.items()):
                store.put_raw(sha, data)
            for seq, rec in enumerate(mem.iter_records(), start=1):
                key = str((rec.get("input") or {}).get("path") or rec["id"])
                store.put_record(rec, key, "test", seq)
        if mem.corpus is not None:
            store.put_corpus(mem.corpus)
    finally:
        store.close()
