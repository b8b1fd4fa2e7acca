"""A spinner's fingerprint, learned from a user's labelled pages: the substitutions that spinner makes.

A commercial spinner works from a fixed table: wherever "said" stands it writes "stated" or "uttered" some
share of the time, wherever "company" stands, "organization". A detector that must work on every spinner
cannot know the table; a user who has labelled pages of one spinner has shown it. So `spindetect train`
learns the table from the batch (`spindetect.learn._retrain`) and this family reads it.

**Learning.** Each spun page is aligned word by word with its original (the page of the same group that
is labelled `original`, else the batch original that shares the most of its word trigrams), and every
replaced run of at most three words on each side is a substitution `original -> substitute`
(`SpinnerFingerprint.learn`). Learning needs originals: the words a spinner writes are mostly ordinary
English ("stated", "individuals") that only the word they replaced marks as a swap.

**Reading.** For every original phrase `o` the table knows, a document's *slots* are the places where `o`
or one of its substitutes stands (longest match first), and `k` of its `n` slots hold a substitute. Under
an unspun text a slot holds a substitute with probability `p0`, under this spinner with `p1`, so

    llr = sum over o of  k log(p1 / p0) + (n - k) log((1 - p1) / (1 - p0))

is the log-likelihood ratio of "this spinner" against "unspun". Writing "said" counts against the spinner
as much as "uttered" counts for it, which is what keeps ordinary uses of a substitute ("he stated his
case") from adding up on a page that says "said" everywhere else.

Version 2 reads an unspun text's slots as *bursty*: a writer who chose "movie" over "film" once writes it
all through the article, while a spinner draws every slot afresh. So under "unspun" a document's `k` of `n`
is beta-binomial around `p0` (concentration NULL_CONCENTRATION) rather than binomial; under the spinner it
stays binomial at `p1`. One article that says "movie" twenty times is then no longer twenty swaps' worth of
evidence. With a table learned from 100 spun BBC train-split pages, on 173 calib-split articles the
loudest original fell from llr 10.2 to 6.8 (`handbook`) and from 5.8 to 1.7 (`distributional`), and recall
at 30% substitution with 1% of originals flagged rose from 0.47 to 0.65 and from 0.62 to 0.74
(`python -m benchmarks.fingerprint_null`; docs/experiments.md, "Retraining"). Version 1 (binomial) stays
for the models that name it.

`p0` is the share of substitutes among the slots of the batch's originals, shrunk towards reference English
(wordfreq: the substitutes' frequency against the original's), so that a word the few originals never used
is not taken for impossible; `p1` is the share in the spun pages, shrunk towards `p0`; a pair is kept only
where `p1 > p0`. The two prior weights were compared on BBC test-split, then calib-split articles
(docs/experiments.md, "Retraining").

The state is plain JSON in the model directory (`family_states.json`, hash-checked by the manifest); nothing
in it is executed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..text._document import Document
from ..text._words import LETTER_WORD_RE
from .base import MISSING, Evidence, FeatureFamily, FeatureResult, ratio

STATE_FORMAT = 1
MAX_PHRASE_WORDS = 3  # a substitution replaces at most this many words with at most this many
# Prior weights, in slots: how much reference English counts in p0, and p0 in p1 (docs/experiments.md).
P0_PRIOR_SLOTS = 10.0
P1_PRIOR_SLOTS = 3.0
MIN_P0, MAX_P1 = 0.002, 0.98
# How bursty an unspun text's choice between a phrase and its substitutes is (version 2's beta-binomial
# null, `a + b` of its Beta prior): 1-3 within 0.11 of each other on BBC calib-split articles, 10 and more
# drift back towards the binomial (docs/experiments.md, "Retraining").
NULL_CONCENTRATION = 2.0
# A spun page is paired with a batch original of another group only if this share of its word trigrams
# is in that original: a 60% spin keeps well over a tenth of its trigrams; unrelated news shares almost none.
MIN_TRIGRAM_CONTAINMENT = 0.1
MAX_EVIDENCE = 20


def words(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased word, start, end) for every word of `text`."""
    return [(m.group().lower().replace("\u2019", "'"), m.start(), m.end()) for m in LETTER_WORD_RE.finditer(text)]


def substitutions(original: str, spun: str) -> list[tuple[str, str]]:
    """(original phrase, substitute phrase) for every replaced run: word by word where both sides are as long,
    else as phrases of at most MAX_PHRASE_WORDS words ("year" -> "twelve months")."""
    left = [w for w, _, _ in words(original)]
    right = [w for w, _, _ in words(spun)]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    found = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        if i2 - i1 == j2 - j1:
            # Runs of equal length are word-for-word swaps side by side ("company said" -> "organization
            # stated"): learned as single words, which recur; the pair of them would not.
            found.extend(zip(left[i1:i2], right[j1:j2]))
        elif i2 - i1 <= MAX_PHRASE_WORDS and j2 - j1 <= MAX_PHRASE_WORDS:
            found.append((" ".join(left[i1:i2]), " ".join(right[j1:j2])))
    return found


