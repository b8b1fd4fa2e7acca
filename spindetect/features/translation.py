"""Machine-made prose: translationese and LLM-rewrite style, scored sentence by sentence.

Translated text keeps the source language's scaffolding — its function words, their order and its
punctuation — while the content words change (Baroni & Bernardini 2006, "A new approach to the study of
translationese"; Volansky, Ordan & Wintner 2015, "On the features of translationese": function-word and
POS n-grams separate originals from translations best and transfer across topics). So both scores here
look at *masked* sentences: every content word becomes a placeholder and only function words, clitics,
numbers-as-a-class and punctuation survive, e.g. "The minister of the region said so, too." becomes
`the W of the W W so , too .`. A small linear model over 1-3-grams of that skeleton gives a log-odds per
sentence. Masking is what lets a model learnt on Europarl speeches carry over to news: it cannot learn
the topics of the European Parliament, only the structure.

Two models are learnt by `training/learn_style_lexicons.py` and shipped in `resources/style_lexicons.json`:

- `machine_translation`: MT output (German→English, several NMT and LLM systems) vs original English and
  professional human translation; capitalised non-initial content words keep a separate placeholder
  (`C`), because mistranslated or mangled names show up as odd capitalisation patterns.
- `llm_rewrite`: LLM paraphrases/rewrites of news vs human news. Case is not kept (some human training
  originals were scraped lower-cased) and a short list of words LLMs overuse (Kobak et al. 2024,
  "Delving into ChatGPT usage in academic writing through excess vocabulary") stays unmasked. This score
  lives in this family, not in stylometry, because it shares the masking and the scorer.

Typography is folded to ASCII before masking (curly quotes, dashes, ellipses; other non-ASCII dropped) so
neither model can key on one system's or one scraper's choice of glyphs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain, repeat
from typing import Iterator

from ..text._document import Document
from .base import MISSING, Evidence, FeatureFamily, FeatureResult, ratio
from .boilerplate_signatures import matching_signatures
from ..resources import Lazy, bundled_json

LEXICON_FILE = "style_lexicons.json"
LEXICON_FORMAT = 1

# Closed-class English words: determiners, pronouns, prepositions, conjunctions, auxiliaries, modals,
# negation and the commonest discourse adverbs. These are what translationese research profiles.
FUNCTION_WORDS: frozenset[str] = frozenset("""
a an the this that these those some any each every all both either neither no none another other such
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
myself ourselves yourself himself herself itself themselves one ones
who whom whose which what where when why how whether whatever whoever
of to in on at by for from with without within into onto upon about above below over under between among
through during before after since until against towards toward across along around behind beyond despite
than as like via per
and or but nor so yet if because although though while whereas unless once
be am is are was were been being have has had having do does did doing
will would shall should can could may might must ought
not never also only just even still too very more most less least much many few several
there here then thus hence therefore however indeed moreover furthermore nevertheless else already again
up down out off now
""".split())

# Contractions are expanded before masking. Europarl's verbatim reports spell out "do not" and "it is"
# while many MT systems write "don't" and "it's": that is a transcription convention of the training
# corpus, not translationese, and news quotes are full of contractions.
_CLITIC_EXPANSIONS = {"n't": "not", "'re": "are", "'ve": "have", "'ll": "will", "'m": "am", "'d": "would"}
_NEGATED_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}  # can't, won't, shan't
_IS_AFTER = frozenset({"it", "that", "there", "here", "what", "he", "she", "who", "where", "how"})
_KEPT_PUNCTUATION = frozenset(".,;:!?()\"'-/&$")
_QUOTES = frozenset({'"', "'"})

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ",
})
# Words may contain digits and inner hyphens/apostrophes ("COVID-19", "don't"); runs of dashes or dots are
# one token, so "--" and "..." are not read as repeated punctuation.
_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*|-+|\.{2,}|[^\w\s]")
# A sentence ends after . ! ? (and any closing quotes/brackets) before whitespace, or at a line break.
_SENTENCE_RE = re.compile(r"[^\n]+?(?:[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|$)", re.MULTILINE)

MIN_SCORED_WORDS = 4  # shorter "sentences" are headlines, captions and menu items: too little structure


def fold_typography(text: str) -> str:
    """Curly quotes, dashes and ellipses to ASCII, then drop every other non-ASCII character."""
    return text.translate(_TYPOGRAPHY).encode("ascii", "ignore").decode("ascii")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences of `text`, in order."""
    for match in _SENTENCE_RE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            yield start, end


