"""clean_html on small hand-written pages: boilerplate stays out, metadata comes out clean."""

from __future__ import annotations

import datetime as dt

import pytest

from narrascope.clean.html import _clean_author, _clean_title, clean_html, load_rules
from narrascope.model import RemovedBlock
from narrascope.model.document import REMOVED_KINDS

PARAS = [
    "The regional council of Quillfield approved the repair of the old river bridge on Tuesday "
    "evening after a long debate about the cost of the steel frame and the schedule of the works.",
    "Engineers told the council that the bridge had been closed to heavy traffic since the spring "
    "floods, and that the ferry service could not carry the extra passengers much longer.",
    "The mayor said the town would ask the regional fund for half of the money and would cover the "
    "rest from the reserve that had been set aside for the harbour wall in earlier years.",
    "Residents who spoke at the meeting welcomed the vote but asked for a footpath to stay open "
    "during the works, so that children can still walk to the school on the far bank.",
]


def page(
    inner: str = "",
    head: str = "",
    after: str = "",
    before: str = "",
    title: str = "Council approves bridge repair",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<html lang='en-GB'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
        f"{before}<article><h1>{title}</h1>{inner}{body}</article>{after}</body></html>"
    )


def test_plain_article_paragraphs_are_separated_by_blank_lines() -> None:
    res = clean_html(page())
    assert res.text.split("\n\n") == PARAS
    assert res.metadata.language == "en"
    assert res.metadata.title == "Council approves bridge repair"


def test_headline_is_metadata_not_body() -> None:
    res = clean_html(page())
    assert not res.text.startswith("Council approves")


def test_cookie_wall_is_removed_and_recorded() -> None:
    banner = (
        "<div class='consent-overlay'><p>We use cookies to personalise content and ads and to "
        "analyse our traffic.</p><button>Accept all</button><button>Reject</button></div>"
    )
    res = clean_html(page(before=banner))
    assert "We use cookies" not in res.text
    assert "Accept all" not in res.text
    assert PARAS[0] in res.text
    kinds = {b.kind for b in res.removed}
    assert "cookie_banner" in kinds


def test_cookie_text_without_telltale_class_is_removed() -> None:
    banner = (
        "<div class='box-7'><span>This website uses cookies to improve your experience.</span><a>OK</a></div>"
    )
    res = clean_html(page(before=banner))
    assert "uses cookies" not in res.text
    assert any(b.rule == "text-consent" for b in res.removed)


def test_comment_thread_does_not_leak() -> None:
    thread = (
        "<section id='comments'><h3>42 Comments</h3>"
        "<div class='comment'><b>riverfan</b><p>About time they fixed that bridge, it has been a "
        "disgrace for years and nobody listened to us.</p></div>"
        "<div class='comment'><b>oldtimer</b><p>I remember when the ferry was free for everyone in "
        "town and nobody complained about the crossing.</p></div></section>"
    )
    res = clean_html(page(after=thread))
    assert "disgrace" not in res.text
    assert "ferry was free" not in res.text
    assert PARAS[-1] in res.text
    assert any(b.kind == "comments" for b in res.removed)


def test_related_links_list_does_not_leak() -> None:
    related = (
        "<div class='related-articles'><h4>Related stories</h4><ul>"
        "<li><a href='/a'>Harbour wall repairs delayed again by storms</a></li>"
        "<li><a href='/b'>Ferry timetable changes for the spring season</a></li></ul></div>"
    )
    res = clean_html(page(inner=related))
    assert "Harbour wall repairs delayed" not in res.text
    assert any(b.kind == "related_links" for b in res.removed)


def test_read_more_paragraph_is_post_filtered() -> None:
    inline = "<p>Read more: Ferry timetable changes for the spring season</p>"
    res = clean_html(page(inner=inline))
    assert "Read more" not in res.text
    assert any(b.rule == "para-related" for b in res.removed)


def test_meta_tags_give_author_and_date() -> None:
    head = (
        "<meta name='author' content='By Daniel Okafor'>"
        "<meta property='article:published_time' content='2024-03-12T18:00:00Z'>"
        "<meta property='og:site_name' content='Quillfield Courier'>"
    )
    res = clean_html(page(head=head), url="https://courier.example/news/bridge")
    meta = res.metadata
    assert meta.author == "Daniel Okafor"
    assert meta.published is not None
    assert (meta.published.value, meta.published.precision) == ("2024-03-12", "day")
    assert meta.site == "Quillfield Courier"
    assert meta.url == "https://courier.example/news/bridge"


