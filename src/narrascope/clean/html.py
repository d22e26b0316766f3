"""HTML cleaning: trafilatura with DOM pre-pruning, paragraph post-filtering and safer metadata.

The page is parsed once with lxml. Metadata is read from the untouched tree (JSON-LD, meta tags,
htmldate), then boilerplate containers (consent banners, comment threads, related-link boxes,
share rows, ads, navigation) are pruned from the same tree by the data rules in
``rules/html_prune.yaml``, and the pruned tree is handed to trafilatura. Paragraphs trafilatura
still lets through are filtered by ``rules/html_text.yaml``. What was removed is reported as
:class:`~narrascope.model.RemovedBlock` records.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import yaml
from lxml import etree
from lxml.html import HtmlElement

from narrascope.model import CleanResult, DateValue, Metadata, RemovedBlock

__all__ = ["clean_html", "extract_body", "load_rules", "parse_html"]

_PROTECTED = frozenset({"html", "body", "main", "article", "head"})
_BODY_MARKERS = etree.XPath(".//article|.//main|.//*[@itemprop='articleBody']|.//h1")
_WS = re.compile(r"\s+")
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf]|â€|Â[\xa0-\xbf]|Ã©|Ã¼|Ã¶")
_TITLE_SEP = re.compile(r"\s+[-|–—›»·⋆:]\s+|\s*\|\s*")  # separators between headline and site name
_DOMAIN_LIKE = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)
_STAMP = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{4}")  # "31.10.2023, 10.19 Uhr" after the headline
_LANG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:/|$)"
)  # /2019/11/ or /2019/11/19/ as whole path segments
_ARCHIVE_PREFIX = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/")  # capture time, not pub date
_ISO_DAY = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")


# --------------------------------------------------------------------------- rules (data)


@dataclass(frozen=True)
class _Rule:
    id: str
    kind: str
    regex: re.Pattern[str]
    attrs: tuple[str, ...] = ()
    max_chars: int = 0


@dataclass(frozen=True)
class Rules:
    """Compiled rule set from the YAML files in ``narrascope/clean/rules``."""

    tags: dict[str, tuple[str, str]]
    attributes: tuple[_Rule, ...]
    class_any: re.Pattern[str]
    texts: tuple[_Rule, ...]
    text_any: re.Pattern[str]
    text_hints: tuple[str, ...]
    paragraphs: tuple[_Rule, ...]
    author_strip: tuple[re.Pattern[str], ...]
    author_reject: tuple[re.Pattern[str], ...]
    author_reject_in_list: tuple[re.Pattern[str], ...]
    keep: re.Pattern[str]
    max_share: float
    min_text_share: float
    prose_paragraphs: int
    prose_paragraph_chars: int
    prose_block_chars: int
    prose_max_link_density: float
    prose_exempt: frozenset[str]
    record_max_chars: int


def _read_yaml(name: str) -> dict[str, Any]:
    text = resources.files("narrascope.clean.rules").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping")
    return data


def _rule(entry: dict[str, Any], anchored: bool = False) -> _Rule:
    pattern = f"(?:{entry['pattern']})\\Z" if anchored else entry["pattern"]
    return _Rule(
        id=entry["id"],
        kind=entry["kind"],
        regex=re.compile(pattern, re.IGNORECASE),
        attrs=tuple(entry.get("attrs", ())),
        max_chars=int(entry.get("max_chars", 0)),
    )


def _any(rules: list[_Rule]) -> re.Pattern[str]:
    """One alternation of all ``rules`` (a fast pre-check before finding which rule matched)."""
    return re.compile("|".join(f"(?:{r.regex.pattern})" for r in rules) or "(?!)", re.IGNORECASE)


def _anchored(entries: list[dict[str, Any]]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(f"(?:{r['pattern']})\\Z", re.IGNORECASE) for r in entries)


@functools.cache
def load_rules() -> Rules:
    """Load and compile the HTML rule files once (they are static package data)."""
    prune = _read_yaml("html_prune.yaml")
    text = _read_yaml("html_text.yaml")
    author = _read_yaml("html_author.yaml")
    tags = {tag: (r["id"], r["kind"]) for r in prune.get("tags", []) for tag in r["tags"]}
    texts = tuple(_rule(r) for r in prune.get("texts", []))
    attributes = tuple(_rule(r) for r in prune.get("attributes", []))
    return Rules(
        tags=tags,
        attributes=attributes,
        class_any=_any([r for r in attributes if {"class", "id"} & set(r.attrs)]),
        texts=texts,
        text_any=_any(list(texts)),
        text_hints=tuple(h.lower() for r in prune.get("texts", []) for h in r.get("hints", ())),
        paragraphs=tuple(_rule(r, anchored=True) for r in text.get("paragraphs", [])),
        author_strip=tuple(re.compile(r["pattern"], re.IGNORECASE) for r in author.get("strip", [])),
        author_reject=_anchored(author.get("reject", [])),
        author_reject_in_list=_anchored(author.get("reject_in_list", [])),
        keep=re.compile(prune.get("keep", {}).get("pattern", "(?!)"), re.IGNORECASE),
        max_share=float(prune.get("max_share", 0.45)),
        min_text_share=float(prune.get("min_text_share", 0.5)),
        prose_paragraphs=int(prune.get("prose_paragraphs", 2)),
        prose_paragraph_chars=int(prune.get("prose_paragraph_chars", 150)),
        prose_block_chars=int(prune.get("prose_block_chars", 400)),
        prose_max_link_density=float(prune.get("prose_max_link_density", 0.3)),
        prose_exempt=frozenset(prune.get("prose_exempt", ())),
        record_max_chars=int(prune.get("record_max_chars", 400)),
    )


# --------------------------------------------------------------------------- helpers


def _squash(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _fix_mojibake(text: str) -> str:
    if not _MOJIBAKE.search(text):
        return text
    import ftfy

    config = ftfy.TextFixerConfig(
        uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, explain=False
    )
    return str(ftfy.fix_text(text, config=config))


def parse_html(html: str) -> HtmlElement | None:
    """Parse once with trafilatura's tolerant loader (handles encoding declarations in ``str``)."""
    from trafilatura.utils import load_html

    if not html or not html.strip():
        return None
    try:
        tree = load_html(html)
    except (TypeError, ValueError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _drop(el: HtmlElement) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    node: HtmlElement | None = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


# --------------------------------------------------------------------------- DOM pruning


@functools.lru_cache(maxsize=1 << 16)
def _class_hit(value: str) -> bool:
    """Does any class/id rule match this attribute string? (memoised: class names repeat a lot)"""
    return bool(load_rules().class_any.search(value))


@functools.lru_cache(maxsize=1 << 16)
def _class_rule(cls_id: str) -> _Rule | None:
    """The first class/id rule matching ``"class id"``, unless the keep pattern protects it."""
    rules = load_rules()
    if not rules.class_any.search(cls_id) or rules.keep.search(cls_id):
        return None
    return next(
        (r for r in rules.attributes if {"class", "id"} & set(r.attrs) and r.regex.search(cls_id)), None
    )


def _attr_match(el: HtmlElement, rules: Rules) -> _Rule | None:
    cls, ident = el.get("class"), el.get("id")
    cls_id = f"{cls or ''} {ident or ''}" if cls or ident else ""
    rule = _class_rule(cls_id) if cls_id else None
    if rule is not None or (cls_id and rules.keep.search(cls_id)):
        return rule
    for attr in ("role", "aria-label"):
        value = el.get(attr)
        if value:
            rule = next((r for r in rules.attributes if attr in r.attrs and r.regex.search(value)), None)
            if rule is not None:
                return rule
    return None


@functools.cache
def _candidate_xpath(tags: tuple[str, ...]) -> etree.XPath:
    """Attribute values and tag-rule elements in one pass, in document order."""
    parts = [".//@class", ".//@id", ".//@role", ".//@aria-label"] + [f".//{t}" for t in tags]
    return etree.XPath("|".join(parts))


def _candidates(body: HtmlElement, rules: Rules) -> list[tuple[HtmlElement, str, str]]:
    """Elements matched by tag or attribute rules, in document order (outer before inner)."""
    out: list[tuple[HtmlElement, str, str]] = []
    seen: set[HtmlElement] = set()
    for node in _candidate_xpath(tuple(sorted(rules.tags)))(body):
        if isinstance(node, str):  # an attribute value: regex on the string before touching lxml
            value: Any = node  # lxml "smart string": knows its attribute name and element
            if value.attrname in ("class", "id") and not _class_hit(str(value)):
                continue
            el = value.getparent()
            rule = None if el in seen or el.tag in _PROTECTED else _attr_match(el, rules)
            hit = (rule.id, rule.kind) if rule else None
        else:
            el, hit = node, rules.tags.get(node.tag)
        if hit is not None and el not in seen:
            seen.add(el)
            out.append((el, hit[0], hit[1]))
    return out


def _text_candidates(body: HtmlElement, rules: Rules) -> list[tuple[HtmlElement, str, str]]:
    """Smallest-to-largest ancestor within ``max_chars`` of each text node a text rule matches."""
    out: list[tuple[HtmlElement, str, str]] = []
    for el in body.iter(etree.Element):
        for text, owner in ((el.text, el), (el.tail, el.getparent())):
            if not text or owner is None or not rules.text_any.search(text):
                continue
            rule = next(r for r in rules.texts if r.regex.search(text))
            node = owner
            own = len(_squash(node.text_content()))
            if (
                own > rule.max_chars
                or node.tag in _PROTECTED
                or len(_squash(text)) < rules.min_text_share * own
            ):
                continue
            parent = node.getparent()
            while (
                parent is not None
                and parent.tag not in _PROTECTED
                and len(_squash(parent.text_content())) <= rule.max_chars
            ):
                node, parent = parent, parent.getparent()
            out.append((node, rule.id, rule.kind))
    return out


def _is_prose(el: HtmlElement, text: str, rules: Rules) -> bool:
    """True when ``el`` holds article prose rather than a widget (see ``html_prune.yaml``)."""
    if len(text) >= rules.prose_block_chars:
        links = sum(len(_squash(a.text_content())) for a in el.iter("a"))
        if links < rules.prose_max_link_density * len(text):
            return True
    long_paras = 0
    for p in el.iter("p"):
        if len(_squash(p.text_content())) >= rules.prose_paragraph_chars:
            long_paras += 1
            if long_paras >= rules.prose_paragraphs:
                return True
    return False


def _text_rules_may_match(lowered: str, rules: Rules) -> bool:
    """Run the text-rule regex only in windows around hint words (a page-wide scan is slow)."""
    for hint in rules.text_hints:
        pos = lowered.find(hint)
        while pos >= 0:
            if rules.text_any.search(lowered, max(0, pos - 80), pos + 120):
                return True
            pos = lowered.find(hint, pos + 120)
    return False


def _prune(tree: HtmlElement, rules: Rules) -> list[RemovedBlock]:
    """Remove boilerplate containers from ``tree`` in place; return what was removed."""
    etree.strip_elements(tree, "style", with_tail=False)
    for script in tree.xpath("//script[not(@type='application/ld+json')]"):
        _drop(script)
    body = tree.find("body")
    if body is None:
        body = tree
    all_text = body.text_content()
    total = len(all_text) or 1  # raw lengths here and below: only a ratio is needed
    candidates = _candidates(body, rules)
    if _text_rules_may_match(all_text.lower(), rules):
        candidates += _text_candidates(body, rules)
    removed: list[RemovedBlock] = []
    for el, rule_id, kind in candidates:
        if not _attached(el, body):
            continue
        raw = el.text_content()
        if len(raw) > rules.max_share * total or _BODY_MARKERS(el):
            continue
        text = _squash(raw)
        if kind not in rules.prose_exempt and _is_prose(el, text, rules):
            continue
        _drop(el)
        if text:
            removed.append(RemovedBlock(kind, text[: rules.record_max_chars], rule_id))
    return removed


# --------------------------------------------------------------------------- body text


def _same(a: str, b: str | None) -> bool:
    return bool(b) and _squash(a).casefold().strip(" .:") == _squash(b).casefold().strip(" .:")


def _filter_paragraphs(
    lines: list[str], rules: Rules, title: str | None, author: str | None
) -> tuple[list[str], list[RemovedBlock]]:
    kept: list[str] = []
    removed: list[RemovedBlock] = []
    for i, line in enumerate(lines):
        if i < 3 and not kept and (_same(line, title) or _is_byline(line, author)):
            continue  # headline or byline repeated at the top: metadata, not body
        rule = next((r for r in rules.paragraphs if len(line) <= r.max_chars and r.regex.match(line)), None)
        if rule is None:
            kept.append(line)
        else:
            removed.append(RemovedBlock(rule.kind, line[: rules.record_max_chars], rule.id))
    return kept, removed


def _is_byline(line: str, author: str | None) -> bool:
    if not author or len(line) > 120:
        return False
    low = line.casefold()
    return low.startswith(("by ", "von ")) and author.split(";")[0].strip().casefold() in low


def extract_body(tree: HtmlElement, url: str | None = None) -> str:
    """Run trafilatura's main-text extraction on an (already pruned) tree; '' when nothing."""
    from trafilatura import bare_extraction

    doc = bare_extraction(tree, url=url, include_comments=False, with_metadata=False)
    text = getattr(doc, "text", None) if doc is not None else None
    return text or ""


# --------------------------------------------------------------------------- metadata


def _clean_author(
    raw: str | None, rules: Rules, site: str | None = None, url: str | None = None
) -> str | None:
    """Split on ; / and / und, strip byline junk, drop parts that are not person names.

    In a multi-part field, a part that names the site itself ("Ernst Lohoff; Jungle World") is
    dropped too.
    """
    if not raw:
        return None
    names: list[str] = []
    parts = re.split(r";|\s+(?:and|und|&)\s+", _fix_mojibake(raw))
    rejects = rules.author_reject + (rules.author_reject_in_list if len(parts) > 1 else ())
    host = _host_key(url)
    for part in parts:
        name = part
        for pattern in rules.author_strip:
            name = pattern.sub("", name)
        name = _squash(name).strip(" ,.-–:'\"")
        if not name or any(p.match(name) for p in rejects) or name in names:
            continue
        if len(parts) > 1 and _site_like(name, site, host):
            continue
        names.append(name)
    return "; ".join(names) or None


def _site_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _host_key(url: str | None) -> str:
    host = urlsplit(url or "").hostname or ""
    labels = [x for x in host.split(".") if x not in ("www", "m", "amp")]
    return _site_key(labels[-2]) if len(labels) >= 2 else ""


def _site_like(segment: str, site: str | None, host: str) -> bool:
    """A title segment that names the site: its name, its host, a domain or a date stamp."""
    key = _site_key(segment)
    if not key:
        return False
    site_key = _site_key(site or "")
    if site_key and (key == site_key or (len(site_key) >= 4 and (site_key in key or key in site_key))):
        return True
    if host and len(host) >= 4 and host in key:
        return True
    return bool(_DOMAIN_LIKE.fullmatch(segment.strip()) or _STAMP.search(segment))


def _clean_title(title: str | None, site: str | None, url: str | None) -> str | None:
    """Drop a leading or trailing site-name segment ("Headline - Site", "SITE | Headline")."""
    if not title:
        return None
    parts, seps = _TITLE_SEP.split(title), _TITLE_SEP.findall(title)
    if len(parts) < 2:
        return title
    host = _host_key(url)
    if _site_like(parts[-1], site, host):
        parts, seps = parts[:-1], seps[:-1]
    elif _site_like(parts[0], site, host):
        parts, seps = parts[1:], seps[1:]
    else:
        return title
    joined = parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=True))
    return joined.strip() or title


