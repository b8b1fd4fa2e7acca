"""Syndication told from scraping: a publisher's credit to its own brand or to a partner it republishes.

Publishers republish each other under licence, and say so: "This article originally appeared on VICE US",
"Originally published on Live Science", "This article is republished from The Conversation under a
Creative Commons license". A scraper's page says the same kind of thing ("The post ... appeared first on
...", "Source: ..."), which is why those lines are farm residue. What tells them apart is whom the credit
names and what the page says of itself:

- **own brand**: the credit names the site the page says it belongs to (its `og:site_name`, the brand after
  the title's separator, the domain of its canonical URL or `og:url`): VICE UK crediting VICE US, a sister
  desk crediting the masthead, and a licensed copy whose canonical URL is the original's (how search
  engines ask partners to mark syndicated copies);
- **partner**: the page marks itself as a republication of the credited site: a `syndication-source` /
  `original-source` meta tag points there, its byline metadata names the credited outlet ("Victor
  Tangermann, Futurism" on ScienceAlert's republication of a Futurism story), its own URL carries a
  partner or syndication path segment (Salon's `..._partner`), or the credit states the licence or
  permission it was republished under.

The credits read are a publisher's editorial ones. A feed footer ("The post <title> appeared first on X.")
is never syndication, whomever it names: a page that prints one was built from a feed.

Such a credit is reported as syndication and is not read as residue: `prepare_document` takes its line out
of what the feature families see and the record carries it (`Verdict.syndication`). A credit to another
site with none of these marks stays where it was, and the boilerplate signatures weigh it as residue. A
plain-text input has no page identity, so only a credit that states its own licence or permission can be
syndication there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["PageIdentity", "Syndication", "distinct_credits", "find_syndication", "may_carry_credit",
           "without_syndication"]

# A credit is a footer, not a paragraph: longer lines are only searched from their last sentences.
MAX_CREDIT_WORDS = 40
# The credited name: a masthead is a few words.
MAX_NAME_WORDS = 8
# Brand keys shorter than this only match exactly ("VICE" is a prefix of "VICE US"; "AP" is no prefix).
MIN_PREFIX_KEY_CHARS = 4

_PIECE = r"(?:article|story|post|piece|report|column|essay|interview|feature|op-ed|item|content)"
# The credited name runs to the end of its clause.
_NAME = r"(?P<name>[^.;:!?\n()]{2,120}?)"
_NAME_END = (r"(?=\s*(?:[.;:!?(\n]|$|,|\s+(?:under|and|with|as|on\s+(?:" + r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
             r"nov|dec|mon|tue|wed|thu|fri|sat|sun)|in\s+\d|\d)))")
_CREDIT_PATTERNS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    # "This article originally appeared on X", "The story was first published by X"
    r"\b(?:this|the)\s+(?:\w+\s+)?" + _PIECE + r"\s+(?:was\s+|is\s+|has\s+been\s+)?(?:originally|first)\s+"
    r"(?:published|appeared|posted|ran)\s+(?:on|in|at|by|with)\s+(?:the\s+website\s+of\s+)?" + _NAME + _NAME_END,
    # "Originally published on X" as a line of its own
    r"^\W*(?:originally|first)\s+(?:published|appeared|posted|ran)\s+(?:on|in|at|by)\s+" + _NAME + _NAME_END,
    # "This article is republished from X under a Creative Commons license", "Republished with permission
    # from X", "Reprinted courtesy of X"
    r"\b(?:republished|reprinted|reposted|shared|syndicated)\s+(?:here\s+)?(?:with\s+(?:the\s+)?(?:kind\s+)?"
    r"permission\s+)?(?:from|of|by|courtesy\s+of|via)\s+(?:the\s+website\s+of\s+)?" + _NAME + _NAME_END,
    # "This story was produced by X and is republished ..."
    r"\b(?:this|the)\s+" + _PIECE + r"\s+was\s+(?:produced|written|reported|published)\s+by\s+" + _NAME
    + r"(?=\s*,?\s+(?:and|which)\s+(?:is\s+|has\s+been\s+)?(?:republished|reprinted|shared|distributed))",
))
# A credit that states the terms it was republished under: syndication by its own words.
_PERMISSION_RE = re.compile(
    r"\b(?:with\s+(?:the\s+)?(?:kind\s+)?permission|under\s+(?:a|the)\s+creative\s+commons|creative\s+commons\s+"
    r"licen[cs]e|in\s+partnership\s+with|(?:content|media|news|editorial)\s+partnership|as\s+part\s+of\s+"
    r"(?:a|an|our|the)\s+(?:\w+\s+){0,3}(?:partnership|collaboration)|by\s+arrangement\s+with|licensed\s+from)\b",
    re.IGNORECASE)
# The line a licensed republication prints after its credit ("Read the original article.").
_READ_ORIGINAL_RE = re.compile(
    r"^\W*(?:read|view|see)\s+(?:the\s+)?(?:original|full|complete|entire)\s+" + _PIECE + r"s?\b[\W]*(?:here)?\W*$",
    re.IGNORECASE)
# A path segment that names a partner or syndicated republication (Salon: ".../grist_partner/").
_PARTNER_PATH_RE = re.compile(r"(?:^|[/_\-.])(?:partner|partners|partnered|syndicat\w*|republished)(?:$|[/_\-.])",
                              re.IGNORECASE)
# Words a masthead carries besides its name: "VICE US", "The Guardian UK", "Grist.org".
_EDITION_WORDS = frozenset({"us", "uk", "au", "ca", "in", "asia", "europe", "international", "edition", "com",
                            "org", "net", "co", "news", "online", "magazine", "media", "website", "site"})
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")
# A byline's parts: "Victor Tangermann, Futurism", "Jane Doe for Grist", "Jane Doe | Reuters".
_AUTHOR_PARTS_RE = re.compile(r",|\||/|\bfor\b|\s[-\u2013\u2014]\s", re.IGNORECASE)
# Words without which none of _CREDIT_PATTERNS can match, one alternative per pattern: the gate every line
# passes before the patterns run, and a cheap test on raw input (`may_carry_credit`).
_CREDIT_WORDS_RE = re.compile(
    r"\b(?:originally|first)\s+(?:published|appeared|posted|ran)\b|\b(?:republished|reprinted|reposted|syndicated)\b|"
    r"\bshared\s+(?:here\s+)?(?:with\s+(?:the\s+)?(?:kind\s+)?permission\s+)?(?:from|of|by|courtesy|via)\b|"
    r"\b(?:and|which)\s+(?:is\s+|has\s+been\s+)?(?:shared|distributed)\b",
    re.IGNORECASE)
_TAG_RE = re.compile(r"<[^<>]{0,2000}>")


@dataclass(frozen=True)
class PageIdentity:
    """What a page says about itself: the site's names and the URLs it claims."""

    # og:site_name, application-name, the brand after the title's separator.
    names: tuple[str, ...] = ()
    # The page's own URLs: canonical link and og:url.
    urls: tuple[str, ...] = ()
    # URLs the page names as its original (meta syndication-source / original-source).
    declared_sources: tuple[str, ...] = ()
    # Its byline metadata (meta author, article:author): "Victor Tangermann, Futurism".
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Syndication:
    """One credit read as syndication, with why."""

    credit: str  # the credit as it stands on the page
    credited: str  # whom it credits
    kind: str  # "own_brand" or "partner"
    why: str

    def to_record(self) -> dict:
        return {"credit": self.credit, "credited": self.credited, "kind": self.kind, "why": self.why}


