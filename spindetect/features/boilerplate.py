"""Page furniture that marks a farm "copy": a verbatim scraped article wrapped in a publishing template.

Two kinds of evidence, over every line a reader of the page sees (`Document.page_lines`: the text's lines,
then for HTML the furniture the extractor dropped):

1. Signature hits per category from the versioned registry in `boilerplate_signatures` (comment forms,
   RSS footers, "Source link" attributions, share widgets, spintax, "By admin", ...).
2. Generic structure that does not depend on any wording, so that it carries over to templates never
   seen in training: a tail of non-prose lines after the article, lines repeated across the page, runs of
   headline-like lines whose vocabulary is unrelated to the article (the "More like this" list of other
   stories), lines that are only social-network names, bare URL/e-mail lines, and comment-form field
   labels that co-occur.

Legitimate newsroom chrome (a "Related Topics" list whose topics are the article's, "Share this page", a
"By Jane Smith, BBC News" byline, a nav menu, a copyright line) has to stay quiet: the signatures are
written not to match it, and the structure features look at relatedness and co-occurrence rather than at
the mere presence of chrome.

The prose/furniture split follows the line-level heuristics of web-text cleaning (C4, Raffel et al. 2020:
keep lines ending in terminal punctuation; Gopher/MassiveText, Rae et al. 2021: share of lines that are
short or bullet-like); the thresholds below are ours, chosen on our own test pages.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter

from ..text._document import Document
from ..text._lines import reads_as_prose
from ..text._words import HEADLINE_FUNCTION_WORDS as _FUNCTION_WORDS
from ..text._words import LINE_WORD_RE as _WORD_RE
from .base import MISSING, Evidence, FeatureFamily, FeatureResult, ratio
from .boilerplate_signatures import (
    CATEGORIES,
    FORM_FIELD_CATEGORY,
    SIGNATURES,
    Signature,
    form_field_kind,
    matching_signatures,
)

# The tail examined for non-prose lines: the last fifth of the page, at least three lines.
TAIL_SHARE = 0.2
TAIL_MIN_LINES = 3
# Headline-like lines: a list item of other stories has 4-14 words and no sentence-final period.
HEADLINE_MIN_WORDS = 4
HEADLINE_MAX_WORDS = 14
HEADLINE_RUN_MIN_LINES = 2
# A headline is "unrelated" when less than this share of its content words occurs in the article body.
# Related-story lists of a newsroom share the story's names and topic words (typically half or more).
UNRELATED_OVERLAP_MAX = 0.25
# Crude stemming by prefix, enough to match "budget"/"budgets", "elect"/"election" for relatedness.
STEM_CHARS = 5
HEADLINE_MIN_CONTENT_WORDS = 2
# A share row lists a dozen networks at most.
SOCIAL_LINE_MAX_WORDS = 16
SHORT_LINE_MAX_WORDS = 3
# A comment form is several kinds of field label together (name, e-mail, website, message, submit).
COMMENT_FORM_MIN_FIELD_KINDS = 3
EVIDENCE_PER_FEATURE = 5

# What a farm adds to a page, as against chrome every site shows (comment forms, share rows, related lists,
# newsletter and cookie boxes, post navigation, CMS defaults: all common on `pages/real-pages.jsonl`).
RESIDUE_CATEGORIES = frozenset({"rss_footer", "attribution", "spinner_residue", "template_residue",
                                "generic_byline", "syndication_disclaimer"})
# Weaker signatures of those categories ("Read More »" buttons, "Originally written by X for Y") are on
# legitimate pages too.
RESIDUE_MIN_WEIGHT = 0.6

# Chrome every site shows, and farms too: what a verbatim copy can hide behind (see `chrome_only`).
CHROME_CATEGORIES = tuple(c for c in CATEGORIES if c not in RESIDUE_CATEGORIES and c != FORM_FIELD_CATEGORY)

_BYLINE_RE = re.compile(r"^(?:by|posted|written|published|updated|reporting\s+by)\b", re.IGNORECASE)
_HEADLINE_BAD_ENDING_RE = re.compile(r"[.,;:\u2026]$")
_LIST_MARKER_RE = re.compile(r"^(?:[-*\u2022\u00bb>\u2192\u25b8\u25ba]+|\d{1,2}[.)])\s*")
_URL_OR_EMAIL_LINE_RE = re.compile(
    r"^[\W_]*(?:https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}(?:/\S*)?)[\W_]*$",
    re.IGNORECASE,
)
_SOCIAL_NETWORKS = frozenset({
    "facebook", "twitter", "linkedin", "pinterest", "whatsapp", "reddit", "telegram", "tumblr", "pocket",
    "messenger", "vk", "flipboard", "threads", "bluesky", "viber", "skype", "instagram", "youtube", "tiktok",
    "snapchat", "mastodon", "digg", "stumbleupon", "xing", "weibo", "wechat",
})
# Words that may sit beside network names in a share row without making it prose.
_SHARE_FILLER = frozenset({
    "share", "shares", "tweet", "pin", "it", "on", "this", "via", "follow", "us", "email", "mail", "e",
    "print", "copy", "link", "save", "send", "to", "with", "and", "or", "x", "more", "opens", "in", "new",
    "window", "google", "plus", "sms", "post", "article", "story",
})
# Function words: a headline has some, a row of menu items has none (HEADLINE_FUNCTION_WORDS).
# ... and with news-generic words, the words that say nothing about what a headline is about.
_STOPWORDS = _FUNCTION_WORDS | frozenset("""
says said say new news year years people time first last one two three get gets got make makes made
day days week weeks way ways could still back like just many much top best here how what why know need
""".split())


def _category_feature(category: str) -> str:
    return f"sig_{category}"


def chrome_only(result: FeatureResult) -> tuple[str, ...]:
    """The chrome categories of a page that shows site chrome and no farm residue (else ()).

    Such a page is what a verbatim copy under a farm's template looks like when the farm added nothing of
    its own, and equally what the original's own page looks like: its words cannot tell them apart.
    """
    values = result.values
    if (values.get("residue_weight") or 0) > 0:
        return ()
    found = [c for c in CHROME_CATEGORIES if (values.get(_category_feature(c)) or 0) > 0]
    if (values.get("comment_form") or 0) > 0 and "comment_form" not in found:
        found.append("comment_form")
    return tuple(found)


_CATEGORY_DESCRIPTIONS = {
    "comment_form": "comment-section lines (reply headings, 'email will not be published', submit buttons)",
    "form_field": "single form-field labels (Name, Email, Website, Comment, Submit)",
    "rss_footer": "feed footers copied with the article ('The post ... appeared first on ...')",
    "attribution": "scraper attributions ('Source link', 'Source: ...', 'Read more at ...')",
    "share_widget": "share-widget lines ('Share this:', 'Click to share on ...', like buttons)",
    "related_list": "headings of recommendation lists ('You may also like', 'Related posts')",
    "spinner_residue": "unspun spintax {a|b|c} left in the text",
    "template_residue": "unfilled template placeholders ({{title}}, %%sitename%%)",
    "generic_byline": "placeholder bylines ('By admin', 'Posted by editor')",
    "syndication_disclaimer": "republishing disclaimers (syndicated feed, auto-aggregated, 'we do not own')",
    "subscribe_cookie": "newsletter and cookie-consent prompts",
    "cms_default": "untouched blog defaults ('Uncategorized', 'Powered by WordPress') and post-meta lines",
    "navigation": "blog post navigation ('Previous post', 'Next post')",
}

_STRUCTURE_FEATURES = {
    "signature_weight": "summed weight of the distinct farm signatures matched on the page",
    "residue_weight": "summed weight of the distinct signatures of what a farm adds (feed footers, scraper "
                      "attributions, placeholder bylines, spintax, template placeholders, disclaimers)",
    "signature_categories": "number of distinct signature categories matched (field labels excluded)",
    "comment_form_field_kinds": "distinct kinds of form-field label on the page (name, email, website, ...)",
    "comment_form": "1 when comment-form labels co-occur as a form",
    "nonprose_line_share": "share of page lines that are not prose",
    "tail_nonprose_share": "share of the page's last fifth of lines that is not prose",
    "lines_after_last_prose": "non-prose lines after the last prose paragraph",
    "repeated_line_share": "share of page lines that occur more than once on the page",
    "short_line_share": "share of page lines with at most three words",
    "headline_run_lines": "lines in runs of headline-like lines (lists of other stories)",
    "unrelated_headline_lines": "headline-like list lines whose words are unrelated to the article",
    "headline_body_overlap": "mean share of a listed headline's content words found in the article",
    "social_only_lines": "lines made only of social-network names and share words",
    "url_email_lines": "lines that are only a URL, domain or e-mail address",
}


class Boilerplate(FeatureFamily):
    name = "boilerplate"
    # Its columns are the signature registry's categories, so a registry change bumps this too.
    # 2: a line matching a signature is never article prose (version 1 counted it as prose), and the
    # registry's version-2 signatures count, and residue_weight separates what a farm adds from chrome.
    # 3: the registry's version 3 (a site's own dateline, a picture's credit and a removal nobody is asked
    # for are not residue).
    # 4: the registry's version 4 ("Source link <headline>" is the scraper's attribution it reads as).
    version = 4
    signature_lines_are_prose = False
    signatures_version = 4  # the registry version whose signatures count (see Signature.in_version)
    features = {
        **{_category_feature(category): f"page lines matching {_CATEGORY_DESCRIPTIONS.get(category, category)}"
           for category in CATEGORIES},
        **_STRUCTURE_FEATURES,
    }
    evidence_from = {
        "signature_weight": tuple(_category_feature(category) for category in CATEGORIES),
        "signature_categories": tuple(_category_feature(category) for category in CATEGORIES),
        "residue_weight": tuple(_category_feature(category) for category in CATEGORIES
                                if category in RESIDUE_CATEGORIES),
        "comment_form_field_kinds": ("comment_form",),
        "headline_run_lines": ("unrelated_headline_lines",),
        "headline_body_overlap": ("unrelated_headline_lines",),
        # The furniture after the article is the non-prose (and mostly short) part of the page people see.
        "nonprose_line_share": ("lines_after_last_prose",),
        "tail_nonprose_share": ("lines_after_last_prose",),
        "short_line_share": ("lines_after_last_prose",),
    }
    # The signature columns recognise wording from the signature registry, which knows our training templates.
    generator_specific = {
        **{_category_feature(category): "copy" for category in CATEGORIES},
        "signature_weight": "copy", "signature_categories": "copy", "residue_weight": "copy",
    }

    @classmethod
    def cache_identity(cls) -> tuple[str, ...]:
        """The signatures this version counts, as they are written: their ids, patterns and weights."""
        signatures = (f"{s.id}\t{s.pattern.pattern}\t{s.weight}\t{s.short_line_only}" for s in SIGNATURES
                      if s.in_version(cls.signatures_version))
        return (hashlib.sha256("\n".join(signatures).encode()).hexdigest(),)

    def extract(self, doc: Document) -> FeatureResult:
        lines = doc.page_lines
        text_line_count = len(doc.lines)
        word_counts = [len(line.split()) for line in lines]
        matches = [[signature for signature in matching_signatures(line, count)
                    if signature.in_version(self.signatures_version)] for line, count in zip(lines, word_counts)]
        # A line that matches a farm signature is furniture even when it reads as a sentence (the comment
        # form's consent checkbox, "The post ... appeared first on ..."): otherwise a page ending in one
        # has no "lines after the last prose line" at all.
        prose = [reads_as_prose(line, count) and (self.signature_lines_are_prose or not matched)
                 for line, count, matched in zip(lines, word_counts, matches)]

        values: dict[str, float] = {}
        evidence: dict[str, list[Evidence]] = {}
        values.update(_signature_values(lines, matches, doc, text_line_count, evidence))
        values.update(_comment_form_values(lines, matches, doc, text_line_count, evidence))
        values.update(_layout_values(lines, word_counts, prose, doc, text_line_count, evidence))
        values.update(_headline_values(lines, word_counts, matches, prose, doc, text_line_count, evidence))
        values.update(_share_and_url_values(lines, word_counts, doc, text_line_count, evidence))
        if "residue_weight" not in self.features:
            del values["residue_weight"]
        return FeatureResult(values, evidence)


class BoilerplateV3(Boilerplate):
    """Version 3, kept so models trained with it load and score as they did: registry version 3."""

    version = 3
    signatures_version = 3


class BoilerplateV2(Boilerplate):
    """Version 2, kept so models trained with it load and score as they did: registry version 2."""

    version = 2
    signatures_version = 2


class BoilerplateV1(Boilerplate):
    """Version 1, kept so models trained with it load and score as they did: signature lines could be
    prose."""

    version = 1
    signature_lines_are_prose = True
    signatures_version = 1
    features = {name: text for name, text in Boilerplate.features.items() if name != "residue_weight"}
    evidence_from = {name: rule for name, rule in Boilerplate.evidence_from.items() if name != "residue_weight"}
    generator_specific = {name: tag for name, tag in Boilerplate.generator_specific.items()
                          if name != "residue_weight"}



def _evidence(line: str, kind: str, index: int, doc: Document, text_line_count: int) -> Evidence:
    """Evidence for one page line, with offsets when the line lies in the document text."""
    if index < text_line_count:
        start = doc.line_starts[index]
        return Evidence(text=line, start=start, end=start + len(line), kind=kind)
    return Evidence(text=line, kind=kind)


def _add_evidence(evidence: dict[str, list[Evidence]], feature: str, item: Evidence) -> None:
    bucket = evidence.setdefault(feature, [])
    if len(bucket) < EVIDENCE_PER_FEATURE:
        bucket.append(item)


def _signature_values(
    lines: list[str], matches: list[list[Signature]], doc: Document, text_line_count: int,
    evidence: dict[str, list[Evidence]],
) -> dict[str, float]:
    per_category = Counter()
    distinct: dict[str, Signature] = {}
    for index, (line, matched) in enumerate(zip(lines, matches)):
        for category in dict.fromkeys(signature.category for signature in matched):
            per_category[category] += 1
            _add_evidence(evidence, _category_feature(category),
                          _evidence(line, f"boilerplate:{category}", index, doc, text_line_count))
        for signature in matched:
            if signature.category != FORM_FIELD_CATEGORY:
                distinct[signature.id] = signature
    values = {_category_feature(category): float(per_category[category]) for category in CATEGORIES}
    values["signature_weight"] = float(sum(signature.weight for signature in distinct.values()))
    values["signature_categories"] = float(len({signature.category for signature in distinct.values()}))
    values["residue_weight"] = float(sum(signature.weight for signature in distinct.values() if is_residue(signature)))
    return values


def is_residue(signature: Signature) -> bool:
    return signature.category in RESIDUE_CATEGORIES and signature.weight >= RESIDUE_MIN_WEIGHT


def _comment_form_values(
    lines: list[str], matches: list[list[Signature]], doc: Document, text_line_count: int,
    evidence: dict[str, list[Evidence]],
) -> dict[str, float]:
    """Field labels only mean "comment form" together: a lone "Email" is a newsletter box or a menu."""
    kinds: set[str] = set()
    field_lines: list[int] = []
    comment_lines = 0
    for index, matched in enumerate(matches):
        line_kinds = {form_field_kind(s) for s in matched if s.category == FORM_FIELD_CATEGORY}
        if line_kinds:
            kinds |= line_kinds
            field_lines.append(index)
        if any(s.category == "comment_form" for s in matched):
            comment_lines += 1
    is_form = len(kinds) >= COMMENT_FORM_MIN_FIELD_KINDS or (len(kinds) >= 2 and comment_lines >= 1)
    if is_form:
        for index in field_lines:
            _add_evidence(evidence, "comment_form",
                          _evidence(lines[index], "boilerplate:comment_form", index, doc, text_line_count))
    return {"comment_form_field_kinds": float(len(kinds)), "comment_form": float(is_form)}


def _layout_values(lines: list[str], word_counts: list[int], prose: list[bool], doc: Document,
                   text_line_count: int, evidence: dict[str, list[Evidence]]) -> dict[str, float]:
    """Shares of non-prose, short and repeated lines; evidence: the first non-empty lines after the last
    prose paragraph, and each repeated line once."""
    total = len(lines)
    if not total:
        return {
            "nonprose_line_share": MISSING, "tail_nonprose_share": MISSING, "lines_after_last_prose": 0.0,
            "repeated_line_share": MISSING, "short_line_share": MISSING,
        }
    tail_size = min(total, max(TAIL_MIN_LINES, math.ceil(total * TAIL_SHARE)))
    tail = prose[-tail_size:]
    last_prose = max((i for i, is_prose in enumerate(prose) if is_prose), default=-1)
    line_keys = [_key(line) for line in lines]
    keys = Counter(line_keys)
    repeated = sum(1 for key in line_keys if keys[key] > 1)
    if last_prose >= 0:
        for index in range(last_prose + 1, total):
            if lines[index].strip():
                _add_evidence(evidence, "lines_after_last_prose",
                              _evidence(lines[index], "boilerplate:after_article", index, doc, text_line_count))
    shown: set[str] = set()
    for index, (line, key) in enumerate(zip(lines, line_keys)):
        if keys[key] > 1 and key not in shown and line.strip():
            shown.add(key)
            _add_evidence(evidence, "repeated_line_share",
                          _evidence(line, "boilerplate:repeated_line", index, doc, text_line_count))
    return {
        "nonprose_line_share": ratio(prose.count(False), total),
        "tail_nonprose_share": ratio(tail.count(False), len(tail)),
        "lines_after_last_prose": float(total - 1 - last_prose),
        "repeated_line_share": ratio(repeated, total),
        "short_line_share": ratio(sum(1 for count in word_counts if count <= SHORT_LINE_MAX_WORDS), total),
    }


def _headline_values(
    lines: list[str], word_counts: list[int], matches: list[list[Signature]], prose: list[bool],
    doc: Document, text_line_count: int, evidence: dict[str, list[Evidence]],
) -> dict[str, float]:
    """Runs of headline-like lines, and how related their vocabulary is to the article body.

    A farm's "More like this" block lists whatever else the farm scraped (celebrity diets under a budget
    story); a newsroom's related-stories list is about the same subject. The body is the prose lines.
    """
    headline = [_is_headline(line, count, matched) for line, count, matched in zip(lines, word_counts, matches)]
    run_lines = _indices_in_runs(headline, HEADLINE_RUN_MIN_LINES)
    # The body vocabulary is only needed (and only built) when there is a list to compare with it.
    body_stems = (
        {stem for line, is_prose in zip(lines, prose) if is_prose for stem in _content_stems(line)}
        if run_lines else set()
    )
    overlaps: list[float] = []
    unrelated = 0
    for index in run_lines:
        stems = _content_stems(lines[index])
        if len(stems) < HEADLINE_MIN_CONTENT_WORDS or not body_stems:
            continue  # "More on this story": too few content words to judge what it is about
        overlap = sum(1 for stem in stems if stem in body_stems) / len(stems)
        overlaps.append(overlap)
        if overlap < UNRELATED_OVERLAP_MAX:
            unrelated += 1
            _add_evidence(evidence, "unrelated_headline_lines", _evidence(
                lines[index], "boilerplate:unrelated_headlines", index, doc, text_line_count))
    return {
        "headline_run_lines": float(len(run_lines)),
        "unrelated_headline_lines": float(unrelated),
        "headline_body_overlap": sum(overlaps) / len(overlaps) if overlaps else MISSING,
    }


def _is_headline(line: str, word_count: int, matched: list[Signature]) -> bool:
    """4-14 words, no sentence-final period, starting like a title, and written as a phrase.

    Furniture a signature already recognised is not a headline, nor is a byline ("By Jane Smith, BBC
    News"). Requiring one function word separates a headline ("How to fix your fence", "Ten diets that
    shocked fans") from a navigation row of section names ("Home News Sport Weather").
    """
    if matched or not HEADLINE_MIN_WORDS <= word_count <= HEADLINE_MAX_WORDS:
        return False
    line = _LIST_MARKER_RE.sub("", line)
    if not line or _HEADLINE_BAD_ENDING_RE.search(line) or _BYLINE_RE.match(line):
        return False
    first = line[0]
    if not (first.isupper() or first.isdigit() or first in "\"'\u201c\u2018"):
        return False
    return any(word.lower() in _FUNCTION_WORDS for word in _WORD_RE.findall(line))


def _indices_in_runs(flags: list[bool], min_run: int) -> list[int]:
    indices: list[int] = []
    run: list[int] = []
    for index, flag in enumerate([*flags, False]):
        if flag:
            run.append(index)
            continue
        if len(run) >= min_run:
            indices.extend(run)
        run = []
    return indices


def _content_stems(line: str) -> set[str]:
    words = (word.lower() for word in _WORD_RE.findall(line))
    return {word[:STEM_CHARS] for word in words if len(word) > 2 and word not in _STOPWORDS}


def _share_and_url_values(
    lines: list[str], word_counts: list[int], doc: Document, text_line_count: int,
    evidence: dict[str, list[Evidence]],
) -> dict[str, float]:
    social = url_email = 0
    for index, (line, word_count) in enumerate(zip(lines, word_counts)):
        if word_count > SOCIAL_LINE_MAX_WORDS:
            continue  # prose; and a URL or e-mail line is one or two "words"
        if _is_social_only(line):
            social += 1
            _add_evidence(evidence, "social_only_lines",
                          _evidence(line, "boilerplate:social", index, doc, text_line_count))
        elif _URL_OR_EMAIL_LINE_RE.match(line):
            url_email += 1
            _add_evidence(evidence, "url_email_lines",
                          _evidence(line, "boilerplate:url_email", index, doc, text_line_count))
    return {"social_only_lines": float(social), "url_email_lines": float(url_email)}


def _is_social_only(line: str) -> bool:
    words = [word.lower() for word in _WORD_RE.findall(line)]
    if not words or not any(word in _SOCIAL_NETWORKS for word in words):
        return False
    return all(word in _SOCIAL_NETWORKS or word in _SHARE_FILLER for word in words)


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()