def _language(tree: HtmlElement) -> str | None:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += tree.xpath(
        "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')='content-language']/@content"
        "|//meta[@property='og:locale']/@content"
    )
    for value in candidates:
        match = _LANG.match((value or "").strip().lower())
        if match:
            return match.group(1)
    return None


def _day(value: str | None) -> dt.date | None:
    match = _ISO_DAY.search(value or "")
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _url_date(url: str | None) -> tuple[str | None, str | None]:
    """(``YYYY-MM``, ``DD`` or None) from the page URL's path, e.g. ``/2019/11/19/``."""
    match = _URL_DATE.search(_ARCHIVE_PREFIX.sub("", url or ""))
    if not match:
        return None, None
    return f"{match[1]}-{match[2]}", match[3]


def _valid(day: dt.date | None, url_month: str | None) -> bool:
    """Not in the future and, when the URL names a month, inside that month."""
    if day is None or day > dt.date.today():
        return False
    return url_month is None or day.isoformat()[:7] == url_month


def _pick_date(tree: HtmlElement, url: str | None, meta_date: str | None) -> DateValue | None:
    """Publication date: trafilatura's (htmldate, original date), checked against the evidence.

    A date in the future is rejected. A date outside the year-month the URL names, or a bare
    1 January (a copyright year, not a day), is doubted: htmldate is then asked for the page's
    other dates (``original_date=False``) and one that fits the evidence wins; then the URL's
    own full date; then the doubted date itself (URL folders can be a month off).
    """
    url_month, url_day = _url_date(url)
    day = _day(meta_date)
    if _valid(day, url_month) and not (day and day.month == day.day == 1):
        return DateValue(day.isoformat(), "day") if day else None
    from htmldate import find_date

    other = _day(
        find_date(
            tree, url=url, extensive_search=True, original_date=False, max_date=dt.date.today().isoformat()
        )
    )
    for candidate in (other, day):
        if _valid(candidate, url_month) and candidate is not None:
            return DateValue(candidate.isoformat(), "day")
    if url_month and url_day and (fallback := _day(f"{url_month}-{url_day}")) and _valid(fallback, None):
        return DateValue(fallback.isoformat(), "day")
    for candidate in (day, other):  # the URL's month is a hint, not a veto: keep a dated page dated
        if _valid(candidate, None) and candidate is not None:
            return DateValue(candidate.isoformat(), "day")
    return None


