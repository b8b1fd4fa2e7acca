"""Per-word scores from the language model: how likely each word was, what the model expected instead, and
which near-synonym of it the model would have written.

A spinner replaces a word with a thesaurus entry that fits the dictionary but not the sentence. A fluent
writer, at that spot, writes a near-synonym, usually the very word the spinner replaced. So for each
content word we compare the model's log-probability of the word written with the best of its one-token
Moby synonyms at the same position: a large gap means "English would have said X here", and X is our
guess at the replaced word. The same gap without a thesaurus (the model's top prediction against the word
written) sees spinners whose substitutes are not in Moby.

Words are scored in windows of at most 257 tokens: each starts with `<|endoftext|>`; the first scores the
text's first `FIRST_WINDOW` tokens, each later one carries `CONTEXT` tokens of the text before it and
scores `STRIDE` new ones, so every scored token has at least `CONTEXT` tokens of left context (except at
the start) and a long document costs one token of work per token, plus a third for the overlap.

Read both ways (`rescore`, `lm._rescoring`), each window also runs `MAX_REST` tokens past its last scored
one, so a word near its end still has the rest of its sentence to be rescored on, and its most suspicious
words are rescored on its key/value cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..text._words import FUNCTION_WORDS, LETTER_WORD_RE
from ._rescoring import MAX_REST, Candidate, rest_deltas
from ._transformer import KeyValueCache

FIRST_WINDOW = 256
STRIDE = 192
CONTEXT = 64
WINDOWS_PER_BATCH = 4
# The model's text prefix and its own token for a leading space (GPT-2 byte-level BPE).
_SPACE = "\u0120"
_SENTENCE_END_RE = re.compile(r"(?:^|[.!?:\"\u201d)\]]\s+|\n\s*)$")


@dataclass(frozen=True)
class WordScore:
    start: int  # character offsets of the word in the scored text
    end: int
    word: str
    logprob: float  # log p(word | left context), all of its tokens
    top_logprob: float  # log p of the model's most likely next token at the word's first token
    synonym: str | None  # the one-token Moby synonym the model found most likely here (cased as the word)
    synonym_logprob: float  # its log p (NaN without one)
    # log P(rest of the sentence | synonym put back) - log P(rest | the word), when rescored both ways
    # (`lm._rescoring`; NaN when not)
    rest_delta: float = float("nan")

    @property
    def surprise_gap(self) -> float:
        """How far the word falls below the model's expectation, in nats (>= 0 up to rounding)."""
        return self.top_logprob - self.logprob

    @property
    def synonym_gap(self) -> float:
        """How much more likely the best synonym was than the word written (NaN without a synonym)."""
        return self.synonym_logprob - self.logprob

    @property
    def both_ways_gap(self) -> float:
        """How much more likely the whole sentence is with the synonym than with the word: the gap at the
        word plus the rest of the sentence's change (NaN unless rescored)."""
        return self.synonym_gap + self.rest_delta


def match_case(replacement: str, original: str) -> str:
    """Carry the original's capitalisation over (ALL CAPS, Title, lower)."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_END_RE.search(text[max(0, start - 4):start]))


def content_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words a spinner would touch: letters only, three or more, not function
    words, not capitalised names (a capital mid-sentence); sentence-initial capitals are kept."""
    out = []
    for match in LETTER_WORD_RE.finditer(text):
        word = match.group()
        if len(word) < 3 or word.lower() in FUNCTION_WORDS:
            continue
        if word[0].isupper() and not (word[1:].islower() and _is_sentence_start(text, match.start())):
            continue
        out.append((match.start(), match.end(), word))
    return out


