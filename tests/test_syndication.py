"""Syndication is not scraping (issue #28): a publisher's credit to its own brand, or one a page marks as a
partner republication, is reported and read by no feature; a scraper's credit to another site stays
residue."""

from __future__ import annotations

import random

import pytest

from spindetect import Detector
from spindetect.features.boilerplate import Boilerplate
from spindetect.io import InputItem
from spindetect.learn import Example
from spindetect.learn._trainer import cache_digest
from spindetect.pipeline import prepare_document
from spindetect.text._syndication import PageIdentity, find_syndication, may_carry_credit, without_syndication
from training.generators.theme_pages import THEMES, theme_page

ARTICLE = [
    "The city council voted on Tuesday to expand the night bus network to four more districts, after a "
    "year in which ridership on the existing routes rose by a third.",
    "Council members said the extension would be paid for from the transport budget without raising fares, "
    "and that the first new routes would run from the spring.",
    "Residents of the outer districts had campaigned for the change for two years, saying that shift "
    "workers had no way home after midnight other than taxis they could not afford.",
    "The operator said it would hire forty more drivers and that the new timetable would be published in "
    "February, once the routes had been approved by the regional transport authority.",
]

CASES = [
    # (page lines, what the page says of itself, the kind expected or None)
    ([""], PageIdentity(), None),
    (["This article originally appeared on VICE US."], PageIdentity(names=("VICE",)), "own_brand"),
    (["Originally published on Live Science."], PageIdentity(urls=("https://www.livescience.com/a.html",)),
     "own_brand"),
    (["This post originally appeared on Grist."],
     PageIdentity(urls=("https://www.salon.com/2019/05/02/heat_partner/",)), "partner"),
    (["This story was first published by ProPublica."],
     PageIdentity(names=("Daily Planet",), declared_sources=("https://www.propublica.org/article/x",)), "partner"),
    (["This article is republished from The Conversation under a Creative Commons license."], PageIdentity(),
     "partner"),
    (["This article was originally published by Futurism. Read the original article."],
     PageIdentity(names=("ScienceAlert",), authors=("Victor Tangermann, Futurism",)), "partner"),
    (["This story was produced by ProPublica and is distributed under a Creative Commons license."],
     PageIdentity(), "partner"),
    (["This article was written by Grist and is shared with permission."], PageIdentity(), "partner"),
    # A credit to another site, with no mark of partnership: a scraper's, so residue.
    (["This article originally appeared on VICE US."], PageIdentity(names=("Daily Wire Hub",)), None),
    (["This article was originally published by Futurism."], PageIdentity(), None),
    # A feed footer is never syndication, even naming the page's own site.
    (["The post Night buses extended appeared first on Daily Wire Hub."], PageIdentity(names=("Daily Wire Hub",)),
     None),
    # A site's own dateline and a scraper's attribution are not credits at all.
    (["First published on Tuesday 4 March 2020."], PageIdentity(names=("Guardian",)), None),
    (["Source: bbc.co.uk"], PageIdentity(names=("BBC",)), None),
]


@pytest.mark.parametrize(("lines", "identity", "kind"), CASES)
def test_credits_read_as_syndication(lines, identity, kind):
    found = find_syndication(lines, identity)
    assert [credit.kind for credit in found] == ([kind] if kind else [])
    # The cheap test training caches rely on never misses a credit the patterns read.
    if kind:
        assert all(may_carry_credit(line) for line in lines)


def test_credit_taken_out_of_its_paragraph_and_the_read_original_line_with_it():
    lines = ["Last paragraph of the story. This article originally appeared on VICE US.", "",
             "Read the original article.", "Share this:"]
    found = find_syndication(lines, PageIdentity(names=("VICE",)))
    assert without_syndication(lines, found) == ["Last paragraph of the story.", "", "Share this:"]


def _page(credit: str, site: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return (f"<html><head><title>Night buses extended | {site}</title><meta property='og:site_name' "
            f"content='{site}'></head><body><article><h1>Night buses extended</h1>{paragraphs}"
            f"<p><em>{credit}</em></p></article></body></html>")


def _residue(document) -> float:
    return Boilerplate().extract(document).values["residue_weight"]


def test_a_credit_to_the_pages_own_brand_is_not_residue_and_is_reported():
    own = prepare_document(InputItem("own", "own", html=_page("This article originally appeared on VICE US.", "VICE")))
    other = prepare_document(InputItem("other", "other",
                                       html=_page("This article originally appeared on VICE US.", "Daily Wire Hub")))
    assert [credit.kind for credit in own.syndication] == ["own_brand"]
    assert "originally appeared" not in own.text and _residue(own) == 0
    # The same credit on a page that is not VICE's is a scraper's credit to another site: residue, unreported.
    assert not other.syndication and "originally appeared" in other.text and _residue(other) > 0


def test_the_record_carries_the_syndication(tiny_model_dir):
    detector = Detector.load(tiny_model_dir, mode="fast")
    record = detector.score({"html": _page("This article originally appeared on VICE US.", "VICE")}).to_record()
    assert record["syndication"] == [{"credit": "This article originally appeared on VICE US.",
                                      "credited": "VICE US", "kind": "own_brand",
                                      "why": "credits the site the page names as its own (VICE US)"}]
    assert detector.score("\n\n".join(ARTICLE)).to_record()["syndication"] is None


def test_only_documents_whose_preparation_changed_get_a_new_cache_key():
    plain = Example("a", InputItem("a", "a", text="\n\n".join(ARTICLE)), "original", "g")
    credited = Example("b", InputItem("b", "b", html=_page("This article originally appeared on VICE US.", "VICE")),
                       "original", "g")
    uncredited = Example("c", InputItem("c", "c", html=_page("This article originally appeared on VICE US.",
                                                             "Daily Wire Hub")), "original", "g")
    assert cache_digest(plain) == plain.digest()
    assert cache_digest(uncredited) == uncredited.digest()
    assert cache_digest(credited) != credited.digest()


def test_needs_index_note_on_a_chrome_only_article(tiny_model_dir):
    detector = Detector.load(tiny_model_dir, mode="fast", threshold=1.01)  # nothing flagged by score
    pages = {residue: theme_page("Night buses extended", ARTICLE * 2, ["Other story one here",
                                                                         "Other story two here",
                                                                         "Other story three here"],
                                 THEMES[0], residue, random.Random(0)) for residue in ("none", "source_link")}
    chrome_only = detector.score({"html": pages["none"].html})
    assert not chrome_only.flagged and chrome_only.note.startswith("needs_index: an article under site chrome")
    with_residue = detector.score({"html": pages["source_link"].html})
    assert "needs_index" not in (with_residue.note or "")
    # A bare text with no chrome is not what the note is about.
    assert "needs_index" not in (detector.score("\n\n".join(ARTICLE * 2)).note or "")
