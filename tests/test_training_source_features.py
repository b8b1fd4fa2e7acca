"""Training-time source features: an original is queried with every version of its own story left out."""

from spindetect.index import SourceIndex
from spindetect.readers import InputItem
from spindetect.trainer import Example
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
