"""Page furniture around a verbatim article: scraped content-farm pages ("copy") and legitimate news pages.

A page is a list of Blocks, each with a region (top, meta, article, after, side, comments, bottom). One
renderer turns blocks into plain text (what a copy-paste or an html2text scrape gives) and several layouts
turn the same blocks into HTML (semantic HTML5, table layout, div soup), so that every family exists in both
forms and main-text extraction drops the furniture only some of the time.

Training families each have a signature component plus a random handful of others, every phrase drawn from
several wordings. Only families whose signature component is farm residue (RSS footer, scraper attribution,
placeholder byline, spintax: FARM_TEMPLATE_FAMILIES) make copies; the chrome-only families
(CHROME_TEMPLATE_FAMILIES) make originals, because every legitimate site has such chrome. The held-out families (training.splits.HELDOUT_TEMPLATE_FAMILIES: magazine,
aggregator, forum) use their own components, wordings and HTML layouts, none shared with training families.
Legitimate-chrome families (label "original", the hard negatives) carry the furniture of real news sites:
related topics that do relate, real-looking bylines, wire-service credits.

The article's paragraphs always appear verbatim (HTML-escaped in HTML output).
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .documents import Article

REGIONS = ("top", "meta", "article", "after", "side", "comments", "bottom")


@dataclass(frozen=True)
class Block:
    region: str
    lines: tuple[str, ...]
    heading: str = ""
    kind: str = "list"  # "list" (link-like items), "prose", "form", "paragraphs"


@dataclass(frozen=True)
class PageContext:
    """What a template may draw on besides the article: other headlines of the same split, and the rng."""

    rng: random.Random
    other_titles: Sequence[str]


@dataclass(frozen=True)
class Page:
    family: str
    title: str
    site: str
    blocks: tuple[Block, ...]
    layouts: tuple[str, ...]


# ============================================================================================ shared bits

_SITE_FIRST = ("daily", "news", "trend", "viral", "buzz", "world", "global", "top", "hot", "smart", "prime",
               "urban", "metro", "insider", "info", "net", "media", "pulse", "flash", "alpha", "zen", "blue")
_SITE_SECOND = ("news", "hub", "times", "today", "post", "wire", "daily", "feed", "report", "digest",
                "journal", "zone", "point", "central", "24", "now", "online", "world", "press", "spot")
_TLDS = (".com", ".net", ".org", ".info", ".co", ".news", ".online", ".xyz", ".co.uk", ".site", ".club")
_FIRST_NAMES = ("Jane", "David", "Sarah", "Michael", "Priya", "Tom", "Laura", "James", "Aisha", "Robert",
                "Helen", "Daniel", "Fiona", "Mark", "Claire", "Owen", "Nadia", "Peter", "Emma", "Kevin")
_LAST_NAMES = ("Smith", "Hughes", "Patel", "Morgan", "Clarke", "Davies", "O'Brien", "Walker", "Khan",
               "Roberts", "Evans", "Bennett", "Shaw", "Turner", "Mills", "Reid", "Fraser", "Doyle")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[rng.randrange(len(options))]


def site_identity(rng: random.Random) -> tuple[str, str]:
    """(display name, domain) of an invented site."""
    first, second = pick(rng, _SITE_FIRST), pick(rng, _SITE_SECOND)
    while second == first:
        second = pick(rng, _SITE_SECOND)
    style = rng.randrange(3)
    name = {0: f"{first.title()}{second.title()}", 1: f"{first.title()} {second.title()}",
            2: f"The {first.title()} {second.title()}"}[style]
    return name, f"{first}{second}{pick(rng, _TLDS)}"


def person_name(rng: random.Random) -> str:
    return f"{pick(rng, _FIRST_NAMES)} {pick(rng, _LAST_NAMES)}"


def date_string(rng: random.Random) -> str:
    year, month, day = rng.choice((2004, 2005, 2016, 2019, 2021, 2023)), rng.randint(1, 12), rng.randint(1, 28)
    formats = (
        f"{_MONTHS[month - 1]} {day}, {year}",
        f"{day} {_MONTHS[month - 1]} {year}",
        f"{year}-{month:02d}-{day:02d}",
        f"{day:02d}/{month:02d}/{year}",
        f"{_MONTHS[month - 1][:3]} {day}, {year}",
    )
    return pick(rng, formats)


def time_string(rng: random.Random) -> str:
    hour, minute = rng.randint(1, 12), rng.randint(0, 59)
    return f"{hour}:{minute:02d} {pick(rng, ('am', 'pm', 'AM', 'PM'))}"


def unrelated_titles(ctx: PageContext, own_title: str, low: int = 3, high: int = 7) -> list[str]:
    pool = [t for t in ctx.other_titles if t != own_title]
    if not pool:
        return []
    return ctx.rng.sample(pool, min(len(pool), ctx.rng.randint(low, high)))


_TOPIC_STOP = frozenset("The A An In On At He She It They We But And Mr Mrs Ms This That There Its His Her".split())


def topic_words(article: Article, limit: int = 5) -> list[str]:
    """Capitalised words that recur in the article: the related topics a real news page would list."""
    counts = Counter(m.group() for m in re.finditer(r"\b[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?\b", article.body))
    ranked = [w for w, n in counts.most_common() if n >= 2 and w.split()[0] not in _TOPIC_STOP]
    return ranked[:limit] or ([article.category.title()] if article.category else [])


def spintax(rng: random.Random, options: Sequence[str]) -> str:
    """Unexpanded spintax as left behind by a broken spinner: {a|b|c}."""
    chosen = rng.sample(list(options), min(len(options), rng.randint(2, 4)))
    return "{" + "|".join(chosen) + "}"


# ============================================================================================ components
# Each component returns a Block. Training components and held-out components never share a wording.

_NAV_ITEMS = ("Home", "News", "World", "Business", "Tech", "Entertainment", "Sports", "Health", "Lifestyle",
              "Politics", "Science", "Travel", "Contact", "About Us", "Celebrity", "Finance", "Latest")


def nav_block(rng: random.Random) -> Block:
    items = rng.sample(_NAV_ITEMS, rng.randint(4, 8))
    if rng.random() < 0.5:
        return Block("top", (" | ".join(items),))
    return Block("top", tuple(items))


def header_block(rng: random.Random, site: str) -> Block:
    taglines = ("Your daily dose of news", "Latest updates from around the world", "News you can trust",
                "Breaking news and more", "All the news that matters", "Stay informed", "")
    tagline = pick(rng, taglines)
    return Block("top", (site, tagline) if tagline else (site,), kind="prose")


def byline_admin_block(rng: random.Random) -> Block:
    who = pick(rng, ("admin", "Admin", "editor", "newsdesk", "staff", "webmaster", "siteadmin", "Editorial Team"))
    date = date_string(rng)
    forms = (
        f"By {who}", f"Posted by {who} on {date}", f"By {who} / {date}", f"Written by {who}",
        f"{date} by {who}", f"Author: {who}", f"posted on {date} by {who}", f"By {who} - {date} - 0 Comments",
        f"Published by {who} | {date} | Leave a comment",
    )
    return Block("meta", (pick(rng, forms),), kind="prose")


def comment_form_block(rng: random.Random) -> Block:
    lines = [
        pick(rng, ("Leave a Reply", "Leave a Comment", "Leave a reply", "Post a Comment", "Add Comment",
                   "Write a comment", "Join the discussion")),
        pick(rng, ("Cancel reply", "Cancel", "")),
        pick(rng, ("Your email address will not be published.", "Your email will never be published.",
                   "We will not publish your email address.", "Email address will not be shown publicly.")),
        pick(rng, ("Required fields are marked *", "Fields marked with * are required", "All fields required")),
        pick(rng, ("Comment", "Comment *", "Your comment")),
        pick(rng, ("Name *", "Name", "Your name")),
        pick(rng, ("Email *", "Email", "E-mail")),
        pick(rng, ("Website", "URL", "Site", "")),
        pick(rng, ("Save my name and email in this browser for my next comment.",
                   "Remember my details for the next time I comment.", "Notify me of follow-up comments by email.",
                   "Notify me of new posts by email.", "")),
        pick(rng, ("Post Comment", "Submit Comment", "Submit", "Send", "Post")),
    ]
    if rng.random() < 0.4:
        lines.insert(0, pick(rng, ("No Comments", "0 Comments", "Comments (0)", "Be the first to comment")))
    return Block("comments", tuple(line for line in lines if line), kind="form")


def rss_footer_block(rng: random.Random, title: str, site: str, domain: str) -> Block:
    forms = (
        f"The post {title} appeared first on {site}.",
        f"The post {title} appeared first on {domain}.",
        f"This article {title} was originally published on {site}.",
        f"{title} is a post from: {site}",
        f"The article {title} first appeared on {site}.",
        f"The post {title} was first published on {site}.",
        f"{title} was originally published on {domain}",
        f"This post {title} appeared first on {site} - {pick(rng, ('Latest News', 'Breaking News', 'News'))}.",
    )
    return Block("after", (pick(rng, forms),), kind="prose")


def source_link_block(rng: random.Random, domain: str) -> Block:
    other = f"www.{pick(rng, _SITE_FIRST)}{pick(rng, _SITE_SECOND)}{pick(rng, _TLDS)}"
    forms = ("Source link", f"Source: {other}", f"Via {other}", "Source", f"Source: {pick(rng, ('BBC', 'bbc.co.uk', 'Agencies', 'Web'))}",
             f"Read More: {other}", "Read more at source", f"Originally posted at {other}", f"Credit: {other}",
             f"Source link: https://{other}/news/{rng.randint(10000, 99999)}")
    return Block("after", (pick(rng, forms),), kind="prose")


def share_block(rng: random.Random) -> Block:
    styles = (
        ("Share this:", "Click to share on Twitter (Opens in new window)", "Click to share on Facebook (Opens in new window)",
         "Click to email this to a friend (Opens in new window)"),
        ("Share this:", "Twitter", "Facebook", "Like this:", "Like Loading..."),
        ("Tweet", "Pin It", "Share", "Email", "WhatsApp"),
        (f"{rng.randint(0, 999)} Shares", "Facebook", "Twitter", "Pinterest", "LinkedIn"),
        ("Share on Facebook", "Share on Twitter", "Share on WhatsApp", "Share via Email"),
        ("SHARE", "TWEET", "PIN", "EMAIL"),
        ("Spread the love",),
        ("Share this article", "Copy link", "Link copied!"),
    )
    return Block("after", pick(rng, styles))


def related_block(rng: random.Random, titles: list[str]) -> Block:
    heading = pick(rng, ("Related posts", "Related Posts:", "More like this", "You may also like", "Trending now",
                         "Recommended for you", "Related Articles", "You might also like", "Popular Posts",
                         "More from this category", "Don't Miss", "Trending Now", "Related"))
    return Block("after", tuple(titles), heading=heading)


def tag_block(rng: random.Random, article: Article, titles: list[str]) -> Block:
    words = [w.lower() for t in titles for w in t.split() if len(w) > 3][:10]
    words += [w.lower() for w in topic_words(article, 3)]
    if article.category:
        words.append(article.category)
    rng.shuffle(words)
    words = list(dict.fromkeys(words))[: rng.randint(4, 12)]
    label = pick(rng, ("Tags:", "Tagged:", "TAGS", "Tags", "Filed under:", "Topics:", "Keywords:"))
    if rng.random() < 0.5:
        return Block("after", (f"{label} {', '.join(words)}",), kind="prose")
    return Block("after", tuple(words), heading=label.rstrip(":"))


def category_line_block(rng: random.Random, article: Article) -> Block:
    category = (article.category or pick(rng, ("News", "Uncategorized", "World"))).title()
    forms = (f"Posted in {category}", f"Categories: {category}, Uncategorized", f"Filed under {category}",
             f"Category: {category}", f"Posted in {category} | Leave a comment", "Uncategorized")
    return Block("after", (pick(rng, forms),), kind="prose")


def cookie_block(rng: random.Random) -> Block:
    first = pick(rng, (
        "We use cookies so that you get the best possible experience on this site.",
        "This website uses cookies to improve your experience.",
        "We use cookies to personalise content and ads and to analyse our traffic.",
        "By continuing to browse you consent to the cookies we use.",
        "This site uses cookies. By continuing to browse the site, you are agreeing to our use of cookies.",
    ))
    second = pick(rng, ("Carry on browsing and we will take it that you are fine with that.",
                        "We'll assume you're ok with this, but you can opt-out if you wish.", "Learn more", ""))
    buttons = pick(rng, (("Accept", "Reject"), ("Ok",), ("Accept", "Read More"), ("Got it!",), ("I agree", "Privacy Policy")))
    lines = [first] + ([second] if second else []) + list(buttons)
    return Block(pick(rng, ("top", "bottom")), tuple(lines), kind="form")


def newsletter_block(rng: random.Random, site: str) -> Block:
    lines = (
        pick(rng, ("Subscribe to our newsletter", "Sign up for our newsletter", "Get the latest news delivered to your inbox",
                   "Subscribe to Our Newsletter", "Never miss a story", f"Join the {site} mailing list")),
        pick(rng, ("Enter your email address", "Your email", "Email Address", "Enter your email")),
        pick(rng, ("Subscribe", "Sign Up", "Submit", "Join Now", "SUBSCRIBE")),
        pick(rng, ("We respect your privacy.", "No spam, unsubscribe anytime.", "We hate spam as much as you do.", "")),
    )
    return Block(pick(rng, ("after", "side", "bottom")), tuple(line for line in lines if line), kind="form")


def pagination_block(rng: random.Random, titles: list[str]) -> Block:
    prev_title = titles[0] if titles else "Previous"
    next_title = titles[-1] if titles else "Next"
    forms = (
        ("« Previous Post", prev_title, "Next Post »", next_title),
        (f"Previous article {prev_title}", f"Next article {next_title}"),
        ("Page 1 of 3", "1 2 3 Next »"),
        ("« Older Entries", "Newer Entries »"),
        (f"← {prev_title}", f"{next_title} →"),
        ("PREVIOUS POST", prev_title, "NEXT POST", next_title),
    )
    return Block("after", pick(rng, forms))


def sidebar_block(rng: random.Random, titles: list[str]) -> Block:
    parts: list[str] = [pick(rng, ("Recent Posts", "Latest Posts", "Recent Articles"))] + titles[:5]
    if rng.random() < 0.6:
        parts += ["Recent Comments", pick(rng, ("No comments to show.", "admin on Hello world!"))]
    if rng.random() < 0.6:
        year = rng.choice((2016, 2019, 2021, 2023))
        parts += ["Archives"] + [f"{m} {year}" for m in rng.sample(_MONTHS, rng.randint(3, 6))]
    if rng.random() < 0.5:
        parts += ["Meta", "Log in", "Entries feed", "Comments feed", "WordPress.org"]
    if rng.random() < 0.3:
        parts += ["Search for:", "Search"]
    return Block("side", tuple(parts))


def ad_block(rng: random.Random) -> Block:
    return Block(pick(rng, ("top", "after", "side")),
                 (pick(rng, ("Advertisement", "ADVERTISEMENT", "Sponsored", "Sponsored Content", "Ad", "Ads by Google",
                             "- Advertisement -", "Continue Reading Below", "Promoted Stories")),),
                 kind="prose")


def spintax_block(rng: random.Random, site: str) -> Block:
    """Broken spinner output left in a site's intro or outro: unexpanded {a|b} choices."""
    forms = (
        (f"{spintax(rng, ('Hello', 'Hi', 'Hey', 'Greetings'))} {spintax(rng, ('readers', 'friends', 'everyone', 'guys'))}, "
         f"{spintax(rng, ('here is', 'check out', 'take a look at', 'read'))} {spintax(rng, ('today', 'this', 'the latest'))} "
         f"{spintax(rng, ('news', 'story', 'update', 'article'))}."),
        (f"{spintax(rng, ('Great', 'Awesome', 'Wonderful', 'Fantastic'))} {spintax(rng, ('post', 'article', 'read'))}! "
         f"{spintax(rng, ('Thanks', 'Thank you', 'Cheers'))} for {spintax(rng, ('sharing', 'reading', 'visiting'))}."),
        (f"{spintax(rng, ('Please', 'Kindly', 'Do'))} {spintax(rng, ('share', 'like', 'bookmark'))} this "
         f"{spintax(rng, ('post', 'article', 'page'))} on {site}."),
    )
    return Block(pick(rng, ("meta", "after")), (pick(rng, forms),), kind="prose")


