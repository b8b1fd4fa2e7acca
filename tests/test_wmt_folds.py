"""The leave-one-language-out folds of real news translation (`training.wmt`): a language held out is
never trained on, and every version of one source document is on one side."""

from __future__ import annotations

from collections import defaultdict

from conftest import requires_shared
from training.wmt import WmtDocument, languages, leave_one_language_out, load_wmt


def _doc(year, language, doc, system, label="machine_translation"):
    return WmtDocument(year, language, doc, system, label, f"{year} {language} {doc} {system}")


def _synthetic() -> list[WmtDocument]:
    out = []
    for year, language in (("wmt21", "cs"), ("wmt22", "cs"), ("wmt21", "ha"), ("wmt23", "he")):
        for k in range(3):
            doc = f"{year}.{language}.{k}"
            out += [_doc(year, language, doc, "ref-A", "human_translation"),
                    _doc(year, language, doc, "Online-B"), _doc(year, language, doc, "GPT4-5shot")]
    out += [_doc("wmt22", "en", f"en.{k}", "source", "original_english") for k in range(20)]
    return out


def _sides_of_each_document(train, measured) -> dict[str, set[str]]:
    sides = defaultdict(set)
    for side, documents in (("train", train), ("measured", measured)):
        for d in documents:
            sides[(d.year, d.doc)].add(side)
    return sides


def test_a_held_out_language_is_measured_in_every_year_and_never_trained():
    documents = _synthetic()
    train, measured = leave_one_language_out(documents, "cs")
    assert {d.language for d in train} == {"ha", "he", "en"}
    assert {(d.year, d.language) for d in measured if d.language != "en"} == {("wmt21", "cs"), ("wmt22", "cs")}
    assert len(train) + len(measured) == len(documents)


def test_original_english_is_split_by_document_the_same_way_in_every_fold():
    documents = _synthetic()
    held_out_sets = [{d.doc for d in leave_one_language_out(documents, lang)[1] if d.language == "en"}
                     for lang in ("cs", "ha", "he")]
    assert held_out_sets[0] == held_out_sets[1] == held_out_sets[2]
    assert 0 < len(held_out_sets[0]) < 20  # some measured, some trained


def test_languages_need_both_machine_and_human_translations():
    documents = _synthetic() + [_doc("wmt23", "zh", "wmt23.zh.0", "Online-B")]  # no human reference
    assert languages(documents) == ["cs", "ha", "he"]


@requires_shared
def test_every_version_of_a_real_document_is_on_one_side_of_every_fold():
    documents = load_wmt()
    assert set(languages(documents)) >= {"cs", "de", "ha", "he", "is", "ru", "zh"}
    for language in languages(documents):
        train, measured = leave_one_language_out(documents, language)
        split = {key for key, sides in _sides_of_each_document(train, measured).items() if len(sides) > 1}
        assert not split, f"without {language}: documents on both sides: {sorted(split)[:3]}"
        assert not any(d.language == language for d in train)
