"""Saved RSS and Atom feeds as documents: one item per entry, so originals can be indexed from the feeds a
user trusts (`spindetect index add originals wire.rss`) and a feed's items can be scored.

A verbatim copy under ordinary chrome cannot be told from its original's own page by its words; only an
index of originals can catch it. Newsrooms publish their articles as feeds, so a saved feed is the easiest
source of originals. Nothing is fetched: the feed is a file the user saved.

An entry's document is its title and its fullest body: `content:encoded` or Atom `content` when the feed
carries the article, else `description` / `summary` (often only a teaser: an index of teasers holds a
fragment of each original, so save feeds that carry full articles). Its id is the entry's link (what a
`source` record should name), else its guid or Atom id, else `<file>#<n>`. RSS 2.0, RSS 1.0 (RDF) and Atom are read by
element names, whatever their namespace prefixes.

The parser resolves no entities and reads nothing from the network (no XXE), and a file that is not a feed
gives one error record; an entry with no body gives its own error record and the rest of the feed goes on.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import lxml.etree

from ..errors import DocumentError
from ._records import InputItem

__all__ = ["EXPLICIT_FEED_SUFFIXES", "FEED_SUFFIXES", "items_from_feed"]

# Read as feeds wherever they are found; ".xml" only when a file is named explicitly (a directory of
# sitemaps and configs is not a directory of feeds).
FEED_SUFFIXES = frozenset({".rss", ".atom"})
EXPLICIT_FEED_SUFFIXES = FEED_SUFFIXES | {".xml"}
_ENTRY_TAGS = frozenset({"item", "entry"})
_BODY_TAGS = ("encoded", "content", "description", "summary")  # fullest first


def items_from_feed(data: bytes, name: str) -> Iterator[InputItem]:
    """One InputItem per entry of the RSS or Atom feed in `data` (error items for what cannot be read)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        root = None
    if root is None or _local(root.tag) not in ("rss", "feed", "RDF"):
        yield InputItem(name, name, error=DocumentError("not_a_feed", f"{name}: not an RSS or Atom feed"))
        return
    found = 0
    for number, entry in enumerate((e for e in root.iter() if _local(e.tag) in _ENTRY_TAGS), start=1):
        found += 1
        where = f"{name}#{number}"
        title, body, link = _title(entry), _body(entry), _link(entry)
        doc_id = link or _child_text(entry, ("guid", "id")) or where
        if not body.strip():
            yield InputItem(doc_id, where, error=DocumentError("empty", f"{where}: feed entry with no body"))
            continue
        page = (f"<html><head><title>{html.escape(title)}</title></head><body><article>"
                f"<h1>{html.escape(title)}</h1>{body}</article></body></html>")
        yield InputItem(doc_id, where, html=page)
    if not found:
        yield InputItem(name, name, error=DocumentError("no_documents", f"{name}: feed with no entries"))


def _local(tag) -> str:
    return lxml.etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(entry, names: tuple[str, ...]):
    return [child for child in entry if _local(child.tag) in names]


def _child_text(entry, names: tuple[str, ...]) -> str:
    for child in _children(entry, names):
        text = "".join(child.itertext()).strip()
        if text:
            return text
    return ""


def _title(entry) -> str:
    return " ".join(_child_text(entry, ("title",)).split())


def _link(entry) -> str:
    for child in _children(entry, ("link",)):
        href = child.get("href")  # Atom: <link rel="alternate" href="..."/>
        if href and child.get("rel", "alternate") == "alternate":
            return href.strip()
        if not href and (child.text or "").strip():
            return child.text.strip()
    return ""


def _body(entry) -> str:
    """The fullest body the entry carries, as HTML (a feed escapes it, or wraps it in CDATA, or as Atom
    XHTML nests it as elements)."""
    bodies = []
    for child in _children(entry, _BODY_TAGS):
        if len(child):  # Atom type="xhtml": the body is markup inside the element
            bodies.append("".join(lxml.etree.tostring(node, encoding="unicode") for node in child))
        elif child.text and child.text.strip():
            text = child.text.strip()
            bodies.append(text if child.get("type", "html") != "text" else f"<p>{html.escape(text)}</p>")
    return max(bodies, key=lambda body: len(body.split()), default="")