def footer_block(rng: random.Random, site: str) -> Block:
    year = rng.choice((2016, 2019, 2020, 2021, 2022, 2023))
    lines = [
        pick(rng, (f"Copyright © {year} {site}. All rights reserved.", f"© {year} {site}", f"{site} © {year}",
                   f"Copyright {year} | {site} | Powered by WordPress", f"© {year} {site} | Theme by {pick(rng, ('MH Themes', 'ThemeGrill', 'Jegtheme', 'tagDiv'))}")),
    ]
    if rng.random() < 0.6:
        lines.append(" | ".join(rng.sample(["About Us", "Contact", "Privacy Policy", "Terms of Use", "Disclaimer",
                                            "DMCA", "Advertise", "Sitemap"], rng.randint(3, 6))))
    return Block("bottom", tuple(lines))


def article_block(article: Article) -> Block:
    return Block("article", tuple(article.paragraphs), heading=article.title, kind="paragraphs")


# ============================================================================================ copy families

Component = Callable[["_Kit"], Block]


@dataclass(frozen=True)
class _Kit:
    """Everything a component may need, bundled so families compose components uniformly."""

    rng: random.Random
    article: Article
    site: str
    domain: str
    titles: list[str]


_TRAINING_COMPONENTS: dict[str, Component] = {
    "wordpress": lambda k: comment_form_block(k.rng),
    "rss_footer": lambda k: rss_footer_block(k.rng, k.article.title, k.site, k.domain),
    "source_link": lambda k: source_link_block(k.rng, k.domain),
    "share_widget": lambda k: share_block(k.rng),
    "related_posts": lambda k: related_block(k.rng, k.titles),
    "tag_cloud": lambda k: tag_block(k.rng, k.article, k.titles),
    "byline_admin": lambda k: byline_admin_block(k.rng),
    "spintax": lambda k: spintax_block(k.rng, k.site),
    "cookie_banner": lambda k: cookie_block(k.rng),
    "newsletter": lambda k: newsletter_block(k.rng, k.site),
    "pagination": lambda k: pagination_block(k.rng, k.titles),
    "sidebar_widgets": lambda k: sidebar_block(k.rng, k.titles),
    "ad_slots": lambda k: ad_block(k.rng),
    "category_line": lambda k: category_line_block(k.rng, k.article),
}

