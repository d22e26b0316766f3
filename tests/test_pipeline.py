from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope import pipeline
from narrascope.config import load_config
from narrascope.errors import ConfigError
from narrascope.schemas import validate
from narrascope.store import open_store
from tests.fakes import Exploding, FakeEntities, FakeIssues

ARTICLE = (
    "Officials said drones struck residential buildings in Kazan on Saturday morning.\n\n"
    "No casualties were reported, the regional government said. Russia blamed Ukraine for the attack, "
    "which damaged several high-rise buildings in the city and forced the airport to close for hours.\n\n"
    "Residents described hearing loud explosions before dawn."
)


def _corpus(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.txt").write_text(
        ARTICLE.replace("Saturday", "Sunday") + "\n\nShare this article", encoding="utf-8"
    )
    (d / "c.jsonl").write_text(
        json.dumps(
            {
                "text": "Shelling hit Belgorod, killing 24 people, officials said. BOOM appears in this one.",
                "title": "Belgorod",
                "published": "2023-12-31",
            }
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


def _cfg():  # type: ignore[no-untyped-def]
    return load_config(overrides={"pipeline": {"analyzers": []}})


def test_run_records_every_input_and_resumes(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    analyzers = pipeline.order_analyzers([FakeIssues(), FakeEntities(), Exploding()])
    with open_store(tmp_path / "s.sqlite") as store:
        s1 = pipeline.run([str(src)], store, _cfg(), analyzers=analyzers)
        assert s1.ok == 3 and s1.failed == 2 and s1.analyzer_errors == 1 and s1.exit_code == 1
        recs = list(pipeline.records_for(store, s1.keys))
        assert len(recs) == 5
        for rec in recs:
            assert validate(rec) == [], rec["id"]
        by_path = {Path(r["input"]["path"]).name + f"#{r['input']['line']}": r for r in recs}
        assert by_path["b.txt#None"]["duplicate_of"] == by_path["a.txt#None"]["id"]
        assert by_path["c.jsonl#2"]["error"]["code"] == "E_INPUT_JSON"
        assert by_path["empty.txt#None"]["error"]["code"] == "E_INPUT_EMPTY"
        c1 = by_path["c.jsonl#1"]
        assert c1["published"] == {"value": "2023-12-31", "precision": "day"}
        assert c1["analysis_errors"][0]["analyzer"] == "fake.boom"
        assert c1["entities"] and c1["issues"][0]["message"].endswith("entities")
        assert store.get_raw(c1["input"]["sha256"]) is not None
        s2 = pipeline.run([str(src)], store, _cfg(), analyzers=analyzers)
        assert s2.skipped == 5 and store.count_records() == {"ok": 3, "failed": 2}


def test_outputs_are_deterministic(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    outs = []
    for n in (1, 2):
        with open_store(tmp_path / f"s{n}.sqlite") as store:
            summary = pipeline.run([str(src)], store, _cfg(), analyzers=[FakeEntities()])
            paths = pipeline.write_outputs(store, summary, tmp_path / f"out{n}", report=False)
            outs.append(Path(paths["documents"]).read_text(encoding="utf-8").replace(str(tmp_path), ""))
            corpus = json.loads(Path(paths["corpus"]).read_text(encoding="utf-8"))
            assert validate(corpus, "corpus") == []
            assert corpus["documents"] == {"ok": 3, "failed": 2}
    assert outs[0] == outs[1]


def test_missing_requirement_fails_at_start() -> None:
    with pytest.raises(ConfigError):
        pipeline.order_analyzers([FakeIssues()])


def test_workers_give_same_records(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    ids = []
    for n, workers in ((1, 1), (2, 2)):
        with open_store(tmp_path / f"w{n}.sqlite") as store:
            s = pipeline.run([str(src)], store, _cfg(), analyzers=[], workers=workers)
            ids.append([r["id"] for r in pipeline.records_for(store, s.keys)])
    assert ids[0] == ids[1]


def test_network_failures_are_retried_on_rerun(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/unreachable"
    cfg = load_config(overrides={"pipeline": {"analyzers": []}, "ingest": {"url_timeout": 1.0}})
    with open_store(tmp_path / "s.sqlite") as store:
        s1 = pipeline.run([url], store, cfg)
        s2 = pipeline.run([url], store, cfg)
        assert s1.failed == 1 and s2.failed == 1 and s2.skipped == 0
