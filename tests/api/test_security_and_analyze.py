"""Token, bind rules, upload limits and the analysis job flow (fake analysis callable)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from narrascope.api.app import create_app
from narrascope.api.jobs import UploadLimits, safe_name
from narrascope.api.server import allowed_hosts_for, check_bind, is_loopback
from narrascope.api.testing import sample_store
from narrascope.errors import UsageError

TOKEN = "s3cret-token-0123456789"


class FakeAnalysis:
    """Records what it got and yields one summary per input."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[dict[str, Any]]]] = []

    def __call__(self, store_path: str, inputs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        self.calls.append((store_path, inputs))
        for i, item in enumerate(inputs):
            if item["data"].startswith(b"FAIL"):
                yield {
                    "name": item["name"],
                    "status": "failed",
                    "error": {"code": "E_INPUT_EMPTY", "message": "x"},
                }
            else:
                yield {"id": f"doc{i}", "name": item["name"], "status": "ok", "title": f"t{i}"}


def _wait(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(200):
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.01)
    raise AssertionError("job did not finish")


@pytest.fixture
def fake() -> FakeAnalysis:
    return FakeAnalysis()


@pytest.fixture
def client(fake: FakeAnalysis) -> TestClient:
    limits = UploadLimits(max_files=3, max_file_bytes=1000, max_total_bytes=1500)
    return TestClient(create_app("/tmp/x.db", store=sample_store(), analyze=fake, limits=limits))


def test_token_required_everywhere() -> None:
    c = TestClient(create_app(None, store=sample_store(), token=TOKEN))
    for url in ("/api/v1/documents", "/api/v1/overview", "/openapi.json"):
        resp = c.get(url)
        assert resp.status_code == 401 and resp.json()["error"]["code"] == "E_AUTH"
    assert c.get("/api/v1/documents", headers={"X-API-Token": "wrong"}).status_code == 401
    assert c.get("/api/v1/documents", headers={"X-API-Token": TOKEN}).status_code == 200
    page = c.get("/")
    assert page.status_code == 401 and "text/html" in page.headers["content-type"]
    assert c.get("/static/app.css").status_code == 200


def test_login_cookie_opens_the_pages() -> None:
    c = TestClient(create_app(None, store=sample_store(), token=TOKEN))
    assert c.post("/login", data={"token": "nope"}).status_code == 401
    resp = c.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert resp.status_code == 303
    assert (
        "httponly" in resp.headers["set-cookie"].lower()
        and "samesite=strict" in resp.headers["set-cookie"].lower()
    )
    assert c.get("/").status_code == 200


def test_non_local_bind_needs_a_token() -> None:
    with pytest.raises(UsageError):
        check_bind("0.0.0.0", None)
    with pytest.raises(UsageError):
        check_bind("192.168.1.5", "")
    with pytest.raises(UsageError):
        check_bind("0.0.0.0", "short")
    check_bind("0.0.0.0", TOKEN)
    check_bind("127.0.0.1", None)
    check_bind("localhost", None)
    assert is_loopback("::1") and not is_loopback("example.org")
    assert allowed_hosts_for("0.0.0.0") is None
    assert "localhost" in (allowed_hosts_for("127.0.0.1") or [])


def test_serve_refuses_before_starting(monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope.api import server

    monkeypatch.delenv("NARRASCOPE_API_TOKEN", raising=False)
    with pytest.raises(UsageError, match="without an API token"):
        server.serve("/tmp/none.db", host="0.0.0.0", port=1)


def test_host_header_pinned_on_loopback() -> None:
    c = TestClient(create_app(None, store=sample_store(), allowed_hosts=["127.0.0.1", "localhost"]))
    assert c.get("/api/v1/overview", headers={"Host": "evil.example"}).status_code == 400
    assert c.get("/api/v1/overview", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_paste_and_upload_run_as_a_job(client: TestClient, fake: FakeAnalysis) -> None:
    resp = client.post(
        "/api/v1/analyze",
        data={"text": "Pasted article."},
        files=[
            ("files", ("../../etc/passwd.txt", b"hello", "text/plain")),
            ("files", ("b.html", b"FAIL", "text/html")),
        ],
    )
    assert resp.status_code == 202
    job = _wait(client, resp.json()["job"]["id"])
    assert job["status"] == "done" and job["done"] == job["total"] == 3
    assert [r["status"] for r in job["results"]] == ["ok", "ok", "failed"]
    store_path, inputs = fake.calls[0]
    assert store_path == "/tmp/x.db"
    assert [i["name"] for i in inputs] == ["pasted.txt", "passwd.txt", "b.html"]


def test_json_paste(client: TestClient) -> None:
    resp = client.post("/api/v1/analyze", json={"text": "<p>hello</p>", "format": "html"})
    assert resp.status_code == 202 and resp.json()["job"]["inputs"] == ["pasted.html"]


def test_upload_limits(client: TestClient) -> None:
    def post(**kw: Any) -> dict[str, Any]:
        return client.post("/api/v1/analyze", **kw).json()

    assert (
        post(files=[("files", ("a.exe", b"MZ", "application/octet-stream"))])["error"]["code"]
        == "E_UPLOAD_TYPE"
    )
    assert (
        post(files=[("files", ("a.txt", b"x" * 1001, "text/plain"))])["error"]["code"] == "E_UPLOAD_TOO_LARGE"
    )
    four = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(4)]
    assert post(files=four)["error"]["code"] == "E_UPLOAD_COUNT"
    two_big = [("files", (f"{i}.txt", b"x" * 900, "text/plain")) for i in range(2)]
    assert post(files=two_big)["error"]["code"] == "E_UPLOAD_TOO_LARGE"
    assert post(data={"text": "   "})["error"]["code"] == "E_UPLOAD_EMPTY"
    big = client.post("/api/v1/analyze", content=b"x" * 200_000, headers={"content-type": "text/plain"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "E_UPLOAD_TOO_LARGE"
    assert post(content=b"abc", headers={"content-type": "text/plain"})["error"]["code"] == "E_UPLOAD_TYPE"


def test_cross_site_post_refused(client: TestClient) -> None:
    resp = client.post("/api/v1/analyze", data={"text": "x"}, headers={"Origin": "https://evil.example"})
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "E_FORBIDDEN"


def test_failing_analysis_is_a_failed_job() -> None:
    def broken(path: str, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        raise RuntimeError("model exploded")

    c = TestClient(create_app(None, store=sample_store(), analyze=broken))
    job = _wait(c, c.post("/api/v1/analyze", data={"text": "x"}).json()["job"]["id"])
    assert job["status"] == "failed" and "model exploded" in job["error"]["message"]


def test_request_timeout_envelope() -> None:
    class Slow:
        def __getattr__(self, name: str) -> Any:
            return getattr(sample_store(), name)

        def get_corpus(self) -> None:
            time.sleep(0.5)

    c = TestClient(create_app(None, store=Slow(), request_timeout=0.05))  # type: ignore[arg-type]
    resp = c.get("/api/v1/timeline")
    assert resp.status_code == 504 and resp.json()["error"]["code"] == "E_TIMEOUT"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\x.txt", "x.txt"),
        ("..", "upload.txt"),
        (".hidden.txt", "hidden.txt"),
        ("a b<script>.html", "a b_script_.html"),
        ("", "upload.txt"),
    ],
)
def test_safe_name(raw: str, clean: str) -> None:
    assert safe_name(raw) == clean