# Family name -> its signature components (always present). Others are added at random.
TRAINING_TEMPLATE_FAMILIES: dict[str, tuple[str, ...]] = {
    "wordpress": ("wordpress", "category_line"),
    "rss_footer": ("rss_footer",),
    "source_link": ("source_link",),
    "share_widget": ("share_widget",),
    "related_posts": ("related_posts",),
    "tag_cloud": ("tag_cloud",),
    "byline_admin": ("byline_admin",),
    "spintax": ("spintax",),
    "cookie_banner": ("cookie_banner",),
    "newsletter": ("newsletter",),
    "pagination": ("pagination",),
    "sidebar_widgets": ("sidebar_widgets",),
    "ad_slots": ("ad_slots", "ad_slots"),
}


# What a farm *adds* to a page, as opposed to chrome every site has: a family made of these components is a
# copy. The other families' components (comment forms, share rows, "Related posts", tag clouds, cookie and
# newsletter boxes, pagination, sidebars, ad slots) are on legitimate pages everywhere (measured on
# `pages/real-pages.jsonl`: comment forms on a quarter of real pages, newsletter boxes on a third), so a
# page made only of them is an original with chrome (issue #11).
FARM_RESIDUE_COMPONENTS = frozenset({"rss_footer", "source_link", "byline_admin", "spintax"})
FARM_TEMPLATE_FAMILIES = tuple(f for f, parts in TRAINING_TEMPLATE_FAMILIES.items()
                               if FARM_RESIDUE_COMPONENTS & set(parts))
