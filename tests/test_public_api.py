from __future__ import annotations

import narrascope


def test_curated_surface() -> None:
    assert sorted(narrascope.__all__) == sorted(
        ["Config", "Store", "__version__", "analyze", "load_config", "open_store", "validate_record"]
    )
    for name in narrascope.__all__:
        assert getattr(narrascope, name) is not None
        if callable(getattr(narrascope, name)) and name != "__version__":
            assert getattr(narrascope, name).__doc__, f"{name} has no docstring"


def test_analyze_texts_clean_only() -> None:
    recs = narrascope.analyze(
        texts=["Drones struck Kazan on Saturday, officials said. " * 3, ""], analyzers=[]
    )
    assert [r["status"] for r in recs] == ["ok", "failed"]
    assert recs[1]["error"]["code"] == "E_INPUT_EMPTY"
    assert narrascope.validate_record(recs[0]) == []
