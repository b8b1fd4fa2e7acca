"""Real site chrome for training and measuring: real pages as originals, and articles transplanted into them.

A farm copy and a legitimate article page share almost all of their chrome: menus, newsletter boxes,
comment forms, "Most read" lists of unrelated stories, share buttons, bylines. What a farm *adds* is
residue of how the copy was made: the scraper's attribution ("Source link"), the RSS footer that came
with the feed item ("The post ... appeared first on ..."), a placeholder byline ("By admin"), unspun
spintax, unrendered template placeholders ("%d bloggers like this:"), an auto-import disclaimer.

So every real page (`pages/real-pages.jsonl`, split by site) yields
- itself, as HTML and as its extracted text with some of its chrome lines: originals;
- `transplant`s: the page with its article's paragraphs replaced by another (news) article, chrome kept.
  Without residue such a page is an original (its only oddity is its chrome); with residue it is a copy.

The same template with and without residue is the contrast the classifier must learn. Residue comes in
pools of different wording: `TRAINED_RESIDUE` trains; `HELDOUT_RESIDUE` and `UNSEEN_RESIDUE` only measure
(their phrasings appear nowhere in the training generators), so the figures say whether residue is
recognised beyond the strings we wrote. `HELDOUT_RESIDUE` was known when the registry's version-2
signatures were written; `UNSEEN_RESIDUE` (kinds no training pool has) was written after, and is the
honest figure. The strings a plugin prints ("%d bloggers like this:", "Source link") are quoted exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import lxml.etree
import lxml.html

from spindetect.io import Page, extract_page

from .documents import Article
from .page_templates import (
    byline_admin_block,
    comment_form_block,
    date_string,
    pick,
    rss_footer_block,
    site_identity,
    source_link_block,
    spintax_block,
)

# A container is the article when its direct <p> children hold at least this many words.
MIN_CONTAINER_WORDS = 60
# Direct children of the article container that belong to the replaced story (its subheads, quotes,
# pictures with captions, inline lists) and are removed with its paragraphs.
_STORY_CHILD_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "ul", "ol", "pre"})
# The transplanted article must be what the extractor finds: at least this share of its words.
MIN_EXTRACTED_SHARE = 0.6
# Chrome lines a text scrape keeps around the article (a copy-paste of the rendered page).
MAX_HEAD_CHROME_LINES = 6
MAX_TAIL_CHROME_LINES = 14


@dataclass(frozen=True)
class RealPage:
    id: str
    site: str
    split: str
    html: str
    kind: str = ""


@dataclass(frozen=True)
class Residue:
    """What a farm adds: lines at the top of the article, lines after it, and a trailing form."""

    kinds: tuple[str, ...]
    top: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    form: tuple[str, ...] = ()


# ============================================================================================ residue pools


def _trained_rss(rng: random.Random, title: str) -> list[str]:
    site, domain = site_identity(rng)
    return list(rss_footer_block(rng, title, site, domain).lines)


def _trained_attribution(rng: random.Random, title: str) -> list[str]:
    return list(source_link_block(rng, site_identity(rng)[1]).lines)


def _trained_spintax(rng: random.Random, title: str) -> list[str]:
    return list(spintax_block(rng, site_identity(rng)[0]).lines)


def _trained_placeholder(rng: random.Random, title: str) -> list[str]:
    # Jetpack's like widget prints "%d bloggers like this:" when its count was never filled in.
    return [
        pick(rng, ("%d bloggers like this:", "{{post_title}}", "%%sitename%%", "[insert_php]", "{title}"))
    ]


def _trained_disclaimer(rng: random.Random, title: str) -> list[str]:
    return [pick(rng, (
        "This story has not been edited by our staff and is auto-generated from a syndicated feed.",
        "Disclaimer: this article was automatically aggregated. We do not own the content.",
        "All content is auto-published from third-party sources."))]


def _heldout_rss(rng: random.Random, title: str) -> list[str]:
    site, domain = site_identity(rng)
    return [pick(rng, (f"{title} first appeared on {site}.", f"Read the full post {title} at {domain}",
                       f"This entry was originally posted on {domain}.",
                       f"Continue reading {title} on {site}"))]


def _heldout_attribution(rng: random.Random, title: str) -> list[str]:
    domain = site_identity(rng)[1]
    return [pick(rng, (f"Original article: https://{domain}/{rng.randint(1000, 99999)}",
                       f"Article courtesy of {domain}", f"Content sourced from {domain}",
                       f"Story credit: {domain}"))]


def _heldout_byline(rng: random.Random, title: str) -> list[str]:
    return [pick(rng, ("Posted by: newsbot", "Author: autopost", "By Site Editor",
                       f"Submitted by robot on {date_string(rng)}"))]


def _heldout_placeholder(rng: random.Random, title: str) -> list[str]:
    return [pick(rng, ("[post_title]", "%%excerpt%%", "{{ article.author }}", "$POST_DATE$"))]


# Written after the version-2 signatures (which were designed knowing HELDOUT_RESIDUE), and never looked
# at while designing features: the honest held-out measure of residue recognition.
def _unseen_excerpt(rng: random.Random, title: str) -> list[str]:
    return [
        pick(rng, ("[\u2026]", "[...]", "(\u2026)")),
        pick(rng, ("Continue reading \u2192", "Keep reading", "Full text \u00bb")),
    ]


def _unseen_tags(rng: random.Random, title: str) -> list[str]:
    words = [w.strip(",.'\"").lower() for w in title.split() if len(w) > 4][:2] or ["world"]
    return [
        f"{pick(rng, ('Keywords', 'Topics', 'Trending'))} - {words[0]} news, latest {words[0]} news, "
        f"{words[-1]} today, breaking news, news update, viral"
    ]


def _unseen_dateline(rng: random.Random, title: str) -> list[str]:
    city = pick(rng, ("LAGOS", "MUMBAI", "MANILA", "DUBAI", "KARACHI", "NAIROBI"))
    return [f"{city}, {date_string(rng)} ({site_identity(rng)[1]}) -"]


ResidueLine = Callable[[random.Random, str], list[str]]
# kind -> (where the lines go, how they read)
TRAINED_RESIDUE: dict[str, tuple[str, ResidueLine]] = {
    "rss_footer": ("after", _trained_rss),
    "attribution": ("after", _trained_attribution),
    "byline_admin": ("top", lambda rng, title: list(byline_admin_block(rng).lines)),
    "spintax": ("top", _trained_spintax),
    "placeholder": ("after", _trained_placeholder),
    "disclaimer": ("after", _trained_disclaimer),
}
HELDOUT_RESIDUE: dict[str, tuple[str, ResidueLine]] = {
    "rss_footer": ("after", _heldout_rss),
    "attribution": ("after", _heldout_attribution),
    "byline_admin": ("top", _heldout_byline),
    "placeholder": ("after", _heldout_placeholder),
}


UNSEEN_RESIDUE: dict[str, tuple[str, ResidueLine]] = {
    "excerpt_cut": ("after", _unseen_excerpt),
    "tag_stuffing": ("after", _unseen_tags),
    "foreign_dateline": ("top", _unseen_dateline),
}


def farm_residue(rng: random.Random, title: str, pool: dict[str, tuple[str, ResidueLine]]) -> Residue:
    """One to three residue kinds from a pool, and (half the time) an empty comment form left with them."""
    kinds = tuple(sorted(rng.sample(sorted(pool), rng.randint(1, min(3, len(pool))))))
    top: list[str] = []
    after: list[str] = []
    for kind in kinds:
        where, make = pool[kind]
        (top if where == "top" else after).extend(make(rng, title))
    form = tuple(comment_form_block(rng).lines) if rng.random() < 0.5 else ()
    return Residue(kinds + (("comment_form",) if form else ()), tuple(top), tuple(after), form)


NO_RESIDUE = Residue(())


# ============================================================================================ transplanting


def _is_tag(element, tags: frozenset[str]) -> bool:
    return isinstance(element.tag, str) and element.tag.lower() in tags


def _article_container(tree: lxml.html.HtmlElement):
    """The element whose direct <p> children hold the most words: the story's body on nearly every
    template (content-density heuristics, as in Kohlschütter et al. 2010, reduced to their simplest)."""
    best, best_words = None, 0
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        words = sum(
            len(child.text_content().split()) for child in element if _is_tag(child, frozenset({"p"}))
        )
        if words > best_words:
            best, best_words = element, words
    return best if best_words >= MIN_CONTAINER_WORDS else None


def _element(tag: str, text: str, **attributes: str):
    element = lxml.html.Element(tag, **attributes)
    element.text = text
    return element


def transplant(page_html: str, article: Article, residue: Residue = NO_RESIDUE) -> str | None:
    """`page_html` with its story replaced by `article` (chrome kept) and `residue` added; None when the
    page has no recognisable article container."""
    try:
        tree = lxml.html.document_fromstring(page_html)
    except (lxml.etree.ParserError, ValueError):
        return None
    container = _article_container(tree)
    if container is None:
        return None
    story = [child for child in container if _is_tag(child, _STORY_CHILD_TAGS)]
    position = container.index(story[0])
    for child in story:
        child.drop_tree()
    new = [_element("p", line, **{"class": "byline"}) for line in residue.top]
    new += [_element("p", paragraph) for paragraph in article.paragraphs]
    new += [_element("p", line) for line in residue.after]
    for offset, element in enumerate(new):
        container.insert(position + offset, element)
    if residue.form:
        form = lxml.html.Element("div", id="respond", **{"class": "comment-respond"})
        form.append(_element("h3", residue.form[0]))
        inner = lxml.html.Element("form", action="#", method="post")
        for line in residue.form[1:]:
            inner.append(_element("p", line))
        form.append(inner)
        container.addnext(form)
    _retitle(tree, article.title)
    return lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _retitle(tree: lxml.html.HtmlElement, title: str) -> None:
    for found in (tree.xpath("//head/title")[:1], tree.xpath("//h1")[:1]):
        for element in found:
            for child in list(element):
                child.drop_tree()
            element.text = title


def usable_template(page: RealPage, probe: Article) -> bool:
    """Whether transplanting into this page gives a page whose extracted text is the new article."""
    transplanted = transplant(page.html, probe)
    if transplanted is None:
        return False
    extracted = set(extract_page(transplanted).text.split())
    words = probe.body.split()
    return bool(words) and sum(w in extracted for w in words) / len(words) >= MIN_EXTRACTED_SHARE


# ============================================================================================ text scrapes


def chrome_lines(extracted: Page) -> tuple[list[str], list[str]]:
    """An extracted page's chrome as a reader sees it: the part above its article, and the part below."""
    text_keys = {line.strip().casefold() for line in extracted.text.split("\n") if line.strip()}
    furniture = list(extracted.furniture)
    # The furniture is in page order, but where the article sat among it is not kept: menus and mastheads
    # are taken to be its first third. (The test for a furniture line equal to a main-text line fires on one
    # real page only, a "* * *" separator; it stays so that the shipped model's corpus is rebuilt byte for
    # byte.)
    cut = next((i for i, line in enumerate(furniture) if line.strip().casefold() in text_keys), None)
    if cut is None:
        cut = len(furniture) // 3
    return furniture[:cut], furniture[cut:]


