"""A spinner built differently from every trained family: neighbours in a language model's word embeddings.

The trained families draw from Moby's thesaurus (`spinners.py`); the held-out ones from a hand-written
table and from shared bigram contexts. This one uses no thesaurus and no counts of English: a word's
candidates are its nearest neighbours (cosine) among the input embeddings of SmolLM2-135M, restricted to
whole lower-case words the model writes as one token after a space. Embedding neighbours mix synonyms with
co-hyponyms, antonyms and related words ("council" ~ "committee", "increase" ~ "decrease"), the error profile
of the word-vector spinners sold as "AI" spinners.

It is a measuring family only: never in the training corpus (`training/splits.py`,
MEASURED_ONLY_SPINNERS), used by `benchmarks/cascade.py` and `benchmarks/evidence_quality.py`. Its
neighbours come from the input embedding, while the detector's language model features come from the
model's predictions in context, so the family does not hand the detector its own answers.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from wordfreq import zipf_frequency

from .spinners import Spinner, _Slot, choose_nearest_first, lemma_candidates

_WORD_TOKEN_RE = re.compile(r"^\u0120([a-z]{3,})$")
MIN_ZIPF = 3.0
TOP = 6
MIN_SIMILARITY = 0.35


class _EmbeddingSpace:
    def __init__(self) -> None:
        from spindetect.lm import language_model
        from spindetect.lm._weights import quantized_tensors

        lm = language_model()
        words, rows = [], []
        for token, token_id in lm.tokenizer.get_vocab().items():
            match = _WORD_TOKEN_RE.match(token)
            if match and zipf_frequency(match.group(1), "en") >= MIN_ZIPF:
                words.append(match.group(1))
                rows.append(token_id)
        with quantized_tensors() as tensors:  # the token embedding, as the model's input layer reads it
            vectors = tensors["token_embd.weight"][np.asarray(rows)]
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}
        self.unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@lru_cache(maxsize=1)
def _space() -> _EmbeddingSpace:
    return _EmbeddingSpace()


@lru_cache(maxsize=50_000)
def embedding_neighbours(word: str) -> tuple[str, ...]:
    space = _space()
    i = space.index.get(word)
    if i is None:
        return ()
    similarity = space.unit @ space.unit[i]
    own_lemmas = {lemma for lemma, _ in lemma_candidates(word)} | {word}
    found = []
    for j in np.argsort(-similarity)[1:60]:
        candidate = space.words[j]
        if similarity[j] < MIN_SIMILARITY or len(found) >= TOP:
            break
        # Inflections of the word itself are not substitutes ("councils" for "council").
        if own_lemmas & ({lemma for lemma, _ in lemma_candidates(candidate)} | {candidate}):
            continue
        if candidate.startswith(word[:5]) or word.startswith(candidate[:5]):
            continue
        found.append(candidate)
    return tuple(found)


class EmbeddingSpinner(Spinner):
    family = "embedding"

    def candidates(self, word: str) -> tuple[str, ...]:
        return embedding_neighbours(word)

    def choose(self, slot: _Slot, rng) -> str | None:
        return choose_nearest_first(slot, rng)
