"""Tests of the training-corpus generators: spinners, page templates, Europarl detokenisation, corpus build.

All texts here are written for the tests; no corpus text is used.
"""

from __future__ import annotations

import difflib
import html
import random
import re

import pytest

from training.generators.documents import Article, detokenise, pseudo_documents
from training.generators.page_templates import (
    ALL_COPY_FAMILIES,
    CHROME_TEMPLATE_FAMILIES,
    HELDOUT_FAMILY_BUILDERS,
    LEGIT_FAMILY_BUILDERS,
    PageContext,
    copy_page,
    legit_page,
    render_html,
    render_text,
)
from training.generators.spinners import (
    SPINNER_FAMILIES,
    get_spinner,
    inflect,
    lemma_candidates,
    match_case,
)
from training.splits import (
    HELDOUT_SPINNER_FAMILIES,
    HELDOUT_TEMPLATE_FAMILIES,
    corpora_dir,
    is_heldout_generator,
)

STORY = (
    "The council said on Tuesday that its budget had increased sharply during the last year, helped by strong "
    "demand for new housing in the northern districts of Reading.\n\n"
    "Mayor Oskar Lindqvist told local reporters the city expected growth to continue for several years. "
    "Critics believe the plan will remain difficult to fund, however, and warned that rents rose 4.5% in "
    "2023 while wages barely moved.\n\n"
    "Reading officials also announced a review of transport spending, which they described as an "
    "important step towards cleaner streets and quicker buses."
)
STORY_ARTICLE = Article("Council budget grows as housing demand climbs", STORY, "politics")
OTHER_TITLES = ["Orchestra plans winter tour", "Striker signs new contract", "Chip maker delays launch",
                "Minister defends rail fares", "Film festival names jury"]
PROTECTED = ["Oskar", "Lindqvist", "Reading", "4.5%", "2023"]


def _word_list(text: str) -> list[str]:
    return re.findall(r"\S+", text)


# ============================================================================================ spinners


@pytest.mark.parametrize("family", SPINNER_FAMILIES)
@pytest.mark.parametrize("rate", [0.1, 0.4, 0.7])
def test_spinner_changes_requested_share_of_eligible_words(family: str, rate: float) -> None:
    result = get_spinner(family).spin(STORY, rate, random.Random(7))
    assert result.eligible >= 10, f"{family} finds too few eligible words in a plain news paragraph"
    assert abs(result.achieved_rate - rate) <= 0.08
    # The reported count is real: at least that many word positions differ from the original.
    matcher = difflib.SequenceMatcher(a=_word_list(STORY), b=_word_list(result.text), autojunk=False)
    unchanged = sum(block.size for block in matcher.get_matching_blocks())
    assert len(_word_list(STORY)) - unchanged >= 0.7 * result.changed


@pytest.mark.parametrize("family", SPINNER_FAMILIES)
def test_spinner_keeps_proper_nouns_and_numbers(family: str) -> None:
    result = get_spinner(family).spin(STORY, 0.7, random.Random(3))
    for token in PROTECTED:  # "Reading" also starts a sentence: still a name
        assert result.text.count(token) == STORY.count(token), f"{family} lost {token!r}"


@pytest.mark.parametrize("family", SPINNER_FAMILIES)
@pytest.mark.parametrize("text", ["", "   ", "1999 2004 42%", "Oskar Lindqvist"])
def test_spinner_on_text_without_eligible_words(family: str, text: str) -> None:
    result = get_spinner(family).spin(text, 0.5, random.Random(0))
    assert (result.text, result.eligible, result.changed, result.achieved_rate) == (text, 0, 0, 0.0)


@pytest.mark.parametrize("family", SPINNER_FAMILIES)
def test_spinner_is_deterministic_for_a_seed(family: str) -> None:
    spinner = get_spinner(family)
    first = spinner.spin(STORY, 0.5, random.Random(11)).text
    assert spinner.spin(STORY, 0.5, random.Random(11)).text == first
    assert spinner.spin(STORY, 0.5, random.Random(12)).text != first


@pytest.mark.parametrize(
    ("lemma", "suffix", "expected"),
    [("walk", "ing", "walking"), ("make", "ing", "making"), ("carry", "ed", "carried"), ("hope", "ed", "hoped"),
     ("box", "s", "boxes"), ("city", "s", "cities"), ("quick", "ly", "quickly"), ("gentle", "ly", "gently"),
     ("word", "", "word"), ("", "", "")],
)
def test_inflect(lemma: str, suffix: str, expected: str) -> None:
    assert inflect(lemma, suffix) == expected


