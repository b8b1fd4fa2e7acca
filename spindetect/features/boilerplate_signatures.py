"""Versioned registry of boilerplate signatures: the page furniture of scraped and auto-published pages.

A farm "copy" page is someone else's article pasted into a publishing template, and the template leaves
marks: the RSS footer the scraper copied along, a WordPress comment form, a share widget, a list of
unrelated "You may also like" headlines, a "Source link" attribution, spintax that was never spun.

Each `Signature` is written for the *structure* of the phenomenon, not one product's wording, because the
detector is judged on page templates it has never seen: an RSS footer is "the (post|article|story) ...
(appeared|was published) first on ...", whatever the plugin. Nineteen strings verified against real
sources (WordPress core 6.1.9, Yoast SEO, Jetpack, NDTV's syndication note, The Best Spinner's spintax;
see `shared/corpora/contentfarm/boilerplate_signatures.jsonl`) seeded the list and are credited in the
`provenance` field; every pattern was then widened to the family of wordings.

Matching is per line. Most furniture is a short line of its own ("Leave a Reply", "Share this:"); such
signatures (`short_line_only=True`) are not tried on prose lines, which both keeps them fast and stops an
article sentence that happens to say "leave a reply" from counting. Footers and residue that can sit at
the end of a paragraph (RSS footers, attributions, disclaimers, spintax) are tried on every line.

Change the registry => bump `SIGNATURES_VERSION` (and the `Boilerplate` family version), because the
model's columns are counts over these categories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 2: printf placeholders, raw shortcodes, lines crediting another domain.
# 3: a site's own "First published on <date>" and a picture's credit ("Image credit: <site>", "Credit: Getty
#    Images") are chrome, not a republication footer or a text's attribution (v2's wording retired, see
#    `Signature.until`), and so is a removal nobody is asked for ("lower numbers for removal"); every other
#    line matches what it matched in version 2.
# 4: "Source link" with the scraped headline beside it is the attribution the bare link is.
SIGNATURES_VERSION = 4

# A line with more words than this is prose, not a furniture line (menus, buttons and headings are
# short; the longest WordPress comment-form line, the "Save my name, email..." checkbox, has 15 words).
SHORT_LINE_MAX_WORDS = 20

_SEED = "seeded by shared/corpora/contentfarm/boilerplate_signatures.jsonl"
_GENERALISED = "written for spindetect from the structure of the phenomenon"


@dataclass(frozen=True)
class Signature:
    """One kind of furniture line.

    `weight` is how specific the signature is to scraped/farm pages (1.0: practically never on an
    original newsroom page; 0.3: common furniture that only counts together with other signs).
    """

    id: str
    category: str
    pattern: re.Pattern[str]
    weight: float
    provenance: str
    notes: str = ""
    short_line_only: bool = True
    # For signatures tried on long prose lines: lowercase substrings of which any match must contain one.
    # A substring test is ~100x cheaper than a regex search over a paragraph, and most paragraphs
    # contain none of them. Tests check every example against the keyword-gated path.
    keywords: tuple[str, ...] = ()
    # The registry versions that use it: a family built on registry version v uses the signatures with
    # since <= v <= until. A signature whose wording changes is retired (`until`) and succeeded by a new
    # one, so a model trained on the old wording scores as it did.
    since: int = 1
    until: int | None = None

    def in_version(self, version: int) -> bool:
        return self.since <= version and (self.until is None or version <= self.until)

    def matches(self, line: str, word_count: int | None = None) -> bool:
        if word_count is None:
            word_count = len(line.split())
        if self.short_line_only and word_count > SHORT_LINE_MAX_WORDS:
            return False
        return self.pattern.search(line) is not None


def _signature(
    id: str, category: str, regex: str, weight: float, provenance: str, notes: str = "",
    *, short_line_only: bool = True, keywords: tuple[str, ...] = (), since: int = 1, until: int | None = None,
) -> Signature:
    if not short_line_only and not keywords:
        raise ValueError(f"signature {id} runs on long lines and needs keywords")
    return Signature(
        id=id, category=category, pattern=re.compile(regex, re.IGNORECASE), weight=weight,
        provenance=provenance, notes=notes, short_line_only=short_line_only, keywords=keywords, since=since,
        until=until,
    )


# Reusable pieces. Lines are matched as a reader sees them, so optional decoration (bullets, arrows,
# asterisks, colons, icon glyphs) is allowed around the words.
_OPEN = r"^[\W_]*"
_CLOSE = r"[\W_]*$"
_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|pinterest|whatsapp|reddit|telegram|tumblr|pocket|email|e-mail|mail|"
    r"messenger|vk|flipboard|mix|threads|bluesky|viber|line|skype|print|sms|copy link)"
)
_PIECE = r"(?:post|article|story|entry|piece|content|blog post|news|item|report)"
# What a dateline starts with: a site's own "First published on Tuesday" / "... on Nov 20, 2019".
_DATE_WORD = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?|today|yesterday"
)
# What a photo credit credits.
_MEDIA_WORD = r"(?:images?|photos?|photographs?|pictures?|pics?|videos?|graphics?|illustrations?|infographics?|" \
    r"thumbnails?|footage|screenshots?|screengrabs?)"

# What scraper disclaimers disowning their content say (syndication_disclaimer.no_ownership and its
# successor disowned_content share all of it but the removal clause).
_DISOWNING_CLAIMS = (
    r"\b(?:we\s+(?:do\s+not|don'?t)\s+(?:own|claim)|(?:all\s+)?(?:rights|credits?)\s+(?:go(?:es)?|belongs?)\s+to"
    r"|belongs?\s+to\s+(?:its|their|the)\s+(?:respective|original)\s+(?:owners?|authors?|publishers?)|"
    r"(?:if\s+you\s+are|are\s+you)\s+the\s+(?:original\s+)?(?:owner|author|copyright\s+holder)|"
)
_COPIED_FROM = r"this\s+(?:content|article|post|story)\s+(?:is|was)\s+(?:copied|scraped|taken|reproduced)\s+from)"
_DISOWNING_KEYWORDS = (
    " own", "claim", "rights go", "rights belong", "credit", "belong", "the owner", "the original", "the author",
    "the copyright", "removal", "takedown", "dmca", "copied from", "scraped from", "taken from", "reproduced from",
)

SIGNATURES: tuple[Signature, ...] = (
    # --- comment_form: headings, instructions and notices of a comment section --------------------------
    _signature(
        "comment_form.leave_reply", "comment_form",
        _OPEN + r"(?:leave|post|write|add|submit|drop)\s+(?:a|your|the|us\s+a)\s+(?:reply|comment|response)"
        r"(?:\s+to\s+.{1,120})?" + _CLOSE,
        1.0, _SEED + " (WordPress core comment-template.php: 'Leave a Reply', 'Leave a Reply to %s')",
        "heading of a comment form; 'Write a comment', 'Add your comment' are the same thing",
    ),
    _signature(
        "comment_form.cancel_reply", "comment_form", _OPEN + r"cancel\s+(?:reply|comment)" + _CLOSE,
        0.9, _SEED + " (WordPress core comment-template.php: 'Cancel reply')",
    ),
    _signature(
        "comment_form.email_not_published", "comment_form",
        r"\b(?:your|the)\s+e-?mail(?:\s+address)?\s+(?:will|would)\s+(?:not|never)\s+be\s+"
        r"(?:published|shared|displayed|made\s+public|visible)",
        1.0, _SEED + " (WordPress core: 'Your email address will not be published.')",
    ),
    _signature(
        "comment_form.required_fields", "comment_form",
        r"\brequired\s+fields?\s+(?:are|is)\s+(?:marked|indicated|denoted)|\bfields?\s+marked\s+(?:with\s+)?"
        r"(?:an\s+)?(?:\*|asterisk)",
        1.0, _SEED + " (WordPress core general-template.php: 'Required fields are marked %s')",
    ),
    _signature(
        "comment_form.remember_me", "comment_form",
        r"\bsave\s+my\s+(?:name|details|info)\b.{0,60}\b(?:next\s+time|browser)|"
        r"\bremember\s+(?:me|my\s+(?:name|details))\b.{0,40}\bcomment",
        1.0, _SEED + " (WordPress core: the comment-cookies consent checkbox)",
    ),
    _signature(
        "comment_form.notify_followups", "comment_form",
        r"\bnotify\s+me\s+of\s+(?:follow-?up\s+comments|new\s+(?:posts|comments|replies))",
        1.0, _GENERALISED + " (comment-subscription checkboxes of blog comment plugins)",
    ),
    _signature(
        "comment_form.comments_closed", "comment_form",
        _OPEN + r"(?:comments\s+are\s+(?:closed|disabled|turned\s+off)|commenting\s+(?:is|has\s+been)\s+"
        r"(?:closed|disabled))\b.{0,60}$",
        0.8, _SEED + " (WordPress core theme-compat/comments.php: 'Comments are closed.')",
    ),
    _signature(
        "comment_form.comment_count", "comment_form",
        _OPEN + r"(?:no|\d{1,5}|one)\s+(?:comments?|responses?|replies|thoughts)(?:\s+(?:so\s+far|yet|(?:on|to)\s+.{1,120}))?"
        + _CLOSE + r"|" + _OPEN + r"be\s+the\s+first\s+to\s+(?:comment|reply|respond)\b.{0,40}$",
        0.7, _GENERALISED + " (comment-count headings of blog themes: '3 Responses to ...', 'No comments yet')",
    ),
    _signature(
        "comment_form.login_to_comment", "comment_form",
        r"\byou\s+must\s+be\s+(?:logged|signed)\s+in\s+to\s+(?:post|leave|write)\s+a\s+(?:comment|reply)|"
        r"\b(?:log|sign)\s+in\s+to\s+(?:leave|post|write)\s+a\s+(?:comment|reply)",
        0.8, _GENERALISED + " (WordPress core: 'You must be logged in to post a comment.')",
    ),
    _signature(
        "comment_form.submit_comment", "comment_form",
        _OPEN + r"(?:post|submit|send|publish|add)\s+(?:a\s+|your\s+)?(?:comment|reply|response)" + _CLOSE,
        0.9, _SEED + " (WordPress core submit label 'Post Comment')",
    ),
    # --- form_field: single field labels; weak alone, a comment form when they co-occur --------------
    # The family counts the distinct *kinds* (name / email / website / message / submit) on a page; the
    # id suffix after the dot is the kind.
    _signature(
        "form_field.name", "form_field",
        _OPEN + r"(?:your\s+)?(?:full\s+)?(?:name|nickname|author)(?:\s*\((?:required|optional)\))?" + _CLOSE,
        0.2, _GENERALISED + " (comment/contact form label 'Name *')",
    ),
    _signature(
        "form_field.email", "form_field",
        _OPEN + r"(?:your\s+)?e-?mail(?:\s+address)?(?:\s*\((?:required|optional|will\s+not\s+be\s+published)\))?"
        + _CLOSE,
        0.2, _GENERALISED + " (form label 'Email *')",
    ),
    _signature(
        "form_field.website", "form_field",
        _OPEN + r"(?:your\s+)?(?:website|web\s*site|url|site|homepage)(?:\s+url)?(?:\s*\((?:optional)\))?" + _CLOSE,
        0.2, _GENERALISED + " (form label 'Website')",
    ),
    _signature(
        "form_field.message", "form_field",
        _OPEN + r"(?:your\s+)?(?:comment|message|reply|response)(?:\s+text)?" + _CLOSE,
        0.2, _GENERALISED + " (form label 'Comment')",
    ),
    _signature(
        "form_field.submit", "form_field",
        _OPEN + r"(?:post|submit|send|publish|add)(?:\s+(?:a\s+|your\s+)?(?:comment|reply|response|message))?"
        + _CLOSE,
        0.2, _GENERALISED + " (form submit button)",
    ),
    # --- rss_footer: the feed footer a scraper copies along with the article --------------------------
    _signature(
        "rss_footer.appeared_first_on", "rss_footer",
        r"\b(?:the|this)\s+" + _PIECE + r"\b.{0,300}?\b(?:(?:appeared|(?:was\s+)?(?:published|posted))\s+first|"
        r"(?:first|originally)\s+(?:appeared|published|posted|ran))\s+(?:on|at|in)\s+(?!\d)\S",
        1.0, _SEED + " (Yoast SEO RSS footer 'The post %1$s appeared first on %2$s.'; aggregator "
        "'This post appeared first on ...')",
        "any feed footer naming the piece and where it first appeared; a year after 'in' is prose, not a footer",
        short_line_only=False, keywords=("first", "originally"),
    ),
    _signature(
        "rss_footer.originally_published", "rss_footer",
        r"\b(?:originally|first)\s+(?:published|posted|appeared|ran)\s+(?:on|at|in|by)\s+(?!\d)\S",
        0.8, _GENERALISED + " (republication footers: 'Originally published at ...')",
        "also used by legitimate republishers (The Conversation licence footer); weight below 1",
        until=2,
    ),
    _signature(
        "rss_footer.published_elsewhere", "rss_footer",
        # v3 of originally_published: where it first appeared, not when. "First published on Nov 20, 2019"
        # is a news site's own timestamp line.
        r"\b(?:originally|first)\s+(?:published|posted|appeared|ran)\s+(?:on|at|in|by)\s+(?!\d)"
        r"(?!(?:" + _DATE_WORD + r")\b)\S",
        0.8, _GENERALISED + " (republication footers: 'Originally published at ...')",
        "also used by legitimate republishers (The Conversation licence footer); weight below 1",
        since=3,
    ),
    _signature(
        "rss_footer.read_entire", "rss_footer",
        r"\b(?:read|view|see|continue\s+reading)\s+(?:the\s+)?(?:entire|full|complete|original|rest\s+of\s+the)\s+"
        + _PIECE + r"\b",
        0.9, _SEED + " (aggregator footer '[Read the entire article here]')",
    ),
    # --- attribution: "Source link" / "Source:" / "Read more at" ------------------------------------
    _signature(
        "attribution.source_link", "attribution",
        _OPEN + r"(?:original\s+)?(?:source|article|story|post)\s+(?:link|url)" + _CLOSE,
        1.0, _SEED + " ('Source link' autoblog footer; listed there as not verified in plugin code)",
    ),
    _signature(
        "attribution.source_link_titled", "attribution",
        # The same link with the scraped headline beside it on the line, as autoblog themes print it
        # ("Source link <headline>"). A URL or domain after it is `credited_text_domain`'s to weigh.
        _OPEN + r"(?:original\s+)?source\s+link\s*[:\-\u2013\u2014|\u00bb\u203a>]*\s+"
        r"(?!\S*(?:https?://|www\.)|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}\b)(?=\W*\w)\S.{0,200}$",
        1.0, _SEED + " ('Source link' autoblog footer, with the headline it links to)",
        since=4,
    ),
    _signature(
        "attribution.source_colon", "attribution",
        _OPEN + r"(?:original\s+)?(?:source|sources|via|credit|courtesy|content\s+source|news\s+source)\s*[:\-\u2013|]"
        r"\s*\S.{0,150}$",
        0.6, _GENERALISED + " (attribution line 'Source: <site>'); newsrooms use 'Source:' under charts too",
        until=2,
    ),
    _signature(
        "attribution.source_label", "attribution",
        # v3 of source_colon: not a picture's credit ("Image credit: ...", "Credit: Getty Images").
        r"^(?!.*\b" + _MEDIA_WORD + r"\b)"
        + _OPEN + r"(?:original\s+)?(?:source|sources|via|credit|courtesy|content\s+source|news\s+source)"
        r"\s*[:\-\u2013|]\s*\S.{0,150}$",
        0.6, _GENERALISED + " (attribution line 'Source: <site>'); newsrooms use 'Source:' under charts too",
        since=3,
    ),
    _signature(
        "attribution.read_more_at", "attribution",
        # At the end of any line (the footer glued to the last paragraph of a plain-text copy) ...
        r"\b(?:read|continue\s+reading|see)\s+(?:more|the\s+(?:full|whole|complete|original|rest\s+of\s+the)\s+\w+)"
        r"\s+(?:at|on|from|via)\s+(?:\S+\s+){0,5}\S+\s*$",
        0.8, _GENERALISED + " ('Read more at <site>', 'Continue reading the story on <site>')",
        short_line_only=False, keywords=("read more", "read the", "reading more", "reading the", "see more", "see the"),
    ),
    _signature(
        "attribution.credited_domain", "attribution",
        r"\b(?:source[ds]?|original(?:ly)?|via|courtesy|credits?|republished|syndicated|reposted|imported|"
        r"aggregated|fetched|pulled|copied|borrowed|taken)\b.{0,100}?(?:https?://\S+|\bwww\.\S+|"
        r"\b[a-z0-9][a-z0-9-]{1,60}\.(?:com|net|org|info|co|news|xyz|online|site|club|io|biz|us|uk|in|au|ca)\b)",
        0.6, _GENERALISED + " (a line crediting the text to another site by its domain, whatever the verb: "
        "feed importers and scraper plugins print one; newsrooms credit photos the same way, hence 0.6)",
        since=2, until=2,
    ),
    _signature(
        "attribution.credited_text_domain", "attribution",
        # v3 of credited_domain: not when the line credits a picture ("Image credit: www.<maker>.com",
        # "Photo courtesy of <site>"), which is how newsrooms credit photos.
        r"^(?!.*\b" + _MEDIA_WORD + r"\b)"
        r".*\b(?:source[ds]?|original(?:ly)?|via|courtesy|credits?|republished|syndicated|reposted|imported|"
        r"aggregated|fetched|pulled|copied|borrowed|taken)\b.{0,100}?(?:https?://\S+|\bwww\.\S+|"
        r"\b[a-z0-9][a-z0-9-]{1,60}\.(?:com|net|org|info|co|news|xyz|online|site|club|io|biz|us|uk|in|au|ca)\b)",
        0.6, _GENERALISED + " (a line crediting the text to another site by its domain, whatever the verb: "
        "feed importers and scraper plugins print one)",
        since=3,
    ),
    _signature(
        "attribution.read_more_button", "attribution",
        # ... or a "Read more" link on its own line.
        _OPEN + r"(?:read|see|view)\s+(?:more|full\s+(?:story|article|post))\s*(?:\u00bb|>>|\.\.\.|\u2026)?" + _CLOSE,
        0.5, _GENERALISED + " ('Read More \u00bb' links of excerpt templates)",
    ),
    _signature(
        "attribution.originally_by", "attribution",
        r"\b(?:this\s+\w+\s+(?:is|was)\s+)?(?:originally\s+)?(?:written|posted|authored|reported)\s+by\s+.{1,80}\s+"
        r"(?:for|at|on)\s+\S.{0,80}$",
        0.5, _GENERALISED + " ('Originally written by X for Y' credit lines of reposts)",
    ),
    # --- share_widget: social sharing furniture ------------------------------------------------------
    _signature(
        "share_widget.click_to_share", "share_widget",
        r"\b(?:click|tap)\s+to\s+(?:share|tweet|pin|email|print)\b",
        1.0, _SEED + " (Jetpack sharing module 'Click to share on Twitter')",
    ),
    _signature(
        "share_widget.share_this_colon", "share_widget",
        _OPEN + r"(?:share|spread)\s+(?:this|the\s+\w+|it|on)?\s*[:\u2192>|]\s*(?:" + _SOCIAL + r"\b.*)?$",
        0.8, _SEED + " (Jetpack heading 'Share this:'; listed there as not directly verified)",
        "'Share this page' with no colon (BBC) is deliberately not matched",
    ),
    _signature(
        "share_widget.share_on_network", "share_widget",
        _OPEN + r"(?:share|post|send|pin|tweet)\s+(?:it\s+|this\s+)?(?:on|to|via|with)\s+" + _SOCIAL
        + r"(?:\s*\(opens\s+in\s+new\s+window\))?" + _CLOSE,
        0.5, _GENERALISED + " (share-button labels 'Share on Facebook', 'Send via WhatsApp')",
    ),
    _signature(
        "share_widget.like_loading", "share_widget",
        r"\blike\s+this:?\s+like\s+loading|\bloading\.\.\.\s*$|\bbe\s+the\s+first\s+to\s+like\s+this",
        1.0, _SEED + " (Jetpack likes widget 'Like this: Like Loading...')",
    ),
    _signature(
        "share_widget.share_count", "share_widget",
        _OPEN + r"\d[\d.,]*\s*k?\s+(?:shares|share|views|likes)" + _CLOSE,
        0.4, _GENERALISED + " (share/view counters of social plugins)",
    ),
    # --- related_list: headings of lists of other stories --------------------------------------------
    _signature(
        "related_list.you_may_like", "related_list",
        _OPEN + r"(?:you\s+(?:may|might|will|could|should)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in|want\s+to\s+read)"
        r"|(?:more|stories|articles|posts)\s+(?:like\s+this|you\s+(?:may|might|will|could)\s+(?:also\s+)?(?:like|enjoy|love|"
        r"have\s+missed))|"
        r"(?:recommended|picked|selected)\s+for\s+you|don'?t\s+miss(?:\s+(?:this|these|out))?|"
        r"(?:also|must)\s+read|read\s+(?:also|next|this\s+next)|what\s+to\s+read\s+next|"
        r"(?:around|elsewhere|more)\s+(?:on|from)\s+the\s+web)" + _CLOSE,
        0.8, _GENERALISED + " (recommendation headings of blog themes and widgets)",
    ),
    _signature(
        "related_list.related_posts", "related_list",
        _OPEN + r"(?:related|similar|recommended|popular|trending|recent|latest|featured|other|more|hot|"
        r"most\s+(?:read|popular|viewed))\s+(?:posts?|articles?|reads?|content|entries|items)"
        r"(?:\s+(?:now|this\s+week|today))?" + _CLOSE,
        0.6, _GENERALISED + " (blog widget titles 'Related posts', 'Recent Posts' (WordPress core widget))",
        "newsroom section titles ('Related Topics', 'Top Stories', 'Latest News') are deliberately not matched; "
        "the family also weighs headline lists by their relatedness to the body",
    ),
    # --- spinner_residue: spintax that was never spun ------------------------------------------------
    _signature(
        "spinner_residue.spintax", "spinner_residue",
        r"\{[^{}|\n]{1,80}(?:\|[^{}|\n]{0,80}){1,}\}",
        1.0, _SEED + " (spintax '{a|b|c}' of The Best Spinner API, PyPI 'tbs' README)",
        "unspun spintax in published text is near-certain spinner output",
        short_line_only=False, keywords=("|",),
    ),
    # --- template_residue: template variables the generator never filled ----------------------------
    _signature(
        "template_residue.placeholder", "template_residue",
        r"\{\{\s*[\w.\-]{1,40}\s*\}\}|%%[\w\-]{1,40}%%|\[(?:keyword|title|author|site_?name|date|city|"
        r"product|link|url|name)\]|\{(?:keyword|title|author|site_?name|city|product|link|url)\}",
        0.9, _GENERALISED + " (unfilled placeholders of page/article templates: '{{title}}', '%%sitename%%')",
        short_line_only=False, keywords=("{", "%%", "["),
    ),
    _signature(
        "template_residue.printf_placeholder", "template_residue",
        r"(?<![\w%])%(?:\d\$)?[sd](?![\w%])",
        0.9, _GENERALISED + " (WordPress i18n format strings left unformatted; Jetpack Likes prints "
        "'%d bloggers like this:' before its script fills the count, and a scrape of the raw page keeps it)",
        since=2,
    ),
    _signature(
        "template_residue.shortcode", "template_residue",
        # Shortcode names are lower case; "[VIDEO]" and "[PICTURES]" in a tabloid's headline list are not.
        r"\[/?(?-i:caption|gallery|embed|video|audio|playlist|contact-form-7|insert_php|vc_\w+|et_pb_\w+|su_\w+|"
        r"fusion_\w+|tweet|youtube)\b[^\]\n]{0,200}\]",
        0.9, _GENERALISED + " (WordPress shortcodes of core, Contact Form 7, WPBakery vc_, Divi et_pb_, "
        "Shortcodes Ultimate su_, Avada fusion_: printed raw when a post is copied out of its CMS)",
        short_line_only=False, keywords=("[",), since=2,
    ),
    # --- generic_byline: author placeholders -------------------------------------------------------
    _signature(
        "generic_byline.placeholder_author", "generic_byline",
        r"(?:^|\b(?:posted|written|published|uploaded)\s+)(?:[\W_]*by|author\s*:|posted\s+by|written\s+by)\s+"
        r"(?:the\s+)?(?:admin|administrator|adm|editor|editorial|webmaster|site\s*admin|siteadmin|"
        r"root|user\d*|guest|author|staff|team|newsdesk|content\s*team|web\s*desk|auto\s*post|bot|"
        r"wp[_-]?admin|superuser|moderator|publisher)\b(?![ \t]+(?:reporter|writer|correspondent|of|at)\b)",
        0.9, _GENERALISED + " (CMS default accounts as bylines: 'By admin', 'Posted by editor')",
        "'By Staff Reporter' and 'By Jane Smith, BBC News' are not matched",
    ),
    # --- syndication_disclaimer: republished-unedited notes ------------------------------------------
    _signature(
        "syndication_disclaimer.syndicated_feed", "syndication_disclaimer",
        r"\b(?:published|generated|sourced|republished|taken|received|carried)\s+(?:\w+\s+){0,2}(?:from|via|through)"
        r"\s+(?:a|an|the)?\s*(?:syndicated|wire|agency|news\s+agency|automated|rss)\s+(?:feed|service|copy)|"
        r"\bnot\s+been\s+edited\s+by\s+.{1,60}\s+staff",
        0.9, _SEED + " (NDTV 'published from a syndicated feed' / 'not been edited by ... staff')",
        "legitimate wire republishing, but it marks unedited copy",
        short_line_only=False, keywords=("syndicated", "wire", "agency", "automated", "rss", "edited by"),
    ),
    _signature(
        "syndication_disclaimer.auto_aggregated", "syndication_disclaimer",
        r"\b(?:auto(?:matically)?[\s-]*(?:aggregated|generated|published|posted|fetched|curated|imported))\b|"
        r"\b(?:aggregated|curated|compiled)\s+(?:automatically|by\s+(?:a|our)\s+(?:computer\s+program|bot|algorithm))",
        0.9, _GENERALISED + " (aggregator notes: 'This story is auto-aggregated by a computer program')",
        short_line_only=False, keywords=("auto", "aggregated", "curated", "compiled"),
    ),
    _signature(
        "syndication_disclaimer.no_ownership", "syndication_disclaimer",
        _DISOWNING_CLAIMS + r"(?:for|upon)\s+(?:removal|takedown|dmca)\b|" + _COPIED_FROM,
        1.0, _GENERALISED + " (scraper disclaimers disowning the content they republish)",
        short_line_only=False, keywords=_DISOWNING_KEYWORDS,
        until=2,
    ),
    _signature(
        "syndication_disclaimer.disowned_content", "syndication_disclaimer",
        # v3 of no_ownership: a removal is a takedown only when someone is asked for it ("contact us for
        # removal"); "lower numbers for removal" is a poll on an impeachment.
        _DISOWNING_CLAIMS
        + r"(?:contact|e-?mail|write\s+to|message|notify|inform)\s+(?:us|me|the\s+(?:admin|webmaster|editor))\b"
        r".{0,40}?\b(?:for|upon)\s+(?:removal|takedown)\b|(?:for|upon)\s+dmca\b|"
        r"\bdmca\s+(?:notices?|requests?|takedowns?|complaints?)\b|"
        + _COPIED_FROM,
        1.0, _GENERALISED + " (scraper disclaimers disowning the content they republish)",
        short_line_only=False, keywords=_DISOWNING_KEYWORDS,
        since=3,
    ),
    # --- subscribe_cookie: newsletter and consent furniture -----------------------------------------
    _signature(
        "subscribe_cookie.subscribe", "subscribe_cookie",
        r"\b(?:subscribe|sign\s+up|signup|join|opt\s+in)\b.{0,50}\b(?:newsletter|mailing\s+list|updates|"
        r"our\s+list|notifications|blog\s+via\s+email|by\s+e-?mail)|\benter\s+your\s+e-?mail\b|"
        r"\bjoin\s+[\d,]+\s+other\s+(?:subscribers|followers|readers)|"
        r"\b(?:delivered|straight|direct(?:ly)?)\s+to\s+your\s+inbox",
        0.3, _GENERALISED + " (newsletter/subscription prompts, Jetpack 'Join N other subscribers')",
    ),
    _signature(
        "subscribe_cookie.cookie_consent", "subscribe_cookie",
        r"\b(?:(?:this|our)\s+(?:web)?site\s+uses|we\s+use)\s+cookies\b|\b(?:accept|allow|reject|manage)\s+"
        r"(?:all\s+)?cookies\b|\bcookie\s+(?:policy|settings|preferences|consent)\b",
        0.2, _GENERALISED + " (cookie-consent banners; common on legitimate sites too)",
    ),
    # --- cms_default: untouched defaults of a blog installation ------------------------------------
    _signature(
        "cms_default.default_content", "cms_default",
        r"\buncategori[sz]ed\b|\bjust\s+another\s+\w+\s+(?:site|blog|weblog)\b|\bhello\s+world!|"
        r"\bsample\s+page\b|\b(?:proudly\s+)?powered\s+by\s+(?:wordpress|blogger|wix|ghost|joomla|drupal)|"
        r"\btheme\s*:\s*.{1,40}\s+by\s+\S",
        0.7, _GENERALISED + " (WordPress defaults: the 'Uncategorized' category, 'Just another WordPress site')",
    ),
    _signature(
        "cms_default.post_meta", "cms_default",
        _OPEN + r"(?:posted|filed|published)\s+(?:in|under)\s*:?\s+\S.{0,100}$|" + _OPEN
        + r"(?:tags|tagged(?:\s+with)?|categories|category)\s*:\s*\S.{0,150}$",
        0.3, _GENERALISED + " (blog post meta lines 'Posted in ...', 'Tags: ...')",
    ),
    # --- navigation: blog pagination between posts --------------------------------------------------
    _signature(
        "navigation.post_navigation", "navigation",
        _OPEN + r"(?:post|posts|article|entry)\s+navigation" + _CLOSE + r"|" + _OPEN
        + r"(?:previous|prev|next|older|newer)\s+(?:post|posts|article|entry|entries|story)\b.{0,120}$",
        0.5, _SEED + " (WordPress core 'Post navigation', 'Previous Post' / 'Next Post')",
    ),
)

CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(signature.category for signature in SIGNATURES))

# Form-field kinds; the family counts how many distinct kinds a page shows.
FORM_FIELD_CATEGORY = "form_field"


def form_field_kind(signature: Signature) -> str:
    """'name', 'email', 'website', 'message' or 'submit' for a form_field signature."""
    return signature.id.partition(".")[2]


def _gate(signatures: tuple[Signature, ...]) -> re.Pattern[str]:
    """One alternation of several signatures. Most lines match none, and one search per line (then one
    per category) instead of one per signature is what keeps the family within its time budget."""
    return re.compile("|".join(f"(?:{signature.pattern.pattern})" for signature in signatures), re.IGNORECASE)


_SHORT_LINE_GATE = _gate(SIGNATURES)
_CATEGORY_GATES: tuple[tuple[re.Pattern[str], tuple[Signature, ...]], ...] = tuple(
    (_gate(members), members)
    for members in (tuple(s for s in SIGNATURES if s.category == category) for category in CATEGORIES)
)
_LONG_LINE_SIGNATURES = tuple(signature for signature in SIGNATURES if not signature.short_line_only)


def matching_signatures(line: str, word_count: int | None = None) -> list[Signature]:
    """Every signature that matches one page line (the same answer as `Signature.matches`, faster)."""
    if word_count is None:
        word_count = len(line.split())
    if word_count <= SHORT_LINE_MAX_WORDS:
        if _SHORT_LINE_GATE.search(line) is None:
            return []
        found: list[Signature] = []
        for gate, members in _CATEGORY_GATES:
            if gate.search(line) is None:
                continue
            if len(members) == 1:
                found.append(members[0])
            else:
                found.extend(signature for signature in members if signature.pattern.search(line) is not None)
        return found
    lowered = " ".join(line.lower().split())  # keywords are written with single spaces
    return [
        signature for signature in _LONG_LINE_SIGNATURES
        if any(keyword in lowered for keyword in signature.keywords) and signature.pattern.search(line) is not None
    ]
