from __future__ import annotations

import copy

from narrascope.errors import ErrorInfo
from narrascope.model import Document, InputRef, Metadata
from narrascope.model.document import DateValue, LanguageSpan, RemovedBlock
from narrascope.model.record import document_record, failed_record
from narrascope.schemas import validate


def _doc() -> Document:
    text = (
        "Officials said 24 people were killed in Belgorod. « Une tragédie absolue pour nous tous », he said."
    )
    return Document(
        text=text,
        input=InputRef("a.txt", "a" * 64, "text"),
        meta=Metadata(title="T", published=DateValue("2023-12-31")),
        removed=(RemovedBlock("cookie_banner", "Accept cookies"),),
        language="en",
        language_spans=(LanguageSpan(52, 92, "fr"),),
    )


def test_document_and_failed_records_validate() -> None:
    doc = _doc()
    rec = document_record(
        doc,
        {"entities": [{"start": 40, "end": 48, "quote": "Belgorod", "type": "GPE", "canonical": "Belgorod"}]},
    )
    assert validate(rec) == []
    bad = failed_record(InputRef("x.pdf", "b" * 64, "auto"), ErrorInfo.of("E_INPUT_PDF"))
    assert validate(bad) == []


def test_schema_catches_wrong_vocabulary_and_bad_quotes() -> None:
    rec = document_record(_doc())
    broken = copy.deepcopy(rec)
    broken["removed"][0]["kind"] = "sidebar"
    assert validate(broken)
    broken = copy.deepcopy(rec)
    broken["entities"] = [{"start": 0, "end": 9, "quote": "Not this!", "type": "GPE", "canonical": "X"}]
    assert any("quote" in p for p in validate(broken))
    broken = copy.deepcopy(rec)
    broken["incidents"] = [
        {
            "id": "i1",
            "type": "nuking",
            "location": None,
            "date": None,
            "killed": None,
            "injured": None,
            "weapons": [],
            "targets": [],
            "perpetrator_claims": [],
            "evidence": [{"start": 0, "end": 9, "quote": "Officials"}],
        }
    ]
    assert validate(broken)