@pytest.mark.parametrize(
    ("word", "expected_analysis"),
    [("walking", ("walk", "ing")), ("carried", ("carry", "ed")), ("cities", ("city", "s")), ("quickly", ("quick", "ly")),
     ("", ("", ""))],
)
def test_lemma_candidates_include_the_regular_analysis(word: str, expected_analysis: tuple[str, str]) -> None:
    assert expected_analysis in lemma_candidates(word)


@pytest.mark.parametrize(
    ("replacement", "original", "expected"),
    [("firm", "Company", "Firm"), ("firm", "COMPANY", "FIRM"), ("firm", "company", "firm"), ("big cheese", "Chief", "Big cheese"),
     ("", "", "")],
)
def test_match_case(replacement: str, original: str, expected: str) -> None:
    assert match_case(replacement, original) == expected


# ============================================================================================ templates


def _context(seed: int) -> PageContext:
    return PageContext(random.Random(seed), OTHER_TITLES)


@pytest.mark.parametrize("family", ALL_COPY_FAMILIES)
@pytest.mark.parametrize("seed", range(4))
def test_copy_templates_contain_article_verbatim(family: str, seed: int) -> None:
    page = copy_page(family, STORY_ARTICLE, _context(seed))
    text = render_text(page, random.Random(seed))
    markup, _ = render_html(page, random.Random(seed))
    unescaped = html.unescape(markup)
    for paragraph in STORY_ARTICLE.paragraphs:
        assert paragraph in text
        assert paragraph in unescaped
    assert len(text) > len(STORY) + 20, "a copy page must add furniture"


def test_at_least_twelve_training_template_families() -> None:
    training = [f for f in ALL_COPY_FAMILIES if f not in HELDOUT_TEMPLATE_FAMILIES]
    assert len(training) >= 4 and len(training) + len(CHROME_TEMPLATE_FAMILIES) >= 12
    assert not set(training) & set(CHROME_TEMPLATE_FAMILIES)
    assert set(HELDOUT_FAMILY_BUILDERS) == set(HELDOUT_TEMPLATE_FAMILIES)


# What a farm adds (issue #11): a chrome-only page never has it, a farm copy always has some.
FARM_RESIDUE_WORDING = ["appeared first on", "originally published", "first appeared", "first published",
                        "is a post from", "Source", "Via www", "Read More:", "Read more at source",
                        "Originally posted", "Credit:", "{",
                        *(f"{prefix} {who}" for prefix in ("By", "by", "Author:")
                          for who in ("admin", "Admin", "editor", "newsdesk", "staff", "webmaster", "siteadmin",
                                      "Editorial Team"))]


@pytest.mark.parametrize("family", CHROME_TEMPLATE_FAMILIES)
def test_chrome_only_pages_carry_no_farm_residue(family: str) -> None:
    for seed in range(12):
        page = legit_page(family, STORY_ARTICLE, _context(seed))
        assert page.family == f"chrome:{family}"
        text = render_text(page, random.Random(seed)).replace(STORY, "")
        found = [w for w in FARM_RESIDUE_WORDING if w in text]
        assert not found, f"{family} (seed {seed}) carries residue {found}"


@pytest.mark.parametrize("family", [f for f in ALL_COPY_FAMILIES if f not in ("aggregator",)])
def test_every_copy_family_carries_residue(family: str) -> None:
    for seed in range(8):
        text = render_text(copy_page(family, STORY_ARTICLE, _context(seed)), random.Random(seed)).replace(STORY, "")
        residue = FARM_RESIDUE_WORDING + ["Republished automatically", "lifted via feed", "original at",
                                          "original story:", "copied from", "auto-posted"]
        assert any(w in text for w in residue), f"{family} (seed {seed}) has no farm residue"


# Signature wordings of the training families: the held-out families must not reuse any.
TRAINING_SIGNATURES = ["appeared first on", "Leave a", "Share this", "Related posts", "You may also like",
                       "Source link", "By admin", "Subscribe to", "cookies", "Tags:", "Previous Post",
                       "Recent Posts", "Advertisement", "{"]


@pytest.mark.parametrize("family", sorted(HELDOUT_TEMPLATE_FAMILIES))
def test_heldout_templates_use_their_own_wording(family: str) -> None:
    for seed in range(20):
        page = copy_page(family, STORY_ARTICLE, _context(seed))
        text = render_text(page, random.Random(seed)).replace(STORY, "")
        found = [s for s in TRAINING_SIGNATURES if s in text]
        assert not found, f"{family} reuses training wording {found}"


