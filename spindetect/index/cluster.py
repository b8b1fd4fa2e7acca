"""Group a batch into stories without an index, and name each story's likely original.

Documents are compared by their prose lines only (`article_body`), so pages built on one farm template do
not join through their shared menus and footers. Pairs are found with the same MinHash bands as
`SourceIndex` (in memory), plus pairs that share a long sentence word for word (an excerpt shares few
bands with its source), verified by sentence alignment (`relation.shares_wording`), and joined transitively
(union-find); then version groups that tell one story in other words join by story evidence
(`story.same_story`). At neither level does an article join one it quotes (`MIN_OWN_LEAD`). On request
(`meaning=True`), a third level joins story groups in different languages whose sentences the multilingual
encoder pairs in order (a foreign source and its English translations: `MEANING_MEMBERS`).

Within a story the original is the version the others are closest to: every derivative moves away from
its source on its own (a copy adds page furniture, an excerpt drops the end, each spin garbles different
words), so the source is the story's medoid by alignment similarity times the share of aligned words kept
verbatim (similarity compares synonym-canonical forms, under which a light spin equals its source; the
surface words tell them apart, since each spin's swaps are its own). Among versions the medoid cannot
separate (two-document stories, near ties), the original is the one with the fewest non-prose page lines
that no other version has (a template's furniture, not the story's own line-ups), then the one holding
most of the other versions' sentences (an excerpt holds less than its source), then the one with the most
plausible wording (the share of content-word pairs known to reference English: spinners break
collocations; see `features.plausibility`), then the longest, then the earliest in the batch.

The others are `derived` from it, ranked by the share of their aligned words that are not the original's
verbatim (`align.Alignment.rewording`): `rank` 1 is the least reworded (a verbatim copy or an excerpt
before a spin, a light spin before a heavy one); the original has rank 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..text._document import Document
from ..text._lines import is_prose_line
from ..features.plausibility import Plausibility
from .align import Alignment, PreparedSentences, align, prepare_sentences
from .meaning import MeaningAlignment, align_meaning, sentence_pieces, sentence_vectors
from .relation import MIN_TRANSLATION_ORDER, Relation, article_body, relation_to, shares_wording
from .sketch import Sketch, default_backend
from .story import MIN_OWN_LEAD, MIN_OWN_SHARE, StoryEvidence, compare, own_lead, quotes_the_other, same_story
from .story import share_held, story_evidence
from .story import candidate_pairs as story_candidate_pairs
from ..text._language import sure_language
from .source_index import LEAD_CHARS, MEANING_CANDIDATES, MIN_LEAD_COSINE, MIN_MEANING_PAIRS

MAX_BUCKET = 200
# Members of a larger bucket are paired with this many of its first members only (see `_pairs_in`).
LARGE_BUCKET_ANCHORS = 3
# Sentences this long that two documents share word for word make the pair a candidate, whatever their
# MinHash says: an excerpt shares few bands with its much longer source.
MIN_SHARED_SENTENCE_WORDS = 12
# Pairs that share a MinHash band but whose estimated Jaccard similarity stays under this are not aligned.
# On the `train`-split batch, this dropped two thirds of the different-story pairs (most of the alignments)
# and 0.1% of the same-story pairs, which the other versions of their story still join.
MIN_CANDIDATE_JACCARD = 0.1
MERGE_PAIRS = 1_000_000  # found pairs waiting to be made unique (`_pairs_sharing`)
JACCARD_CHUNK = 25_000  # pairs whose estimated Jaccard similarity is computed at once (`_max_jaccard`)
# Two version groups whose members failed to share wording this many times (candidate pairs come most
# similar first) are not aligned again: without the limit, each version of a story that joins only by story
# evidence (a translation, a rewrite) was aligned with every member of its story's wording group, and the
# failed alignments grew with the square of the versions per story. On the 3,000-document batch of
# `benchmarks.story_scale`, failed alignments fell from 12,882 to 8,018 (34.4 s to 27.6 s); on
# `benchmarks.story_bench` every figure stayed the same (at 3, two human and two machine translations
# joined by story evidence instead of wording, and lost their `translation` relation).
MAX_FAILED_ALIGNMENTS = 8
# A version is not the story it quotes: an article that quotes another (a follow-up pasting one paragraph
# of an earlier story) shares that paragraph's wording, sometimes most of the earlier story. Such a pair
# does not join, as versions or as one story, when the less covered side has at least `story.MIN_OWN_LEAD`
# sentences of its own before the first shared one and at least `story.MIN_OWN_SHARE` of its sentences are
# its own (`_quotes_the_other`; at the story level also pasted, `story.quotes_the_other`): a copy, a spin,
# a farm's excerpt (the lede), a translation or a rewrite starts where its source starts. On the tuning
# side of `benchmarks.story_bench` (`--tuning`), the pairs joined by wording that this parts are 12
# follow-ups with the story they quote and 2 LLM rewrites with their original (which story evidence may
# still join); with the story-level check too, follow-ups that stay apart go from 0.25 to 0.75 and B-cubed
# precision from 0.959 to 0.976 (at a story threshold of 0.7). A lead of 3 kept 0.65 of follow-ups apart
# (precision 0.972), 4 the same.
# A story's medoid is measured against at most this many of its members (the first in batch order), so
# naming the original of a story republished a thousand times costs linear, not quadratic, alignments.
MEDOID_REFERENCES = 12
# Versions whose centrality (mean verbatim-weighted similarity to the others) is this close to the best
# are near ties for the medoid (a verbatim copy with a short share widget is as central as its source);
# the tie-break decides.
MEDOID_TIE = 0.02
# Meaning (`cluster(..., meaning=True)`, `spindetect cluster --meaning`): story groups that share no words
# (a German or Chinese source and its English translation) join when the multilingual encoder pairs their
# sentences, by `source_index`'s rules for tracing a translation: leads of LEAD_CHARS characters at
# MIN_LEAD_COSINE or more make candidates (each lead's MEANING_CANDIDATES nearest of other story groups),
# and a candidate joins when its sentences pair (`meaning.align_meaning`) at least MIN_MEANING_PAIRS times
# over at least MIN_MEANING_COVERAGE (below) of the *less* covered side (union-find chains every join: a short
# article must not join a long one through a few of the long one's sentences), in order as a translation
# keeps them (`relation.MIN_TRANSLATION_ORDER`), and neither side is an article of its own quoting the
# other (`_pairs_quote`). Only documents in different languages are paired: within one language the wording
# and story levels read the words, names and numbers themselves, which the encoder blurs (two English
# council stories, a tram line's and a bridge's, paired two formulaic sentences at cosines of 0.85 and
# 0.87, in order, over a third of each: by the index's rules, one story). A story group is represented by
# the first version of each of its version groups, at most MEANING_MEMBERS of them (a story republished a
# thousand times costs a few leads, not a thousand), and two story groups are verified on their
# MEANING_TRIES most similar pairs of leads. On `benchmarks.story_bench --sources` (WMT22 stories with their
# foreign-language sources), translations that join their source: tuning side (cs, de, ru; scale 0.5) all
# 24 human and 60 machine translations, from none; report side (zh; scale 1) 0.43 of 60 human and 0.47 of
# 120 machine translations (e5-small pairs fewer Chinese sentences with their English ones). B-cubed
# precision stays as without meaning on both sides (0.988, 0.963): no other story joins, same-topic
# stories and follow-ups stay apart as before.
MEANING_MEMBERS = 4
# The share of the *less* covered side's sentences that must pair. The figures above were measured at 0.3;
# the index asks 0.5 of the shorter side (`source_index.MIN_MEANING_COVERAGE`) because it pairs within one
# language too and has no in-order rule, which here keep other stories out.
MIN_MEANING_COVERAGE = 0.3
MEANING_TRIES = 2
MIN_MEANING_ORDER = MIN_TRANSLATION_ORDER
LEAD_ROWS = 256  # leads compared with those of other languages at once (`_join_by_meaning`)
ENGLISH = "en"


@dataclass(frozen=True)
class ClusterAssignment:
    id: str
    cluster: int  # the story's number, by first appearance in the batch, from 0
    role: str  # "original" | "derived"
    derived_from: str | None  # the story's original, for derived documents
    similarity: float | None = None  # to the original, for derived documents (see `relation.Relation`)
    rank: int = 0  # 0 for the original; 1, 2, ... for derived documents, least derived first
    story: str = ""  # the story's id: its original's id
    relation: str = "original"  # one of `relation.RELATIONS`

    def to_record(self) -> dict:
        return {"id": self.id, "cluster": self.cluster, "role": self.role, "derived_from": self.derived_from,
                "rank": self.rank, "similarity": self.similarity, "story": self.story, "relation": self.relation}


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.root(i), self.root(j)
        self.parent[max(a, b)] = min(a, b)

    def groups(self, members: Sequence[int]) -> list[list[int]]:
        """The members grouped by root, each group in member order, groups by their first member."""
        by_root: dict[int, list[int]] = {}
        for i in members:
            by_root.setdefault(self.root(i), []).append(i)
        return sorted(by_root.values(), key=min)


def cluster(documents: Sequence[Document], meaning: bool = False) -> list[ClusterAssignment]:
    """One assignment per document, in input order.

    `meaning=True` adds a third level: story groups joined by meaning across languages (see MEANING_MEMBERS),
    for encoder time when the batch holds more than one language (leads, and the sentences of candidate
    pairs: about 0.2 s a document on two cores). Raises `EncoderUnavailable` (before any work) when the
    multilingual encoder cannot run here."""
    if meaning:
        from ..encoder import encoder

        encoder()  # fails fast where the encoder cannot run
    pages = list(documents)
    # Stories are compared by their prose only: farm pages built on one template share menus, share widgets
    # and footers, which would otherwise tie unrelated stories together.
    documents = [article_body(page) for page in pages]
    # Each document is aligned with many others: its sentences are canonicalised once, up front.
    sentences = [prepare_sentences(doc.sentences) for doc in documents]
    backend = default_backend()
    sketches = [Sketch.of_text(doc.text, backend) for doc in documents]
    # Two levels: versions that share their wording (copies, excerpts, spins: `relation.shares_wording`),
    # then stories of such versions that tell one story in other words (translations, rewrites:
    # `story.same_story`).
    versions = _UnionFind(len(documents))
    failures: dict[tuple[int, int], int] = {}
    for i, j in _candidate_pairs(sketches, sentences):
        roots = tuple(sorted((versions.root(i), versions.root(j))))
        if roots[0] == roots[1] or failures.get(roots, 0) >= MAX_FAILED_ALIGNMENTS:
            continue
        forward = align(sentences[i], sentences[j])
        if not _quotes_the_other(forward, len(sentences[i]), len(sentences[j])) and shares_wording(
                sentences[i], sentences[j], forward):
            versions.join(i, j)
        else:
            failures[roots] = failures.get(roots, 0) + 1
    evidence = [story_evidence(s) for s in sentences]
    stories = _UnionFind(len(documents))
    for i in range(len(documents)):
        stories.join(i, versions.root(i))
    for i, j in story_candidate_pairs(evidence):
        if stories.root(i) != stories.root(j):
            comparison = compare(evidence[i], evidence[j])
            if same_story(comparison) and not quotes_the_other(comparison):
                stories.join(i, j)
    # Third level, on request: story groups that tell one story in other languages.
    language = cache(lambda i: _language(documents[i]))
    told = _join_by_meaning(documents, versions, stories, language) if meaning else stories

    assignments: dict[int, ClusterAssignment] = {}
    for number, story in enumerate(told.groups(range(len(documents)))):
        # Naming a story's original and ranking its versions need some pairs twice: each is aligned once
        # (a cache per story, so it never outgrows one story).
        aligned = cache(lambda original, copy: align(sentences[original], sentences[copy]))
        groups = versions.groups(story)
        heads = [_name_original(pages, documents, aligned, group) for group in groups]
        languages = [language(head) for head in heads] if meaning and len(groups) > 1 else None
        root_group = _root_group(groups, heads, evidence, languages)
        original = heads[root_group]
        story_id = documents[original].id
        assignments[original] = ClusterAssignment(story_id, number, "original", None, story=story_id)
        derived = []
        for n, group in enumerate(groups):
            for i in group:
                if i != original:
                    relation = relation_to(aligned(original, i), n == root_group,
                                           compare(evidence[original], evidence[i]))
                    if meaning and language(original) != language(i):
                        relation = _translated(relation)
                    derived.append((n != root_group, relation, i))
        # Versions that share the original's wording first, each level least reworded first.
        derived.sort(key=lambda item: (item[0], item[1].rewording, -item[1].similarity, item[2]))
        for rank, (_, relation, i) in enumerate(derived, start=1):
            assignments[i] = ClusterAssignment(documents[i].id, number, "derived", story_id,
                                               round(relation.similarity, 4), rank, story_id, relation.kind)
    return [assignments[i] for i in range(len(documents))]


def _quotes_the_other(alignment: Alignment, sentences_a: int, sentences_b: int) -> bool:
    """Whether one of two documents, aligned as `alignment` (of the first onto the second), is an article of
    its own that quotes the other (`_pairs_quote`)."""
    return _pairs_quote([(i, j) for i, j, _ in alignment.aligned], sentences_a, sentences_b)


def _pairs_quote(pairs: Sequence[tuple[int, int]], sentences_a: int, sentences_b: int) -> bool:
    """Whether one of two documents whose sentences pair as `pairs` (sentence of the first, of the second)
    is an article of its own that quotes the other: the side whose sentences the pairs cover less has
    MIN_OWN_LEAD sentences of its own before the first paired one, and MIN_OWN_SHARE of its sentences are
    its own."""
    if not pairs or not sentences_a or not sentences_b:
        return False
    lead, own_share = own_lead(pairs, sentences_a, sentences_b)
    return lead >= MIN_OWN_LEAD and own_share >= MIN_OWN_SHARE


def _root_group(groups: list[list[int]], heads: list[int], evidence: list[StoryEvidence],
                languages: list[str] | None = None) -> int:
    """Which version group of a story holds its original: the one whose head holds most of the other heads'
    rare terms (what a translation or a rewrite says comes from its source; what it adds is its own), then
    the one with most versions (farms republish the original), then the first. On the tuning side of
    `benchmarks.story_bench` this names 0.75 of originals right; the other way round (the head whose terms
    the others hold) 0.65, and the mean story score 0.70.

    With the heads' `languages` (clustering with meaning), a story told both in English and in other
    languages has its original among the groups not in English: the stories this detector reads are in
    English, and a story it meets in two languages is most likely a foreign source with its English
    translations (what content farms publish), not an English story translated out of English. Among
    several such groups (a German source and a Chinese version of it) the rule above decides."""
    if len(groups) == 1:
        return 0
    candidates = range(len(groups))
    if languages is not None:
        foreign = [n for n in candidates if languages[n] != ENGLISH]
        if foreign and len(foreign) < len(groups):
            candidates = foreign
    references = heads[:MEDOID_REFERENCES]

    def centrality(n: int) -> float:
        others = [r for r in references if r != heads[n]]
        return sum(share_held(evidence[r], evidence[heads[n]]) for r in others) / len(others)

    return min(candidates, key=lambda n: (-round(centrality(n), 2), -len(groups[n]), n))


def _candidate_pairs(sketches: list[Sketch], sentences: list[PreparedSentences]) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, that share a MinHash band and reach MIN_CANDIDATE_JACCARD, or share a long
    sentence; most similar first (then by i, then j), so union-find joins clear pairs before it spends
    alignments on marginal ones.

    Held as numpy arrays, not as Python tuples and dicts: at 100k documents a batch has about ten million
    band keys and millions of candidate pairs, and a tuple, a float and a dict entry per pair took
    gigabytes."""
    n = len(sketches)
    band_keys = [np.asarray(sketch.band_keys(), dtype=np.int64) for sketch in sketches]
    band = _pairs_sharing(band_keys, n)
    band_similarity = _max_jaccard(np.stack([sketch.signatures for sketch in sketches]) if n else None, band, n)
    keep = band_similarity >= MIN_CANDIDATE_JACCARD
    # A long sentence's key: its hash (within this process); a collision only adds a pair alignment rejects.
    sentence_keys = [np.fromiter({hash(words) for words in _long_sentences(prepared)}, dtype=np.int64)
                     for prepared in sentences]
    extra = np.setdiff1d(_pairs_sharing(sentence_keys, n), band[keep])
    # A pair found by its sentence that shares a band too is ordered by its (low) similarity, else by 0.
    at = np.minimum(np.searchsorted(band, extra), max(len(band) - 1, 0))
    shares_band = (band[at] == extra) if len(band) else np.zeros(len(extra), dtype=bool)
    extra_similarity = np.where(shares_band, band_similarity[at] if len(band) else 0.0, 0.0)
    pairs = np.concatenate([band[keep], extra])
    similarity = np.concatenate([band_similarity[keep], extra_similarity])
    order = np.lexsort((pairs, -similarity))
    for chunk in np.array_split(pairs[order], max(1, len(pairs) // 100_000)):
        for pair in chunk.tolist():
            yield divmod(pair, n)


def _pairs_sharing(keys_of: list[np.ndarray], n: int) -> np.ndarray:
    """The pairs of documents that share a key, each encoded as i * n + j (i < j), sorted and unique. Within
    a bucket larger than MAX_BUCKET, each member is paired with the first few only. Such a bucket is either
    a story republished many times, whose copies then join through those few, or a band or sentence that
    many stories share, whose pairs alignment then rejects. Either way the pairs grow linearly, not
    quadratically, with the bucket."""
    if not n:
        return np.zeros(0, dtype=np.int64)
    documents = np.repeat(np.arange(n, dtype=np.int64), [len(keys) for keys in keys_of])
    keys = np.concatenate(keys_of) if documents.size else np.zeros(0, dtype=np.int64)
    order = np.lexsort((documents, keys))  # by key, then document: a bucket's members in batch order
    keys, documents = keys[order], documents[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    # Two versions of one story share dozens of bands, so most pairs come up again and again: the pairs
    # found so far are made unique whenever the new ones outnumber them (and at least MERGE_PAIRS wait),
    # which keeps memory near the distinct pairs' and the sorting work n log n overall.
    unique = np.zeros(0, dtype=np.int64)
    pending: list[np.ndarray] = []
    waiting = 0
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        members = documents[start:start + size]
        anchors = size if size <= MAX_BUCKET else LARGE_BUCKET_ANCHORS
        first, second = _bucket_pairs(size, anchors)
        pending.append(members[first] * n + members[second])
        waiting += len(first)
        if waiting >= max(MERGE_PAIRS, len(unique)):
            unique, pending, waiting = np.unique(np.concatenate([unique, *pending])), [], 0
    return np.unique(np.concatenate([unique, *pending]))


def _bucket_pairs(size: int, anchors: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (x, y), x < y, x among the first `anchors`, of the pairs within a bucket of `size`: all
    pairs of a small bucket (cached by size), the anchors' pairs only of a large one (linear in its size)."""
    if anchors >= size:
        return _all_pairs(size)
    first = np.repeat(np.arange(anchors), size - 1 - np.arange(anchors))
    second = np.concatenate([np.arange(x + 1, size) for x in range(anchors)])
    return first, second


@cache
def _all_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, k=1)


def _max_jaccard(signatures: np.ndarray | None, pairs: np.ndarray, n: int) -> np.ndarray:
    """`Sketch.jaccard(...).max()` of each encoded pair, in chunks: each gathers both sides' signatures
    (768 bytes a side per pair), so a chunk of JACCARD_CHUNK pairs holds about 40 MB at once."""
    out = np.zeros(len(pairs))
    if signatures is None:
        return out
    empty = (signatures == 0xFFFFFFFF).all(axis=2)
    for begin in range(0, len(pairs), JACCARD_CHUNK):
        i, j = np.divmod(pairs[begin:begin + JACCARD_CHUNK], n)
        estimate = (signatures[i] == signatures[j]).mean(axis=2)
        out[begin:begin + len(i)] = np.where(empty[i] | empty[j], 0.0, estimate).max(axis=1)
    return out


def _long_sentences(sentences: PreparedSentences) -> Iterator[tuple[str, ...]]:
    """Each long sentence's surface words: the key two documents sharing it verbatim have in common."""
    for sentence in sentences:
        if len(sentence.words) >= MIN_SHARED_SENTENCE_WORDS:
            yield tuple(surface for surface, _ in sentence.words)


def _name_original(pages: list[Document], documents: list[Document], aligned: Callable[[int, int], Alignment],
                   group: list[int]) -> int:
    """The member of a story most likely to be its original (see the module docstring)."""
    if len(group) == 1:
        return group[0]
    references = group[:MEDOID_REFERENCES]

    def similar(i: int, j: int) -> float:
        result = aligned(min(i, j), max(i, j))  # one direction per pair: both measures are symmetric enough
        return result.similarity * (1.0 - result.rewording)

    def mean_over_references(measure, i: int) -> float:
        others = [r for r in references if r != i]
        return sum(measure(i, r) for r in others) / len(others)

    centrality = {i: mean_over_references(similar, i) for i in group}
    best = max(centrality.values())
    near = [i for i in group if centrality[i] >= best - MEDOID_TIE]
    if len(near) == 1:
        return near[0]
    # How much of the other versions each near-tied one holds: an excerpt holds less than its source.
    holds = {i: mean_over_references(lambda i, r: aligned(r, i).coverage, i) for i in near}
    lines = {i: {line.strip().lower() for line in pages[i].page_lines} for i in {*references, *near}}

    def own_furniture(i: int) -> int:
        """Non-prose page lines no other version has: a copy's template, not the story's own lists
        (a match's line-ups, a table of results)."""
        elsewhere = set().union(*(lines[r] for r in references if r != i))
        return sum(1 for line in pages[i].page_lines
                   if not is_prose_line(line) and line.strip().lower() not in elsewhere)

    return min(near, key=lambda i: (own_furniture(i), -round(holds[i], 2),
                                    -round(_plausibility(documents[i]), 2), -len(documents[i].words), i))


def _plausibility(body: Document) -> float:
    """The share of content-word pairs known to reference English (0 when there are none)."""
    share = Plausibility().extract(body).values.get("known_content_pair_share")
    return float(share) if isinstance(share, float) and not math.isnan(share) else 0.0


def _join_by_meaning(documents: Sequence[Document], versions: _UnionFind, stories: _UnionFind,
                     language: Callable[[int], str]) -> _UnionFind:
    """Story groups joined by meaning (see MEANING_MEMBERS), as a new union-find over the documents."""
    from ..encoder import encoder

    told = _UnionFind(len(documents))
    members: list[int] = []
    for story in stories.groups(range(len(documents))):
        for i in story:
            told.join(i, story[0])
        members += [group[0] for group in versions.groups(story)][:MEANING_MEMBERS]
    group_of = np.array([told.root(i) for i in members], dtype=np.int64)
    languages = [language(i) for i in members]
    if len(set(group_of.tolist())) < 2 or len(set(languages)) < 2:
        return told
    language_of = np.unique(languages, return_inverse=True)[1]
    leads = encoder().documents([documents[i].text for i in members], LEAD_CHARS)
    # Each lead's MEANING_CANDIDATES nearest leads of other story groups in other languages, at
    # MIN_LEAD_COSINE or more, by pair of story groups. Each language's leads are compared with the others'
    # only, in blocks of LEAD_ROWS (memory LEAD_ROWS x members; a batch mostly in English costs about twice
    # its English leads times its other leads, not the square of all).
    candidates: dict[tuple[int, int], list[tuple[float, int, int]]] = {}
    for code in np.unique(language_of).tolist():
        others = np.flatnonzero(language_of != code)
        mine = np.flatnonzero(language_of == code)
        nearest = min(MEANING_CANDIDATES, len(others))
        for block in np.array_split(mine, max(1, -(-len(mine) // LEAD_ROWS))):
            cosine = leads[block] @ leads[others].T
            cosine[group_of[block, None] == group_of[None, others]] = -1.0
            top = np.argpartition(-cosine, nearest - 1, axis=1)[:, :nearest]
            for row, columns in zip(block.tolist(), top.tolist()):
                for column in columns:
                    value = float(leads[row] @ leads[others[column]])
                    a, b = sorted((row, int(others[column])))
                    if value >= MIN_LEAD_COSINE and group_of[a] != group_of[b]:
                        candidates.setdefault((int(group_of[a]), int(group_of[b])), []).append(
                            (round(value, 6), members[a], members[b]))
    ordered = sorted(candidates.items(), key=lambda item: (-max(item[1])[0], item[0]))
    # Each document's sentences are encoded once, when a candidate pair first needs them.
    sentences = cache(lambda i: sentence_vectors(sentence_pieces(documents[i].sentences)[0]))
    for _, pairs in ordered:
        for _, i, j in sorted(set(pairs), key=lambda pair: (-pair[0], pair[1], pair[2]))[:MEANING_TRIES]:
            if told.root(i) == told.root(j):
                break
            if _tells_by_meaning(align_meaning(sentences(i), sentences(j))):
                told.join(i, j)
                break
    return told


def _tells_by_meaning(alignment: MeaningAlignment) -> bool:
    """Whether two documents whose sentences pair as `alignment` tell one story (see MEANING_MEMBERS)."""
    return (len(alignment.pairs) >= MIN_MEANING_PAIRS
            and min(alignment.coverage_query, alignment.coverage_original) >= MIN_MEANING_COVERAGE
            and alignment.in_order >= MIN_MEANING_ORDER
            and not _pairs_quote([(i, j) for i, j, _ in alignment.pairs], alignment.original_sentences,
                                 alignment.query_sentences))


def _translated(relation: Relation) -> Relation:
    """A version's relation to its story's original when they are in different languages (clustering with
    meaning): a `translation`, as `SourceIndex` names a source traced by meaning. Its similarity stays the
    story score: the mean cosine of its sentences paired with the original's would cost their encoding
    (about a third of the time with meaning on `benchmarks.story_bench`'s batch) for a figure only."""
    return Relation("translation", relation.similarity, relation.rewording)


def _language(body: Document) -> str:
    """A document's language (ISO 639-1), English when the identifier is unsure: short or noisy English pages
    often are, and English pairs are not compared by meaning. The cost: a source in a language it does not
    know (Hausa) counts as English and does not join its English translations."""
    return sure_language(body.text) or ENGLISH
