"""Optional LLM framing analyzer (``llm_framing.v1``): an OpenAI-compatible endpoint labels
techniques, entity roles and narratives; every answer is aligned back to offsets.

Labels outside the taxonomy, and quotes that cannot be found in the text, are dropped with
a warning (never guessed). The prompt is a versioned data file; responses are cached on disk
by the backend. Not in the default pipeline: enable with
``[pipeline] analyzers = [..., "llm_framing.v1"]`` and an ``[llm]`` section
(``base_url``, ``model``, ``api_key = {"$env" = "NAME"}``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from narrascope.analyzers.base import AnalyzerSpec, DocInput
from narrascope.registry import register_analyzer

log = logging.getLogger(__name__)

MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")
#: Longest article text put into the prompt (characters): small local models have 8k contexts.
MAX_PROMPT_CHARS = 12000
_JSON = re.compile(r"\{.*\}", re.S)
_WS = re.compile(r"\s+")


@lru_cache(maxsize=4)
def load_prompt(name: str = "framing.v1") -> dict[str, Any]:
    text = (
        resources.files("narrascope.analyzers").joinpath(f"resources/prompts/{name}.yaml").read_text("utf-8")
    )
    return dict(yaml.safe_load(text))


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``text``: exact, else whitespace- and case-insensitive."""
    quote = quote.strip().strip('"“”')
    if not quote:
        return None
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in _WS.split(quote) if w)
    m = re.search(pattern, text, re.I)
    return (m.start(), m.end()) if m else None


def parse_response(raw: str) -> dict[str, Any]:
    m = _JSON.search(raw or "")
    if not m:
        return {}
    try:
        data = json.loads(m.group(0))
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def decode(text: str, raw: str, techniques: Sequence[str], narratives: Sequence[str]) -> dict[str, Any]:
    """Pure: model response → contract fields with evidence; drops what cannot be grounded."""
    data = parse_response(raw)
    out: dict[str, Any] = {"techniques": [], "roles": [], "narratives": []}
    tech_ok, narr_ok = set(techniques), set(narratives)
    for item in data.get("techniques") or []:
        span = find_quote(text, str(item.get("quote", ""))) if isinstance(item, dict) else None
        name = item.get("technique") if isinstance(item, dict) else None
        if name not in tech_ok or span is None:
            log.warning("llm: dropped technique %r (outside taxonomy or quote not in text)", name)
            continue
        out["techniques"].append(
            {
                "technique": name,
                "start": span[0],
                "end": span[1],
                "quote": text[span[0] : span[1]],
                "score": 0.5,
                "analyzer": "llm_framing.v1",
            }
        )
    for item in data.get("roles") or []:
        if not isinstance(item, dict) or item.get("main_role") not in MAIN_ROLES:
            continue
        span = find_quote(text, str(item.get("quote", "")))
        if span is None or not item.get("entity"):
            log.warning("llm: dropped role for %r (quote not in text)", item.get("entity"))
            continue
        out["roles"].append(
            {
                "entity": str(item["entity"]),
                "main_role": item["main_role"],
                "fine_roles": [],
                "score": 0.5,
                "evidence": [{"start": span[0], "end": span[1], "quote": text[span[0] : span[1]]}],
            }
        )
    for item in data.get("narratives") or []:
        if not isinstance(item, dict) or item.get("narrative") not in narr_ok:
            continue
        span = find_quote(text, str(item.get("quote", "")))
        if span is None:
            continue
        out["narratives"].append(
            {
                "narrative": item["narrative"],
                "subnarrative": None,
                "score": 0.5,
                "evidence": [{"start": span[0], "end": span[1], "quote": text[span[0] : span[1]]}],
            }
        )
    return out


class LLMFramingAnalyzer:
    spec = AnalyzerSpec("llm_framing.v1", "1", produces=("techniques", "roles", "narratives"))

    def __init__(
        self, generator: Any, techniques: Sequence[str], narratives: Sequence[str], prompt: str = "framing.v1"
    ) -> None:
        self.generator = generator
        self.techniques = list(techniques)
        self.narratives = list(narratives)
        self.prompt = load_prompt(prompt)

    def build_prompt(self, text: str) -> str:
        # Plain replacement, not str.format: the template shows JSON braces literally.
        out = str(self.prompt["template"])
        for key, value in (
            ("{techniques}", ", ".join(self.techniques)),
            ("{narratives}", "; ".join(self.narratives)),
            ("{text}", text[:MAX_PROMPT_CHARS]),
        ):
            out = out.replace(key, value)
        return out

    def analyze(self, batch: Sequence[DocInput]) -> list[dict[str, Any]]:
        out = []
        for d in batch:  # an HTTP endpoint batches server-side; one request per document
            raw = self.generator.generate(
                self.build_prompt(d.doc.text),
                max_tokens=int(self.prompt["max_tokens"]),
                temperature=float(self.prompt["temperature"]),
            )
            out.append(decode(d.doc.text, raw, self.techniques, self.narratives))
        return out


def _taxonomy() -> tuple[list[str], list[str]]:
    """The technique and narrative label lists of the shipped trained heads."""
    base = resources.files("narrascope")
    techniques: list[str] = []
    narratives: list[str] = []
    tp = base.joinpath("models/techniques/paragraph.json")
    if tp.is_file():
        techniques = list(json.loads(tp.read_text("utf-8")).get("labels", []))
    npth = base.joinpath("models/narratives/config.json")
    if npth.is_file():
        narratives = list(json.loads(npth.read_text("utf-8")).get("coarse_labels", []))
    return techniques, narratives


@register_analyzer("llm_framing.v1")
def _factory(options: dict[str, Any]) -> LLMFramingAnalyzer:
    from narrascope.backends.openai_compat import OpenAICompatGenerator, RecordedGenerator
    from narrascope.config import resolve_secrets

    opts = resolve_secrets(options)
    gen = opts.get("generator_obj")
    if gen is None and opts.get("recorded_dir"):
        gen = RecordedGenerator(opts["recorded_dir"], opts.get("model", "recorded"))
    if gen is None:
        gen = OpenAICompatGenerator(
            opts.get("base_url", ""),
            opts.get("model", ""),
            api_key=opts.get("api_key"),
            cache_dir=opts.get("cache_dir", ".cache/llm"),
        )
    techniques, narratives = _taxonomy()
    return LLMFramingAnalyzer(gen, opts.get("techniques") or techniques, opts.get("narratives") or narratives)
