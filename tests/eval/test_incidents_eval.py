"""eval incidents: matching and field scoring on a tiny gold file written for this test."""

from __future__ import annotations

import json
from pathlib import Path

from narrascope.eval import incidents as ev

TEXT = (
    "A Russian missile hit a market in Kharkiv on Monday, killing 12 people and injuring 40, officials said. "
    "Moscow denied targeting civilians."
)
GOLD = [
    {
        "id": "t1",
        "published": "2024-05-01",
        "text": TEXT,
        "incidents": [
            {
                "type": "missile_strike",
                "location": {"name": "Kharkiv", "country": "Ukraine"},
                "date": {"value": "2024-04-29", "precision": "day"},
                "killed": {"min": 12, "max": 12},
                "injured": {"min": 40, "max": 40},
                "perpetrator_claims": [
                    {"actor": "Russia", "claimant": "Ukraine", "stance": "alleged", "evidence": []}
                ],
                "evidence": ["A Russian missile hit a market in Kharkiv on Monday"],
            }
        ],
        "claims": [
            {
                "claimant": "Ukraine",
                "cue": "said",
                "quote": "killing 12 people",
                "type": "indirect",
                "certainty": "asserted",
            }
        ],
    }
]


def test_match_prefers_overlap_and_type() -> None:
    gold = [{"type": "shelling", "evidence": ["abc def"]}, {"type": "drone_strike", "evidence": ["ghi"]}]
    pred = [
        {"type": "drone_strike", "evidence": [{"start": 8, "end": 11}]},
        {"type": "shelling", "evidence": [{"start": 0, "end": 3}]},
    ]
    assert sorted(ev.match("abc def ghi", gold, pred)) == [(0, 1), (1, 0)]


def test_tally_precision_recall() -> None:
    t = ev.Tally()
    t.add("x", 1, 2, 1, 4)
    row = t.table()["x"]
    assert (row["precision"], row["recall"]) == (0.5, 0.25)


def test_evaluate_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "g.json").write_text(json.dumps(GOLD), encoding="utf-8")
    scores = ev.evaluate(tmp_path)["scores"]
    for field in ("incident", "type", "location", "date", "killed", "injured", "perpetrator+stance"):
        assert scores[field]["recall"] == 1.0, field
    assert scores["claim attribution"]["recall"] == 1.0