CHROME_TEMPLATE_FAMILIES = tuple(f for f in TRAINING_TEMPLATE_FAMILIES if f not in FARM_TEMPLATE_FAMILIES)


def _training_copy_page(family: str, article: Article, ctx: PageContext) -> Page:
    """A page of a training family. Chrome-only families draw their extra components from chrome only, so
    they never carry farm residue; farm families draw from every component."""
    rng = ctx.rng
    site, domain = site_identity(rng)
    kit = _Kit(rng, article, site, domain, unrelated_titles(ctx, article.title))
    names = list(TRAINING_TEMPLATE_FAMILIES[family])
    chrome_only = family in CHROME_TEMPLATE_FAMILIES
    extras = [n for n in _TRAINING_COMPONENTS
              if n not in names and not (chrome_only and n in FARM_RESIDUE_COMPONENTS)]
    names += rng.sample(extras, rng.randint(0, 3))
    blocks = [component(kit) for component in (_TRAINING_COMPONENTS[n] for n in names)]
    if rng.random() < 0.7:
        blocks.append(header_block(rng, site))
    if rng.random() < 0.6:
        blocks.append(nav_block(rng))
    if rng.random() < 0.6:
        blocks.append(footer_block(rng, site))
    blocks.append(article_block(article))
    kind = "chrome" if chrome_only else "template"
    return Page(f"{kind}:{family}", article.title, site, _order(blocks, rng), ("semantic", "table", "divsoup"))


