"""LLM framing analyzer with recorded responses (no server) and a loopback fake endpoint."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

from narrascope.analyzers.base import DocInput
from narrascope.analyzers.llm_framing import LLMFramingAnalyzer, decode, find_quote
from narrascope.backends.openai_compat import OpenAICompatGenerator, RecordedGenerator
from narrascope.model import Document, InputRef

RECORDED = Path(__file__).parent / "recorded_llm"
TEXT = (
    "The Kyiv regime, a gang of criminals, shelled Belgorod again, the spokeswoman said.\n\n"
    "Residents, including children, were killed in the city centre."
)
TECHNIQUES = ["Name_Calling-Labeling", "Loaded_Language", "Appeal_to_Fear-Prejudice"]
NARRATIVES = ["URW: Discrediting Ukraine", "URW: Blaming the war on others rather than the invader"]


def _doc(text: str = TEXT) -> Document:
    return Document(text=text, input=InputRef("t.txt", "0" * 64, "text"))


def test_find_quote_exact_and_whitespace_insensitive() -> None:
    assert find_quote(TEXT, "a gang of criminals") == (17, 36)
    s, e = find_quote(TEXT, "the  spokeswoman\nsaid") or (0, 0)
    assert TEXT[s:e] == "the spokeswoman said"
    assert find_quote(TEXT, "not in the text") is None


def test_decode_drops_labels_outside_taxonomy_and_ungrounded_quotes() -> None:
    raw = json.dumps(
        {
            "techniques": [
                {"technique": "Name_Calling-Labeling", "quote": "a gang of criminals"},
                {"technique": "Made_Up_Technique", "quote": "shelled Belgorod"},
                {"technique": "Loaded_Language", "quote": "words that are not there"},
            ],
            "roles": [
                {"entity": "Kyiv regime", "main_role": "Antagonist", "quote": "The Kyiv regime"},
                {"entity": "X", "main_role": "Villain", "quote": "Belgorod"},
            ],
            "narratives": [{"narrative": "URW: Discrediting Ukraine", "quote": "a gang of criminals"}],
        }
    )
    out = decode(TEXT, "Sure! Here it is:\n" + raw, TECHNIQUES, NARRATIVES)
    assert [t["technique"] for t in out["techniques"]] == ["Name_Calling-Labeling"]
    assert out["techniques"][0]["quote"] == TEXT[out["techniques"][0]["start"] : out["techniques"][0]["end"]]
    assert [r["entity"] for r in out["roles"]] == ["Kyiv regime"]
    assert out["narratives"][0]["evidence"][0]["quote"] == "a gang of criminals"
    assert decode(TEXT, "no json here", TECHNIQUES, NARRATIVES) == {
        "techniques": [],
        "roles": [],
        "narratives": [],
    }


def test_analyzer_with_recorded_response() -> None:
    an = LLMFramingAnalyzer(RecordedGenerator(RECORDED, "smollm2-135m"), TECHNIQUES, NARRATIVES)
    [out] = an.analyze([DocInput(_doc())])
    assert {t["technique"] for t in out["techniques"]} == {
        "Name_Calling-Labeling",
        "Appeal_to_Fear-Prejudice",
    }
    assert out["roles"] and out["roles"][0]["main_role"] == "Antagonist"


class _Handler(BaseHTTPRequestHandler):
    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        assert body["messages"][0]["role"] == "user"
        payload = {"choices": [{"message": {"content": '{"techniques": []}'}}]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_openai_compatible_endpoint_and_disk_cache(tmp_path: Path) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        gen = OpenAICompatGenerator(
            f"http://127.0.0.1:{server.server_port}/v1", "tiny", cache_dir=str(tmp_path)
        )
        assert gen.generate("hello") == '{"techniques": []}'
        assert gen.generate("hello") == '{"techniques": []}'
        assert _Handler.calls == 1  # second answer came from the cache
        assert len(list(tmp_path.glob("*.json"))) == 1
    finally:
        server.shutdown()
