"""Source documents for the corpus builder: the Article shape, Europarl detokenisation and pseudo-documents.

Europarl sentences (Sizov et al., WMT 2024) come tokenised: a space before punctuation, split clitics
("can 't"), spaced brackets and quotes, and a lower-cased first letter. BBC, LLM and web text have none of
that, so left as it is the tokenisation alone would separate "translated"/Europarl from everything else.
`detokenise` undoes it so that the classifier has to learn translationese, not whitespace.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """A headline and a body of paragraphs separated by blank lines."""

    title: str
    body: str
    category: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def plain_text(self) -> str:
        """How an original is stored in the corpus: headline, blank line, body."""
        if not self.title:
            return self.body.strip()
        return f"{self.title}\n\n{self.body.strip()}"


# Punctuation that attaches to the word before it.
_SPACE_BEFORE_CLOSER_RE = re.compile(r" +([,.;:!?%)\]}…])")
_SPACE_AFTER_OPENER_RE = re.compile(r"([(\[{$€£]) +")
# Clitics split off by the tokeniser, with straight or curly apostrophe, sometimes spaced on both sides
# ("we can ’ t", "Parliament 's").
_CLITIC_RE = re.compile(r" +(['\u2019]) ?(s|t|m|re|ve|ll|d)\b", re.IGNORECASE)
_NT_RE = re.compile(r"\b(\w+) +(n['\u2019]t)\b", re.IGNORECASE)
# "the Members ' rights": a lone apostrophe after a plural is a possessive, not a quote.
_PLURAL_POSSESSIVE_RE = re.compile(r"(\w{2,}s) ' (?=\w)")
_CURLY_OPEN_RE = re.compile(r"([\u201c\u2018]) +")
_CURLY_CLOSE_RE = re.compile(r" +([\u201d])")
_SENTENCE_START_RE = re.compile(r"(^|[.!?]\s+)([\"'\u201c\u2018(]?)([a-z])")


def _pair_straight_quotes(text: str, quote: str = '"') -> str:
    """Attach alternating straight quotes: the odd ones open (stick right), the even ones close."""
    parts = text.split(f" {quote} ")
    if len(parts) == 1:
        return text
    out = parts[0]
    for index, part in enumerate(parts[1:]):
        out += (f" {quote}" + part) if index % 2 == 0 else (f"{quote} " + part)
    return out


def detokenise(sentence: str) -> str:
    """Turn Moses-style tokenised text back into ordinary typography, and capitalise sentence starts."""
    text = f" {sentence.strip()} "
    text = _pair_straight_quotes(text)
    text = _PLURAL_POSSESSIVE_RE.sub(r"\1' ", text)
    text = _pair_straight_quotes(text, "'")
    text = _CLITIC_RE.sub(lambda m: m.group(1) + m.group(2), text)
    text = _NT_RE.sub(r"\1\2", text)
    text = _CURLY_OPEN_RE.sub(r"\1", text)
    text = _CURLY_CLOSE_RE.sub(r"\1", text)
    text = _SPACE_BEFORE_CLOSER_RE.sub(r"\1", text)
    text = _SPACE_AFTER_OPENER_RE.sub(r"\1", text)
    text = re.sub(r" +\u2019(?=\W|$)", "\u2019", text)
    text = re.sub(r"\s+", " ", text).strip()
    if text.startswith('"') and text.count('"') == 1:
        text = text[1:].lstrip()
    return _SENTENCE_START_RE.sub(lambda m: m.group(1) + m.group(2) + m.group(3).upper(), text)


def pseudo_documents(
    sentences: Sequence[str],
    rng: random.Random,
    min_sentences: int = 8,
    max_sentences: int = 25,
) -> list[list[str]]:
    """Cut a shuffled list of sentences into consecutive chunks of random length in [min, max].

    A short tail is folded into the last chunk, or dropped when there is no chunk to take it.
    """
    pool = list(sentences)
    rng.shuffle(pool)
    chunks: list[list[str]] = []
    position = 0
    while position < len(pool):
        size = rng.randint(min_sentences, max_sentences)
        chunk = pool[position : position + size]
        position += size
        if len(chunk) >= min_sentences:
            chunks.append(chunk)
        elif chunks and len(chunks[-1]) + len(chunk) <= max_sentences:
            chunks[-1].extend(chunk)
    return chunks


def join_paragraphs(sentences: Iterable[str], rng: random.Random, per_paragraph: tuple[int, int] = (2, 5)) -> str:
    """Group sentences into paragraphs so pseudo-documents have the line structure of articles."""
    paragraphs: list[str] = []
    current: list[str] = []
    target = rng.randint(*per_paragraph)
    for sentence in sentences:
        current.append(sentence)
        if len(current) >= target:
            paragraphs.append(" ".join(current))
            current = []
            target = rng.randint(*per_paragraph)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
