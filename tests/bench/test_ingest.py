"""bench ingest helpers: deterministic synthetic dumps and memory probes (no timings asserted)."""

from __future__ import annotations

from narrascope.bench import ingest


def test_synthetic_dump_is_deterministic_and_sized() -> None:
    a, b = ingest.synthetic_dump(7), ingest.synthetic_dump(7)
    assert a == b
    assert a != ingest.synthetic_dump(8)
    body_words = len(a.split()) - sum(len(x.split()) for x in ingest._BOILER_TOP + ingest._BOILER_BOTTOM)
    assert ingest.DUMP_WORDS <= body_words <= ingest.DUMP_WORDS + 20


def test_synthetic_dump_carries_boilerplate_to_remove() -> None:
    dump = ingest.synthetic_dump(1)
    assert dump.startswith("We value your privacy")
    assert "Log in to comment" in dump


def test_memory_probes_report_megabytes() -> None:
    assert ingest.rss_mb() > 1
    assert ingest.peak_rss_mb() >= 1