def find_syndication(lines: list[str] | tuple[str, ...], identity: PageIdentity = PageIdentity()) -> list[Syndication]:
    """The credits among `lines` (a page's lines, in any order) that are syndication, not scraping."""
    found = []
    for line in lines:
        credit = _credit_in(line)
        if credit is None:
            continue
        text, name = credit
        judged = _judge(text, name, identity)
        if judged is not None:
            found.append(Syndication(credit=text, credited=name, kind=judged[0], why=judged[1]))
    return found


def may_carry_credit(raw: str, is_html: bool = False) -> bool:
    """False when no line of this input (text, or a page's markup) can hold a syndication credit: what a
    training cache needs to know to keep a row, without preparing the document."""
    return _CREDIT_WORDS_RE.search(_TAG_RE.sub(" ", raw) if is_html else raw) is not None


def without_syndication(lines: list[str], credits: list[Syndication]) -> list[str]:
    """`lines` with the syndication credits taken out (a credit glued to the end of a paragraph leaves the
    paragraph), and the "Read the original article." line that follows one. Blank lines stay: they part
    the paragraphs of a text."""
    if not credits:
        return list(lines)
    texts = [credit.credit for credit in credits]
    kept: list[str] = []
    after_credit = False
    for line in lines:
        if not line.strip():
            kept.append(line)
            continue
        if after_credit and _READ_ORIGINAL_RE.match(line.strip()):
            after_credit = False
            continue
        after_credit = False
        emptied = line
        for text in texts:
            if text in emptied:
                emptied = emptied.replace(text, "").rstrip()
                after_credit = True
        if emptied.strip():
            kept.append(emptied)
    return kept