class WordScorer:
    """Scores the content words of a text with one transformer and its tokenizer; stateless per call."""

    def __init__(self, transformer, tokenizer, lexicon) -> None:
        self.transformer = transformer
        self.tokenizer = tokenizer
        self.lexicon = lexicon
        self._vocab: dict[str, int] = tokenizer.get_vocab()
        self._synonym_tokens = lru_cache(maxsize=65_536)(self._one_token_synonyms)

    def _one_token_synonyms(self, word: str, prefix: str) -> tuple[tuple[str, ...], np.ndarray]:
        """The word's Moby synonyms that the model writes as one token after `prefix`, with those ids."""
        term_id = self.lexicon.term_id(word.lower())
        if term_id is None:
            return (), np.zeros(0, dtype=np.int64)
        names, ids = [], []
        for synonym_id in sorted(self.lexicon.synonym_ids(term_id)):
            synonym = self.lexicon.term(synonym_id)
            if " " in synonym or synonym == word.lower():
                continue
            cased = match_case(synonym, word)
            token = self._vocab.get(prefix + cased)
            if token is not None:
                names.append(cased)
                ids.append(token)
        return tuple(names), np.asarray(ids, dtype=np.int64)

    def score(self, text: str, max_tokens: int, rescore: int = 0) -> list[WordScore]:
        return self.read(text, max_tokens, rescore)[0]

    def read(self, text: str, max_tokens: int, rescore: int = 0) -> tuple[list[WordScore], np.ndarray | None]:
        """The scores of the content words in the first `max_tokens` tokens, and the mean of the model's
        final hidden states over the first window (from its third position on; None for under 2 tokens):
        a summary of how the text reads to the model, for `lm._probe`.

        With `rescore`, up to that many words per window (those whose synonym beats them by the most at
        their own place) are also read both ways: their `rest_delta` says whether the rest of the sentence
        reads better with the synonym put back (`lm._rescoring`)."""
        reading = self.reading(text, max_tokens, rescore)
        reading.advance()
        return reading.words(), reading.state_mean

    def reading(self, text: str, max_tokens: int, rescore: int = 0) -> Reading:
        """The same reading as `read`, window by window: `Reading.advance` reads on, `Reading.words` scores
        the words read so far. A caller that can decide on the first window stops there."""
        return Reading(self, text, max_tokens, rescore)

    def token_reading(self, text: str, max_tokens: int = FIRST_WINDOW) -> dict[str, np.ndarray] | None:
        """One forward pass over the first window (at most `FIRST_WINDOW` tokens), every token through the
        output head: per text token its log p(token | before), its rank among the model's predictions
        (0 = the top one), the predictive distribution's entropy (nats), and the final hidden states from
        the third input position on (those whose mean `read` returns). For experiments
        (`benchmarks/mt_lm_stats.py`); None for an empty text."""
        ids = self.tokenizer.encode(text).ids[:min(max_tokens, FIRST_WINDOW)]
        if not ids:
            return None
        n = len(ids)
        inputs = np.empty((1, n + 1), dtype=np.int64)
        inputs[0, 0] = self.transformer.start_token_id
        inputs[0, 1:] = ids
        states = self.transformer.hidden_states(inputs)[0]
        logprobs = self.transformer.log_probabilities(states[:n])
        target = np.asarray(ids, dtype=np.int64)
        actual = logprobs[np.arange(n), target]
        rank = (logprobs > actual[:, None]).sum(axis=1)
        entropy = -(np.exp(logprobs) * logprobs).sum(axis=1)
        return {"logprob": actual.astype(np.float32), "rank": rank.astype(np.int32),
                "entropy": entropy.astype(np.float32), "states": states[2:].astype(np.float32)}


