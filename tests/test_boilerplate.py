"""Boilerplate signatures and the boilerplate feature family.

Every wording below was written for these tests; the variant lines are deliberately *not* the strings in
the registry, to check that the patterns generalise to templates they were not written from.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor

import pytest

from spindetect.text import Document
from spindetect.features.boilerplate import Boilerplate
from spindetect.features.boilerplate_signatures import (
    CATEGORIES,
    SIGNATURES,
    SIGNATURES_VERSION,
    matching_signatures,
)

from training.splits import corpora_dir

FAMILY = Boilerplate()

BODY = """Harbour authority to repair old grain pier

The harbour authority confirmed on Monday that the old grain pier will close for repairs next spring, after divers found cracks in several wooden piles.

Engineers said the pier had carried lorries for almost ninety years and that the timber had reached the end of its life.

Fishing crews who land their catch at the pier will move to the eastern quay while the repair work is carried out.

The repairs will cost about four million pounds, paid from the harbour maintenance reserve rather than local taxes."""

FARM_FURNITURE = """This story first appeared on Coastal Wire Digest.
Spread the word:
Facebook | Twitter | WhatsApp
Stories you might enjoy
Seven celebrity workouts that stunned their fans
Why your cat ignores you when you call its name
The cheapest flights to the sun this winter
Add your comment
Nobody will see your e-mail address
Full name
E-mail address
Your website
Your message
Send comment
Written by webmaster"""

LEGIT_CHROME = """Share this page
Related Topics
Harbours
Fishing industry
More on this story
Harbour pier repairs to cost four million pounds
Fishing crews to move to eastern quay during pier repairs
By Ellen Marsh, Coastal Times
Home News Sport Weather Travel
Copyright 2024 Coastal Times. All rights reserved."""


def _extract(text: str, furniture: tuple[str, ...] = ()) -> dict[str, float]:
    return FAMILY.extract(Document(id="t", text=text, furniture=furniture, is_html=bool(furniture))).values


# --- the registry ---------------------------------------------------------------------------------------

def test_registry_is_versioned_and_well_formed() -> None:
    assert isinstance(SIGNATURES_VERSION, int) and SIGNATURES_VERSION >= 1
    ids = [signature.id for signature in SIGNATURES]
    assert len(ids) == len(set(ids))
    for signature in SIGNATURES:
        assert signature.id.startswith(signature.category + ".")
        assert 0 < signature.weight <= 1
        assert signature.provenance
        assert signature.short_line_only or signature.keywords
    for required in ("comment_form", "rss_footer", "attribution", "share_widget", "related_list",
                     "spinner_residue", "generic_byline", "syndication_disclaimer", "subscribe_cookie"):
        assert required in CATEGORIES


# Lines in wordings that the registry does not contain literally, with the category each must trigger.
VARIANTS = [
    ("Source link Night buses extended to four more districts", "attribution"),
    ("Source link - \u201cHarbour reopens after storm\u201d", "attribution"),
    ("Leave a comment", "comment_form"),
    ("Write a Response to Jane", "comment_form"),
    ("Cancel comment", "comment_form"),
    ("Your e-mail will never be shared.", "comment_form"),
    ("Fields marked with an asterisk are required", "comment_form"),
    ("Save my details in this browser for next time.", "comment_form"),
    ("Notify me of new replies by email.", "comment_form"),
    ("Commenting has been disabled for this article.", "comment_form"),
    ("12 Responses to Harbour repairs", "comment_form"),
    ("Sign in to leave a comment", "comment_form"),
    ("The article Harbour repairs ahead first appeared on Coast Wire.", "rss_footer"),
    ("This entry was first published at harbour-news.example", "rss_footer"),
    ("Originally posted on Example Weekly", "rss_footer"),
    ("Continue reading the full story", "rss_footer"),
    ("Original source URL", "attribution"),
    ("Content source: Example Wire", "attribution"),
    ("Via - Coastal Daily", "attribution"),
    ("Read more at coastwire.example", "attribution"),
    ("Read More \u00bb", "attribution"),
    ("Tap to share on Telegram", "share_widget"),
    ("Share it: Facebook Twitter", "share_widget"),
    ("Send via WhatsApp", "share_widget"),
    ("1.2k shares", "share_widget"),
    ("You might also enjoy", "related_list"),
    ("Recommended for you", "related_list"),
    ("Don't miss", "related_list"),
    ("Articles you will love", "related_list"),
    ("Similar articles", "related_list"),
    ("Most viewed posts", "related_list"),
    ("The council {approved|passed|signed off} the plan.", "spinner_residue"),
    ("Visit {{ site_name }} for more", "template_residue"),
    ("Welcome to %%sitename%% news", "template_residue"),
    ("%d bloggers like this:", "template_residue"),
    ("[caption id=\"attachment_7\" align=\"alignleft\" width=\"300\"] The old pier", "template_residue"),
    ("[vc_row][vc_column]", "template_residue"),
    ("Republished from harbourwire.com with permission", "attribution"),
    ("Syndicated via https://coast.example.org/feed", "attribution"),
    ("Posted by administrator", "generic_byline"),
    ("Author: webmaster", "generic_byline"),
    ("by editor | 3 March 2024", "generic_byline"),
    ("This report was generated from an automated feed and has not been edited by our staff.", "syndication_disclaimer"),
    ("This page is automatically curated from around the web.", "syndication_disclaimer"),
    ("All credit goes to the original publisher.", "syndication_disclaimer"),
    ("If you are the copyright holder, contact us for removal.", "syndication_disclaimer"),
    ("Sign up to our weekly newsletter", "subscribe_cookie"),
    ("Our website uses cookies to improve your experience", "subscribe_cookie"),
    ("Join 4,210 other subscribers", "subscribe_cookie"),
    ("Filed under: Uncategorised", "cms_default"),
    ("Proudly powered by WordPress", "cms_default"),
    ("Older posts", "navigation"),
    ("Next article: Pier reopens", "navigation"),
]


@pytest.mark.parametrize(("line", "category"), VARIANTS)
def test_signature_categories_generalise_to_unseen_wordings(line: str, category: str) -> None:
    assert category in {signature.category for signature in current_signatures(line)}


def current_signatures(line: str) -> list:
    """The signatures of the current registry version that match a line (retired ones are left out)."""
    return [signature for signature in matching_signatures(line) if signature.in_version(SIGNATURES_VERSION)]


@pytest.mark.parametrize("line", [line for line, _ in VARIANTS] + [""])
def test_fast_path_agrees_with_each_signature(line: str) -> None:
    # matching_signatures uses gates and keyword filters; it must give exactly the per-signature answer.
    assert matching_signatures(line) == [signature for signature in SIGNATURES if signature.matches(line)]


# Legitimate newsroom chrome and ordinary prose: no farm signature may fire.
LEGIT_LINES = [
    "",
    "The source link in the report was broken, the council said, and the data were published again.",
    "Share this page",
    "Related Topics",
    "Top Stories",
    "Latest News",
    "More on this story",
    "By Jane Smith, BBC News",
    "By Staff Reporter",
    "Home News Sport Weather iPlayer",
    "Copyright 2024 BBC. All rights reserved.",
    "Published 3 hours ago",
    "Image caption, The old pier at sunset",
    "The book was first published in 1962 and is still in print.",
    ("She said the committee would leave a reply to the letter until after the vote, because members "
     "wanted to read the full report and see the evidence first."),
    "Residents are invited to read more about the plans at the town hall, where the documents are on show.",
    "The town council owns the land and the developer has claimed no rights over it.",
    "He won 52% of the vote, up from 48% in 2019.",
    "Photo courtesy of the harbour trust",
    "Reporting by Jane Smith; Editing by Tom Hughes",
    "Lakers vs Nets: league makes final decision on game [VIDEO]",
    "Royal visit in pictures [PICTURES]",
    # A site's own timestamps and photo credits (registry version 3).
    "First published on Nov 4, 2021 10:15 am IST",
    "First posted on Tuesday 3 March",
    "Image credit: www.example-phones.com/uk/",
    "Credit: Harbour Photo Agency",
    "Photo: Credit: Coast Guard",
    "Photo courtesy of www.harbourtrust.org",
    ("A second poll found less support for removal from office, and the senators who will decide were split "
     "along party lines on whether to hold a trial at all."),
]

# What version 3 still reads as a republication footer or another site's credit.
STILL_RESIDUE = [
    ("Originally published on Coastal Weekly", "rss_footer.published_elsewhere"),
    ("First appeared at coastwire.example", "rss_footer.published_elsewhere"),
    ("Source: coastwire.com", "attribution.source_label"),
    ("Via - Coastal Daily", "attribution.source_label"),
    ("Credit: www.coastwire.com", "attribution.source_label"),
    ("Credit: www.coastwire.com", "attribution.credited_text_domain"),
    ("Courtesy of coastwire.com", "attribution.credited_text_domain"),
    ("Credits: www.coastwire.net", "attribution.credited_text_domain"),
    ("If this is your article, contact us for removal.", "syndication_disclaimer.disowned_content"),
    ("Email the admin and we will act upon takedown notices", "syndication_disclaimer.disowned_content"),
    ("DMCA notice: send requests to the webmaster", "syndication_disclaimer.disowned_content"),
    ("Write to us for DMCA", "syndication_disclaimer.disowned_content"),
]


def test_registry_version_two_signatures_are_ignored_by_boilerplate_v1() -> None:
    from spindetect.features.boilerplate import BoilerplateV1

    doc = Document(id="d", text="A story about the harbour.\n\n%d bloggers like this:")
    assert Boilerplate().extract(doc).values["sig_template_residue"] == 1
    assert BoilerplateV1().extract(doc).values["sig_template_residue"] == 0
    assert {s.since for s in SIGNATURES} == {1, 2, 3, 4}


def test_a_source_link_with_its_headline_counts_from_version_four() -> None:
    from spindetect.features.boilerplate import BoilerplateV3

    titled = Document(id="d", text="A story about the harbour.\n\nSource link Harbour reopens after storm")
    assert BoilerplateV3().extract(titled).values["residue_weight"] == 0
    assert Boilerplate().extract(titled).values["residue_weight"] == 1.0
    # The bare link, and a link followed by the URL it credits, weigh what they weighed in version 3.
    for line in ("Source link", "Source link \u00bb", "Source link: https://www.example.org/news/12345"):
        doc = Document(id="d", text=f"A story about the harbour.\n\n{line}")
        assert Boilerplate().extract(doc).values == BoilerplateV3().extract(doc).values, line


def test_a_retired_signature_still_counts_for_the_family_version_it_was_trained_with() -> None:
    from spindetect.features.boilerplate import BoilerplateV2

    doc = Document(id="d", text="A story about the harbour.\n\nImage credit: www.example-phones.com/uk/")
    assert BoilerplateV2().extract(doc).values["sig_attribution"] == 1
    assert Boilerplate().extract(doc).values["sig_attribution"] == 0
    # Every retired signature has a successor in the current version, in the same category.
    retired = [s for s in SIGNATURES if s.until is not None]
    assert retired and all(s.until < SIGNATURES_VERSION for s in retired)
    current = {s.category for s in SIGNATURES if s.in_version(SIGNATURES_VERSION)}
    assert {s.category for s in retired} <= current


@pytest.mark.parametrize("line", LEGIT_LINES)
def test_legit_chrome_matches_no_signature(line: str) -> None:
    assert current_signatures(line) == []


@pytest.mark.parametrize(("line", "signature_id"), STILL_RESIDUE)
def test_version_three_still_reads_republication_and_credits_to_another_site(line: str, signature_id: str) -> None:
    assert signature_id in {signature.id for signature in current_signatures(line)}


@pytest.mark.skipif(not (corpora_dir() / "contentfarm").exists(), reason="shared corpora not available")
def test_verified_literal_signatures_are_covered() -> None:
    """Each verified literal UI string in the shared signature list is matched by some signature."""
    path = corpora_dir() / "contentfarm" / "boilerplate_signatures.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    literals = [row["pattern"] for row in rows if not row["is_regex"]]
    assert literals
    for literal in literals:
        assert matching_signatures(literal), literal


# --- the family -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "One line.", BODY, BODY + "\n" + FARM_FURNITURE, "{a|b}\n" * 50])
def test_every_declared_feature_has_a_value(text: str) -> None:
    result = FAMILY.extract(Document(id="t", text=text))
    assert set(result.values) == set(Boilerplate.features)
    assert all(isinstance(value, float) for value in result.values.values())


@pytest.mark.parametrize(
    ("text", "feature", "expected"),
    [
        ("", "sig_comment_form", 0.0),
        ("", "comment_form", 0.0),
        ("", "tail_nonprose_share", math.nan),
        ("", "headline_body_overlap", math.nan),
        (BODY, "comment_form", 0.0),
        (BODY, "signature_weight", 0.0),
        (BODY, "lines_after_last_prose", 0.0),
        (BODY + "\n" + FARM_FURNITURE, "comment_form", 1.0),
        (BODY + "\n" + FARM_FURNITURE, "comment_form_field_kinds", 5.0),
        (BODY + "\n" + FARM_FURNITURE, "sig_rss_footer", 1.0),
        (BODY + "\n" + FARM_FURNITURE, "sig_generic_byline", 1.0),
        (BODY + "\n" + FARM_FURNITURE, "unrelated_headline_lines", 3.0),
        (BODY + "\n" + FARM_FURNITURE, "social_only_lines", 1.0),
        (BODY + "\n" + FARM_FURNITURE, "tail_nonprose_share", 1.0),
        (BODY + "\n" + LEGIT_CHROME, "comment_form", 0.0),
        (BODY + "\n" + LEGIT_CHROME, "unrelated_headline_lines", 0.0),
        (BODY + "\n" + LEGIT_CHROME, "signature_weight", 0.0),
        (BODY + "\n" + LEGIT_CHROME + "\n" + LEGIT_CHROME, "repeated_line_share", 20 / 25),
        ("Visit www.example.com\nwww.example.com\nnews@example.com", "url_email_lines", 2.0),
    ],
)
def test_feature_values(text: str, feature: str, expected: float) -> None:
    value = _extract(text)[feature]
    if math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected)


def test_legit_chrome_gives_no_farm_signature_hits() -> None:
    values = _extract(BODY + "\n" + LEGIT_CHROME)
    assert all(values[f"sig_{category}"] == 0 for category in CATEGORIES)
    assert values["headline_run_lines"] >= 2  # the related-stories list is seen ...
    assert values["headline_body_overlap"] > 0.5  # ... and judged related to the article


def test_furniture_of_html_documents_counts_like_inline_lines() -> None:
    inline = _extract(BODY + "\n" + FARM_FURNITURE)
    as_html = _extract(BODY, tuple(FARM_FURNITURE.split("\n")))
    for feature in ("comment_form", "sig_comment_form", "sig_rss_footer", "unrelated_headline_lines",
                    "signature_categories", "social_only_lines"):
        assert as_html[feature] == inline[feature], feature


def test_single_field_label_is_not_a_comment_form() -> None:
    values = _extract(BODY + "\nEmail\nSubscribe")
    assert values["comment_form"] == 0.0


def test_evidence_is_the_matched_lines() -> None:
    text = BODY + "\n" + FARM_FURNITURE
    result = FAMILY.extract(Document(id="t", text=text))
    rss = result.evidence["sig_rss_footer"][0]
    assert rss.kind == "boilerplate:rss_footer"
    assert text[rss.start:rss.end] == rss.text == "This story first appeared on Coastal Wire Digest."
    byline = result.evidence["sig_generic_byline"][0]
    assert byline.text == "Written by webmaster"
    unrelated = [e.text for e in result.evidence["unrelated_headline_lines"]]
    assert "Why your cat ignores you when you call its name" in unrelated
    furniture_only = FAMILY.extract(Document(id="t", text=BODY, furniture=("Source link",)))
    assert furniture_only.evidence["sig_attribution"][0].start is None


def test_a_repeated_line_is_evidence_at_each_of_its_places() -> None:
    # (a slideshow's credit under every slide was once named three times at its first place)
    text = BODY + "\n" + "\n".join(["Source: coastwire.com", "A caption.", "  Source: coastwire.com"])
    result = FAMILY.extract(Document(id="t", text=text))
    assert result.values["sig_attribution"] == 2
    spans = result.evidence["sig_attribution"]
    assert [e.text for e in spans] == ["Source: coastwire.com"] * 2
    assert spans[0].start < spans[1].start
    assert all(text[e.start:e.end] == e.text for e in spans)


def test_shared_across_threads_gives_the_same_answers() -> None:
    texts = [BODY, BODY + "\n" + FARM_FURNITURE, BODY + "\n" + LEGIT_CHROME, ""] * 25

    def run(text: str) -> dict[str, float]:
        return FAMILY.extract(Document(id="t", text=text)).values

    serial = [run(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(run, texts))
    assert json.dumps(serial, sort_keys=True) == json.dumps(threaded, sort_keys=True)


def test_a_signature_edited_under_its_version_is_a_new_cache_key(monkeypatch) -> None:
    # A training cache keyed only by "boilerplate@4" served an experiment the rows of the signatures it had
    # just rewritten; the key now covers the signatures as written.
    import dataclasses
    import re

    from spindetect.features import boilerplate
    from spindetect.learn._trainer import family_cache_key

    before = family_cache_key("boilerplate@4", Boilerplate())
    edited = [dataclasses.replace(s, pattern=re.compile(s.pattern.pattern + "|edited")) if i == 0 else s
              for i, s in enumerate(boilerplate.SIGNATURES)]
    monkeypatch.setattr(boilerplate, "SIGNATURES", edited)
    assert family_cache_key("boilerplate@4", Boilerplate()) != before