def text_scrape(
    article: Article, head: list[str], tail: list[str], residue: Residue, rng: random.Random
) -> str:
    """The page as a copy-paste scrape: some chrome above, the article with its residue, chrome below."""
    above = _window(head, MAX_HEAD_CHROME_LINES, rng, from_end=True)
    below = _window(tail, MAX_TAIL_CHROME_LINES, rng, from_end=False)
    chunks = ["\n".join(above)] if above else []
    chunks += [article.title, "\n".join(residue.top), *article.paragraphs, "\n".join(residue.after)]
    if below:
        chunks.append("\n".join(below))
    if residue.form:
        chunks.append("\n".join(residue.form))
    return "\n\n".join(chunk for chunk in chunks if chunk.strip())


def _window(lines: list[str], limit: int, rng: random.Random, *, from_end: bool) -> list[str]:
    if not lines or rng.random() < 0.2:
        return []
    size = rng.randint(1, min(limit, len(lines)))
    if from_end:
        return lines[-size:]
    start = rng.randint(0, max(0, min(len(lines) - size, 6)))
    return lines[start : start + size]


def iter_pages(rows, split_of_site: Callable[[str], str]) -> Iterator[RealPage]:
    for row in rows:
        yield RealPage(row["id"], row["site"], split_of_site(row["site"]), row["html"], row.get("kind", ""))