def expand_contraction(word: str) -> list[str]:
    """"don't" -> do not; "it's" -> it is; "minister's" -> minister 's (possessive kept as a clitic)."""
    lower = word.lower()
    if lower.endswith("n't") and len(lower) > 3:
        stem = word[:-3]
        return [_NEGATED_STEMS.get(stem.lower(), stem), "not"]
    head, _, tail = word.rpartition("'")
    clitic = "'" + tail.lower()
    if not head:
        return [word]
    if clitic in _CLITIC_EXPANSIONS:
        return [head, _CLITIC_EXPANSIONS[clitic]]
    if clitic == "'s":
        return [head, "is" if head.lower() in _IS_AFTER else "'s"]
    return [word]


def raw_tokens(sentence: str) -> list[str]:
    """Words, numbers and punctuation marks of one sentence after typography folding."""
    return _TOKEN_RE.findall(fold_typography(sentence))


def scorable(tokens: list[str]) -> bool:
    """Enough words in a masked sentence to say anything about its structure."""
    return sum(1 for t in tokens if t[0].isalpha() or t[0] == "'") >= MIN_SCORED_WORDS


@dataclass(frozen=True)
class Masking:
    """How a sentence is reduced to its skeleton; stored with each model so training and inference agree."""

    keep_words: frozenset[str]
    mark_capitals: bool  # keep capitalised non-initial content words apart ("C") from other content ("W")
    drop_quotes: bool

    def tokens(self, sentence: str) -> list[str]:
        return self.mask(raw_tokens(sentence))

    def mask(self, raw: list[str]) -> list[str]:
        """The skeleton of one sentence's raw tokens (see `raw_tokens`)."""
        out: list[str] = []
        mask_token = self._mask_token
        # A token is "inside" once anything has been emitted; after that point the rest map in one pass.
        for position, token in enumerate(raw):
            out.extend(mask_token(token, False))
            if out:
                out.extend(chain.from_iterable(map(mask_token, raw[position + 1:], repeat(True))))
                break
        return out

    def __post_init__(self) -> None:
        # A bounded cache per masking (most tokens of a document are repeats); keyed on the token alone so
        # the lookup does not hash the whole masking. lru_cache is thread-safe.
        object.__setattr__(self, "_mask_token", lru_cache(maxsize=65536)(partial(_mask_token, self)))

    def to_json(self) -> dict:
        return {
            "keep_words": sorted(self.keep_words),
            "mark_capitals": self.mark_capitals,
            "drop_quotes": self.drop_quotes,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Masking":
        return cls(frozenset(data["keep_words"]), bool(data["mark_capitals"]), bool(data["drop_quotes"]))


def _mask_token(masking: Masking, token: str, inside: bool) -> tuple[str, ...]:
    """What one raw token becomes in the skeleton."""
    first = token[0]
    if first.isalnum():
        lower = token.lower()
        if lower == token.upper():  # no letters: a number
            return ("0",)
        if "'" not in token:
            return (_mask_word(masking, token, inside),)
        words = expand_contraction(token)
        return tuple(_mask_word(masking, word, inside or i > 0) for i, word in enumerate(words))
    if first in _QUOTES and masking.drop_quotes:
        return ()
    if first == "-":
        return ("-",)
    if first == "." and len(token) > 1:
        return ("...",)
    if token == "%":
        return ("W",)  # "%" is the unit word "per cent", spelled out in some house styles
    return (token if token in _KEPT_PUNCTUATION else "P",)


def _mask_word(masking: Masking, word: str, inside: bool) -> str:
    lower = word.lower()
    if lower in masking.keep_words or lower == "'s":
        return lower
    if masking.mark_capitals and inside and word[0].isupper():
        return "C"
    return "W"


def ngrams(tokens: list[str], order: int) -> set[str]:
    """Distinct 1..order-grams of the skeleton with sentence boundary markers, as space-joined strings."""
    grams = ["<s>", *tokens, "</s>"]
    level = grams
    out = set(grams)
    for _ in range(order - 1):
        level = [a + " " + b for a, b in zip(level, grams[len(grams) - len(level) + 1:])]
        out.update(level)
    return out


@dataclass(frozen=True)
class StyleModel:
    """A linear model over the masked n-grams of one sentence.

    Features are binary n-gram indicators divided by the square root of the number of distinct n-grams in
    the sentence (so long sentences do not score extreme by sheer length); the score is the log-odds.
    """

    masking: Masking
    order: int
    intercept: float
    weights: dict[str, float]

    def score_tokens(self, tokens: list[str]) -> float:
        grams = ngrams(tokens, self.order)
        total = sum(map(self.weights.get, grams, repeat(0.0, len(grams))))
        return self.intercept + total / math.sqrt(len(grams))

    def score(self, sentence: str) -> float:
        return self.score_tokens(self.masking.tokens(sentence))

    @classmethod
    def from_json(cls, data: dict) -> "StyleModel":
        return cls(Masking.from_json(data["masking"]), int(data["ngram_order"]), float(data["intercept"]),
                   {k: float(v) for k, v in data["weights"].items()})


@dataclass(frozen=True)
class StyleLexicons:
    machine_translation: StyleModel
    llm_rewrite: StyleModel
    function_word_log_ratio: dict[str, float]  # log p(w | MT) / p(w | not MT) over function-word tokens
    # News MT by real systems (WMT22), beside the Europarl model: parliamentary MT is not news MT.
    news_machine_translation: StyleModel | None = None


def parse_lexicons(data: dict) -> StyleLexicons:
    if data.get("format") != LEXICON_FORMAT:
        raise ValueError(f"{LEXICON_FILE}: format {data.get('format')!r}, this spindetect reads {LEXICON_FORMAT}")
    models = data["models"]
    return StyleLexicons(
        StyleModel.from_json(models["machine_translation"]),
        StyleModel.from_json(models["llm_rewrite"]),
        {k: float(v) for k, v in data["function_word_profile"]["log_ratio"].items()},
        StyleModel.from_json(models["news_machine_translation"]) if "news_machine_translation" in models else None,
    )


_LEXICONS = Lazy(lambda: parse_lexicons(bundled_json(LEXICON_FILE)))


def lexicons() -> StyleLexicons:
    """The shipped style lexicons, parsed once on first use."""
    return _LEXICONS.get()


def _aggregate(scores: list[float]) -> tuple[float, float, float]:
    if not scores:
        return MISSING, MISSING, MISSING
    return sum(scores) / len(scores), max(scores), sum(1 for s in scores if s > 0) / len(scores)


class Translation(FeatureFamily):
    name = "translation"
    # The most MT-like (LLM-like) sentence is the evidence for the document's mean and share as well.
    evidence_from = {
        "mt_score_mean": ("mt_score_max",), "mt_share_positive": ("mt_score_max",),
        "news_mt_score_mean": ("news_mt_score_max",), "news_mt_share_positive": ("news_mt_score_max",),
        "llm_score_mean": ("llm_score_max",), "llm_share_positive": ("llm_score_max",),
    }
    # 2: adds the news-MT model's scores (trained on WMT22, real systems); version 1's columns are unchanged.
    version = 2
    news_mt = True
    features = {
        "mt_score_mean": "mean per-sentence log-odds of machine-translation structure",
        "mt_score_max": "highest per-sentence machine-translation log-odds",
        "mt_share_positive": "share of sentences whose structure looks machine-translated",
        "llm_score_mean": "mean per-sentence log-odds of LLM-rewrite style",
        "llm_score_max": "highest per-sentence LLM-rewrite log-odds",
        "llm_share_positive": "share of sentences whose style looks LLM-rewritten",
        "function_word_rate": "share of words that are function words",
        "function_word_mt_llr": "mean log-likelihood ratio (MT vs not) of the function words used",
        "news_mt_score_mean": "mean per-sentence log-odds of news machine translation (real MT systems)",
        "news_mt_score_max": "highest per-sentence news machine-translation log-odds",
        "news_mt_share_positive": "share of sentences whose structure looks like news machine translation",
    }

    def extract(self, doc: Document) -> FeatureResult:
        lex = lexicons()
        mt_scores: list[float] = []
        llm_scores: list[float] = []
        news_scores: list[float] = []
        news_model = lex.news_machine_translation if self.news_mt else None
        best_mt = best_llm = best_news = (-math.inf, 0, 0)
        furniture = _furniture_spans(doc)
        for start, end in sentence_spans(doc.text):
            raw = raw_tokens(doc.text[start:end])
            mt_tokens = lex.machine_translation.masking.mask(raw)
            if not scorable(mt_tokens):
                continue
            mt = lex.machine_translation.score_tokens(mt_tokens)
            llm = lex.llm_rewrite.score_tokens(lex.llm_rewrite.masking.mask(raw))
            mt_scores.append(mt)
            llm_scores.append(llm)
            # Every sentence counts in the values; only the article's own prose can be the evidence shown
            # (a comment form's "Required fields are marked *" is the page's, not the translator's).
            is_prose = not any(s <= start and end <= e for s, e in furniture)
            if news_model is not None:
                # The same masking as the Europarl model (both are fitted with MT_MASKING).
                news = news_model.score_tokens(mt_tokens)
                news_scores.append(news)
                if is_prose:
                    best_news = max(best_news, (news, start, end))
            if is_prose:
                best_mt = max(best_mt, (mt, start, end))
                best_llm = max(best_llm, (llm, start, end))

        words = doc.words_lower
        function_tokens = [w for w in words if w in FUNCTION_WORDS]
        log_ratio = lex.function_word_log_ratio
        values = dict(zip(("mt_score_mean", "mt_score_max", "mt_share_positive"), _aggregate(mt_scores)))
        values.update(zip(("llm_score_mean", "llm_score_max", "llm_share_positive"), _aggregate(llm_scores)))
        if self.news_mt:
            values.update(zip(("news_mt_score_mean", "news_mt_score_max", "news_mt_share_positive"),
                              _aggregate(news_scores)))
        values["function_word_rate"] = ratio(len(function_tokens), len(words))
        values["function_word_mt_llr"] = ratio(sum(log_ratio.get(w, 0.0) for w in function_tokens),
                                               len(function_tokens))
        evidence: dict[str, list[Evidence]] = {}
        for feature, (score, start, end), kind in (("mt_score_max", best_mt, "machine_translated_sentence"),
                                                   ("news_mt_score_max", best_news, "machine_translated_sentence"),
                                                   ("llm_score_max", best_llm, "llm_style_sentence")):
            if score > 0:
                evidence[feature] = [Evidence(doc.text[start:end], start, end, kind=kind, strength=score)]
        return FeatureResult(values, evidence)


def _furniture_spans(doc: Document) -> list[tuple[int, int]]:
    """(start, end) of the text's lines that a boilerplate signature matches (farm residue or ordinary
    chrome: comment forms, share widgets, footers), which are never shown as a sentence's style."""
    spans = []
    for line, start in zip(doc.lines, doc.line_starts):
        if matching_signatures(line):
            spans.append((start, start + len(line)))
    return spans


class TranslationV1(Translation):
    """Version 1 (Europarl MT model only), kept so models trained with it load and score as they did."""

    version = 1
    news_mt = False
    features = {k: v for k, v in Translation.features.items() if not k.startswith("news_mt_")}
    evidence_from = {k: v for k, v in Translation.evidence_from.items() if not k.startswith("news_mt_")}
