"""Browser tests: Debian chromium driven by Playwright against a live server on 127.0.0.1.

Skips when /usr/bin/chromium is absent. Screenshots go to test-output/screenshots/ for review.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from narrascope.api.testing import sample_store, to_sqlite
from tests.web.support import ARGS, CHROMIUM, free_port, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent"),
]

STORE = sample_store()
A, B, HOSTILE, FAILED = list(STORE.records)


def fake_analysis(store_path: str, inputs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Stands in for the pipeline: stores each upload as a plain record (text = the bytes)."""
    from narrascope.store.sqlite import open_store

    store = open_store(store_path)
    try:
        for i, item in enumerate(inputs):
            time.sleep(0.2)  # results arrive one by one
            text = item["data"].decode("utf-8", "replace")
            rec = dict(
                STORE.records[A],
                id=hashlib.sha256(text.encode()).hexdigest()[:16],
                text=text,
                title=f"Uploaded: {item['name']}",
                entities=[],
                incidents=[],
                claims=[],
                roles=[],
                techniques=[],
                narratives=[],
                issues=[],
                removed=[],
                explanation="",
            )
            rec["input"] = {
                "path": item["name"],
                "line": None,
                "url": None,
                "sha256": hashlib.sha256(item["data"]).hexdigest(),
                "format": item["format"],
            }
            with store.conn:
                store.put_raw(rec["input"]["sha256"], item["data"])
                store.put_record(rec, item["name"], "test", 1000 + i)
            yield rec
    finally:
        store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from narrascope.api.app import create_app

    db = tmp_path_factory.mktemp("browser") / "store.db"
    to_sqlite(STORE, db)
    port = free_port()
    app = create_app(db, analyze=fake_analysis, allowed_hosts=["127.0.0.1", "localhost"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1360, "height": 900})
    pg = ctx.new_page()
    pg.dialogs: list[str] = []  # type: ignore[attr-defined]
    pg.errors: list[str] = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    assert pg.dialogs == [], f"a dialog fired: {pg.dialogs}"  # type: ignore[attr-defined]
    ctx.close()


def test_overview(server: str, page: Any) -> None:
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Corpus overview"
    assert page.locator(".stat .n").first.inner_text() == "3"
    assert page.locator("table.bars svg rect").count() >= 2
    assert "E_INPUT_PDF" in page.locator(".failed-row").inner_text()
    shot(page, "01-overview")
    assert page.errors == []


def test_document_layers_toggle(server: str, page: Any) -> None:
    page.goto(f"{server}/documents/{A}")
    box = page.locator("#doctext")
    tech = page.locator("#doctext .L-techniques").first
    assert "show-techniques" in box.get_attribute("class")
    assert tech.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator('input[data-layer="techniques"]').uncheck()
    assert "show-techniques" not in box.get_attribute("class")
    assert tech.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.locator('input[data-layer="techniques"]').check()
    page.locator('input[data-layer="entities"]').check()
    ent = page.locator("#doctext .L-entities").first
    assert ent.evaluate("e => getComputedStyle(e).borderBottomWidth") == "2px"
    page.locator('input[data-layer="roles"]').check()
    page.locator("#doctext .L-techniques", has_text="barbaric").first.hover()
    panel = page.locator("#mark-panel").inner_text()
    assert "Loaded_Language" in panel and "score 0.90" in panel and "techniques.v1" in panel
    page.locator("details.removed summary").click()
    assert page.locator("details.removed pre").first.is_visible()
    shot(page, "02-document-layers")
    assert page.errors == []