def pair_with_originals(spun: Sequence[str], originals: Sequence[str],
                        same_group: Sequence[int | None]) -> list[int | None]:
    """For each spun text, the index of its original: `same_group[i]` where given, else the original that
    holds the largest share of its word trigrams, if at least MIN_TRIGRAM_CONTAINMENT; else None."""
    def trigrams(text: str) -> set[tuple[str, ...]]:
        tokens = [w for w, _, _ in words(text)]
        return {tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)}

    original_trigrams = [trigrams(text) for text in originals]
    postings: dict[tuple[str, ...], list[int]] = {}
    for index, grams in enumerate(original_trigrams):
        for gram in grams:
            postings.setdefault(gram, []).append(index)
    paired: list[int | None] = []
    for text, given in zip(spun, same_group):
        if given is not None:
            paired.append(given)
            continue
        grams = trigrams(text)
        hits = Counter(index for gram in grams for index in postings.get(gram, ()))
        best = hits.most_common(1)
        paired.append(best[0][0] if best and grams and best[0][1] / len(grams) >= MIN_TRIGRAM_CONTAINMENT else None)
    return paired


@dataclass(frozen=True)
class SpinnerFingerprint:
    """Substitute phrase -> the original phrase it replaces, and per original phrase its (p0, p1)."""

    replaces: dict[str, str]
    rates: dict[str, tuple[float, float]]
    learned_from: dict = field(default_factory=dict)
    # The longest-match table, built once: phrase (as a word tuple) -> (original phrase, is a substitute).
    _table: dict[tuple[str, ...], tuple[str, bool]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table: dict[tuple[str, ...], tuple[str, bool]] = {}
        for original in self.rates:
            table[tuple(original.split())] = (original, False)
        for substitute, original in self.replaces.items():
            if original in self.rates:
                table[tuple(substitute.split())] = (original, True)
        object.__setattr__(self, "_table", table)

    # ------------------------------------------------------------------------------------------- learning

    @classmethod
    def learn(cls, pairs: Iterable[tuple[str, str]], originals: Iterable[str]) -> SpinnerFingerprint:
        """Learn from (original, spun) text pairs and the batch's original texts (which should include the
        pairs' originals): the substitutions, then each original phrase's slot rates."""
        pairs = list(pairs)
        originals = list(originals)
        candidates: dict[str, Counter] = {}
        for original, spun in pairs:
            for phrase, substitute in substitutions(original, spun):
                if phrase != substitute:
                    candidates.setdefault(substitute, Counter())[phrase] += 1
        # A substitute written for several originals is kept for the one it replaced most often.
        replaces = {substitute: counts.most_common(1)[0][0] for substitute, counts in candidates.items()}
        provisional = cls(replaces, {original: (0.5, 0.5) for original in set(replaces.values())})
        spun_slots, original_slots = Counter(), Counter()
        spun_swaps, original_swaps = Counter(), Counter()
        for _, spun in pairs:
            provisional._count(spun, spun_swaps, spun_slots)
        for text in originals:
            provisional._count(text, original_swaps, original_slots)
        substitutes_of: dict[str, list[str]] = {}
        for substitute, phrase in replaces.items():
            substitutes_of.setdefault(phrase, []).append(substitute)
        rates = {}
        for phrase in provisional.rates:
            prior = _reference_share(phrase, substitutes_of[phrase])
            p0 = max((original_swaps[phrase] + P0_PRIOR_SLOTS * prior) / (original_slots[phrase] + P0_PRIOR_SLOTS),
                     MIN_P0)
            p1 = min((spun_swaps[phrase] + P1_PRIOR_SLOTS * p0) / (spun_slots[phrase] + P1_PRIOR_SLOTS), MAX_P1)
            if p1 > p0:
                rates[phrase] = (round(p0, 6), round(p1, 6))
        kept = {s: o for s, o in replaces.items() if o in rates}
        return cls(kept, rates, {"spun_pages": len(pairs), "original_pages": len(originals),
                                 "substitutions": len(kept)})

    def merged_with(self, older: SpinnerFingerprint | None) -> SpinnerFingerprint:
        """This fingerprint plus what `older` knew of phrases this one did not learn (a second retrain keeps
        the first spinner's table)."""
        if older is None:
            return self
        rates = {**older.rates, **self.rates}
        replaces = {s: o for s, o in older.replaces.items() if o not in self.rates} | self.replaces
        return SpinnerFingerprint(replaces, rates, {"this_batch": self.learned_from,
                                                     "earlier": older.learned_from})

    # -------------------------------------------------------------------------------------------- reading

    def _count(self, text: str, swaps: Counter, slots: Counter, spans: list | None = None) -> int:
        """Add each original phrase's slots and substitutes in `text` (longest match first); return the
        number of words read. `spans` collects (start, end, original phrase) of every substitute."""
        tokens = words(text)
        table = self._table
        i = 0
        while i < len(tokens):
            for length in range(min(MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
                hit = table.get(tuple(w for w, _, _ in tokens[i:i + length]))
                if hit is not None:
                    original, is_substitute = hit
                    slots[original] += 1
                    if is_substitute:
                        swaps[original] += 1
                        if spans is not None:
                            spans.append((tokens[i][1], tokens[i + length - 1][2], original))
                    i += length
                    break
            else:
                i += 1
        return len(tokens)

    def read(self, text: str, null_concentration: float | None = NULL_CONCENTRATION,
             ) -> tuple[float, int, int, int, list[tuple[int, int, str]]]:
        """(log-likelihood ratio, substitutes, slots, words, substitute spans) of one text. The null is
        beta-binomial with `null_concentration`, or binomial (version 1) when it is None."""
        swaps, slots, spans = Counter(), Counter(), []
        n_words = self._count(text, swaps, slots, spans)
        llr = 0.0
        for phrase, n in slots.items():
            p0, p1 = self.rates[phrase]
            k = swaps[phrase]
            spinner = k * math.log(p1) + (n - k) * math.log(1 - p1)
            if null_concentration is None:
                unspun = k * math.log(p0) + (n - k) * math.log(1 - p0)
            else:
                a, b = null_concentration * p0, null_concentration * (1 - p0)
                unspun = _log_beta(a + k, b + n - k) - _log_beta(a, b)
            llr += spinner - unspun
        return llr, sum(swaps.values()), sum(slots.values()), n_words, spans

    def swap_strength(self, original: str) -> float:
        p0, p1 = self.rates[original]
        return math.log(p1 / p0)

    # ---------------------------------------------------------------------------------------------- state

    def to_state(self) -> dict:
        return {"format": STATE_FORMAT, "replaces": dict(sorted(self.replaces.items())),
                "rates": {o: list(r) for o, r in sorted(self.rates.items())}, "learned_from": self.learned_from}

    @classmethod
    def from_state(cls, state: dict) -> SpinnerFingerprint:
        """Validate and load a state written by `to_state` (a malformed one raises ValueError)."""
        if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
            raise ValueError(f"spinner fingerprint: expected format {STATE_FORMAT}")
        replaces, rates = state.get("replaces"), state.get("rates")
        if not isinstance(replaces, dict) or not isinstance(rates, dict):
            raise ValueError("spinner fingerprint: 'replaces' and 'rates' must be objects")
        parsed = {}
        for phrase, pair in rates.items():
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(p, (int, float)) and 0 < p < 1 for p in pair)):
                raise ValueError(f"spinner fingerprint: rates of {phrase!r} must be two probabilities")
            parsed[str(phrase)] = (float(pair[0]), float(pair[1]))
        if not all(isinstance(s, str) and isinstance(o, str) for s, o in replaces.items()):
            raise ValueError("spinner fingerprint: 'replaces' must map phrases to phrases")
        return cls(dict(replaces), parsed, dict(state.get("learned_from") or {}))

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.to_state(), sort_keys=True).encode()).hexdigest()


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _reference_share(original: str, substitutes: list[str]) -> float:
    """The substitutes' share of (substitutes + original) in reference English (wordfreq)."""
    from wordfreq import word_frequency

    floor = 1e-9
    written = sum(max(word_frequency(s, "en"), floor) for s in substitutes)
    return written / (written + max(word_frequency(original, "en"), floor))


