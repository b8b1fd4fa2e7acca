"""The real-material pieces of issue #11: the transplanting builder, residue pools, the extraction fallback,
signature hiding, WMT22 and site splits. Small tables written here; the corpus checks
at the end skip without ../shared."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from spindetect.io import _html as html_module
from spindetect import Detector
from spindetect.text import Document
from spindetect.features.boilerplate import Boilerplate, BoilerplateV1
from spindetect.features.translation import Translation, TranslationV1
from spindetect.io import InputItem, extract_page
from spindetect.model import LABELS
from spindetect.pipeline import prepare_document
from training.corpus_io import FPR_BUDGETS, fpr_group
from training.generators.documents import Article
from training.generators.real_pages import (
    HELDOUT_RESIDUE,
    NO_RESIDUE,
    TRAINED_RESIDUE,
    UNSEEN_RESIDUE,
    farm_residue,
    text_scrape,
    transplant,
)
from training.splits import HELDOUT_WMT_PAIR, corpora_dir, site_split, wmt_split
from training.train_default import hide_generator_specific_evidence

from conftest import requires_shared

_OLD_STORY = [
    "The harbour board met on Tuesday to discuss the dredging of the northern channel, which has silted up.",
    "Engineers told the board that the work would take eleven weeks and cost more than the last estimate.",
    "Fishermen who use the channel said they had waited three winters for the work to begin at all.",
]
PAGE = f"""<!DOCTYPE html><html><head><title>Harbour board approves dredging - Coast Weekly</title></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>Harbour board approves dredging</h1><p class="byline">By Ann Example, 3 May</p>
<div class="story">{"".join(f"<p>{p}</p>" for p in _OLD_STORY)}<h2>What happens next</h2>
<p>The board will publish the contract in June, and residents can comment on the plans until then.</p></div>
<aside><h3>Most read</h3><ul><li><a href="/a">Lifeboat crew rescues kayaker off the point</a></li>
<li><a href="/b">School wins regional choir contest</a></li></ul></aside></article></main>
<div class="newsletter"><p>Sign up for the Coast Weekly newsletter</p><input type="email" placeholder="Your email">
<input type="submit" value="Subscribe"></div><footer><p>Copyright 2024 Coast Weekly</p></footer></body></html>"""
NEW = Article(
    "Town library extends its opening hours",
    "\n\n".join(
        [
            "The town library will open until nine in the evening from next month, the council said on Monday.",
            "Councillors said the change followed a survey in which most readers asked for later opening hours.",
            "The extra hours will be staffed by two new librarians and volunteers from the friends' association.",
            "A spokeswoman said the reading room would also stay open on Sunday afternoons during the winter.",
        ]
    ),
)


def test_transplant_replaces_the_story_and_keeps_the_chrome() -> None:
    page = transplant(PAGE, NEW)
    assert page is not None
    extracted = extract_page(page)
    for paragraph in NEW.paragraphs:
        assert paragraph in extracted.text
    visible = extracted.text + "\n".join(extracted.furniture)
    for old in _OLD_STORY + ["What happens next"]:
        assert old not in visible  # the replaced story's paragraphs and subheads are gone
    for chrome in ("Most read", "Sign up for the Coast Weekly newsletter", "Copyright 2024 Coast Weekly"):
        assert chrome in visible
    assert extracted.title == NEW.title


def test_transplant_adds_residue_where_farms_put_it() -> None:
    residue = farm_residue(random.Random(3), NEW.title, TRAINED_RESIDUE)
    page = transplant(PAGE, NEW, residue)
    visible = "\n".join([extract_page(page).text, *extract_page(page).furniture])
    for line in residue.top + residue.after + residue.form:
        assert line in visible


def test_transplant_needs_an_article_container() -> None:
    assert transplant("<html><body><nav>Home News</nav><p>Too short.</p></body></html>", NEW) is None
    assert transplant("", NEW) is None


def test_residue_pools_do_not_share_wording() -> None:
    def lines(pool) -> set[str]:
        out: set[str] = set()
        for seed in range(300):
            residue = farm_residue(random.Random(seed), "A title", pool)
            out.update(residue.top + residue.after)
        return out

    trained, heldout, unseen = lines(TRAINED_RESIDUE), lines(HELDOUT_RESIDUE), lines(UNSEEN_RESIDUE)
    assert trained and heldout and unseen
    assert not trained & heldout and not trained & unseen and not heldout & unseen
    assert not set(UNSEEN_RESIDUE) & (set(TRAINED_RESIDUE) | set(HELDOUT_RESIDUE))  # kinds never trained
    assert farm_residue(random.Random(0), "t", TRAINED_RESIDUE).kinds  # never empty
    assert NO_RESIDUE.kinds == ()


def test_text_scrape_keeps_the_article_verbatim_between_chrome() -> None:
    residue = farm_residue(random.Random(5), NEW.title, TRAINED_RESIDUE)
    text = text_scrape(
        NEW, ["Home", "News"], ["Most read", "School wins regional choir contest"], residue, random.Random(1)
    )
    for paragraph in NEW.paragraphs:
        assert paragraph in text
    for line in residue.top + residue.after:
        assert line in text


# ---------------------------------------------------------------------------------- extraction fallback


def _fake_extractor(precise_text: str, recall_text: str):
    return lambda tree, precise=True: precise_text if precise else recall_text


@pytest.mark.parametrize(
    ("precise", "recall", "expect_in_text", "note_start"),
    [
        # A teaser kept by the precise mode, the whole post by the recall mode: the recall text is scored.
        ("Harbour board", "\n\n".join(_OLD_STORY * 4), _OLD_STORY[2], "extraction_fallback: the precise"),
        # Both modes keep a fragment of a page full of prose: the page's prose blocks are scored.
        ("Harbour board", "Harbour board approves", _OLD_STORY[0], "extraction_fallback: the extractor kept"),
        # A full extraction is left alone.
        ("\n\n".join(_OLD_STORY * 3), "", _OLD_STORY[1], ""),
    ],
)
def test_a_fragment_is_never_scored_as_the_article(
    monkeypatch, precise, recall, expect_in_text, note_start
) -> None:
    monkeypatch.setattr(html_module, "_main_text", _fake_extractor(precise, recall))
    # Enough prose on the page for a fragment to be recognised as one.
    page = PAGE.replace("</main>", "".join(f"<p>{p}</p>" for p in _OLD_STORY * 6) + "</main>")
    extracted = extract_page(page)
    assert expect_in_text in extracted.text
    assert extracted.extraction_note.startswith(note_start) if note_start else extracted.extraction_note == ""


def test_the_fallback_note_reaches_the_record(monkeypatch, tiny_model_dir) -> None:
    monkeypatch.setattr(
        html_module, "_main_text", _fake_extractor("Harbour board", "\n\n".join(_OLD_STORY * 4))
    )
    page = PAGE.replace("</main>", "".join(f"<p>{p}</p>" for p in _OLD_STORY * 6) + "</main>")
    verdict = Detector.load(tiny_model_dir).score({"id": "p", "html": page})
    assert verdict.error is None
    assert "extraction_fallback" in (verdict.note or "")


# ---------------------------------------------------------------------------------- features


def test_a_signature_line_is_never_the_last_prose_line() -> None:
    """A page ending in the comment form's consent checkbox sentence has furniture after its article."""
    text = "\n\n".join(
        NEW.paragraphs
        + ["Source link", "Save my name, email, and website in this browser for the next time I comment."]
    )
    doc = Document(id="d", text=text)
    assert Boilerplate().extract(doc).values["lines_after_last_prose"] >= 2
    assert BoilerplateV1().extract(doc).values["lines_after_last_prose"] == 0  # the old behaviour, kept