# ---------------------------------------------------------------------- held-out families (own wording)


def _magazine_page(article: Article, ctx: PageContext) -> Page:
    """Long-form magazine layout: kicker, standfirst-free hero, pull quote, paywall nag, "Read next" cards."""
    rng = ctx.rng
    name = f"{pick(rng, ('Modern', 'Open', 'Bright', 'Clever', 'Weekend', 'Grand'))} {pick(rng, ('Review', 'Quarterly', 'Monthly', 'Edit', 'Almanac', 'Ledger'))}"
    titles = unrelated_titles(ctx, article.title, 2, 4)
    paragraphs = article.paragraphs
    quote_source = paragraphs[min(1, len(paragraphs) - 1)] if paragraphs else article.title
    quote = " ".join(quote_source.split()[: rng.randint(8, 16)])
    blocks = [
        Block("top", (name.upper(), pick(rng, ("Culture · Ideas · Money", "Stories worth your time", "Read slowly")))),
        Block("meta", (pick(rng, ("FEATURE", "LONG READ", "THE BIG STORY", "ESSAY", "IN DEPTH")),
                       f"{pick(rng, ('Words', 'Story', 'Text'))} by {pick(rng, ('our correspondent', 'the editors', 'a contributor', 'guest writer'))}",
                       f"{rng.randint(4, 15)} min read"), kind="prose"),
        Block("after", (f"\u201c{quote}\u2026\u201d",), kind="prose"),
        Block("after", (pick(rng, ("You have reached your limit of free articles this month.",
                                   f"Enjoying this? Become a member of {name} from just 1 a week.",
                                   "Support independent journalism. Become a patron today.")),
                        pick(rng, ("Become a member", "Already a member? Sign in", "Unlock all stories"))), kind="form"),
        Block("after", tuple(f"{t} \u2014 {rng.randint(3, 12)} min" for t in titles),
              heading=pick(rng, ("Read next", "Keep reading", "From the archive", "Editors' choice"))),
        # The farm's residue, in wording no training family uses: where the story was lifted from.
        Block("after", (pick(rng, (f"Republished automatically from {site_identity(rng)[1]}",
                                   f"Story lifted via feed: {site_identity(rng)[1]}",
                                   f"Imported item #{rng.randint(100, 99999)} - original at {site_identity(rng)[1]}")),),
              kind="prose"),
        Block("bottom", (f"{name} is published {pick(rng, ('monthly', 'quarterly', 'every Sunday'))}.",
                         pick(rng, ("Masthead · Submissions · Stockists", "Print edition · Back issues · Gift a subscription")))),
        article_block(article),
    ]
    return Page("template:magazine", article.title, name, _order(blocks, rng), ("cards",))


