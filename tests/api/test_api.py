"""REST API tests, in-process, over the hand-made sample store (memory and SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from narrascope.api.app import create_app
from narrascope.api.testing import sample_store, to_sqlite


@pytest.fixture(params=["memory", "sqlite"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> TestClient:
    mem = sample_store()
    if request.param == "memory":
        return TestClient(create_app(None, store=mem))
    db = tmp_path / "s.db"
    to_sqlite(mem, db)
    return TestClient(create_app(db))


def _ids() -> list[str]:
    return list(sample_store().records)


def assert_envelope(resp: Any, status: int, code: str) -> None:
    assert resp.status_code == status
    body = resp.json()
    assert body["ok"] is False and body["status"] == status
    assert body["error"]["code"] == code and body["error"]["message"]


def test_404_uses_envelope(client: TestClient) -> None:
    assert_envelope(client.get("/api/v1/documents/nope"), 404, "E_NOT_FOUND")
    assert_envelope(client.get("/api/v1/incidents/nope"), 404, "E_NOT_FOUND")
    assert_envelope(client.get("/api/v1/entities/Nobody"), 404, "E_NOT_FOUND")
    assert_envelope(client.get("/api/v1/jobs/nope"), 404, "E_NOT_FOUND")
    assert_envelope(client.get("/api/v1/no-such-route"), 404, "E_NOT_FOUND")


def test_422_and_405_use_envelope(client: TestClient) -> None:
    assert_envelope(client.get("/api/v1/documents?limit=0"), 422, "E_VALIDATION")
    assert_envelope(client.get("/api/v1/documents?date_from=yesterday"), 422, "E_VALIDATION")
    assert_envelope(client.delete("/api/v1/documents"), 405, "E_METHOD")


def test_documents_pagination(client: TestClient) -> None:
    first = client.get("/api/v1/documents?limit=2&offset=0").json()
    second = client.get("/api/v1/documents?limit=2&offset=2").json()
    assert first["total"] == second["total"] == 4
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    seen = [d["id"] for d in first["items"] + second["items"]]
    assert sorted(seen) == sorted(_ids())
    assert client.get("/api/v1/documents?limit=2&offset=4").json()["items"] == []


def test_documents_filters(client: TestClient) -> None:
    failed = client.get("/api/v1/documents?status=failed").json()
    assert failed["total"] == 1 and failed["items"][0]["error"]["code"] == "E_INPUT_PDF"
    site = client.get("/api/v1/documents?site=wire-two.example").json()
    assert [d["title"] for d in site["items"]] == ["Blasts in Belgorod, cause unclear"]
    dated = client.get("/api/v1/documents?date_from=2023-12-31&date_to=2023-12-31").json()
    assert dated["total"] == 1


def test_document_record_is_contract_shape(client: TestClient) -> None:
    rec = client.get(f"/api/v1/documents/{_ids()[0]}").json()
    assert rec["schema"] == "narrascope.document/1"
    for ev in rec["incidents"][0]["evidence"]:
        assert rec["text"][ev["start"] : ev["end"]] == ev["quote"]


def test_raw_is_an_inert_attachment(client: TestClient) -> None:
    hostile = _ids()[2]
    resp = client.get(f"/api/v1/documents/{hostile}/raw")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/octet-stream"
    assert resp.headers["content-disposition"].startswith("attachment")
    assert b"<script>" in resp.content  # the bytes are the original, served inert
    assert_envelope(client.get("/api/v1/documents/nope/raw"), 404, "E_NOT_FOUND")


def test_search_and_filters(client: TestClient) -> None:
    res = client.get("/api/v1/search?q=Belgorod").json()
    assert res["total"] == 2 and {h["site"] for h in res["items"]} == {"news-one.example", "wire-two.example"}
    one = client.get("/api/v1/search?q=Belgorod&site=news-one.example").json()
    assert one["total"] == 1
    assert client.get("/api/v1/search?q=Belgorod&limit=1&offset=1").json()["items"][0]["id"] in _ids()
    assert client.get("/api/v1/search?q=").json()["total"] == 0
    assert client.get("/api/v1/search?q=Loaded_Language").json()["total"] == 1
    # FTS operators in user input are not an error
    assert client.get('/api/v1/search?q=NEAR(" OR *').status_code == 200


def test_incident_side_by_side(client: TestClient) -> None:
    lst = client.get("/api/v1/incidents").json()
    assert lst["total"] == 2 and lst["items"][0]["id"] == "inc-belgorod-2023-12-30"
    inc = client.get("/api/v1/incidents/inc-belgorod-2023-12-30").json()
    assert inc["field_status"]["perpetrator"] == "contested"
    assert inc["field_status"]["location"] == "consensus"
    assert inc["field_status"]["children_killed"] == "single_source"
    killed = [s["cells"]["killed"] for s in inc["columns"]]
    assert killed == [{"min": 24, "max": 24}, {"min": 20, "max": None}]
    actors = [s["cells"]["perpetrator"][0]["actor"] for s in inc["columns"]]
    assert actors == ["Ukraine", "Russia"]


def test_entities_timeline_overview(client: TestClient) -> None:
    ents = client.get("/api/v1/entities").json()
    assert ents["items"][0]["canonical"] == "Ukraine"
    ent = client.get("/api/v1/entities/Ukraine").json()
    assert {s["site"]: s["main_roles"] for s in ent["sources"]} == {
        "news-one.example": {"Antagonist": 1},
        "wire-two.example": {"Protagonist": 1},
    }
    tl = client.get("/api/v1/timeline").json()
    assert [e["date"] for e in tl["events"]] == ["2023-12-30", "2024-01-02"]
    assert tl["links"][0]["relation"] == "retaliation_for"
    ov = client.get("/api/v1/overview").json()
    assert ov["documents"] == {"ok": 3, "failed": 1}
    assert ov["failed"][0]["error"]["code"] == "E_INPUT_PDF"


def test_openapi_lists_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/v1/documents",
        "/api/v1/documents/{doc_id}",
        "/api/v1/incidents/{incident_id}",
        "/api/v1/entities",
        "/api/v1/search",
        "/api/v1/analyze",
        "/api/v1/jobs/{job_id}",
    ):
        assert path in spec["paths"]
    assert not any(p.startswith("/documents") for p in spec["paths"])  # HTML pages stay out


def test_security_headers(client: TestClient) -> None:
    resp = client.get("/api/v1/overview")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    assert resp.headers["x-content-type-options"] == "nosniff"
