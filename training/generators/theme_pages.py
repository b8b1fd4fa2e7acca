"""Farm copies on the chrome of publishing themes the model never saw: a template family to measure with.

Written after the shipped model (2026-12-07, issue #28) and used by no training generator, so what it
measures is whether farm residue is recognised on chrome built differently from the trained templates. Each
theme's strings are the ones it prints on an article page (quoted exactly: they are facts about the
theme, not corpus text): tagDiv's Newspaper (the comment form's validation lines, "Share post:", "More like
this" teasers), JNews, TieLabs' Jannah and PenciDesign's Soledad.

A page is one article under one theme's chrome with one kind of residue, or none (`RESIDUE_KINDS`); it
renders as the text a copy-paste of the page gives and as HTML with the theme's kind of markup (a comment
form of `<input>` placeholders, share rows of links, teasers in cards). A page without residue is a
chrome-only copy: nothing in it tells it from its original's own page.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

__all__ = ["RESIDUE_KINDS", "THEMES", "ThemePage", "theme_page"]


@dataclass(frozen=True)
class Theme:
    name: str
    share: tuple[str, ...]  # the share row: a label, then networks
    form: tuple[str, ...]  # the comment form's lines, in page order
    placeholders: tuple[str, ...]  # the form's input placeholders (HTML only: a copy-paste loses them)
    submit: str
    related_heading: str
    previous: str
    next: str
    teaser_suffix: str  # what a teaser adds to a headline ("" for none)
    footer: str


THEMES: tuple[Theme, ...] = (
    Theme("newspaper", ("Share post:", "Facebook", "Twitter", "Pinterest", "WhatsApp"),
          ("LEAVE A REPLY", "Cancel reply", "Please enter your comment!", "Please enter your name here",
           "You have entered an incorrect email address!", "Please enter your email address here",
           "Save my name, email, and website in this browser for the next time I comment."),
          ("Comment:", "Name:*", "Email:*", "Website:"), "Post Comment", "More like this", "Previous article",
          "Next article", " has been...", "© Newspaper WordPress Theme by TagDiv"),
    Theme("jnews", ("Share on Facebook", "Share on Twitter"),
          ("Discussion about this post",), ("Leave a comment",), "Submit", "Recommended", "Previous Post",
          "Next Post", "", "© 2026 JNews - Premium WordPress news & magazine theme by Jegtheme."),
    Theme("jannah", ("Share", "Facebook", "X", "LinkedIn", "Tumblr", "Pinterest", "Reddit", "VKontakte",
                     "Share via Email", "Print"),
          ("Leave a Reply", "Cancel reply",
           "Your email address will not be published. Required fields are marked *"),
          ("Name *", "Email *", "Website"), "Post Comment", "Related Articles", "Check Also", "Back to top button",
          "", "Close"),
    Theme("soledad", ("Facebook", "Twitter", "Pinterest", "Email"),
          ("Leave a reply", "Cancel reply", "Comment", "Save my name, email, and website in this browser for the "
           "next time I comment."),
          ("Name*", "Email*", "Website"), "Submit", "You May Also Like", "Previous Post", "Next Post", "",
          "@2026 - All Right Reserved. Designed and Developed by PenciDesign"),
)

# What a farm adds, or nothing. "Source link" is the autoblog plugin's footer link (the trained wording);
# "Source link <headline>" is the same link with the scraped headline beside it; the feed footer credits
# the scraped site; "Source: <site>" is a scraper's attribution line.
RESIDUE_KINDS = ("none", "source_link", "source_link_headline", "feed_footer", "source_line")


@dataclass(frozen=True)
class ThemePage:
    theme: str
    residue: str
    text: str
    html: str


def theme_page(title: str, paragraphs: list[str], teasers: list[str], theme: Theme, residue: str,
               rng: random.Random) -> ThemePage:
    """One article under `theme`'s chrome with `residue` ("none": a chrome-only copy)."""
    site = rng.choice(("Daily Wire Hub", "News Pulse Today", "Trend Report 24", "World Brief Now"))
    credited = rng.choice(("bbc.co.uk", "BBC News", "reuters.com", "The Independent"))
    residue_line = {
        "none": "",
        "source_link": "Source link",
        "source_link_headline": f"Source link {title}",
        "feed_footer": f"The post {title} appeared first on {credited}.",
        "source_line": f"Source: {credited}",
    }[residue]
    teaser_lines = [t + theme.teaser_suffix for t in teasers] if theme.teaser_suffix else list(teasers)
    text_lines = [site, title, f"By {rng.choice(('Staff Writer', 'News Desk', 'Editor'))}", *paragraphs]
    if residue_line:
        text_lines.append(residue_line)
    text_lines += [*theme.share, theme.previous, teasers[0], theme.next, teasers[1], *theme.form,
                   theme.related_heading, *teaser_lines, theme.footer]
    return ThemePage(theme.name, residue, "\n\n".join(text_lines),
                     _html(site, title, paragraphs, residue_line, teasers, teaser_lines, theme))


def _html(site: str, title: str, paragraphs: list[str], residue_line: str, teasers: list[str],
          teaser_lines: list[str], theme: Theme) -> str:
    e = html.escape
    body = "".join(f"<p>{e(p)}</p>" for p in paragraphs)
    if residue_line.startswith("Source link"):
        rest = residue_line[len("Source link"):].strip()
        body += f'<p><a href="https://example.org/story" rel="nofollow">Source link</a> {e(rest)}</p>'
    elif residue_line:
        body += f"<p>{e(residue_line)}</p>"
    share = "".join(f"<a href='#'>{e(s)}</a>" for s in theme.share)
    form = "".join(f"<p>{e(line)}</p>" for line in theme.form)
    inputs = "".join(f"<input type='text' placeholder='{e(p)}'>" for p in theme.placeholders)
    cards = "".join(f"<div class='card'><h3><a href='#'>{e(t)}</a></h3>"
                    + (f"<p>{e(line)}</p>" if line != t else "") + "</div>" for t, line in zip(teasers, teaser_lines))
    return (
        f"<!DOCTYPE html><html><head><title>{e(title)} - {e(site)}</title>"
        f"<meta property='og:site_name' content='{e(site)}'></head><body class='theme-{theme.name}'>"
        f"<header><a href='/'>{e(site)}</a><nav><a>Home</a><a>World</a><a>Business</a></nav></header>"
        f"<article><h1>{e(title)}</h1><div class='meta'>By <a>Staff Writer</a></div>"
        f"<div class='entry-content'>{body}</div></article>"
        f"<div class='share'>{share}</div>"
        f"<div class='post-nav'><a>{e(theme.previous)} {e(teasers[0])}</a><a>{e(theme.next)} {e(teasers[1])}</a></div>"
        f"<div id='comments'>{form}<form>{inputs}<input type='submit' value='{e(theme.submit)}'></form></div>"
        f"<aside><h4>{e(theme.related_heading)}</h4>{cards}</aside>"
        f"<footer>{e(theme.footer)}</footer></body></html>"
    )