def _metadata(tree: HtmlElement, url: str | None, rules: Rules) -> Metadata:
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    meta = extract_metadata(tree, default_url=url, date_config=set_date_params(True))
    site = _fix_mojibake(_squash(meta.sitename)) or None
    title = _clean_title(_fix_mojibake(_squash(meta.title)), site, url or meta.url) or None
    return Metadata(
        title=title,
        author=_clean_author(meta.author, rules, site, url or meta.url),
        site=site,
        url=url or meta.url,
        published=_pick_date(tree, url, meta.date),
        language=_language(tree),
    )


# --------------------------------------------------------------------------- entry point


def clean_html(html: str, url: str | None = None) -> CleanResult:
    """Main text, metadata and removed boilerplate of one HTML page.

    Paragraphs of ``text`` are separated by one blank line. An empty or unparsable page gives an
    empty text (the caller turns that into ``E_EXTRACT_EMPTY``); this function does not raise on
    bad pages.
    """
    tree = parse_html(html)
    if tree is None:
        return CleanResult(text="", metadata=Metadata(url=url))
    rules = load_rules()
    meta = _metadata(tree, url, rules)
    removed = _prune(tree, rules)
    raw = _fix_mojibake(extract_body(tree, url))
    lines = [line for line in (_squash(x) for x in raw.split("\n")) if line]
    kept, dropped = _filter_paragraphs(lines, rules, meta.title, meta.author)
    return CleanResult(text="\n\n".join(kept), removed=tuple(removed + dropped), metadata=meta)
