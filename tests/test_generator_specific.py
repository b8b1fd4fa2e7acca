"""The generator-specific columns that training hides come from the families' own tags (issue #15), and are
exactly the set the recipe hid when it was a hand-kept list."""

from __future__ import annotations

from spindetect.features import registry

# The recipe's hand-kept definitions before the tags (training/train_default.py at fb0a038).
HAND_THESAURUS_FEATURES = frozenset({
    "collocations.garbled_per_100_words", "collocations.gapped_garbled_per_100_words",
    "collocations.garble_mean_strength", "collocations.garble_max_strength", "collocations.rare_synonym_rate",
    "collocations.mean_zipf_gap",
})


def _hand_template_wording(name: str) -> bool:
    return name.startswith("boilerplate.sig_") or name in ("boilerplate.signature_weight",
                                                            "boilerplate.signature_categories")


def test_train_default_derives_the_same_sets_as_the_hand_list():
    from training import train_default

    names = registry.feature_names(registry.build())
    assert train_default.THESAURUS_FEATURES == HAND_THESAURUS_FEATURES
    assert {n for n in names if train_default.knows_spinner_thesaurus(n)} == HAND_THESAURUS_FEATURES
    # boilerplate@2 adds one signature-derived column, residue_weight, tagged with the others.
    assert {n for n in names if train_default.knows_template_wording(n)} == (
        {n for n in names if _hand_template_wording(n)} | {"boilerplate.residue_weight"})
    assert train_default.TEMPLATE_FEATURES and train_default.TEMPLATE_FEATURES <= set(names)


def test_only_labels_we_generate_are_tagged():
    from spindetect.model import LABELS

    for cls in registry.available().values():
        assert set(cls.generator_specific.values()) <= set(LABELS) - {"original"}