def test_translation_v2_adds_news_mt_columns_and_v1_keeps_its_own() -> None:
    doc = Document(id="d", text=NEW.body)
    v2, v1 = Translation().extract(doc).values, TranslationV1().extract(doc).values
    assert set(v2) - set(v1) == {"news_mt_score_mean", "news_mt_score_max", "news_mt_share_positive"}
    assert set(v1) == set(TranslationV1.features)
    assert all(v1[key] == v2[key] for key in v1)
    assert Translation.version == 2 and TranslationV1.version == 1


# ---------------------------------------------------------------------------------- training recipe


def test_signature_hiding_hides_some_columns_of_a_copy_not_all() -> None:
    names = [
        "boilerplate.sig_rss_footer",
        "boilerplate.sig_attribution",
        "boilerplate.sig_generic_byline",
        "boilerplate.signature_weight",
        "readability.x",
    ]
    n = 400
    y = np.where(np.arange(n) % 2 == 0, LABELS.index("original"), LABELS.index("copy"))
    X = np.where(y[:, None] == LABELS.index("copy"), 1.0, 0.0) * np.ones((n, len(names)))
    train = np.ones(n, dtype=bool)
    partial = hide_generator_specific_evidence(X, y, train, names, seed=0, signature_column_share=0.5)
    full = hide_generator_specific_evidence(X, y, train, names, seed=0, signature_column_share=1.0)
    copies = y == LABELS.index("copy")
    hidden_partial = (partial[copies, :4] == 0).sum(axis=1)
    hidden_full = (full[copies, :4] == 0).sum(axis=1)
    assert set(hidden_full) == {0, 4}  # all or nothing
    assert ((hidden_partial > 0) & (hidden_partial < 4)).sum() > 0.2 * copies.sum()
    assert (partial[:, 4] == X[:, 4]).all()  # other families untouched