def _aggregator_page(article: Article, ctx: PageContext) -> Page:
    """Feed aggregator: the item sits among other feed cards with scores, a "via" credit and an auto-post note."""
    rng = ctx.rng
    name = f"{pick(rng, ('Feed', 'News', 'Story', 'Link'))}{pick(rng, ('ly', 'stack', 'river', 'mill', 'board', 'roll'))}"
    outlet = pick(rng, ("bbc.co.uk", "news.example.org", "worldwire.example", "dailypaper.example"))
    cards = unrelated_titles(ctx, article.title, 3, 6)
    blocks = [
        Block("top", (name, pick(rng, ("Top", "New", "Rising", "Hot")), pick(rng, ("All feeds", "My feeds", "Discover")))),
        Block("meta", (f"{rng.randint(2, 980)} points \u00b7 {rng.randint(1, 23)}h \u00b7 {outlet}",
                       pick(rng, ("Curated automatically", "Auto-imported from RSS", "Picked by our algorithm"))),
              kind="prose"),
        Block("after", (pick(rng, (f"Continue reading on {outlet}", f"Full story: {outlet}", f"Open original ({outlet})")),
                        pick(rng, ("This item was aggregated automatically and has not been reviewed.",
                                   "Content is syndicated from third-party feeds; rights belong to their owners.",
                                   "Imported by our feed bot."))), kind="prose"),
        Block("after", tuple(f"{t} ({rng.randint(1, 400)} comments)" for t in cards),
              heading=pick(rng, ("In the stream", "Other stories in this feed", "Also in the river"))),
        Block("side", (pick(rng, ("Add feed", "Import OPML", "Manage sources")), f"{rng.randint(10, 900)} sources tracked")),
        Block("bottom", (f"{name} \u2014 {pick(rng, ('reader', 'aggregator', 'news river'))}",
                         pick(rng, ("API · Status · Help", "Bookmarklet · Extensions · Help")))),
        article_block(article),
    ]
    return Page("template:aggregator", article.title, name, _order(blocks, rng), ("cards",))


def _forum_page(article: Article, ctx: PageContext) -> Page:
    """Forum thread whose first post pastes the article; replies and a signature follow."""
    rng = ctx.rng
    board = pick(rng, ("General Discussion", "Current Affairs", "Off Topic", "News & Politics", "The Lounge"))
    user = pick(rng, ("newsbot77", "Gazza", "mikeyP", "just_asking", "OldTimer", "readerX", "kiwi_sam"))
    repliers = rng.sample(["Deano", "tess_w", "quietguy", "Bazza", "LilyR", "opinionated1", "ferret"], 3)
    replies = [
        f"{r} wrote: " + pick(rng, ("interesting, cheers for posting", "saw this earlier, madness",
                                      "source?", "doesn't surprise me one bit", "bump", "+1"))
        for r in repliers[: rng.randint(1, 3)]
    ]
    blocks = [
        Block("top", (f"Forum index \u203a {board}", f"Thread: {article.title}", pick(rng, ("Page 1 of 1", "Pages: 1")))),
        Block("meta", (f"{user}", pick(rng, ("Junior Member", "Senior Member", "Regular", "Newbie")),
                       f"Joined: {pick(rng, _MONTHS)[:3]} {rng.randint(2003, 2012)}", f"Posts: {rng.randint(3, 9000)}",
                       f"Posted: {date_string(rng)} {time_string(rng)}"), kind="prose"),
        Block("after", (pick(rng, (f"[original story: https://{site_identity(rng)[1]}/{rng.randint(1000, 9999)}]",
                                   f"copied from {site_identity(rng)[1]} by newsbot",
                                   "(auto-posted by the news feed bot)")),), kind="prose"),
        Block("after", (f"_{pick(rng, ('Sent from my phone', 'Keep calm and carry on', 'my views are my own'))}_",
                        pick(rng, ("Quote", "Reply with quote", "Report post")))),
        Block("comments", tuple(replies), heading=pick(rng, ("Replies", "Re: " + article.title))),
        Block("bottom", (pick(rng, ("Who is online", "Users browsing this thread")),
                         f"{rng.randint(1, 40)} guests", pick(rng, ("Powered by a forum engine", "Forum software © its authors")))),
        article_block(article),
    ]
    return Page("template:forum", article.title, board, _order(blocks, rng), ("thread",))


HELDOUT_FAMILY_BUILDERS: dict[str, Callable[[Article, PageContext], Page]] = {
    "magazine": _magazine_page,
    "aggregator": _aggregator_page,
    "forum": _forum_page,
}


# ============================================================================================ legitimate chrome


def _news_site_page(article: Article, ctx: PageContext) -> Page:
    """A real news outlet's page: named byline, timestamps, image captions, related topics that relate."""
    rng = ctx.rng
    outlet = pick(rng, ("The Morning Herald", "City Gazette", "The Evening Courier", "Northern Chronicle",
                        "BBC News", "The National Observer"))
    topics = topic_words(article)
    blocks = [
        Block("top", tuple(rng.sample(["Home", "UK", "World", "Business", "Politics", "Tech", "Science", "Health",
                                       "Entertainment & Arts", "Sport", "Weather"], rng.randint(5, 9)))),
        Block("meta", tuple(x for x in (
            pick(rng, (f"By {person_name(rng)}", f"By {person_name(rng)}, {pick(rng, ('business', 'political', 'technology', 'sports'))} correspondent",
                       f"{person_name(rng)}", "")),
            pick(rng, (f"Published {rng.randint(1, 23)} hours ago", f"Published {date_string(rng)}",
                       f"{date_string(rng)}", f"Last updated {date_string(rng)}, {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} GMT")),
        ) if x), kind="prose"),
        Block("after", ("Related Topics",) + tuple(topics)) if topics else Block("after", ("Share this page",)),
        Block("after", (pick(rng, ("Share this page", "Share", "Share this article")),
                        *rng.sample(["Email", "Facebook", "Twitter", "Messenger", "WhatsApp", "LinkedIn"], rng.randint(0, 4)))),
        Block("bottom", (pick(rng, (f"Copyright © {rng.choice((2005, 2019, 2023))} {outlet}. All rights reserved.",
                                    f"© {outlet} {rng.choice((2005, 2021))}",
                                    f"{outlet} is not responsible for the content of external sites.")),)),
        article_block(article),
    ]
    if rng.random() < 0.5:
        blocks.append(Block("meta", (f"Image caption, {pick(rng, topics or ['The scene'])} {pick(rng, ('earlier this year', 'in a file photo', 'pictured last month'))}",
                                     f"Image source, {pick(rng, ('Getty Images', 'Reuters', 'PA Media', 'AFP'))}"), kind="prose"))
    return Page("chrome:news_site", article.title, outlet, _order(blocks, rng), ("semantic", "table", "divsoup"))