def test_visible_byline_and_date() -> None:
    byline = "<p class='byline'>By <span class='author'>Mira Holt</span></p><time datetime='2023-11-05'>5 November 2023</time>"
    res = clean_html(page(inner=byline))
    assert res.metadata.author == "Mira Holt"
    assert res.metadata.published is not None
    assert res.metadata.published.value == "2023-11-05"


def test_future_date_is_rejected() -> None:
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    head = f"<meta property='article:published_time' content='{future}'>"
    res = clean_html(page(head=head))
    assert res.metadata.published is None or res.metadata.published.value <= dt.date.today().isoformat()


def test_author_junk_is_cleaned() -> None:
    head = "<meta name='author' content='Mira Holt Email the author'>"
    res = clean_html(page(head=head))
    assert res.metadata.author == "Mira Holt"


def test_mojibake_title_is_repaired() -> None:
    broken = "Café reopens after ‘floods’".encode().decode("cp1252")
    assert broken != "Café reopens after ‘floods’"
    res = clean_html(page(title=broken))
    assert res.metadata.title == "Café reopens after ‘floods’"


@pytest.mark.parametrize("html", ["", "   ", "<html><body></body></html>"])
def test_empty_page_gives_empty_text(html: str) -> None:
    res = clean_html(html)
    assert res.text == ""
    assert res.removed == ()


def test_removed_kinds_are_from_the_contract() -> None:
    rules = load_rules()
    kinds = {r.kind for r in rules.attributes + rules.texts + rules.paragraphs}
    kinds |= {kind for _, kind in rules.tags.values()}
    assert kinds <= set(REMOVED_KINDS)
    assert all(isinstance(b, RemovedBlock) for b in clean_html(page()).removed)


def test_article_body_class_is_never_pruned() -> None:
    html = (
        page()
        .replace("<article>", "<article><div class='article-body pagination-first menu'>")
        .replace("</article>", "</div></article>")
    )
    assert PARAS[1] in clean_html(html).text


def test_output_is_deterministic() -> None:
    html = page(after="<div class='share-bar'>Share on Facebook</div>")
    assert clean_html(html) == clean_html(html)


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Bridge reopens | Quillfield Courier", "Quillfield Courier", None, "Bridge reopens"),
        ("COURIER | Bridge reopens", None, "https://www.courier.example/a", "Bridge reopens"),
        ("Bridge reopens - quillfield-courier.com", None, None, "Bridge reopens"),
        (
            "Bridge reopens - and the ferry stops",
            "Quillfield Courier",
            None,
            "Bridge reopens - and the ferry stops",
        ),
        ("Bridge reopens", "Quillfield Courier", None, "Bridge reopens"),
    ],
)
def test_site_name_segment_is_dropped_from_title(
    title: str, site: str | None, url: str | None, expected: str
) -> None:
    assert _clean_title(title, site, url) == expected


def test_title_suffix_dropped_in_clean_html() -> None:
    head = "<meta property='og:site_name' content='Quillfield Courier'>"
    html = page(head=head).replace("<h1>Council approves bridge repair</h1>", "")
    html = html.replace(
        "<title>Council approves bridge repair</title>",
        "<title>Council approves bridge repair | Quillfield Courier</title>",
    )
    assert clean_html(html).metadata.title == "Council approves bridge repair"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Mira Holt | 4 Minute Read", "Mira Holt"),
        ("Mira Holt Published 12 March 2024", "Mira Holt"),
        ("Mira Holt, 12.03.2024", "Mira Holt"),
        ("Mira Holt and Tom Reyes", "Mira Holt; Tom Reyes"),
        ("Rob Picheta; CNN", "Rob Picheta"),
        ("Redaktion", "Redaktion"),
        ("https://twitter.example/mira", None),
        ("", None),
    ],
)
def test_author_cleaning(raw: str, expected: str | None) -> None:
    assert _clean_author(raw, load_rules()) == expected


def test_author_part_naming_the_site_is_dropped() -> None:
    rules = load_rules()
    assert _clean_author("Mira Holt; Quillfield Courier", rules, "Quillfield Courier") == "Mira Holt"
    assert _clean_author("View all posts by Mira Holt", rules) == "Mira Holt"
    assert _clean_author("Courier Media GmbH; Mira Holt", rules) == "Mira Holt"


def test_article_sentence_inviting_comments_is_kept() -> None:
    sentence = (
        "Surely we left out some of the bridges you love most in this short list, so leave a comment "
        "below and tell us which crossing in town deserves a place next year."
    )
    res = clean_html(page(inner=f"<p>{sentence}</p>"))
    assert sentence in res.text