@pytest.mark.parametrize(
    ("label", "source", "generator", "group"),
    [
        ("original", "real_page", "real_page", "real pages"),
        ("original", "real_page", "real_page:text", "real pages"),
        ("original", "real_page", "real_chrome:text", "news with chrome"),
        ("original", "bbc", "chrome:newsletter", "news with chrome"),
        ("original", "bbc", "plain", "plain news"),
        ("original", "wmt22", "wmt_human", "human translations"),
        ("original", "europarl", "human_translation", "human translations"),
        ("original", "europarl", "europarl_original", "Europarl originals"),
        ("original", "wmt22", "wmt_original", "original English (WMT22)"),
        ("copy", "real_page", "farm_real:residue", None),
        ("translated", "wmt22", "wmt:de-en/Online-A", None),
    ],
)
def test_fpr_groups(label, source, generator, group) -> None:
    assert fpr_group(label, source, generator) == group
    assert group is None or group in FPR_BUDGETS


def test_splits_keep_documents_and_sites_whole() -> None:
    assert wmt_split(HELDOUT_WMT_PAIR, "doc-1") == "test"
    assert wmt_split("he-en", "wmt23.he-en.b000", year="wmt23") == "test"  # the second held-out language
    # a year's documents are split by their own key: WMT22's splits are what they were
    assert [wmt_split("de-en", f"doc-{i}") for i in range(50)] == [wmt_split("de-en", f"doc-{i}", year="wmt22")
                                                                  for i in range(50)]
    assert wmt_split(HELDOUT_WMT_PAIR, "doc-1", holdout=False) in ("train", "calib", "test")
    assert {wmt_split("de-en", f"doc-{i}") for i in range(200)} == {"train", "calib", "test"}
    assert {site_split(f"site{i}.example") for i in range(200)} == {"train", "calib", "test"}
    assert site_split("a.example") == site_split("a.example")


# ---------------------------------------------------------------------------------- on the real corpus


@requires_shared
def test_most_real_pages_take_a_transplant() -> None:
    from training.generators.real_pages import iter_pages, usable_template

    rows = [
        json.loads(line)
        for line in (corpora_dir() / "pages" / "real-pages.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()[:40]
    ]
    pages = list(iter_pages(rows, site_split))
    usable = sum(usable_template(page, NEW) for page in pages)
    assert usable >= 0.7 * len(pages)


@requires_shared
def test_real_page_text_is_an_article_not_a_fragment() -> None:
    rows = [
        json.loads(line)
        for line in (corpora_dir() / "pages" / "real-pages.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    short = [
        row["site"]
        for row in rows
        if len(prepare_document(InputItem(row["id"], row["id"], html=row["html"])).words) < 0.2 * row["words"]
    ]
    assert len(short) <= 2, short


def test_the_real_world_rows_measure_what_they_name() -> None:
    """Each issue-#11 row reads the documents its name says (tiny table: scores chosen per document)."""
    from spindetect.learn import Example
    from training.heldout import real_world_rows

    def example(generator, label, flagged, score, **extra):
        params = extra.pop("params", {})
        group = fpr_group(label, "real_page" if generator.startswith(("real", "farm")) else "wmt22", generator)
        ex = Example(id=f"{generator}-{len(rows)}", item=InputItem("x", "x", text="t"), label=label, group="g",
                     split="test", generator=generator,
                     extra={"heldout": extra.get("heldout", False), "params": params, "fpr_group": group})
        rows.append((ex, flagged, score))

    rows: list = []
    example("real_page", "original", True, 0.99)
    example("real_page:text", "original", False, 0.1)
    example("real_chrome", "original", False, 0.2)
    example("farm_real:residue", "copy", True, 0.99)
    example("farm_real:residue:text", "copy", False, 0.5)
    example("farm_real:residue_unseen", "copy", False, 0.4, heldout=True)
    zh = {"pair": HELDOUT_WMT_PAIR, "system": "Online-A"}
    example("wmt:zh-en/Online-A", "translated", True, 0.9, heldout=True, params=zh)
    example("wmt:zh-en/Online-A", "translated", False, 0.8, heldout=True, params=zh)
    example("wmt_human", "original", False, 0.7, params={"pair": HELDOUT_WMT_PAIR, "system": "ref-A"})
    examples = [ex for ex, _, _ in rows]
    flagged = np.array([f for _, f, _ in rows])
    scores = np.array([s for _, _, s in rows])
    table = {row["measure"]: row for row in real_world_rows(examples, scores, flagged, np.ones(len(rows), bool))}
    assert table["false-positive rate on real pages (held-out sites), HTML and text"]["value"] == 0.5
    assert table["false-positive rate on news transplanted into real pages' chrome (held-out sites)"]["value"] == 0
    assert table["recall on farm residue on real chrome (held-out sites), trained residue wording"]["value"] == 0.5
    assert table["recall on farm residue on real chrome (held-out sites), unseen residue kinds"]["value"] == 0
    assert table["AUC machine vs human translation, held-out pairs he-en, zh-en (WMT21-23)"]["value"] == 1.0
    assert table["flag rate on machine translation, held-out pairs he-en, zh-en"]["value"] == 0.5
    assert table["flag rate on human translation, held-out pairs he-en, zh-en"]["value"] == 0
    assert table["  false-positive rate: human translations"]["n"] == 1