def _wire_page(article: Article, ctx: PageContext) -> Page:
    """Syndicated wire copy as newspapers legitimately run it: dateline, agency credit, agency copyright."""
    rng = ctx.rng
    agency = pick(rng, ("Reuters", "AP", "AFP", "PA"))
    city = pick(rng, ("LONDON", "NEW YORK", "WASHINGTON", "BRUSSELS", "PARIS", "TOKYO", "MANCHESTER"))
    paragraphs = list(article.paragraphs)
    lead = f"{city} ({agency}) - " if agency in ("Reuters", "AFP") else f"{city} ({agency}) \u2014 "
    if paragraphs:
        paragraphs[0] = lead + paragraphs[0]
    credits = {
        "Reuters": f"(Reporting by {person_name(rng)}; Editing by {person_name(rng)})",
        "AP": f"Copyright {rng.choice((2005, 2019, 2023))} The Associated Press. All rights reserved. Not to be republished, rebroadcast or redistributed without permission.",
        "AFP": f"\u00a9 {rng.choice((2005, 2020))} AFP",
        "PA": "Press Association",
    }
    body = Article(article.title, "\n\n".join(paragraphs), article.category)
    blocks = [Block("after", (credits[agency],), kind="prose"), article_block(body)]
    if rng.random() < 0.5:
        blocks.append(Block("meta", (pick(rng, (f"By {agency} staff", f"{agency}", f"From {agency}")),
                                     f"{date_string(rng)}"), kind="prose"))
    return Page("chrome:wire", article.title, agency, _order(blocks, rng), ("semantic", "table", "divsoup"))


LEGIT_FAMILY_BUILDERS: dict[str, Callable[[Article, PageContext], Page]] = {
    "news_site": _news_site_page,
    "wire": _wire_page,
}


def copy_page(family: str, article: Article, ctx: PageContext) -> Page:
    """A scraped-copy page of a training or held-out template family."""
    if family in HELDOUT_FAMILY_BUILDERS:
        return HELDOUT_FAMILY_BUILDERS[family](article, ctx)
    return _training_copy_page(family, article, ctx)


def legit_page(family: str, article: Article, ctx: PageContext) -> Page:
    """An original's page: a newsroom or wire layout, or a chrome-only training family."""
    if family in CHROME_TEMPLATE_FAMILIES:
        return _training_copy_page(family, article, ctx)
    return LEGIT_FAMILY_BUILDERS[family](article, ctx)


def _order(blocks: list[Block], rng: random.Random) -> tuple[Block, ...]:
    """Sort blocks by region; within a region keep a random order so line order varies across pages."""
    rng.shuffle(blocks)
    return tuple(sorted(blocks, key=lambda b: REGIONS.index(b.region)))


# ============================================================================================ rendering


def render_text(page: Page, rng: random.Random) -> str:
    """The page as a text scrape: blocks separated by blank lines, list items one per line."""
    chunks: list[str] = []
    for block in page.blocks:
        if block.kind == "paragraphs":
            if block.heading and rng.random() < 0.85:
                chunks.append(block.heading)
            chunks.append("\n\n".join(block.lines))
            continue
        lines = ([block.heading] if block.heading else []) + list(block.lines)
        joiner = "\n" if block.kind != "list" or rng.random() < 0.8 else " "
        chunks.append(joiner.join(lines))
    return "\n\n".join(chunk for chunk in chunks if chunk.strip())


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _list_html(block: Block, tag: str = "ul") -> str:
    heading = f"<h3>{_escape(block.heading)}</h3>" if block.heading else ""
    if block.kind == "list":
        items = "".join(f'<li><a href="#">{_escape(line)}</a></li>' for line in block.lines)
        return f"{heading}<{tag}>{items}</{tag}>"
    if block.kind == "form":
        fields = "".join(f"<label>{_escape(line)}</label>" for line in block.lines)
        return f'{heading}<form action="#" method="post">{fields}<input type="text"><button>OK</button></form>'
    return heading + "".join(f"<p>{_escape(line)}</p>" for line in block.lines)


def _article_html(block: Block) -> str:
    return f"<h1>{_escape(block.heading)}</h1>" + "".join(f"<p>{_escape(p)}</p>" for p in block.lines)