class Fingerprint(FeatureFamily):
    """The substitutions of the spinner a user labelled (a model's learned state; see the module doc)."""

    name = "fingerprint"
    version = 2
    null_concentration: float | None = NULL_CONCENTRATION
    stateful = True
    features = {
        "llr": "reads like the spinner in the labelled batch: its substitutions against the words they replace",
        "swaps_per_100_words": "substitutions the labelled spinner makes, per 100 words",
        "swap_share": "share of the labelled spinner's slots that hold its substitute",
    }

    def __init__(self, fingerprint: SpinnerFingerprint) -> None:
        self.fingerprint = fingerprint

    @classmethod
    def from_state(cls, state: dict) -> Fingerprint:
        return cls(SpinnerFingerprint.from_state(state))

    def cache_identity(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.fingerprint.digest(),)

    def extract(self, doc: Document) -> FeatureResult:
        values, spans = self._read(doc.text)
        evidence = sorted((Evidence(doc.text[start:end], start, end, replaced=original, kind="learned swap",
                                    strength=self.fingerprint.swap_strength(original))
                           for start, end, original in spans), key=lambda e: -(e.strength or 0.0))
        return FeatureResult(values, {"llr": evidence[:MAX_EVIDENCE]} if evidence else {})

    def extract_text(self, text: str) -> dict[str, float]:
        """The feature values of a prepared document's text (what training reads, without evidence)."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[dict[str, float], list[tuple[int, int, str]]]:
        llr, swaps, slots, n_words, spans = self.fingerprint.read(text, self.null_concentration)
        values = {"llr": llr if n_words else MISSING,
                  "swaps_per_100_words": ratio(100.0 * swaps, n_words),
                  "swap_share": ratio(swaps, slots)}
        return values, spans


class FingerprintV1(Fingerprint):
    """Version 1, kept so models trained with it load and score as they did: a binomial null."""

    version = 1
    null_concentration = None
