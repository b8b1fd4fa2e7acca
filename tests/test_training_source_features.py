"""Training-time source features: an original is queried with every version of its own story left out."""

from spindetect.index import SourceIndex
from spindetect.io import InputItem
from spindetect.learn import Example
from index_stories import BRIDGE, FACTORY, ORCHESTRA
from training.source_features import story_ids_by_group


def _original(doc_id: str, group: str, text: str) -> Example:
    return Example(id=doc_id, item=InputItem(doc_id, doc_id, text=text), label="original", group=group,
                   split="train", source="test", generator="plain")


def test_duplicate_originals_filed_under_other_groups_are_merged_into_one_story(tmp_path):
    updated = BRIDGE.replace("next spring", "in April")  # an updated version filed as another story
    originals = [_original("a", "g1", BRIDGE), _original("b", "g2", updated), _original("c", "g3", ORCHESTRA),
                 _original("d", "g4", FACTORY)]
    index = SourceIndex.open(tmp_path / "index", create=True)
    index.add((ex.id, ex.item.text) for ex in originals)
    stories = story_ids_by_group(originals, index)
    assert stories["g1"] == stories["g2"] == frozenset({"a", "b"})
    assert stories["g3"] == frozenset({"c"}) and stories["g4"] == frozenset({"d"})


def test_text_hidden_derivatives_keep_their_match_and_take_an_originals_text_features():
    import numpy as np

    from spindetect.model import LABELS
    from training.train_default import hide_text_evidence_behind_index

    names = ["readability.a", "collocations.b", "source.similarity", "source.coverage"]
    original, spun = LABELS.index("original"), LABELS.index("spun")
    # rows: two with-index originals (donors), 8 spins whose source was found, 2 spins checked but not
    # found (similarity 0), 2 spins scored without an index (NaN)
    X = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]
                 + [[9.0, 9.0, 0.95, 1.0]] * 8 + [[9.0, 9.0, 0.0, 0.0]] * 2 + [[9.0, 9.0, np.nan, np.nan]] * 2)
    y = np.array([original] * 2 + [spun] * 12)
    out = hide_text_evidence_behind_index(X, y, np.ones(len(y), bool), names, seed=0, share=0.25)
    hidden = np.flatnonzero((out[:, 0] == 1.0) & (y == spun))
    assert len(hidden) == 2 and set(hidden) <= set(range(2, 10))  # a quarter of the 8 found-source spins
    assert np.array_equal(out[hidden][:, 2:], X[hidden][:, 2:])  # the match is kept
    untouched = np.setdiff1d(np.arange(len(y)), hidden)
    assert np.array_equal(out[untouched], X[untouched], equal_nan=True)