@pytest.mark.parametrize("family", sorted(LEGIT_FAMILY_BUILDERS))
def test_legit_pages_keep_the_body(family: str) -> None:
    page = legit_page(family, STORY_ARTICLE, _context(1))
    text = render_text(page, random.Random(1))
    for paragraph in STORY_ARTICLE.paragraphs[1:]:
        assert paragraph in text
    assert "appeared first on" not in text and "Leave a Reply" not in text


@pytest.mark.parametrize("family", ["wordpress", "magazine", "forum"])
def test_templates_are_deterministic_for_a_seed(family: str) -> None:
    def render(seed: int) -> str:
        return render_text(copy_page(family, STORY_ARTICLE, _context(seed)), random.Random(seed))

    assert render(5) == render(5)
    assert any(render(5) != render(s) for s in (6, 7, 8))


# ============================================================================================ europarl


@pytest.mark.parametrize(
    ("tokenised", "expected"),
    [
        ("", ""),
        ("we must act now , and quickly .", "We must act now, and quickly."),
        ("the Commission 's proposal ( which we support ) is late .", "The Commission's proposal (which we support) is late."),
        ('he said : " we can \'t wait " .', 'He said: "we can\'t wait".'),
        ("Members ' rights matter ; costs rose 5 % .", "Members' rights matter; costs rose 5%."),
        ("we don ’ t agree ! why not ?", "We don’t agree! Why not?"),
    ],
)
def test_detokenise(tokenised: str, expected: str) -> None:
    assert detokenise(tokenised) == expected


@pytest.mark.parametrize("count", [0, 7, 8, 30, 200])
def test_pseudo_documents_sizes(count: int) -> None:
    sentences = [f"Sentence {i}." for i in range(count)]
    chunks = pseudo_documents(sentences, random.Random(0))
    assert all(8 <= len(c) <= 25 for c in chunks)
    used = [s for c in chunks for s in c]
    assert len(used) == len(set(used)) and len(used) >= count - 25


@pytest.mark.parametrize(
    ("generator", "expected"),
    [("plain", False), ("handbook", True), ("moby_pos", False), ("template:forum", True), ("template:wordpress", False),
     ("mt:madlad", True), ("mt:nllb", False), ("llm:llama2_70b", True), ("llm:chatgpt_3.5", False),
     ("moby_rare+template:magazine", True), ("", False), ("wmt:de-en/Online-A", False),
     ("wmt:de-en/Online-B", True), ("wmt:ru-en/ONLINE-B", True), ("wmt:he-en/GPT4-5shot", True),
     ("wmt:zh-en/NLLB_Greedy", True), ("wmt:ha-en/NLLB_Greedy", False)],
)
def test_is_heldout_generator(generator: str, expected: bool) -> None:
    assert is_heldout_generator(generator) is expected


# ============================================================================================ corpus build


@pytest.fixture(scope="module")
def small_build() -> list:
    from training.build_corpus import build

    return list(build(seed=0, limit=25))


@pytest.mark.shared
@pytest.mark.skipif(not corpora_dir().exists(), reason="needs ../shared/corpora")
def test_build_is_deterministic(small_build: list) -> None:
    from training.build_corpus import build

    again = list(build(seed=0, limit=25))
    assert [r.to_json() for r in again] == [r.to_json() for r in small_build]
    other_seed = list(build(seed=1, limit=25))
    assert [r.to_json() for r in other_seed] != [r.to_json() for r in small_build]


@pytest.mark.shared
@pytest.mark.skipif(not corpora_dir().exists(), reason="needs ../shared/corpora")
def test_build_split_invariants(small_build: list) -> None:
    from training.build_corpus import check_invariants

    assert check_invariants([(r.group, r.split, r.heldout, r.id) for r in small_build]) == []
    for record in small_build:
        assert record.heldout == is_heldout_generator(record.generator), record.id
        if record.heldout:
            assert record.split == "test"
    generators = {r.generator for r in small_build}
    assert HELDOUT_SPINNER_FAMILIES <= generators
    assert {f"template:{f}" for f in HELDOUT_TEMPLATE_FAMILIES} <= generators
    assert {r.label for r in small_build} == {"original", "copy", "spun", "translated", "rewritten"}
    assert len({r.id for r in small_build}) == len(small_build)


def test_the_embedding_spinner_swaps_words_for_their_neighbours_in_the_models_embedding() -> None:
    """The held-out family built from the language model's own token embedding (benchmarks/cascade.py)."""
    from training.generators.embedding_spinner import EmbeddingSpinner, embedding_neighbours

    neighbours = embedding_neighbours("budget")
    assert neighbours and "budget" not in neighbours and "budgets" not in neighbours
    result = EmbeddingSpinner().spin(STORY, 0.4, random.Random(7))
    assert result.changed >= 5 and result.text != STORY
    assert all(word in result.text for word in PROTECTED)
