"""Non-English documents get no verdict (score, label null; flagged false) and an "unsupported_language"
note; English with foreign names, places and quotes is still scored. All sentences written for these tests."""

import pytest

from record_contract import assert_valid_record, score_cli
from spindetect import Detector
from spindetect.text import identify

FOREIGN = {
    "de": ("Der Stadtrat hat am Dienstag beschlossen, zwölf Kilometer geschützte Radwege durch die Innenstadt "
           "zu bauen. Die Ladenbesitzer befürchten weniger Kundschaft, doch die Verwaltung verweist auf "
           "Erfahrungen aus anderen Städten, in denen der Umsatz sogar gestiegen ist."),
    "fr": ("Le conseil municipal a approuvé mardi un projet de pistes cyclables protégées à travers le centre-"
           "ville. Les commerçants craignent une baisse de fréquentation, mais la mairie affirme que les "
           "villes voisines ont connu une hausse de leurs ventes après des travaux semblables."),
    "es": ("El ayuntamiento aprobó el martes un plan para construir veinte kilómetros de carriles bici "
           "protegidos en el centro de la ciudad. Los comerciantes temen perder clientes, pero el alcalde "
           "asegura que en otras ciudades las ventas aumentaron después de las obras."),
    "ru": ("Во вторник городской совет одобрил план строительства защищённых велодорожек в центре города. "
           "Владельцы магазинов опасаются потери покупателей, однако мэрия ссылается на опыт других городов, "
           "где после таких работ продажи только выросли."),
    "zh": ("市议会星期二批准了一项计划，将在市中心修建二十公里受保护的自行车道。商店老板担心顾客会减少，"
           "但市政府表示，其他城市在完成类似工程后，商店的销售额反而有所增长。这项工程预计明年春天开始。"),
}

ENGLISH_WITH_FOREIGN_NAMES = [
    ("Chancellor Olaf Scholz met François Hollande and Pedro Sánchez in Düsseldorf on Monday to discuss the "
     "energy crisis. Officials from the Bundesministerium said the talks had been productive, and a joint "
     "statement is expected later this week after further meetings in Brussels."),
    ("The new café on the Rue de Rivoli, run by chef Zoë Müller-Lüdenscheidt, serves croissants, churros and "
     "pelmeni. Customers said the queue on Saturday stretched past the corner, and the owner plans to open "
     "a second branch in Kraków next spring."),
    ("Residents of Gdańsk and São Paulo told reporters that the festival, known locally as \"Święto Miasta\" "
     "and \"Festa da Cidade\", would return next year. The organisers thanked Mr Nakamura and Ms Ivanova "
     "for their help with the stage, the lighting and the long evening programme."),
]


@pytest.fixture(scope="module")
def detector(tiny_model_dir):
    return Detector.load(tiny_model_dir)


@pytest.mark.parametrize("lang", list(FOREIGN))
def test_identifier_names_the_language(lang):
    guess = identify(FOREIGN[lang])
    assert guess.lang == lang and not guess.is_english


@pytest.mark.parametrize("lang", list(FOREIGN))
def test_foreign_documents_are_noted_not_scored(detector, lang):
    record = detector.score(FOREIGN[lang]).to_record()
    assert_valid_record(record)
    assert record["error"] is None
    assert record["score"] is None and record["label"] is None and record["flagged"] is False
    assert record["note"].startswith("unsupported_language") and f"'{lang}'" in record["note"]


@pytest.mark.parametrize("text", ENGLISH_WITH_FOREIGN_NAMES)
def test_english_with_foreign_names_is_scored(detector, text):
    assert identify(text).is_english
    record = detector.score(text).to_record()
    assert record["score"] is not None and "unsupported_language" not in (record["note"] or "")


@pytest.mark.parametrize("text, english", [
    ("", True),  # too short to tell: treated as English (scored, or an empty-document error)
    ("Bonjour", True),
    ("Guten Tag, wie geht es Ihnen heute?", True),  # under the letter minimum
    (FOREIGN["de"], False),
])
def test_short_texts_are_not_guessed(text, english):
    assert identify(text).is_english == english


def test_foreign_html_page_and_jsonl_through_the_cli(tiny_model_dir, tmp_path):
    import json

    (tmp_path / "fr.html").write_text(f"<html><body><article><p>{FOREIGN['fr']}</p></article></body></html>",
                                      encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "ru", "text": FOREIGN["ru"]}) + "\n"
                                      + json.dumps({"id": "en", "text": ENGLISH_WITH_FOREIGN_NAMES[0]}) + "\n",
                                      encoding="utf-8")
    code, records = score_cli([str(tmp_path / "fr.html"), str(tmp_path / "b.jsonl")], tiny_model_dir)
    assert code == 0  # an unsupported language is not a failure
    assert [r["note"] is not None and r["note"].startswith("unsupported_language") for r in records] == [
        True, True, False]
