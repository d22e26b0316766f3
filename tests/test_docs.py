"""Docs coverage: registered names, config keys and error codes are documented; links resolve.

Everything checked is computed at run time from the registry, the CLI, the config defaults and
the error table, so a new analyzer, task, key or code fails here until a page mentions it.
Fast and offline; needs nothing outside the repository.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from narrascope.cli.main import VERBS
from narrascope.config import DEFAULTS
from narrascope.errors import CODES
from narrascope.registry import ANALYZERS, TASKS, load_builtins

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_COMMAND = re.compile(r"(?:^|[\s|;&(])narrascope[ \t]+([^\n`]*)")
_PLACEHOLDER = re.compile(r"^[A-Z][A-Z_]*$")


@cache
def corpus_text() -> str:
    """All documentation text: every Markdown file under docs/ plus the README."""
    files = sorted(DOCS.rglob("*.md"))
    readme = ROOT / "README.md"
    if readme.is_file():
        files.append(readme)
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def mentioned(name: str, text: str) -> bool:
    """``name`` occurs as a whole token (not inside a longer name such as ``llm_framing.v1``)."""
    return re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", text) is not None


@cache
def registry() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    load_builtins()
    return tuple(sorted(ANALYZERS)), {kind: tuple(sorted(tasks)) for kind, tasks in TASKS.items()}


def _strip_code(md: str) -> str:
    return _INLINE_CODE.sub("", _FENCE.sub("", md))


def _code_parts(md: str) -> list[str]:
    """Lines inside fenced blocks, and inline code spans outside them."""
    parts: list[str] = []
    for block in _FENCE.finditer(md):
        parts.extend(block.group(0).splitlines()[1:-1])
    parts.extend(m.group(0).strip("`") for m in _INLINE_CODE.finditer(_FENCE.sub("", md)))
    return parts


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading)
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    for m in _HEADING.finditer(_FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


# -- coverage ---------------------------------------------------------------------------------


def test_every_registered_analyzer_is_documented() -> None:
    names, _ = registry()
    assert names, "no analyzer registered: load_builtins() found nothing"
    missing = [n for n in names if not mentioned(n, corpus_text())]
    assert not missing, f"analyzers not mentioned under docs/ or in README.md: {missing}"


def test_every_cli_verb_is_documented() -> None:
    text = corpus_text()
    missing = [v for v in VERBS if not re.search(rf"narrascope\s+{re.escape(v)}(?![\w-])", text)]
    assert not missing, f"verbs without a `narrascope VERB` mention: {missing}"


def test_every_verb_option_is_documented() -> None:
    import argparse

    from narrascope.cli.main import build_parser

    text = corpus_text()
    missing = []
    for verb in VERBS:
        parser = build_parser([verb])
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for action in sub.choices[verb]._actions:
            longs = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if longs and not any(mentioned(o, text) for o in longs):
                missing.append(f"{verb} {longs[0]}")
    assert not missing, f"command-line options not mentioned under docs/: {missing}"


def test_every_task_is_documented() -> None:
    _, tasks = registry()
    text = corpus_text()
    missing = [
        f"{kind} {name}"
        for kind, names in tasks.items()
        for name in names
        if not re.search(rf"\b{kind}\s+{re.escape(name)}(?![\w-])", text)
    ]
    assert not missing, f"tasks not mentioned as `KIND NAME` under docs/ or in README.md: {missing}"


def test_every_config_key_is_documented() -> None:
    text = corpus_text()
    missing = [f"[{s}]" for s in DEFAULTS if f"[{s}]" not in text and f"[{s}." not in text]
    for section, keys in DEFAULTS.items():
        for key in keys:
            forms = (f"{section}.{key}", f'{section}."{key}"', f"`{key}`")
            if not any(form in text for form in forms):
                missing.append(f"{section}.{key}")
    assert not missing, f"config sections/keys not documented: {missing}"


def test_every_error_code_is_documented() -> None:
    missing = [c for c in CODES if not mentioned(c, corpus_text())]
    assert not missing, f"error codes not documented: {missing}"


# -- links and commands -----------------------------------------------------------------------


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for m in _LINK.finditer(_strip_code(page.read_text(encoding="utf-8"))):
        target = m.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target} (no heading with that anchor)")
    assert not broken, f"{page.name}: broken links {broken}"


def _check_command(rest: str, tasks: dict[str, tuple[str, ...]]) -> str | None:
    """Problem with one ``narrascope ...`` command line, or None."""
    words = [w for w in rest.split() if not w.startswith("-")]
    if not words:
        return None  # narrascope --help / --version
    verbs = words[0].split("|")
    for verb in verbs:
        if not (verb in VERBS or _PLACEHOLDER.match(verb)):
            return f"unknown verb {verb!r}"
    if len(verbs) == 1 and verbs[0] in tasks and len(words) > 1:
        task = words[1]
        if not (task in tasks[verbs[0]] or _PLACEHOLDER.match(task) or task.startswith("[")):
            return f"unknown {verbs[0]} task {task!r}"
    return None


def test_cli_page_commands_name_real_verbs_and_tasks() -> None:
    _, tasks = registry()
    md = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = [m.group(1) for part in _code_parts(md) for m in _COMMAND.finditer(part)]
    assert len(commands) >= len(VERBS), "docs/cli.md shows fewer commands than there are verbs"
    problems = [f"narrascope {c.strip()}: {p}" for c in commands if (p := _check_command(c, tasks))]
    assert not problems, "\n".join(problems)


def test_checker_rejects_unknown_verbs_and_tasks() -> None:
    _, tasks = registry()
    assert _check_command("analyse corpus/ --out out", tasks) == "unknown verb 'analyse'"
    assert _check_command("eval no-such-task --data x", tasks) == "unknown eval task 'no-such-task'"
    assert _check_command("eval|bench|train TASK --help", tasks) is None
    assert _check_command("--version", tasks) is None
    assert mentioned("framing.v1", "uses `framing.v1`")
    assert not mentioned("framing.v1", "uses `llm_framing.v1`")
    assert slug("Corpus record (`corpus.json`)") == "corpus-record-corpusjson"
