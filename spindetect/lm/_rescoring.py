"""Both ways: does the rest of the sentence read better with a candidate word put back?

A left-to-right model scores a word only by what came before it, so a deliberate rare word ("the
quarrelsome council") and a spinner's substitute ("the quarrel over the budget" for "the debate") look
alike at that word. The words *after* it tell them apart: a writer wrote the rest of the sentence for the
word they chose, a spinner's substitute sits in a sentence written for the word it replaced. So for a
candidate (a word and the synonym the model would have written there), we rerun the rest of the sentence
with the synonym put back and compare:

    rest_delta = log P(rest | ..., synonym) - log P(rest | ..., word)

Positive: the sentence was written for the synonym (a spinner's swap); negative: for the word (a writer's
choice). Measured before it was built (on a real spinner's table, 60 spun BBC articles against 240
legitimate documents): legitimate documents' most surprising words have rest_delta around -4 nats, spun
words around -0.2.

Cost: every variant runs only its own tokens (the synonym and the rest of its sentence) on the window's
key/value cache, all variants of a window in one row of one call: each variant's positions say where it
stands and the mask lets it see only the window before its word and its own earlier tokens
(`Transformer.forward`). The text's own continuation is compared along the same path: it is rerun as a
variant too (the word itself put back), because in int8 a rest's log p moves between a full pass and a
cached one (0.19 nats on average over 14-token rests, up to 0.65), the size of the smaller deltas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._transformer import MASKED, KeyValueCache

# The rest of the sentence is read up to its end, at most this many tokens: enough for the words a swap
# disturbs, and the cost stays bounded per candidate.
MAX_REST = 24


@dataclass(frozen=True)
class Candidate:
    """One word of a window to rescore: its tokens' input positions in the window ([first, last]), the
    token put back in its place, and the input positions of the rest of its sentence (last + 1 ... end - 1,
    within the window)."""

    first: int
    last: int
    token: int
    rest_end: int


def rest_deltas(transformer, window: np.ndarray, cache: KeyValueCache, candidates: list[Candidate]) -> np.ndarray:
    """rest_delta of each candidate (NaN where its sentence has no rest in the window).

    `window`: the window's input token ids (start token first); `cache`: its key/value cache (batch 1).
    Each candidate runs twice, as the text (its own tokens) and as the variant (`token` put back), both on
    the cache before its word, so both continuations are read along the same path."""
    out = np.full(len(candidates), np.nan)
    runs = []  # (candidate index, is_variant, tokens fed, positions, targets, length of the rest)
    for k, c in enumerate(candidates):
        rest = window[c.last + 1:c.rest_end]
        if len(rest) == 0:
            continue
        own = window[c.first:c.last + 1]
        for is_variant, head_tokens in ((False, own), (True, np.array([c.token]))):
            fed = np.concatenate([head_tokens, rest[:-1]])
            positions = c.first + np.arange(len(fed))
            # the state at each of these predicts the next: the word's own later tokens, then the rest
            targets = np.concatenate([head_tokens[1:], rest])
            runs.append((k, is_variant, fed, positions, targets, len(rest)))
    if not runs:
        return out
    tokens = np.concatenate([r[2] for r in runs])
    positions = np.concatenate([r[3] for r in runs])
    past, length = cache.length, len(tokens)
    mask = np.full((1, 1, length, past + length), MASKED, dtype=np.float32)
    at = 0
    for k, _variant, fed, _p, _t, _n in runs:
        first = candidates[k].first
        block = slice(at, at + len(fed))
        mask[0, 0, block, :first] = 0.0  # the window before the word
        mask[0, 0, block, past + at:past + at + len(fed)] = np.triu(
            np.full((len(fed), len(fed)), MASKED, dtype=np.float32), 1)  # its own tokens, causally
        at += len(fed)
    states, _ = transformer.forward(tokens[None], positions=positions[None], mask=mask, cache=cache)
    logprobs = transformer.log_probabilities(states[0])
    at, sums = 0, {}
    for k, is_variant, fed, _p, targets, rest_length in runs:
        rows = logprobs[at:at + len(fed)]
        # only the rest's log p: the word's own later tokens are not part of the comparison
        rest_rows = rows[len(fed) - rest_length:]
        sums[(k, is_variant)] = float(rest_rows[np.arange(rest_length), targets[-rest_length:]].sum())
        at += len(fed)
    for k in {k for k, _ in sums}:
        out[k] = sums[(k, True)] - sums[(k, False)]
    return out