class Reading:
    """One text read by a `WordScorer`, window by window (`advance`), so a caller can stop after the first.

    A reading carried to its end gives the same numbers whether or not the caller stopped in between
    (`advance`).
    """

    def __init__(self, scorer: WordScorer, text: str, max_tokens: int, rescore: int = 0) -> None:
        self._scorer = scorer
        self._rescore = rescore
        self.state_mean: np.ndarray | None = None  # the first window's mean state, once it is read (`read`)
        encoding = scorer.tokenizer.encode(text)
        ids = encoding.ids[:max_tokens]
        self._ids = np.asarray(ids, dtype=np.int64)
        n = len(ids)
        self._words = []
        self._windows: list[tuple[int, int, int]] = []
        self._next_window = 0
        self._scored_to = 0  # text tokens [0, scored_to) have been scored
        if not n:
            return
        offsets = encoding.offsets[:n]
        scored_end = offsets[-1][1]
        # Which token starts each content word, and which tokens it spans.
        token_starts = np.fromiter((s for s, _ in offsets), dtype=np.int64, count=n)
        token_ends = np.fromiter((e for _, e in offsets), dtype=np.int64, count=n)
        for start, end, word in content_words(text[:scored_end]):
            first = int(np.searchsorted(token_ends, start, side="right"))
            last = int(np.searchsorted(token_ends, end, side="left"))
            if first >= n or last >= n or token_ends[last] != end:
                continue
            lead = text[token_starts[first]:start]
            if lead not in ("", " "):
                continue  # the word's first token also holds punctuation: no clean prediction of the word
            self._words.append((start, end, word, first, last, _SPACE if lead == " " else ""))
        self._sentence_ends = _sentence_ends(text, token_starts, token_ends) if rescore else None
        # Tokens outside content words are never pushed through the output head (a quarter of the work
        # per token); full log-probability rows are kept only at the first tokens of words with one-token
        # synonyms.
        self._needed = np.zeros(n, dtype=bool)
        for _s, _e, _word, first, last, _prefix in self._words:
            self._needed[first:last + 1] = True
        self._with_synonyms = {first: (last, synonym_ids) for _s, _e, word, first, last, prefix in self._words
                               if len(synonym_ids := scorer._synonym_tokens(word, prefix)[1])}
        self._actual = np.zeros(n, dtype=np.float32)  # log p(token | before), at content words' tokens
        self._top = np.zeros(n, dtype=np.float32)  # the best log p at that position
        self._rows: dict[int, np.ndarray] = {}
        self._deltas: dict[int, float] = {}  # rest_delta of the rescored words, by first token
        # The first window scores FIRST_WINDOW tokens from the start; later ones carry CONTEXT tokens.
        self._windows = [(0, 0, min(n, FIRST_WINDOW))]
        for begin in range(FIRST_WINDOW, n, STRIDE):
            self._windows.append((begin - CONTEXT, begin, min(n, begin + STRIDE)))

    @property
    def done(self) -> bool:
        return self._next_window >= len(self._windows)

    @property
    def windows(self) -> tuple[int, int]:
        """(windows read, windows in the reading)."""
        return self._next_window, len(self._windows)

    def advance(self, windows: int | None = None) -> None:
        """Read the next `windows` windows (every one left with None).

        Windows are read in batches of `WINDOWS_PER_BATCH`, each padded to its batch's longest, as when they
        are read at once, even where a caller stops inside a batch: the rest deltas depend on the padded
        length of the key/value cache they run on (by up to 1.7 nats, even with the padding zeroed and
        masked), so the same padding keeps a reading in stages equal to one read at once, and to what the
        deep stage was trained on."""
        stop = len(self._windows) if windows is None else min(len(self._windows), self._next_window + windows)
        while self._next_window < stop:
            batch_start = self._next_window - self._next_window % WINDOWS_PER_BATCH
            batch = self._windows[batch_start:batch_start + WINDOWS_PER_BATCH]
            until = min(stop, batch_start + len(batch))
            self._run(self._windows[self._next_window:until], self._input_length(batch))
            self._next_window = until
            self._scored_to = self._windows[until - 1][2]

    def _input_length(self, batch: list[tuple[int, int, int]]) -> int:
        """The input length of a batch of windows: the start token, then its longest window's tokens."""
        return 1 + max(stop - context_start for (context_start, _, _), stop in zip(batch, self._ends(batch)))

    def _ends(self, batch: list[tuple[int, int, int]]) -> list[int]:
        """Where each window's input stops: its last scored token, or with rescoring the rest of a sentence
        past it (the window runs on)."""
        lookahead = MAX_REST if self._rescore else 0
        return [min(len(self._ids), end + lookahead) for _, _, end in batch]

    def words(self) -> list[WordScore]:
        """The scores of the content words read so far (every token of the word scored)."""
        out = []
        for start, end, word, first, last, prefix in self._words:
            if last >= self._scored_to:
                break
            best, best_logprob = None, float("nan")
            row = self._rows.get(first)
            if row is not None:
                names, synonym_ids = self._scorer._synonym_tokens(word, prefix)
                k = _best(row, synonym_ids)
                best, best_logprob = names[k], float(row[synonym_ids[k]])
            out.append(WordScore(start, end, word, float(self._actual[first:last + 1].sum()), float(self._top[first]),
                                 best, best_logprob, self._deltas.get(first, float("nan"))))
        return out

    def _run(self, batch: list[tuple[int, int, int]], length: int) -> None:
        """One forward call over windows, padded to `length` inputs: fills the scores of their content words'
        tokens (and, with `rescore`, the rest_delta of their most suspicious words)."""
        transformer = self._scorer.transformer
        ends = self._ends(batch)
        inputs = np.zeros((len(batch), length), dtype=np.int64)
        inputs[:, 0] = transformer.start_token_id
        for row, ((context_start, _, _), stop) in enumerate(zip(batch, ends)):
            inputs[row, 1:1 + stop - context_start] = self._ids[context_start:stop]
        states, cache = transformer.forward(inputs)
        if batch[0][0:2] == (0, 0) and batch[0][2] >= 2:
            # The start token and the first word see almost no context: the mean starts after them.
            self.state_mean = states[0, 2:1 + batch[0][2]].mean(axis=0)
        for row, (context_start, begin, end) in enumerate(batch):
            targets = np.flatnonzero(self._needed[begin:end]) + begin
            if len(targets) == 0:
                continue
            # The state at input position p predicts the text token context_start + p.
            logprobs = transformer.log_probabilities(states[row, targets - context_start])
            self._actual[targets] = logprobs[np.arange(len(targets)), self._ids[targets]]
            self._top[targets] = logprobs.max(axis=1)
            for k, t in enumerate(targets.tolist()):
                if t in self._with_synonyms:
                    self._rows[t] = logprobs[k].copy()
            if self._rescore:
                self._deltas.update(self._rescore_window(inputs[row, :1 + ends[row] - context_start], cache, row,
                                                         context_start, begin, end))

    def _rescore_window(self, window, cache, row, context_start, begin, end) -> dict[int, float]:
        """rest_delta of the `rescore` words first scored in this window whose best synonym beats them by the
        most, by their first token."""
        gaps = []
        for first, (last, synonym_ids) in self._with_synonyms.items():
            if begin <= first < end and last < end:
                row_logprobs = self._rows[first]
                token = int(synonym_ids[_best(row_logprobs, synonym_ids)])
                gaps.append((float(row_logprobs[token]) - float(self._actual[first:last + 1].sum()), first, last,
                             token))
        gaps.sort(reverse=True)
        candidates, firsts = [], []
        limit = context_start + len(window) - 1  # text tokens in this window's input: [context_start, limit)
        for _gap, first, last, token in gaps[:self._rescore]:
            stop = last + 1
            while stop < limit and stop - last <= MAX_REST:
                stop += 1
                if self._sentence_ends[stop - 1]:
                    break
            # input position of text token t: t - context_start + 1
            candidates.append(Candidate(first - context_start + 1, last - context_start + 1, token,
                                        stop - context_start + 1))
            firsts.append(first)
        if not candidates:
            return {}
        row_cache = KeyValueCache(tuple(k[row:row + 1] for k in cache.keys),
                                  tuple(v[row:row + 1] for v in cache.values))
        return dict(zip(firsts, rest_deltas(self._scorer.transformer, window, row_cache, candidates).tolist()))


def _best(row: np.ndarray, synonym_ids: np.ndarray) -> int:
    """The index of the synonym the model found most likely in a log-probability row."""
    return int(np.argmax(row[synonym_ids]))


_SENTENCE_CLOSE_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


def _sentence_ends(text: str, token_starts: np.ndarray, token_ends: np.ndarray) -> np.ndarray:
    """Per token: whether a sentence ends with it (it closes with . ! or ?, and a space, a line break or the
    text's end follows), or it holds a line break or the next token starts a new line."""
    n = len(token_starts)
    out = np.zeros(n, dtype=bool)
    for t in range(n):
        end = int(token_ends[t])
        following = text[end:int(token_starts[t + 1])] if t + 1 < n else ""
        own = text[int(token_starts[t]):end]
        closes = bool(_SENTENCE_CLOSE_RE.search(own)) and (end >= len(text) or text[end].isspace())
        out[t] = closes or "\n" in own or "\n" in following
    return out
