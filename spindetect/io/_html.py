"""HTML pages to article text *plus* the page furniture the extractor threw away.

A main-text extractor is built to discard menus, share widgets, comment forms and "related" lists. For a
content-farm detector that discarded part is evidence: a farm "copy" page is a verbatim scraped article
wrapped in exactly that furniture. So `extract_page` returns both:

- `text`: the article, by trafilatura (Barbaresi, ACL 2021 demo) with `favor_precision=True` and no
  comments, paragraphs separated by blank lines;
- `furniture`: every other visible text line of the page, one line per block-level element, in page order.

Robustness is part of the contract: any string (empty, plain text, broken markup, 20,000 nested tags, a
page that is one 2 MB script) gives a `Page` and never an exception. The furniture walk is iterative
(`lxml.etree.iterwalk`), so tree depth cannot exhaust the Python stack, and output sizes are capped.
"""

from __future__ import annotations

import copy
import html as html_entities
import logging
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from ..text._syndication import PageIdentity

LOGGER = logging.getLogger(__name__)

# Inputs beyond this are cut before parsing (after their scripts and styles are dropped, which is most of
# an oversized page): an article page's visible markup is well under 1 MB, and the cap bounds parse time
# and memory for hostile inputs.
MAX_HTML_CHARS = 2_000_000
# Bounds on what one page can contribute downstream (the boilerplate features look at lines, not volumes).
MAX_FURNITURE_LINES = 2_000
MAX_LINE_CHARS = 2_000
# Lines at least this long are dropped from the furniture when they occur anywhere inside the main text;
# shorter ones only when they equal a main-text line ("Share" must not vanish because "shares" is in text).
_SUBSTRING_DEDUP_MIN_CHARS = 40
# trafilatura's cost grows steeply with tree depth (seconds at depth 2,000); real article pages are a few
# dozen levels deep, so beyond this the page is treated as hostile and the article is taken from the
# prose blocks of our own (iterative) walk instead.
MAX_EXTRACTOR_DEPTH = 120
# Likewise its cost grows faster than linearly with the element count (about 0.6 s at 12,000 elements);
# a long news page has a few thousand.
MAX_EXTRACTOR_ELEMENTS = 8_000
# The substring de-duplication of furniture against the main text is skipped beyond this text length
# (it is lines x text; on absurd pages a few duplicated furniture lines are harmless).
_SUBSTRING_DEDUP_MAX_TEXT_CHARS = 200_000
# Fallback article: blocks that read as prose (enough words, sentence punctuation).
_FALLBACK_MIN_WORDS = 12
# The main text looks like a fragment of the article when the page shows at least this much prose...
_FRAGMENT_MIN_PAGE_PROSE_WORDS = 150
# The recall-oriented extraction replaces the precise one when it holds at least twice as many words and
# this many more.
_FRAGMENT_MIN_GAIN_WORDS = 20
# ... and when even the recall-oriented extraction keeps fewer words than this (and under a quarter of the
# page's prose), the prose blocks are scored instead.
_FRAGMENT_MAX_WORDS = 50

# Elements whose content a reader never sees as text.
_INVISIBLE_TAGS = frozenset({
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "textarea", "title", "meta", "link",
})
# Elements that start a new visual line. `button` is included because share widgets are rows of buttons
# ("Facebook", "Twitter", ...) and each should be its own line, as it reads on the page.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# <input> types whose `value` is printed on the button a reader sees ("Post Comment", "Subscribe").
_BUTTON_INPUT_TYPES = frozenset({"submit", "button", "reset"})

