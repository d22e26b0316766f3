"""Server-rendered pages: every page renders, hostile record text comes out escaped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from narrascope.api.app import create_app
from narrascope.api.testing import sample_store
from narrascope.web.highlight import collect_marks, highlight, segments
from narrascope.web.routes import hit_pieces, safe_url

STORE = sample_store()
A, B, HOSTILE, FAILED = list(STORE.records)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(None, store=STORE))


PAGES = [
    "/",
    "/documents",
    f"/documents/{A}",
    f"/documents/{B}",
    f"/documents/{HOSTILE}",
    f"/documents/{FAILED}",
    "/incidents",
    "/incidents/inc-belgorod-2023-12-30",
    "/incidents/inc-kyiv-2024-01-02",
    "/timeline",
    "/entities",
    "/entities/Ukraine",
    "/search?q=attack",
    "/search?q=Kyiv",
    "/analyze",
    "/documents?site=%3Cscript%3Ebad()%3C%2Fscript%3E",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_and_hostile_text_is_inert(client: TestClient, url: str) -> None:
    resp = client.get(url)
    assert resp.status_code == 200, resp.text[:300]
    html = resp.text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all(
        s in ('<script src="/static/app.js" defer>', '<script type="application/json" id="marks-data">')
        for s in scripts
    ), scripts
    assert not re.search(r"<[^>]+\son\w+\s*=", html), "an event-handler attribute reached the page"
    assert not re.search(r"""<[^>]*\b(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE)
    assert "<img" not in html and "<iframe" not in html and "<svg onload" not in html
    assert "default-src 'none'" in resp.headers["content-security-policy"]


def test_hostile_document_shows_its_text_escaped(client: TestClient) -> None:
    html = client.get(f"/documents/{HOSTILE}").text
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "&lt;img src=x onerror=" in html
    assert "URL (not linked)" in html  # javascript: URL shown as text, not as a link
    assert "\\u003cscript\\u003e" in html or "&lt;script" in html  # JSON data block escaped too


def test_document_layers_and_legend(client: TestClient) -> None:
    html = client.get(f"/documents/{A}").text
    for key in ("techniques", "roles", "entities", "claims", "incidents", "issues", "narratives"):
        assert f'data-layer="{key}"' in html
    assert 'class="seg L-techniques"' in html or "L-techniques" in html
    assert "Emotionally charged words" in html  # Loaded_Language definition in the legend
    assert "Removed boilerplate" in html and "We use cookies" in html
    assert "score 0.90" in html and "techniques.v1" in html  # hover text


def test_incident_page_marks_status(client: TestClient) -> None:
    html = client.get("/incidents/inc-belgorod-2023-12-30").text
    assert (
        'class="badge contested"' in html
        and 'class="badge consensus"' in html
        and 'class="badge single"' in html
    )
    assert "Moscow blamed Ukraine for the barbaric attack" in html
    table = html[html.index('class="sidebyside"') :]
    for value in (
        ">24<",
        "≥20",
        "cluster munitions",
        "air defence missiles",
        "Belgorod, Russia",
        "2023-12-30",
    ):
        assert value in table.replace("\n", "").replace("  ", ""), value
    assert "Russian air defence missiles may have fallen on the city" in html


def test_html_404_page(client: TestClient) -> None:
    resp = client.get("/documents/nope")
    assert (
        resp.status_code == 404 and "text/html" in resp.headers["content-type"] and "E_NOT_FOUND" in resp.text
    )


def test_every_page_links_its_json_twin(client: TestClient) -> None:
    for url in ("/", "/documents", f"/documents/{A}", "/incidents/inc-belgorod-2023-12-30", "/timeline"):
        twin = re.search(r'class="json-twin" href="([^"]+)"', client.get(url).text)
        assert twin is not None
        assert client.get(twin.group(1).replace("&amp;", "&")).status_code == 200


def test_segments_cover_text_exactly() -> None:
    rec = STORE.records[A]
    segs = segments(rec["text"], collect_marks(rec))
    assert "".join(s.text for s in segs) == rec["text"]
    hl = highlight(rec)
    covered = [s for s in hl["segments"] if "techniques" in s.layers]
    assert "".join(s.text for s in covered) == "barbaric attackan act of terror"


def test_segments_overlap_and_non_bmp() -> None:
    text = "😀 Kyiv 😀 shelled"
    rec = {
        "text": text,
        "entities": [{"start": 2, "end": 6, "canonical": "Kyiv", "type": "GPE"}],
        "techniques": [{"technique": "Loaded_Language", "start": 0, "end": 8}],
    }
    segs = highlight(rec)["segments"]
    assert "".join(s.text for s in segs) == text
    kyiv = next(s for s in segs if s.text == "Kyiv")
    assert kyiv.layers == ("entities", "techniques")


def test_out_of_range_marks_are_dropped() -> None:
    rec = {
        "text": "short",
        "techniques": [{"technique": "X", "start": 3, "end": 99}],
        "entities": [{"start": 2, "end": 2}],
    }
    assert collect_marks(rec) == []


def test_safe_url_and_hits() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", None, 3):
        assert safe_url(bad) is None
    assert hit_pieces("the [Belgorod] strike", "belgorod") == [
        ("the ", False),
        ("Belgorod", True),
        (" strike", False),
    ]
    assert hit_pieces("a [b] c", "zz") == [("a [b] c", False)]
