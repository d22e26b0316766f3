"""Generator over any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama).

Optional: nothing in the default pipeline uses it. Responses are cached on disk by a hash of
(model, prompt, parameters), so re-runs are free and tests can replay recorded responses
without a server (:class:`RecordedGenerator`).
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from narrascope.errors import ConfigError, NarrascopeError


class GeneratorError(NarrascopeError):
    code = "E_ANALYZER"


def cache_key(model: str, prompt: str, max_tokens: int, temperature: float) -> str:
    blob = json.dumps([model, prompt, max_tokens, temperature], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class OpenAICompatGenerator:
    """``POST {base_url}/chat/completions`` with a timeout; an on-disk response cache."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        cache_dir: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        if not base_url or not model:
            raise ConfigError("llm.base_url and llm.model are required for the LLM backend")
        self.base_url = base_url.rstrip("/")
        self.name = f"openai-compat:{model}"
        self.revision = model
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.cache = Path(cache_dir) if cache_dir else None

    def _cached(self, key: str) -> str | None:
        if self.cache is None:
            return None
        p = self.cache / f"{key}.json"
        return str(json.loads(p.read_text(encoding="utf-8"))["content"]) if p.exists() else None

    def _store(self, key: str, content: str) -> None:
        if self.cache is None:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = self.cache / f"{key}.json.tmp"
        tmp.write_text(
            json.dumps({"model": self.model, "content": content}, ensure_ascii=False), encoding="utf-8"
        )
        tmp.replace(self.cache / f"{key}.json")

    def generate(self, prompt: str, *, max_tokens: int = 512, temperature: float = 0.0) -> str:
        key = cache_key(self.model, prompt, max_tokens, temperature)
        hit = self._cached(key)
        if hit is not None:
            return hit
        body = json.dumps(
            {
                "model": self.model,
                "messages": [{"role": "user", "content": prompt}],
                "max_tokens": max_tokens,
                "temperature": temperature,
            }
        ).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(f"{self.base_url}/chat/completions", data=body, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data: dict[str, Any] = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise GeneratorError(f"LLM endpoint {self.base_url} failed: {exc}") from exc
        try:
            content = str(data["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as exc:
            raise GeneratorError(f"unexpected LLM response shape: {str(data)[:200]}") from exc
        self._store(key, content)
        return content


class RecordedGenerator:
    """Replays responses recorded in a directory of ``{key}.json`` files (tests, offline demos)."""

    def __init__(self, directory: str | Path, model: str = "recorded") -> None:
        self.dir = Path(directory)
        self.model = model
        self.name = f"recorded:{model}"
        self.revision = model

    def generate(self, prompt: str, *, max_tokens: int = 512, temperature: float = 0.0) -> str:
        key = cache_key(self.model, prompt, max_tokens, temperature)
        p = self.dir / f"{key}.json"
        if not p.exists():
            raise GeneratorError(f"no recorded response for prompt hash {key[:12]} in {self.dir}")
        return str(json.loads(p.read_text(encoding="utf-8"))["content"])