def _region_html(page: Page, region: str, kinds: tuple[str, ...] = ("list", "prose", "form")) -> str:
    return "".join(_list_html(b) for b in page.blocks if b.region == region and b.kind in kinds)


def _article_region(page: Page) -> str:
    return "".join(_article_html(b) for b in page.blocks if b.region == "article")


def _head(page: Page) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_escape(page.title)} - '
            f'{_escape(page.site)}</title></head>')


def _semantic_layout(page: Page) -> str:
    return (
        _head(page) + "<body><header>" + _region_html(page, "top") + "</header><main><article>"
        + f'<div class="entry-meta">{_region_html(page, "meta")}</div>'
        # Scraped feeds put footers such as "The post ... appeared first on" inside the post body, where
        # main-text extraction keeps them; widgets sit outside it.
        + f'<div class="entry-content">{_article_region(page)}{_region_html(page, "after", ("prose",))}</div>'
        + f'<div class="entry-footer">{_region_html(page, "after", ("list", "form"))}</div></article>'
        + f'<aside class="sidebar">{_region_html(page, "side")}</aside></main>'
        + f'<section id="comments">{_region_html(page, "comments")}</section>'
        + f"<footer>{_region_html(page, 'bottom')}</footer></body></html>"
    )


def _table_layout(page: Page) -> str:
    return (
        _head(page) + '<body><table width="100%" border="0" cellpadding="4">'
        + f'<tr><td colspan="2">{_region_html(page, "top")}</td></tr>'
        + f'<tr><td valign="top" width="72%">{_region_html(page, "meta")}{_article_region(page)}'
        + f'{_region_html(page, "after", ("prose",))}</td></tr><tr><td>'
        + f'{_region_html(page, "after", ("list", "form"))}{_region_html(page, "comments")}</td>'
        + f'<td valign="top">{_region_html(page, "side")}</td></tr>'
        + f'<tr><td colspan="2">{_region_html(page, "bottom")}</td></tr></table></body></html>'
    )


def _divsoup_block(block: Block) -> str:
    if block.kind == "paragraphs":
        body = "<br><br>".join(_escape(p) for p in block.lines)
        return f'<div class="ttl"><b>{_escape(block.heading)}</b></div><div class="txt">{body}</div>'
    lines = ([block.heading] if block.heading else []) + list(block.lines)
    return '<div class="w">' + "".join(f"<div><span>{_escape(line)}</span></div>" for line in lines) + "</div>"


def _divsoup_layout(page: Page) -> str:
    inner = "".join(_divsoup_block(b) for b in page.blocks)
    return _head(page) + f'<body><div id="wrap"><div class="c1"><div class="c2">{inner}</div></div></div></body></html>'


def _cards_layout(page: Page) -> str:
    """Held-out layout: sections of figure cards, the story in a <main> with <figure> quotes."""
    def section(region: str) -> str:
        cards = "".join(
            f'<section class="card"><h4>{_escape(b.heading)}</h4>'
            + "".join(f'<figure><figcaption>{_escape(line)}</figcaption></figure>' for line in b.lines)
            + "</section>"
            for b in page.blocks if b.region == region
        )
        return cards
    return (
        _head(page) + f'<body><div class="masthead">{section("top")}</div><main class="story">'
        + f'<div class="kicker">{section("meta")}</div>{_article_region(page)}{section("after")}</main>'
        + f'<div class="rail">{section("side")}</div><div class="colophon">{section("bottom")}</div></body></html>'
    )


def _thread_layout(page: Page) -> str:
    """Held-out layout: forum table with post rows, author cell on the left."""
    def rows(region: str) -> str:
        return "".join(
            '<tr class="post"><td class="postbody">'
            + (f"<b>{_escape(b.heading)}</b><br>" if b.heading else "")
            + "<br>".join(_escape(line) for line in b.lines) + "</td></tr>"
            for b in page.blocks if b.region == region
        )
    article = "".join(f"<br><br>{_escape(p)}" for b in page.blocks if b.region == "article" for p in b.lines)
    return (
        _head(page) + f'<body><table class="forumline">{rows("top")}<tr class="post"><td class="profile">'
        + "<br>".join(_escape(l) for b in page.blocks if b.region == "meta" for l in b.lines)
        + f'</td><td class="postbody"><b>{_escape(page.title)}</b>{article}</td></tr>'
        + f'{rows("after")}{rows("comments")}{rows("bottom")}</table></body></html>'
    )


_LAYOUTS: dict[str, Callable[[Page], str]] = {
    "semantic": _semantic_layout,
    "table": _table_layout,
    "divsoup": _divsoup_layout,
    "cards": _cards_layout,
    "thread": _thread_layout,
}


def render_html(page: Page, rng: random.Random) -> tuple[str, str]:
    """(html, layout name) with a layout chosen among the page family's layouts."""
    layout = pick(rng, page.layouts)
    return _LAYOUTS[layout](page), layout


ALL_COPY_FAMILIES = FARM_TEMPLATE_FAMILIES + tuple(HELDOUT_FAMILY_BUILDERS)
