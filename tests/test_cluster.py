"""Story clustering of a batch without an index."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from index_stories import (BRIDGE, BRIDGE_PARAPHRASE, BRIDGE_SPUN, FACTORY, ORCHESTRA, SUMMIT, SUMMIT_COPY, SUMMIT_NEXT_DAY,
                           SUMMIT_REWRITTEN, SUMMIT_SPUN, SUMMIT_TRANSLATED, UNRELATED)

from spindetect.text import Document
from spindetect.index.cluster import cluster


def docs(*pairs):
    return [Document(id=doc_id, text=text) for doc_id, text in pairs]


def test_spun_copy_joins_its_original_which_is_named_original():
    # The spun copy comes first: the original is chosen by wording, not by position.
    result = cluster(docs(("spun", BRIDGE_SPUN), ("orch", ORCHESTRA), ("bridge", BRIDGE), ("garden", UNRELATED)))
    by_id = {a.id: a for a in result}
    assert [a.id for a in result] == ["spun", "orch", "bridge", "garden"]
    assert by_id["spun"].cluster == by_id["bridge"].cluster
    assert by_id["bridge"].role == "original" and by_id["bridge"].derived_from is None
    assert by_id["spun"].role == "derived" and by_id["spun"].derived_from == "bridge"
    assert len({by_id["orch"].cluster, by_id["garden"].cluster, by_id["bridge"].cluster}) == 3
    assert by_id["orch"].role == "original"


@pytest.mark.parametrize("batch, clusters", [
    ([], 0),
    ([("a", "")], 1),
    ([("a", FACTORY), ("b", FACTORY)], 1),
    ([("a", FACTORY), ("b", ORCHESTRA), ("c", UNRELATED)], 3),
])
def test_cluster_counts(batch, clusters):
    result = cluster(docs(*batch))
    assert len(result) == len(batch)
    assert len({a.cluster for a in result}) == clusters


def test_cli_cluster_writes_one_record_per_input(tmp_path):
    from spindetect.cli._index import cluster as cluster_command

    data = tmp_path / "batch.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in [
        {"id": "bridge", "text": BRIDGE}, {"id": "spun", "text": BRIDGE_SPUN}, {"id": "bad"}]) + "\n")
    result = CliRunner().invoke(cluster_command, [str(data)])
    assert result.exit_code == 3
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["bridge", "spun", "bad"]
    assert records[0]["role"] == "original" and records[0]["rank"] == 0 and records[0]["similarity"] is None
    assert {k: records[1][k] for k in ("id", "cluster", "role", "derived_from", "rank")} == {
        "id": "spun", "cluster": 0, "role": "derived", "derived_from": "bridge", "rank": 1}
    assert 0.0 < records[1]["similarity"] < 1.0
    assert "error" in records[2]


def test_derived_documents_are_ranked_least_derived_first():
    # A verbatim copy aligns more closely with the original than a spin of it, whatever the batch order;
    # the copy's share widget and headline list make it the less likely original of the two.
    copy = "Share this story\nFacebook | Twitter\n\n" + BRIDGE + "\n\nRelated stories\nLeave a Reply"
    result = cluster(docs(("spun", BRIDGE_SPUN), ("copy", copy), ("bridge", BRIDGE)))
    by_id = {a.id: a for a in result}
    assert by_id["bridge"].role == "original" and by_id["bridge"].rank == 0
    assert (by_id["copy"].rank, by_id["spun"].rank) == (1, 2)
    assert by_id["copy"].similarity > by_id["spun"].similarity


FARM_TEMPLATE = "\n".join([
    "Home | World | Business | Sport | Tech | Contact", "Share on Facebook | Share on Twitter | Email",
    "{article}",
    "Related posts", "Ten things you never knew about cheese", "Local man wins lottery twice",
    "Best holiday deals of the year revealed", "Why cats love boxes: experts weigh in",
    "Leave a Reply", "Your email address will not be published. Required fields are marked *",
    "Comment", "Name *", "Email *", "Website", "Post Comment",
    "Copyright 2024 Daily News Hub. All rights reserved. Privacy Policy | Terms of Use",
])


def test_shared_template_furniture_does_not_join_unrelated_stories():
    # Two farm pages built on one template share all their furniture; only their prose tells the stories.
    result = cluster(docs(("bridge-page", FARM_TEMPLATE.format(article=BRIDGE)),
                          ("orchestra-page", FARM_TEMPLATE.format(article=ORCHESTRA)),
                          ("bridge", BRIDGE)))
    by_id = {a.id: a for a in result}
    assert by_id["bridge-page"].cluster == by_id["bridge"].cluster != by_id["orchestra-page"].cluster
    assert by_id["bridge"].role == "original"  # the page carries the furniture


# Another story from the same council and reporter, written in the same house style: many sentences pair
# up with BRIDGE's, but only about half of their words are the same.
SAME_COUNCIL_OTHER_STORY = (
    "Harlow County council on Tuesday announced a review of its flood defences after severe flooding last winter. "
    "Officials said repairs to the river walls would cost 3 million pounds. "
    "Local farmers welcomed the decision, saying the floods had ruined their crops. "
    "Councillor Maria Odell told reporters that engineers would survey the banks in March. "
    "Rainfall in the county has risen since 2019, according to a survey by the Met Office."
)


def test_same_topic_story_in_the_same_style_stays_apart_while_a_spin_joins():
    result = cluster(docs(("bridge", BRIDGE), ("floods", SAME_COUNCIL_OTHER_STORY), ("spun", BRIDGE_SPUN)))
    by_id = {a.id: a for a in result}
    assert by_id["spun"].cluster == by_id["bridge"].cluster != by_id["floods"].cluster


def test_a_short_excerpt_of_a_long_article_joins_it_and_the_article_is_the_original():
    # A farm's two-sentence lede of a long article shares few MinHash bands with it and aligns with a small
    # part of it; the sentences it shares word for word find and join it.
    article = "\n\n".join([BRIDGE, ORCHESTRA, FACTORY, UNRELATED])
    excerpt = ". ".join(BRIDGE.split(". ")[:2]) + "."
    result = cluster(docs(("excerpt", excerpt), ("article", article)))
    by_id = {a.id: a for a in result}
    assert by_id["excerpt"].cluster == by_id["article"].cluster
    assert by_id["article"].role == "original" and by_id["excerpt"].derived_from == "article"


def test_a_story_republished_hundreds_of_times_is_one_cluster():
    # More copies than MAX_BUCKET share every MinHash band: they must still join, without quadratic pairs.
    from spindetect.index.cluster import MAX_BUCKET

    copies = [(f"copy-{i}", BRIDGE) for i in range(MAX_BUCKET + 50)]
    result = cluster(docs(*copies, ("orchestra", ORCHESTRA)))
    assert len({a.cluster for a in result}) == 2
    assert sum(a.role == "original" for a in result) == 2


def test_documents_sharing_a_key_pair_up_once_and_a_crowded_key_pairs_only_with_its_first_members():
    import numpy as np

    from spindetect.index.cluster import LARGE_BUCKET_ANCHORS, MAX_BUCKET, _pairs_sharing

    # Documents 0-2 share two keys (their pairs come once), 3 shares nothing, and the crowded key 99 is held
    # by documents 4 onwards: each is paired with its first LARGE_BUCKET_ANCHORS members only.
    n = 4 + MAX_BUCKET + 10
    keys = [np.array([1, 2]), np.array([1, 2]), np.array([2]), np.array([5])] + [np.array([99])] * (n - 4)
    pairs = [tuple(map(int, divmod(p, n))) for p in _pairs_sharing([k.astype(np.int64) for k in keys], n)]
    crowd = range(4, n)
    expected = {(0, 1), (0, 2), (1, 2)} | {(a, b) for x, a in enumerate(crowd[:LARGE_BUCKET_ANCHORS])
                                            for b in crowd[x + 1:]}
    assert pairs == sorted(expected)


def test_five_renderings_of_one_story_are_one_story_with_the_original_named_and_each_relation_right():
    # Shuffled, the original neither first nor last; a same-topic story of the next day and an unrelated
    # one in the batch too.
    result = cluster(docs(("rewrite", SUMMIT_REWRITTEN), ("next-day", SUMMIT_NEXT_DAY), ("spin", SUMMIT_SPUN),
                          ("original", SUMMIT), ("garden", UNRELATED), ("translation", SUMMIT_TRANSLATED),
                          ("copy", SUMMIT_COPY)))
    by_id = {a.id: a for a in result}
    story = {"rewrite", "spin", "original", "translation", "copy"}
    assert len({by_id[i].cluster for i in story}) == 1
    assert by_id["next-day"].cluster not in {by_id["original"].cluster, by_id["garden"].cluster}
    assert {i: (by_id[i].relation, by_id[i].derived_from, by_id[i].story) for i in story} == {
        "original": ("original", None, "original"), "copy": ("copy", "original", "original"),
        "spin": ("spin", "original", "original"), "translation": ("translation", "original", "original"),
        "rewrite": ("rewrite", "original", "original")}
    assert by_id["next-day"].relation == "original" and by_id["next-day"].story == "next-day"
    # Versions sharing the original's wording rank before those that retell it.
    assert by_id["copy"].rank < by_id["spin"].rank < min(by_id["translation"].rank, by_id["rewrite"].rank)


def test_two_stories_on_one_topic_stay_apart_each_with_its_own_spin():
    result = cluster(docs(("summit", SUMMIT), ("vote", SUMMIT_NEXT_DAY), ("bridge", BRIDGE),
                          ("floods", SAME_COUNCIL_OTHER_STORY), ("summit-spun", SUMMIT_SPUN),
                          ("bridge-spun", BRIDGE_SPUN)))
    by_id = {a.id: a for a in result}
    clusters = {}
    for a in result:
        clusters.setdefault(a.cluster, set()).add(a.id)
    assert sorted(map(sorted, clusters.values())) == [
        ["bridge", "bridge-spun"], ["floods"], ["summit", "summit-spun"], ["vote"]]
    assert by_id["summit-spun"].relation == by_id["bridge-spun"].relation == "spin"


def test_a_paraphrase_with_the_same_names_and_numbers_joins_as_a_rewrite():
    result = cluster(docs(("paraphrase", BRIDGE_PARAPHRASE), ("bridge", BRIDGE), ("orchestra", ORCHESTRA)))
    by_id = {a.id: a for a in result}
    assert by_id["paraphrase"].cluster == by_id["bridge"].cluster != by_id["orchestra"].cluster
    assert (by_id["bridge"].role, by_id["paraphrase"].relation) == ("original", "rewrite")


def test_a_version_that_will_not_join_is_aligned_with_a_story_only_a_few_times(monkeypatch):
    from spindetect.index import cluster as module

    # Twelve copies of one story and one more that, say, the alignment rejects: it is a candidate of every
    # copy, but once it has failed against MAX_FAILED_ALIGNMENTS of them it is not aligned with the rest.
    marker = "zanzibarian"
    batch = [(f"copy-{n}", BRIDGE) for n in range(12)] + [("odd", BRIDGE + f" The {marker} ferry also runs.")]
    real = module.shares_wording
    attempts = []

    def refuses_the_odd_one(a, b, *rest):
        odd = any(word == marker for sentences in (a, b) for sentence in sentences for word, _ in sentence.words)
        attempts.append(odd)
        return False if odd else real(a, b, *rest)

    monkeypatch.setattr(module, "shares_wording", refuses_the_odd_one)
    result = {a.id: a for a in cluster(docs(*batch))}
    assert len({result[f"copy-{n}"].cluster for n in range(12)}) == 1
    assert sum(attempts) == module.MAX_FAILED_ALIGNMENTS < 12


def test_a_follow_up_that_quotes_a_story_whole_stays_a_story_of_its_own():
    # Another article (the factory story) pastes the bridge story into its middle: it shares the bridge
    # story's wording sentence for sentence, but its own sentences come first, so it is not a version of it.
    factory = FACTORY.split(". ")
    follow_up = "\n\n".join([". ".join(factory[:3]) + ".", BRIDGE, ". ".join(factory[3:])])
    result = cluster(docs(("follow-up", follow_up), ("bridge", BRIDGE), ("spun", BRIDGE_SPUN)))
    by_id = {a.id: a for a in result}
    assert by_id["spun"].cluster == by_id["bridge"].cluster != by_id["follow-up"].cluster
    assert by_id["follow-up"].role == "original" and by_id["bridge"].role == "original"


def test_the_quote_rule_needs_own_sentences_before_the_shared_ones():
    from spindetect.index.align import align
    from spindetect.index.cluster import _quotes_the_other
    from spindetect.text import Document as Doc

    bridge = Doc(id="b", text=BRIDGE).sentences
    factory = Doc(id="f", text=FACTORY).sentences
    # The bridge story with the factory story after it: an article continued, as a farm appends another.
    appended = bridge + factory
    # ... and before it: an article of its own that quotes the bridge story.
    quoting = factory + bridge
    assert not _quotes_the_other(align(bridge, appended), len(bridge), len(appended))
    assert _quotes_the_other(align(bridge, quoting), len(bridge), len(quoting))
    assert _quotes_the_other(align(quoting, bridge), len(quoting), len(bridge))
    assert not _quotes_the_other(align(bridge, bridge), len(bridge), len(bridge))
