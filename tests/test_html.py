"""extract_page: article text, dropped furniture, title; robust and bounded on hostile input."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.text import Document
from spindetect.features.boilerplate import Boilerplate
from spindetect.io._html import MAX_HTML_CHARS, Page, extract_page, plain_text_fallback

_ARTICLE_PARAGRAPHS = [
    ("The harbour authority confirmed on Monday that the old grain pier will close for repairs next spring, "
     "after divers found cracks in several of the wooden piles that hold up its northern end."),
    ("Engineers said the pier had carried lorries for almost ninety years and that the timber had simply "
     "reached the end of its life, although regular inspections had kept it safe until now."),
    ("Fishing crews who use the pier to land their catch will be moved to the eastern quay while the work "
     "is carried out, a change the authority says should add no more than ten minutes to their day."),
    ("The repairs are expected to cost about four million pounds and will be paid for from the harbour's "
     "own maintenance reserve rather than from local taxes, according to the published budget papers."),
]

FARM_PAGE = f"""<!DOCTYPE html>
<html><head><title>Old grain pier to close for repairs | Daily Buzz Hub</title>
<script>window.dataLayer = [];</script><style>.x {{ color: red }}</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/tech">Tech</a></li></ul></nav>
<article>
<h1>Old grain pier to close for repairs</h1>
<div class="meta">Posted by admin | <a href="/c/uncategorized">Uncategorized</a></div>
{''.join(f'<p>{p}</p>' for p in _ARTICLE_PARAGRAPHS)}
<p class="src"><a href="https://example.org/pier">Source link</a></p>
</article>
<div class="sharedaddy"><h3>Spread the word:</h3><ul><li><a>Facebook</a></li><li><a>Twitter</a></li><li><a>Reddit</a></li></ul></div>
<div class="related"><h3>Stories you might like</h3><ul>
<li><a href="/a">Seven celebrity workouts that stunned their fans</a></li>
<li><a href="/b">Why your cat ignores you when you call its name</a></li>
<li><a href="/c">The best budget phones of the year compared</a></li></ul></div>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Write a Comment</h3>
<form id="commentform"><p class="comment-notes">Your e-mail will never be published. Required fields are indicated *</p>
<p><label for="author">Your Name *</label> <input id="author" name="author" type="text"></p>
<p><label for="email">E-mail *</label> <input id="email" name="email" type="email"></p>
<p><label for="url">Website</label> <input id="url" name="url" type="url"></p>
<p><label for="comment">Message</label> <textarea id="comment" name="comment">type here</textarea></p>
<p class="form-submit"><input name="submit" type="submit" value="Submit Comment"><input type="hidden" value="secret"></p>
</form></div>
<div style="display:none">Invisible tracking text</div>
<footer><p>Copyright 2024 Daily Buzz Hub</p></footer>
</body></html>"""


def test_farm_page_article_goes_to_text_and_comment_form_to_furniture() -> None:
    page = extract_page(FARM_PAGE)
    for paragraph in _ARTICLE_PARAGRAPHS:
        assert paragraph in page.text
    assert "\n\n" in page.text  # paragraphs separated by blank lines
    for dropped in ("Write a Comment", "Submit Comment", "Your Name *", "Website", "Source link", "Facebook"):
        assert dropped not in page.text
        assert dropped in page.furniture
    assert page.title.startswith("Old grain pier")


def test_furniture_excludes_invisible_content_and_the_article() -> None:
    page = extract_page(FARM_PAGE)
    joined = "\n".join(page.furniture)
    for invisible in ("dataLayer", "color: red", "type here", "secret", "Invisible tracking text"):
        assert invisible not in joined
    for paragraph in _ARTICLE_PARAGRAPHS:
        assert paragraph not in page.furniture
    assert all(line == " ".join(line.split()) and line for line in page.furniture)


def test_farm_page_furniture_feeds_the_boilerplate_features() -> None:
    page = extract_page(FARM_PAGE)
    doc = Document(id="farm", text=page.text, furniture=page.furniture, is_html=True)
    values = Boilerplate().extract(doc).values
    assert values["comment_form"] == 1.0
    assert values["sig_comment_form"] >= 2
    assert values["sig_attribution"] >= 1
    assert values["sig_generic_byline"] >= 1
    assert values["unrelated_headline_lines"] >= 2


def test_fallback_article_when_the_extractor_is_not_used() -> None:
    # Deeper than MAX_EXTRACTOR_DEPTH: the article comes from the prose blocks of the iterative walk.
    prose = " ".join(_ARTICLE_PARAGRAPHS[:2])
    html = "<div>" * 300 + f"<p>{prose}</p><p>Menu</p>" + "</div>" * 300
    page = extract_page(html)
    assert page.text == prose
    assert page.furniture == ("Menu",)


def _deep(depth: int) -> str:
    return "<div>" * depth + "<p>Deep inside the page there is a sentence.</p>" + "</div>" * depth


@pytest.mark.parametrize(
    ("html", "expected_in_text"),
    [
        ("", ""),
        ("   \n\t ", ""),
        (_deep(20_000), "Deep inside the page"),
        (_deep(1_000), ""),
        ("<html><body><script>" + "var a = 1;" * 200_000 + "</script></body></html>", ""),
        ("<html><body><script>" + "x" * 2_100_000 + "</script><p>After the script.</p></body></html>", "After the script."),
        ("<p>unclosed <b>bold <div><table><tr><td>cell</p></span></html>", "unclosed bold"),
        ("Just a sentence of plain text, no markup anywhere.", "Just a sentence of plain text"),
        ("<" * 500_000, ""),
        ("<script>" * 100_000, ""),
        ("<?xml version='1.0' encoding='utf-8'?><html><body><p>Declared text.</p></body></html>", "Declared text."),
        ("<p>nul \x00 byte</p>", "nul"),
        ("<p>" + "word " * 600_000 + "</p>", "word word"),
    ],
    ids=["empty", "whitespace", "deep-20000", "deep-1000", "script-2MB", "oversized-script", "broken", "plain-text",
         "angle-brackets", "unclosed-scripts", "xml-declaration", "nul", "huge-paragraph"],
)
def test_hostile_inputs_are_bounded_and_never_raise(html: str, expected_in_text: str) -> None:
    page = extract_page(html)
    assert isinstance(page, Page)
    assert expected_in_text in page.text
    assert len(page.text) <= MAX_HTML_CHARS
    assert len(page.furniture) <= 2_000


def test_oversized_input_is_marked_truncated() -> None:
    page = extract_page("<p>" + "a " * (MAX_HTML_CHARS) + "</p>")
    assert page.truncated
    assert not extract_page("<p>small</p>").truncated


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("", ""),
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ("<script>hidden()</script>Shown", "Shown"),
        ("<style>a{}</style><div>Block</div>tail", "Block\n\ntail"),
        ("<script>never closed", ""),
        ("a < b and c > d", "a < b and c > d"),
    ],
)
def test_plain_text_fallback(html: str, expected: str) -> None:
    assert plain_text_fallback(html) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("<>/=\"' abcdipv&;#!-\n") + ["<p>", "</div>", "<script>", "<!--", "<?xml"]),
                max_size=200).map("".join))
def test_any_markup_soup_gives_a_page(html: str) -> None:
    page = extract_page(html)
    assert isinstance(page.text, str) and isinstance(page.furniture, tuple)
