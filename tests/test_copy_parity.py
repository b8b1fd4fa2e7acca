"""The same farm template gives the same residue weight as text and as HTML (issue #28)."""

from __future__ import annotations

import random

import pytest
from test_syndication import ARTICLE

from spindetect.features.boilerplate import Boilerplate
from spindetect.io import InputItem
from spindetect.pipeline import prepare_document
from training.generators.theme_pages import RESIDUE_KINDS, THEMES, theme_page

TEASERS = ["Other story one here", "Other story two here", "Other story three here"]


def _both(theme, residue):
    page = theme_page("Night buses extended", ARTICLE, TEASERS, theme, residue, random.Random(0))
    return (prepare_document(InputItem("t", "t", text=page.text)),
            prepare_document(InputItem("h", "h", html=page.html)))


def _residue(document) -> float:
    return Boilerplate().extract(document).values["residue_weight"]


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.name)
@pytest.mark.parametrize("residue", RESIDUE_KINDS)
def test_the_same_template_gives_the_same_residue_weight_as_text_and_as_html(theme, residue):
    as_text, as_html = _both(theme, residue)
    assert _residue(as_text) == pytest.approx(_residue(as_html))
    if residue != "none":
        assert _residue(as_text) > 0