_WHITESPACE_RE = re.compile(r"\s+")
_LIST_MARKER_RE = re.compile(r"^[-*\u2022]\s+")
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Plain tag stripping for the last-resort fallback: invisible blocks first, then any tag. Both patterns are
# linear (no nested quantifiers), so hostile input cannot make them backtrack.
_INVISIBLE_OPEN_RE = re.compile(r"<(script|style|noscript|template|svg|textarea)\b", re.IGNORECASE)
_TAG_RE = re.compile(r"<[/!?a-zA-Z][^<>]{0,10000}>")
_BLOCK_TAG_BOUNDARY_RE = re.compile(
    r"</?(?:p|div|br|li|h[1-6]|tr|td|th|section|article|header|footer|nav|ul|ol|form|blockquote)\b[^<>]{0,10000}>",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
# "Headline | Site", "Headline - Site": the brand after the last separator of a page title.
_TITLE_SEPARATOR_RE = re.compile(r"\s+[|\-\u2013\u2014\u00b7:]{1,2}\s+")
_BRAND_MAX_WORDS = 5


@dataclass(frozen=True)
class Page:
    """What a reader sees on one HTML page, split into the article and the rest."""

    text: str
    furniture: tuple[str, ...] = ()
    title: str = ""
    # True when the input was longer than MAX_HTML_CHARS and only its beginning was read.
    truncated: bool = False
    # Set when the precise extraction looked like a fragment and another one was used instead.
    extraction_note: str = ""
    # What the page says of itself (site names, canonical URL, declared original): tells syndication from
    # scraping (text/_syndication.py).
    identity: PageIdentity = PageIdentity()


def extract_page(html: str) -> Page:
    """Split an HTML page into main text, dropped furniture lines and title. Never raises."""
    if not isinstance(html, str):
        html = str(html or "")
    truncated = False
    if len(html) > MAX_HTML_CHARS:
        html = _drop_invisible_blocks(html)
        truncated = len(html) > MAX_HTML_CHARS
        html = html[:MAX_HTML_CHARS]
    if not html.strip():
        return Page(text="", truncated=truncated)
    try:
        return _extract(html, truncated)
    except Exception:  # the contract is "never raises"; parsers have many failure modes
        LOGGER.debug("HTML extraction failed; falling back to tag stripping", exc_info=True)
        return Page(text=plain_text_fallback(html), truncated=truncated)


def _extract(html: str, truncated: bool) -> Page:
    tree = _parse(html)
    if tree is None:
        return Page(text=plain_text_fallback(html), truncated=truncated)
    title = _title(tree)
    # Walk before trafilatura: it works on a copy, but reading first keeps the two independent anyway.
    visible_lines, depth = _visible_lines(tree)
    within_extractor_limits = depth <= MAX_EXTRACTOR_DEPTH and _element_count(tree) <= MAX_EXTRACTOR_ELEMENTS
    text = _main_text(tree) if within_extractor_limits else ""
    prose = _prose_blocks(visible_lines)
    text, note = _unless_fragment(tree, text, prose, within_extractor_limits)
    furniture = _furniture(visible_lines, text, title)
    return Page(text=text, furniture=furniture, title=title, truncated=truncated, extraction_note=note,
                identity=_identity(tree, title))


def _unless_fragment(tree: lxml.html.HtmlElement, text: str, prose: str, may_extract: bool) -> tuple[str, str]:
    """The main text to score, and a note when it is not the precise extraction.

    favor_precision sometimes keeps one block of a post (a caption, a teaser) or next to nothing: real pages
    had three words of a 600-word post scored as the article. Then trafilatura is asked again for recall,
    with its fallback extractors (readability, jusText); if that too finds next to nothing on a page full of
    prose, the page's prose blocks are scored. Either way the record says so.
    """
    text_words, prose_words = len(text.split()), len(prose.split())
    note = ""
    if may_extract and (text_words < _FRAGMENT_MAX_WORDS or _looks_like_fragment(text_words, prose_words)):
        recalled = _main_text(tree, precise=False)
        recalled_words = len(recalled.split())
        # Only a clearly fuller text replaces it (tiny pages differ by a word or two between the modes).
        if recalled_words >= 2 * text_words + _FRAGMENT_MIN_GAIN_WORDS:
            if text:  # an empty precise extraction is no fragment: the recall text is simply the article
                note = (f"extraction_fallback: the precise extraction kept {text_words} of about {prose_words} "
                        f"prose words; scored the recall-oriented extraction ({recalled_words} words)")
            text, text_words = recalled, recalled_words
    if not text:
        return prose, ""
    if text_words < _FRAGMENT_MAX_WORDS and prose_words >= 4 * _FRAGMENT_MAX_WORDS:
        return prose, (f"extraction_fallback: the extractor kept {text_words} of about {prose_words} prose "
                       "words; scored the page's prose blocks instead")
    return text, note


def _looks_like_fragment(text_words: int, prose_words: int) -> bool:
    """Far less main text than the page shows as prose: at most a third of it, on a page with an article's
    worth of prose (comment threads and sidebars are prose too, hence the generous ratio)."""
    return prose_words >= _FRAGMENT_MIN_PAGE_PROSE_WORDS and text_words * 3 <= prose_words


def _parse(html: str) -> lxml.html.HtmlElement | None:
    # lxml refuses str input carrying an XML encoding declaration; the text is already decoded, so drop it.
    html = _XML_DECLARATION_RE.sub("", html, count=1)
    # `huge_tree` lifts libxml2's depth limit (otherwise it silently truncates deep pages); our own walk is
    # iterative, and trafilatura works on the resulting tree without recursing over depth.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    # A fatal error (libxml2's depth limit of 2,048 even with huge_tree) means parsing stopped part-way
    # and everything after that point is missing from the tree: better no tree than half a page.
    if any(error.level_name == "FATAL" for error in parser.error_log):
        return None
    return tree


def _element_count(tree: lxml.html.HtmlElement) -> int:
    count = 0
    for count, _ in enumerate(tree.iter(), start=1):
        if count > MAX_EXTRACTOR_ELEMENTS:
            break
    return count


def _title(tree: lxml.html.HtmlElement) -> str:
    for xpath in ("//head/title", "//meta[@property='og:title']/@content", "//h1"):
        found = tree.xpath(xpath)
        if found:
            node = found[0]
            raw = node if isinstance(node, str) else node.text_content()
            title = _collapse(str(raw))
            if title:
                return title[:MAX_LINE_CHARS]
    return ""


def _identity(tree: lxml.html.HtmlElement, title: str) -> PageIdentity:
    """The page's own names and URLs, as its head declares them."""
    def values(*xpaths: str) -> tuple[str, ...]:
        found = []
        for xpath in xpaths:
            found.extend(_collapse(str(value))[:MAX_LINE_CHARS] for value in tree.xpath(xpath))
        return tuple(dict.fromkeys(value for value in found if value))

    names = values("//meta[@property='og:site_name']/@content", "//meta[@name='application-name']/@content",
                   "//meta[@name='publisher']/@content")
    separated = _TITLE_SEPARATOR_RE.split(title)
    if len(separated) > 1 and 0 < len(separated[-1].split()) <= _BRAND_MAX_WORDS:
        names += (separated[-1].strip(),)
    return PageIdentity(
        names=names,
        urls=values("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"),
        declared_sources=values("//meta[@name='syndication-source']/@content",
                                "//meta[@name='original-source']/@content"),
        authors=values("//meta[@name='author']/@content", "//meta[@property='article:author']/@content"),
    )


def _main_text(tree: lxml.html.HtmlElement, precise: bool = True) -> str:
    """The article by trafilatura, paragraphs separated by blank lines ("" if it found none). `precise`:
    its precision-oriented fast mode; otherwise recall-oriented, with its fallback extractors."""
    import trafilatura  # heavy import (~0.3 s), deferred so `import spindetect` stays fast

    # trafilatura prunes the tree it is given; the recall pass must see the page whole.
    extracted = trafilatura.extract(
        tree if precise else copy.deepcopy(tree), favor_precision=precise, favor_recall=not precise, fast=precise,
        include_comments=False, include_tables=False, deduplicate=False,
    )
    if not extracted:
        return ""
    paragraphs = (_collapse(line) for line in extracted.split("\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _visible_lines(tree: lxml.html.HtmlElement) -> tuple[list[str], int]:
    """Visible text of <body>, one whitespace-collapsed line per block-level element, in page order;
    and the depth of the deepest element visited."""
    body = tree.find("body")
    root = body if body is not None else tree
    lines: list[str] = []
    buffer: list[str] = []
    depth = max_depth = 0

    def flush() -> None:
        if buffer:
            line = _collapse("".join(buffer))
            buffer.clear()
            if line:
                lines.append(line[:MAX_LINE_CHARS])

    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if len(lines) >= MAX_FURNITURE_LINES:
            break
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            depth += 1
            max_depth = max(max_depth, depth)
            if tag in _INVISIBLE_TAGS or _is_hidden(element):
                # The "end" event still comes (and adds the visible tail); only the inside is skipped.
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if tag == "input":
                flush()
                _append_input_label(element, lines)
            elif tag in ("img", "a"):
                buffer.append(" ")  # adjacent links are separate items ("Share: Facebook Twitter")
            if element.text:
                buffer.append(element.text)
        else:
            depth -= 1
            if tag in _BLOCK_TAGS:
                flush()
            else:
                buffer.append(" ")  # inline elements next to each other still read as separate words
            if element.tail and element is not root:
                buffer.append(element.tail)
    flush()
    return lines[:MAX_FURNITURE_LINES], max_depth


def _append_input_label(element: lxml.html.HtmlElement, lines: list[str]) -> None:
    """A button's printed value, or a field's placeholder: both are text on the page."""
    input_type = (element.get("type") or "text").lower()
    if input_type == "hidden":
        return
    label = element.get("value") if input_type in _BUTTON_INPUT_TYPES else element.get("placeholder")
    label = _collapse(label or "")
    if label:
        lines.append(label[:MAX_LINE_CHARS])


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    if element.get("hidden") is not None:
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _furniture(visible_lines: list[str], text: str, title: str) -> tuple[str, ...]:
    """The visible lines that are not part of the main text (nor the title)."""
    text_key = _key(text)
    text_lines = {_key(_LIST_MARKER_RE.sub("", line)) for line in text.split("\n") if line.strip()}
    text_lines.add(_key(title))
    substring_dedup = len(text_key) <= _SUBSTRING_DEDUP_MAX_TEXT_CHARS
    furniture = []
    for line in visible_lines:
        key = _key(line)
        if key in text_lines:
            continue
        if substring_dedup and len(key) >= _SUBSTRING_DEDUP_MIN_CHARS and key in text_key:
            continue
        furniture.append(line)
    return tuple(furniture)


def _prose_blocks(lines: list[str]) -> str:
    """Fallback article when trafilatura finds none: the blocks that read as prose, in page order."""
    prose = [line for line in lines if _is_prose(line)]
    if not prose and lines:
        prose = [max(lines, key=len)]
    return "\n\n".join(prose)


def _is_prose(line: str) -> bool:
    return len(line.split()) >= _FALLBACK_MIN_WORDS and bool(_SENTENCE_END_RE.search(line))


def plain_text_fallback(html: str) -> str:
    """Last resort: strip tags with regular expressions, one paragraph per block tag. Never raises."""
    try:
        without_invisible = _drop_invisible_blocks(html)
        with_breaks = _BLOCK_TAG_BOUNDARY_RE.sub("\n", without_invisible)
        stripped = html_entities.unescape(_TAG_RE.sub(" ", with_breaks))
        paragraphs = (_collapse(line) for line in stripped.split("\n"))
        return "\n\n".join(p for p in paragraphs if p)
    except Exception:  # noqa: BLE001 - e.g. MemoryError-adjacent failures on absurd input
        return ""


def _drop_invisible_blocks(html: str) -> str:
    """Remove <script>...</script> and the like in one linear pass (an unclosed one runs to the end,
    as in a browser). A regex with a lazy `.*?` would rescan to the end for every unclosed opener."""
    lowered = html.lower()
    kept: list[str] = []
    position = 0
    while True:
        opener = _INVISIBLE_OPEN_RE.search(html, position)
        if opener is None:
            kept.append(html[position:])
            break
        kept.append(html[position:opener.start()])
        closer = lowered.find("</" + opener.group(1).lower(), opener.end())
        if closer < 0:
            break
        closing_end = lowered.find(">", closer)
        position = len(html) if closing_end < 0 else closing_end + 1
        kept.append(" ")
    return "".join(kept)


def _collapse(text: str) -> str:
    return _WHITESPACE_RE.sub(" ", text).strip()


def _key(line: str) -> str:
    return _collapse(line).casefold()
