import pytest

from spindetect.text import normalize


@pytest.mark.parametrize("raw, expected, field, count", [
    ("", "", "total", 0),
    ("plain ascii text", "plain ascii text", "total", 0),
    ("zero\u200bwidth", "zerowidth", "format_chars", 1),
    ("soft\u00adhyphen", "softhyphen", "soft_hyphens", 1),
    ("bidi\u202eoverride\u202c", "bidioverride", "bidi_controls", 2),
    ("nul\x00byte", "nulbyte", "control_chars", 1),
    ("p\u0430yp\u0430l", "paypal", "homoglyphs", 2),  # Cyrillic a inside a Latin word
    ("\u0391\u0399 news", "AI news", "homoglyphs", 2),  # an all-look-alike Greek word
    ("\uff21\uff29 full width", "AI full width", "compatibility_forms", 2),
    ("line\r\nbreaks\rhere", "line\nbreaks\nhere", "total", 0),
    # Each distinct character is classified once: repeats must still count one by one.
    ("a\u200bb\u200bc\u200b", "abc", "format_chars", 3),
    ("\x07bell\x07 and \x7fdel\ttab", "bell and del\ttab", "control_chars", 3),
    ("\ufb01ne \ufb01nish", "fine finish", "compatibility_forms", 2),
    ("lone \ud800 surrogate \ud800", "lone  surrogate ", "control_chars", 2),
])
def test_normalize_undoes_and_counts(raw, expected, field, count):
    result = normalize(raw)
    assert result.text == expected
    assert getattr(result.stats, field) == count


def test_genuine_cyrillic_words_are_left_alone():
    # A real Russian word contains letters with no Latin look-alike, so it is not mapped.
    assert normalize("Москва").text == "Москва"
    assert normalize("Москва").stats.homoglyphs == 0


@pytest.mark.parametrize("text", ["а он спал", "και το σπίτι", "Она сказала: а это кто?"])
def test_whole_lookalike_words_in_non_latin_text_stay_as_written(text):
    assert normalize(text).text == text


def test_whole_lookalike_word_inside_latin_text_is_mapped():
    assert normalize("The \u0441\u0430\u0440 fits").text == "The cap fits"
