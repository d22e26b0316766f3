"""A tiny mixed-format corpus for runner and store tests (written by the project)."""

from __future__ import annotations

import json
from pathlib import Path

STORY = (
    "Officials in Kharkiv said a drone hit a warehouse on the eastern edge of the city overnight.\n\n"
    "Firefighters worked until morning to put out the blaze, the regional administration said. Kyiv "
    "said the strike was one of several launched from Belgorod during the night.\n\n"
    "No one was hurt, according to the emergency service."
)


def write_corpus(root: Path, extra: int = 0) -> Path:
    """Five inputs (ok, near-duplicate, JSONL with a broken line, empty) plus ``extra`` short
    distinct text files; returns the directory."""
    d = root / "in"
    d.mkdir()
    (d / "a.txt").write_text(STORY, encoding="utf-8")
    (d / "b.txt").write_text(STORY.replace("eastern", "western") + "\n\nShare this", encoding="utf-8")
    lines = [
        json.dumps({"text": "Shelling hit Belgorod and Kyiv, officials said. BOOM.", "title": "Belgorod"}),
        "{not json",
    ]
    (d / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    for i in range(extra):
        (d / f"x{i:03d}.txt").write_text(
            f"Report {i}: air defence over Kyiv shot down {i + 2} drones, the city military administration "
            f"said on day {i}. Debris damaged {i % 7 + 1} cars in district {i % 10}.",
            encoding="utf-8",
        )
    return d
