"""The reference model of English: word frequencies, the most common bigrams and a thesaurus.

Built by `training/compile_resources.py` from symspellpy's Google Books unigram and bigram lists, Moby
Thesaurus II and wordfreq; see that script for provenance. Everything here is read-only after `load`, so
one `Lexicon` is shared by every thread (the per-word caches are bounded `functools.lru_cache`s, which
are thread-safe).

Ids: every vocabulary entry (word or Moby phrase such as "moment of truth") has an integer id; the
`*_ids` methods work on ids and return frozensets for fast intersection, the string methods are for
people and tests.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np

FORMAT_VERSION = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "english.npz"
# Per-word caches: a news article has a few hundred distinct words, a batch a few tens of thousands.
_CACHE_SIZE = 65_536


class Lexicon:
    """Read-only lookups over the compiled tables (see the module docstring)."""

    def __init__(self, tables: dict[str, np.ndarray]) -> None:
        version = int(tables["format_version"][0])
        if version != FORMAT_VERSION:
            raise ValueError(f"english.npz has format {version}, this spindetect reads {FORMAT_VERSION}; "
                             "rebuild it with `python -m training.compile_resources`")
        self._terms: tuple[str, ...] = tuple(tables["vocabulary"].tobytes().decode("utf-8").split("\n"))
        self._ids: dict[str, int] = {t: i for i, t in enumerate(self._terms)}
        self._unigram_count = tables["unigram_count"]
        self._zipf_tenths = tables["zipf_tenths"]
        self.total_count = int(self._unigram_count.sum())
        # The smallest count the bigram list keeps: the ceiling for any pair that is absent from it.
        self.bigram_floor = int(tables["bigram_count"].min()) if len(tables["bigram_count"]) else 1

        left, right, count = tables["bigram_left"], tables["bigram_right"], tables["bigram_count"]
        self._vocab_size = len(self._terms)
        keys = left.astype(np.int64) * self._vocab_size + right
        self._bigrams: dict[int, int] = dict(zip(keys.tolist(), count.tolist()))
        self._bigram_keys, self._bigram_counts = keys, count.astype(np.int64)
        # The bigrams are stored sorted by (left, right): followers of a word are one contiguous slice.
        self._left_indptr = np.searchsorted(left, np.arange(self._vocab_size + 1)).astype(np.int64)
        self._bigram_right = right
        by_right = np.argsort(right, kind="stable")
        self._right_sorted_left = left[by_right]
        self._right_indptr = np.searchsorted(right[by_right], np.arange(self._vocab_size + 1)).astype(np.int64)

        self._syn_indptr = tables["synonym_indptr"]
        self._syn_ids = tables["synonym_ids"]
        self._index_moby_phrases()
        self._best_word_synonym_tenths = self._max_word_synonym_zipf_tenths()
        # Python lists beside the arrays for single-entry lookups, which the scorers make hundreds of times
        # per document: indexing a list is several times quicker than building a numpy scalar.
        self._unigram_count_list: list[int] = self._unigram_count.tolist()
        self._zipf_tenths_list: list[int] = self._zipf_tenths.tolist()
        self._best_word_synonym_tenths_list: list[int] = self._best_word_synonym_tenths.tolist()

        self.synonym_ids = lru_cache(maxsize=_CACHE_SIZE)(self._synonym_ids)
        self.follower_ids = lru_cache(maxsize=_CACHE_SIZE)(self._follower_ids)
        self.predecessor_ids = lru_cache(maxsize=_CACHE_SIZE)(self._predecessor_ids)
        self.more_frequent_synonym_ids = lru_cache(maxsize=_CACHE_SIZE)(self._more_frequent_synonym_ids)
        self._wordfreq_zipf = lru_cache(maxsize=_CACHE_SIZE)(_wordfreq_zipf)

    def _index_moby_phrases(self) -> None:
        """Two-word Moby entries ("book learning") count as known pairs; three-word entries with a function
        word in the middle ("moment of truth") as known gapped pairs (first, last). The Google Books list
        holds only the top bigrams and no trigrams, so these fill in fixed phrases it cannot show."""
        self._phrase_pairs: dict[int, int] = {}
        self._gapped_pairs: dict[int, int] = {}
        self._phrase_followers: dict[int, list[int]] = {}
        self._phrase_predecessors: dict[int, list[int]] = {}
        self._gapped_followers: dict[int, list[int]] = {}
        self._gapped_predecessors: dict[int, list[int]] = {}
        for term_id, term in enumerate(self._terms):
            if " " not in term:
                continue
            parts = term.split(" ")
            ids = [self._ids.get(p) for p in parts]
            if None in ids:
                continue
            if len(parts) == 2:
                target, followers, predecessors = self._phrase_pairs, self._phrase_followers, self._phrase_predecessors
            elif len(parts) == 3:
                target, followers, predecessors = self._gapped_pairs, self._gapped_followers, self._gapped_predecessors
            else:
                continue
            first, last = ids[0], ids[-1]
            target[first * self._vocab_size + last] = term_id
            followers.setdefault(first, []).append(last)
            predecessors.setdefault(last, []).append(first)

    def _max_word_synonym_zipf_tenths(self) -> np.ndarray:
        """Per entry, the highest Zipf frequency (in tenths) among its one-word synonyms, 0 when it has none.

        One vectorised pass at load instead of a Python loop over ~300 synonyms per distinct word scored;
        multi-word synonyms count as 0, which cannot change a maximum that defaults to 0."""
        is_phrase = np.fromiter((" " in term for term in self._terms), dtype=bool, count=self._vocab_size)
        tenths = np.where(is_phrase[self._syn_ids], 0, self._zipf_tenths[self._syn_ids]).astype(np.uint8)
        best = np.zeros(self._vocab_size, dtype=np.uint8)
        starts = self._syn_indptr[:-1]
        has_synonyms = self._syn_indptr[1:] > starts
        if len(tenths):
            # reduceat over the non-empty rows only: for an empty row it would return the next row's first value.
            best[has_synonyms] = np.maximum.reduceat(tenths, starts[has_synonyms])
        return best

    @classmethod
    def load(cls, path: Path | str = DEFAULT_PATH) -> Lexicon:
        with np.load(path, allow_pickle=False) as archive:
            return cls({name: archive[name] for name in archive.files})

    # --- vocabulary -------------------------------------------------------------------------------
    def term_id(self, term: str) -> int | None:
        return self._ids.get(term.lower())

    def term(self, term_id: int) -> str:
        return self._terms[term_id]

    def __contains__(self, term: str) -> bool:
        return term.lower() in self._ids

    def __len__(self) -> int:
        return self._vocab_size

    # --- frequencies ------------------------------------------------------------------------------
    def unigram_count(self, word: str) -> int:
        i = self._ids.get(word.lower())
        return self._unigram_count_list[i] if i is not None else 0

    def count_of(self, term_id: int) -> int:
        return self._unigram_count_list[term_id]

    def zipf(self, word: str) -> float:
        """Zipf frequency (log10 per billion words; Speer's wordfreq): frozen table first, wordfreq after."""
        i = self._ids.get(word.lower())
        if i is not None and self._zipf_tenths_list[i]:
            return self._zipf_tenths_list[i] / 10.0
        return self._wordfreq_zipf(word.lower())

    def zipf_of(self, term_id: int) -> float:
        return self._zipf_tenths_list[term_id] / 10.0

    # --- bigrams ----------------------------------------------------------------------------------
    def bigram_count(self, a: str, b: str) -> int:
        ia, ib = self._ids.get(a.lower()), self._ids.get(b.lower())
        if ia is None or ib is None:
            return 0
        return self.bigram_count_ids(ia, ib)

    def bigram_count_ids(self, a: int, b: int) -> int:
        return self._bigrams.get(a * self._vocab_size + b, 0)

    def pair_count_ids(self, a: int, b: int) -> int:
        """Count of the adjacent pair: the bigram list, else the list's floor for a two-word Moby phrase."""
        key = a * self._vocab_size + b
        count = self._bigrams.get(key, 0)
        if not count and key in self._phrase_pairs:
            return self.bigram_floor
        return count

    def iter_pairs(self):
        """Every known adjacent pair as (a, b, count): the bigram list, then two-word Moby phrases."""
        for key, count in self._bigrams.items():
            yield key // self._vocab_size, key % self._vocab_size, count
        for key in self._phrase_pairs:
            if key not in self._bigrams:
                yield key // self._vocab_size, key % self._vocab_size, self.bigram_floor

    def pair_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`iter_pairs` as three aligned int64 arrays (left ids, right ids, counts), for vectorised scans."""
        phrase_keys = np.fromiter((k for k in self._phrase_pairs if k not in self._bigrams), dtype=np.int64)
        keys = np.concatenate([self._bigram_keys, phrase_keys])
        counts = np.concatenate([self._bigram_counts, np.full(len(phrase_keys), self.bigram_floor, np.int64)])
        return keys // self._vocab_size, keys % self._vocab_size, counts

    @property
    def unigram_counts(self) -> np.ndarray:
        return self._unigram_count

    def gapped_phrase_id(self, a: int, b: int) -> int | None:
        """The Moby phrase "a <word> b" (e.g. "moment of truth" for moment, truth), if there is one."""
        return self._gapped_pairs.get(a * self._vocab_size + b)

    def _follower_ids(self, term_id: int) -> frozenset[int]:
        """Words b such that "term b" is a known pair (bigram list or Moby phrase)."""
        lo, hi = self._left_indptr[term_id], self._left_indptr[term_id + 1]
        return frozenset(self._bigram_right[lo:hi].tolist()).union(self._phrase_followers.get(term_id, ()))

    def _predecessor_ids(self, term_id: int) -> frozenset[int]:
        lo, hi = self._right_indptr[term_id], self._right_indptr[term_id + 1]
        return frozenset(self._right_sorted_left[lo:hi].tolist()).union(
            self._phrase_predecessors.get(term_id, ()))

    def gapped_follower_ids(self, term_id: int) -> frozenset[int]:
        return frozenset(self._gapped_followers.get(term_id, ()))

    def gapped_predecessor_ids(self, term_id: int) -> frozenset[int]:
        return frozenset(self._gapped_predecessors.get(term_id, ()))

    def followers(self, word: str) -> tuple[str, ...]:
        """Words that follow `word` in a known pair (bigram list or Moby phrase), most frequent first."""
        i = self.term_id(word)
        if i is None:
            return ()
        return tuple(sorted((self._terms[j] for j in self.follower_ids(i)),
                            key=lambda w: (-self.pair_count_ids(i, self._ids[w]), w)))

    def precedes(self, word: str) -> tuple[str, ...]:
        """Words that precede `word` in a known pair (bigram list or Moby phrase), most frequent first."""
        i = self.term_id(word)
        if i is None:
            return ()
        return tuple(sorted((self._terms[j] for j in self.predecessor_ids(i)),
                            key=lambda w: (-self.pair_count_ids(self._ids[w], i), w)))

    # --- thesaurus --------------------------------------------------------------------------------
    def _synonym_ids(self, term_id: int) -> frozenset[int]:
        return frozenset(self._syn_ids[self._syn_indptr[term_id]:self._syn_indptr[term_id + 1]].tolist())

    def best_word_synonym_zipf_of(self, term_id: int) -> float:
        """The highest Zipf frequency among the entry's one-word synonyms (0.0 when it has none)."""
        return self._best_word_synonym_tenths_list[term_id] / 10.0

    def _more_frequent_synonym_ids(self, term_id: int, min_tenths: int) -> frozenset[int]:
        """Synonyms at least `min_tenths` tenths of a Zipf unit more frequent than the entry (and the entry
        itself when the thesaurus lists it as its own synonym)."""
        lo, hi = self._syn_indptr[term_id], self._syn_indptr[term_id + 1]
        ids = self._syn_ids[lo:hi]
        floor = int(self._zipf_tenths[term_id]) + min_tenths
        keep = (self._zipf_tenths[ids].astype(np.int16) >= floor) | (ids == term_id)
        return frozenset(ids[keep].tolist())

    def synonyms(self, word: str) -> tuple[str, ...]:
        """Moby synonyms of a word or phrase (links in either direction), sorted."""
        i = self.term_id(word)
        if i is None:
            return ()
        return tuple(sorted(self._terms[j] for j in self.synonym_ids(i)))

    def are_synonyms(self, a: str, b: str) -> bool:
        ia, ib = self.term_id(a), self.term_id(b)
        return ia is not None and ib is not None and ib in self.synonym_ids(ia)

    # --- phrases ----------------------------------------------------------------------------------
    def phrase_known(self, phrase: str) -> bool:
        """Is this a phrase English uses: a listed bigram, or a multi-word Moby entry ("moment of truth")?"""
        tokens = phrase.lower().split()
        if len(tokens) == 2 and self.bigram_count(*tokens) > 0:
            return True
        return len(tokens) > 1 and " ".join(tokens) in self._ids

    def bigram_log_prob(self, a: int, b: int) -> float:
        """log P(b | a) from the bigram list, backing off to a discounted unigram estimate when absent.

        Absent pairs get at most the list's floor count (they could be just below it), scaled by b's
        unigram share, a crude stupid-backoff (Brants et al. 2007) with their 0.4 factor.
        """
        count_a = max(self._unigram_count_list[a], 1)
        pair = self.bigram_count_ids(a, b)
        if pair:
            return math.log(pair / count_a)
        p_b = max(self._unigram_count_list[b], 1) / self.total_count
        return math.log(0.4 * min(p_b, self.bigram_floor / count_a))


def _wordfreq_zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")