def distinct_credits(credits: list[Syndication]) -> list[Syndication]:
    """One of each credit (a page shows the same credit in its text and, spaced differently, in its markup)."""
    seen, kept = set(), []
    for credit in credits:
        key = (_brand_key(credit.credited), credit.kind)
        if key not in seen:
            seen.add(key)
            kept.append(credit)
    return kept


def _credit_in(line: str) -> tuple[str, str] | None:
    """(the credit's text, the credited name) when the line ends in a republication credit."""
    stripped = line.strip()
    if not stripped or _CREDIT_WORDS_RE.search(stripped) is None:
        return None
    words = stripped.split()
    if len(words) > MAX_CREDIT_WORDS:
        # A credit glued to the end of a paragraph: its last two sentences.
        stripped = " ".join(_SENTENCE_SPLIT_RE.split(stripped)[-2:])
        if len(stripped.split()) > MAX_CREDIT_WORDS:
            return None
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(stripped)
        if match is None:
            continue
        name = match.group("name").strip(" \t\"'\u201c\u201d\u2018\u2019*_-")
        if not name or len(name.split()) > MAX_NAME_WORDS or not any(c.isalpha() for c in name):
            continue
        # The credit runs from the sentence it starts in to the end of the line.
        start = _sentence_start(stripped, match.start())
        return stripped[start:].strip(), name
    return None


def _sentence_start(line: str, position: int) -> int:
    starts = [m.end() for m in _SENTENCE_SPLIT_RE.finditer(line) if m.end() <= position]
    return starts[-1] if starts else 0


def _judge(credit: str, name: str, identity: PageIdentity) -> tuple[str, str] | None:
    credited = _brand_key(name)
    if not credited:
        return None
    own = [_brand_key(own) for own in identity.names] + [_domain_key(url) for url in identity.urls]
    for key in own:
        if key and _same_brand(key, credited):
            return "own_brand", f"credits the site the page names as its own ({name})"
    for url in identity.declared_sources:
        if _same_brand(_domain_key(url), credited):
            return "partner", f"the page names {url} as its original source"
    for author in identity.authors:
        if any(_same_brand(_brand_key(part), credited) for part in _AUTHOR_PARTS_RE.split(author)):
            return "partner", f"the page's byline credits the piece to {name} ({author})"
    for url in identity.urls:
        if _PARTNER_PATH_RE.search(urlsplit(url).path or ""):
            return "partner", f"the page's URL marks it as a partner republication ({url})"
    if _PERMISSION_RE.search(credit):
        return "partner", "the credit states the licence or permission it was republished under"
    return None


def _same_brand(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= MIN_PREFIX_KEY_CHARS and longer.startswith(shorter)


def _brand_key(name: str) -> str:
    """'The VICE US' -> 'vice'; 'Grist.org' -> 'grist'; 'Live Science' -> 'livescience'."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _EDITION_WORDS:
        words.pop()
    return "".join(words)


def _domain_key(url: str) -> str:
    """'https://www.livescience.com/x.html' -> 'livescience'; 'uk.vice.com' -> 'vice'."""
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    labels = [label for label in host.split(".") if label and label != "www"]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("co", "com", "org", "net", "ac", "gov"):
        labels = labels[:-1]  # bbc.co.uk -> bbc.co
    return re.sub(r"[^a-z0-9]", "", labels[-2]) if len(labels) >= 2 else ""
