"""Feature values must not move when extraction is optimised: a model is trained on them.

`tests/data/feature_vectors.json` holds the full default-family feature vector of each document below,
generated from the extractors as they stood before the performance work (issue 6). Every value must match
within 1e-6 (NaN matching NaN). All texts here were written for this test.

`feature_vectors.json` is frozen (the version-1 families, which old models still use);
`feature_vectors_current.json` holds the current default families. Regenerate the current one ONLY when a
feature change is intended (and a model retrained):

    python tests/test_feature_stability.py --regenerate
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from spindetect.pipeline import featurize, prepare_document
from spindetect.text import Document
from spindetect.features import registry
from spindetect.io import InputItem

# The current default families' vectors (regenerated when a feature change is intended), and the vectors of
# the families as version 1, 0.2.0 (boilerplate@2) and its refit on boilerplate@3 shipped them: superseded
# versions stay registered for old models, and must still compute exactly what those models were trained on.
FIXTURE = Path(__file__).resolve().parent / "data" / "feature_vectors_current.json"
FROZEN_FIXTURES = (Path(__file__).resolve().parent / "data" / "feature_vectors.json",
                   Path(__file__).resolve().parent / "data" / "feature_vectors_0.2.0.json",
                   Path(__file__).resolve().parent / "data" / "feature_vectors_boilerplate3.json")
TOLERANCE = 1e-6

_PLAIN = (
    "The town council voted on Tuesday to close the old library on Mill Street. Councillors said the "
    "building needed repairs that would cost more than the service was worth. Residents who had campaigned "
    "for months gathered outside the chamber. \"We are disappointed, but we are not finished,\" said one of "
    "them, a retired teacher who has lived in the town for forty years.\n\n"
    "A mobile library will visit three villages each week from March. The council expects to save about "
    "120,000 pounds a year."
)
_SPUN = (
    "Counterfeit consciousness is transforming the way organizations approach profound learning. In a time "
    "for truth, the chief executive stated that the firm would put money into vast information and cloud "
    "registering. Specialists state the engineering could alter the fate of work, yet pundits caution about "
    "occupation misfortunes. The organization's portion cost rose sharply after the declaration."
)
_SPUN_HEAVY = (
    "The administration proclaimed a fresh arrangement to handle the lodging emergency. Clergymen "
    "contended that the conspire would construct a huge number of reasonable homes. Notwithstanding, "
    "resistance legislators said the figures were outlandish and the cash would not be sufficient. The "
    "chief stated: \"This is a notable minute for our nation.\" Pundits were not persuaded."
)
_TRANSLATED = (
    "The minister has declared that in the coming year it will be given more money to the schools of the "
    "region. It is to say that the parents must not pay more for the books. In this sense, the government "
    "wants to make a step in the direction of the equality. The opposition has however criticised that the "
    "measure comes too late and that it is not sufficient for the needs of the families."
)
_LLM = (
    "In a significant development, the city has unveiled an ambitious plan to revitalize its historic "
    "waterfront. The initiative, which underscores a commitment to sustainable growth, aims to foster "
    "community engagement and enhance public spaces. Officials emphasized that the project represents a "
    "pivotal moment, highlighting the importance of collaboration between residents and local businesses. "
    "Moreover, the plan seeks to navigate the complex landscape of urban renewal."
)
_NUMBERS = (
    "Sales rose 4.5% to $1,234.56m in Q3, up from $1,100m; margins were 12.3% (vs 11.9%). "
    "Shares closed at 245.5p at 16:30 on 12.03.2005."
)
_UNICODE = (
    "\u201cIt\u2019s a well-known problem,\u201d she said \u2014 adding that the caf\u00e9\u2019s "
    "na\u00efve co-owner didn\u2019t know\u2026 Nobody\u2019s sure what\u2019ll happen next; they\u2019re "
    "waiting. \u00abQuote\u00bb \u2013 end."
)
_LISTY = (
    "Home\nNews\nSport\nWeather\nShare this page\nFacebook Twitter Email\n"
    "The bridge will reopen on Friday after six weeks of repairs.\n"
    "Related stories\nRoad closures across the county\nNew bus timetable announced\n"
    "Copyright 2005. All rights reserved."
)
_QUESTIONS = "Why? Who knows! Really... Maybe; maybe not: we shall see (perhaps). Yes -- no - yes."
_CAPS = "BREAKING NEWS: THE MAYOR RESIGNS. Mr Smith Said The Decision Was Final And Irreversible."
_REPEATED = ("The same short sentence appears again and again. " * 60).strip()
_LONG_MIXED = "\n\n".join([_PLAIN, _SPUN, _TRANSLATED, _LLM, _NUMBERS, _UNICODE] * 3)

_FARM_PAGE = """<!DOCTYPE html><html><head><title>Best Tips Daily - Profound Learning News</title></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/tech">Tech</a></li><li><a href="/money">Money</a></li>
<li><a href="/contact">Contact Us</a></li></ul></nav>
<div class="share">Share on Facebook | Tweet | Pin it | WhatsApp</div>
<article><h1>Profound Learning Changes Everything</h1>
<p>Counterfeit consciousness and profound learning are changing how organizations work. Specialists state
the new frameworks can perceive pictures and discourse superior to anything past techniques.</p>
<p>Many organizations are now putting vast sums of cash into the field, and the pace of progress shows no
sign of slowing down in the coming months, as analysts have repeatedly noted in their reports.</p>
<p>Nonetheless, a few pundits caution that the engineering is exaggerated and that the guarantees made by
sellers are regularly not met in practice, which leaves clients disappointed.</p></article>
<aside><h3>Trending now</h3><ul><li><a href="/a">10 Celebrities Who Lost Everything</a></li>
<li><a href="/b">You Will Not Believe What This Cat Did</a></li><li><a href="/c">Doctors Hate This Trick</a></li></ul></aside>
<form><label>Leave a comment</label><textarea></textarea><input type="submit" value="Post Comment"></form>
<footer>Copyright 2024 Best Tips Daily. All rights reserved. Privacy Policy | Terms of Use</footer></body></html>"""

_NEWS_PAGE = """<html><head><title>Library closure approved</title></head><body>
<header><a href="/">Local Gazette</a> <a href="/news">News</a> <a href="/sport">Sport</a></header>
<main><h1>Council approves library closure</h1><p class="byline">By a staff reporter</p>
<p>The town council voted on Tuesday to close the old library on Mill Street after a long debate.
Councillors said the building needed repairs that would cost more than the service was worth.</p>
<p>Residents who had campaigned for months gathered outside the chamber to hear the result.
A mobile library will visit three villages each week from March, the council said.</p></main>
<footer>Local Gazette, 1 High Street. Contact the newsroom.</footer></body></html>"""

_TINY_PAGE = "<html><body><p>Short note only.</p></body></html>"

# Plain texts are featurised as given (no normalisation), so the fixture tracks the extractors alone.
PLAIN_DOCUMENTS: dict[str, str] = {
    "empty": "",
    "whitespace": "  \n\n \t ",
    "punctuation_only": "... !!! ???",
    "one_word": "Hello",
    "numbers_only": "12 34.5 1,000",
    "plain_news": _PLAIN,
    "spun_light": _SPUN,
    "spun_heavy": _SPUN_HEAVY,
    "translated_like": _TRANSLATED,
    "llm_like": _LLM,
    "numbers_heavy": _NUMBERS,
    "unicode_typography": _UNICODE,
    "page_like_lines": _LISTY,
    "questions_punctuation": _QUESTIONS,
    "capitals": _CAPS,
    "repeated": _REPEATED,
    "long_mixed": _LONG_MIXED,
    "lower_no_punctuation": "a quick look at the markets today shows that prices went up and then down again",
}
# HTML goes through the real preparation path (extraction + normalisation), as the detector does.
HTML_DOCUMENTS: dict[str, str] = {
    "html_farm_page": _FARM_PAGE,
    "html_news_page": _NEWS_PAGE,
    "html_tiny_page": _TINY_PAGE,
}


def _document(name: str) -> Document:
    if name in PLAIN_DOCUMENTS:
        return Document(id=name, text=PLAIN_DOCUMENTS[name])
    return prepare_document(InputItem(name, name, html=HTML_DOCUMENTS[name]))


def _vector(name: str, families) -> list[float | None]:
    vector, _ = featurize(families, _document(name))
    return [None if math.isnan(v) else float(v) for v in vector.tolist()]


def regenerate() -> None:
    families = registry.build(registry.DEFAULT_FAMILIES)
    data = {
        "families": list(registry.DEFAULT_FAMILIES),
        "feature_names": registry.feature_names(families),
        "vectors": {name: _vector(name, families) for name in [*PLAIN_DOCUMENTS, *HTML_DOCUMENTS]},
    }
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@pytest.fixture(scope="module", params=[FIXTURE, *FROZEN_FIXTURES], ids=lambda path: path.stem)
def fixture_data(request) -> dict:
    return json.loads(request.param.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def families(fixture_data):
    return registry.build(fixture_data["families"])


def test_fixture_covers_the_current_schema():
    current = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert current["families"] == list(registry.DEFAULT_FAMILIES)
    assert current["feature_names"] == registry.feature_names(registry.build(registry.DEFAULT_FAMILIES))
    assert set(current["vectors"]) == {*PLAIN_DOCUMENTS, *HTML_DOCUMENTS}


@pytest.mark.parametrize("name", [*PLAIN_DOCUMENTS, *HTML_DOCUMENTS])
def test_feature_vector_unchanged(name, fixture_data, families):
    expected = fixture_data["vectors"][name]
    actual = _vector(name, families)
    names = fixture_data["feature_names"]
    moved = [
        f"{feature}: expected {want}, got {got}"
        for feature, want, got in zip(names, expected, actual)
        if not (want is None and got is None)
        and (want is None or got is None or not math.isclose(want, got, rel_tol=TOLERANCE, abs_tol=TOLERANCE))
    ]
    assert len(actual) == len(expected)
    assert not moved, f"{name}: " + "; ".join(moved)


if __name__ == "__main__":
    if "--regenerate" not in sys.argv:
        sys.exit("pass --regenerate to rewrite tests/data/feature_vectors_current.json from the current extractors")
    regenerate()
    print(f"wrote {FIXTURE}")
