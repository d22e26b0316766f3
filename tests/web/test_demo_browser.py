"""The workbench on the project's demo corpus, analysed by the real pipeline, in chromium.

Slow: runs ``narrascope analyze`` on examples/demo-corpus with the rule-based analyzers, serves
the store, visits every page, toggles layers, and analyses an upload through the real pipeline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.web.support import ARGS, CHROMIUM, free_port, shot

ROOT = Path(__file__).resolve().parents[2]
ANALYZERS = ["entities.v1", "claims.v1", "incidents.v1", "consistency.v1"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from narrascope.api.app import create_app
    from narrascope.api.jobs import run_bytes_adapter

    out = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NARRASCOPE_THREADS": "1", "OMP_NUM_THREADS": "1"}
    cmd = [
        sys.executable,
        "-m",
        "narrascope.cli.main",
        "analyze",
        str(ROOT / "examples/demo-corpus/[0-9]*"),
        "--analyzers",
        ",".join(ANALYZERS),
        "--out",
        str(out),
        "--db",
        str(out / "s.db"),
        "-q",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    port = free_port()
    app = create_app(
        out / "s.db",
        analyze=partial(run_bytes_adapter, analyzer_names=ANALYZERS),
        allowed_hosts=["127.0.0.1"],
    )
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_demo_corpus_in_the_browser(demo: str, tmp_path: Path) -> None:
    import httpx
    from playwright.sync_api import expect, sync_playwright

    docs = httpx.get(demo + "/api/v1/documents?limit=500").json()["items"]
    incidents = httpx.get(demo + "/api/v1/incidents?limit=500").json()["items"]
    assert len(docs) >= 10 and incidents
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append("dialog " + d.message), d.dismiss()))
        page.goto(demo + "/")
        shot(page, "demo-01-overview")
        for d in docs:
            assert page.goto(f"{demo}/documents/{quote(d['id'], safe='')}").status == 200
        busiest = max(
            docs,
            key=lambda d: httpx.get(f"{demo}/api/v1/documents/{d['id']}").json().get("claims", []).__len__(),
        )
        page.goto(f"{demo}/documents/{quote(busiest['id'], safe='')}")
        for key in ("entities", "claims", "incidents", "issues"):
            box = page.locator(f'input[data-layer="{key}"]')
            if box.is_enabled():
                box.check()
        shot(page, "demo-02-document")
        contested = max(incidents, key=lambda i: (i["n_contested"], i["n_documents"]))
        page.goto(f"{demo}/incidents/{quote(contested['id'], safe='')}")
        assert page.locator("table.sidebyside").is_visible()
        shot(page, "demo-03-incident")
        page.goto(demo + "/timeline")
        shot(page, "demo-04-timeline")
        page.goto(demo + "/search?q=Belgorod")
        assert page.locator("li.result").count() >= 2
        upload = tmp_path / "kharkiv.txt"
        upload.write_text(
            "A missile strike hit a hospital in Kharkiv on 3 March 2024, killing 4 people, "
            "regional governor Oleh Syniehubov said.",
            encoding="utf-8",
        )
        page.goto(demo + "/analyze")
        page.set_input_files("input[name=files]", [str(upload)])
        page.click("#analyze-form button")
        expect(page.locator("#job-status")).to_contain_text("done", timeout=120_000)
        page.locator("#job-results a").first.click()
        page.wait_for_selector("#doctext")
        assert "Kharkiv" in page.locator("#doctext").inner_text()
        shot(page, "demo-05-uploaded")
        browser.close()
    assert errors == []