def test_incident_side_by_side(server: str, page: Any) -> None:
    page.goto(server + "/incidents")
    page.locator("a", has_text="Shelling, Belgorod").first.click()
    page.wait_for_url("**/incidents/inc-belgorod-2023-12-30")
    row = page.locator("tr.st-contested", has_text="perpetrator")
    assert "Ukraine" in row.inner_text() and "Russia" in row.inner_text()
    assert page.locator(".badge.consensus").count() >= 1 and page.locator(".badge.single").count() >= 1
    shot(page, "03-incident")
    page.goto(server + "/timeline")
    assert page.locator("ol.timeline li").count() == 2
    shot(page, "04-timeline")
    page.goto(server + "/entities/Ukraine")
    assert page.locator("section.card h2").count() == 2
    shot(page, "05-entity")


def test_search_with_filter(server: str, page: Any) -> None:
    page.goto(server + "/search")
    page.fill('form.searchform input[name="q"]', "Belgorod")
    page.click("form.searchform button")
    page.wait_for_selector("#result-count")
    assert page.locator("li.result").count() == 2
    assert page.locator("li.result mark").count() >= 1
    page.select_option('form.searchform select[name="site"]', "wire-two.example")
    page.click("form.searchform button")
    page.wait_for_selector("#result-count")
    assert page.locator("li.result").count() == 1
    shot(page, "06-search")


def test_upload_shows_results_as_they_finish(server: str, page: Any, tmp_path: Path) -> None:
    f1 = tmp_path / "report-one.txt"
    f1.write_text("Drones struck Odesa overnight, the regional governor said.", encoding="utf-8")
    f2 = tmp_path / "evil.html"
    f2.write_text(
        '<p>x</p><script>window.__pwned="upload"</script><img src=x onerror="alert(1)">', encoding="utf-8"
    )
    page.goto(server + "/analyze")
    from playwright.sync_api import expect

    page.fill("textarea[name=text]", "Pasted: shelling reported in Kharkiv on Monday.")
    page.set_input_files("input[name=files]", [str(f1), str(f2)])
    page.click("#analyze-form button")
    expect(page.locator("#job-results li")).to_have_count(3, timeout=15000)
    expect(page.locator("#job-status")).to_contain_text("done")
    assert "3 of 3" in page.locator("#job-status").inner_text()
    shot(page, "07-analyze")
    page.locator("#job-results a", has_text="evil.html").click()
    page.wait_for_selector("#doctext")
    assert "<script>" in page.locator("#doctext").inner_text()
    assert page.evaluate("window.__pwned") is None


def test_upload_limit_message(server: str, page: Any, tmp_path: Path) -> None:
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x00\x01")
    from playwright.sync_api import expect

    page.goto(server + "/analyze")
    page.set_input_files("input[name=files]", [str(bad)])
    page.click("#analyze-form button")
    expect(page.locator("#job-status")).to_contain_text("Refused")
    assert "E_UPLOAD_TYPE" in page.locator("#job-status").inner_text()


def test_hostile_article_never_executes(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{server}/documents/{HOSTILE}")
    for key in ("techniques", "entities", "claims", "roles", "incidents", "issues", "narratives"):
        box = page.locator(f'input[data-layer="{key}"]')
        if box.is_enabled():
            box.check()
    page.locator("details.removed summary").click()
    page.locator("#doctext .seg").first.hover()
    assert page.locator("a", has_text="click").count() == 0  # the javascript: link is text, not a link
    assert "javascript:" in page.locator("#doctext").inner_text()
    assert page.locator("img").count() == 0 and page.locator("iframe").count() == 0
    assert page.evaluate("window.__pwned") is None
    shot(page, "08-hostile-document")
    for url in (
        "/documents?site=%3Cscript%3Ebad()%3C%2Fscript%3E",
        "/search?q=%3Cscript%3Ewindow.__pwned%3D9%3C/script%3E",
        "/",
        "/incidents/inc-kyiv-2024-01-02",
    ):
        page.goto(server + url)
        assert page.evaluate("window.__pwned") is None
    from narrascope.reports import write_report

    report = write_report(STORE, tmp_path / "report.html")
    page.goto(report.as_uri())
    assert page.evaluate("window.__pwned") is None
    shot(page, "09-report")
