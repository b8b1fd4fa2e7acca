"""Real news translation into English from three WMT years, as one table, and its leave-one-language-out
folds.

`machine-translation/wmt22-docs.jsonl` (cs, de, ru, zh into English, and original English) and
`machine-translation/wmt-more-docs.jsonl` (WMT21: cs, de, ha, is, ru, zh; WMT23: de, he, ru, zh, GPT-4
among the systems) hold every version of a source document: the human references and each system's
output. A detector that has seen a language's translations learns that language's translationese; what
should carry to a language it has never seen is translation itself. So the unit held out is the *source
language*, over every year at once: a fold trains on six languages and measures on the seventh, and every
version of a document (which shares its language) is on one side by construction.

The sources themselves (foreign-language text) are not read here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from spindetect.learn import hash_bucket
from training.jsonl import read_jsonl
from training.splits import corpora_dir, wmt_split

WMT22 = "machine-translation/wmt22-docs.jsonl"
WMT_MORE = "machine-translation/wmt-more-docs.jsonl"
LABELS = ("machine_translation", "human_translation", "original_english")
# WMT23's GPT-4 system (five-shot prompting): an LLM translator, measured apart as well as among the rest.
LLM_SYSTEMS = frozenset({"GPT4-5shot"})


@dataclass(frozen=True)
class WmtDocument:
    year: str  # "wmt21", "wmt22", "wmt23"
    language: str  # the source language ("cs", ...); "en" for original English
    doc: str  # every version of one source document shares it
    system: str
    label: str  # one of LABELS
    text: str
    pair: str = ""  # the file's language pair ("cs-en"; original English: "en-xx" or "en-hr")

    @property
    def split(self) -> str:
        """train / calib / test as the corpus builder splits the document (`training.splits.wmt_split`)."""
        return wmt_split(self.pair, self.doc, year=self.year)

    @property
    def pair_year(self) -> str:
        return f"{self.year} {self.language}-en" if self.language != "en" else f"{self.year} original English"


def load_wmt(corpora: Path | None = None) -> list[WmtDocument]:
    """Every English version (machine, human, original) of both files; sources are skipped."""
    corpora = corpora or corpora_dir()
    out = []
    for name in (WMT22, WMT_MORE):
        for row in read_jsonl(corpora / name):
            if row["label"] not in LABELS:
                continue  # "source": the foreign text
            year = row["id"].split(".", 1)[0]
            pair = row["pair"]
            language = "en" if row["label"] == "original_english" else pair.split("-", 1)[0]
            out.append(WmtDocument(year, language, row["doc"], row["system"], row["label"], row["text"], pair))
    return out


def languages(documents: list[WmtDocument]) -> list[str]:
    """The source languages with both machine and human translations (the ones a fold can measure)."""
    kinds = defaultdict(set)
    for d in documents:
        kinds[d.language].add(d.label)
    return sorted(lang for lang, seen in kinds.items() if {"machine_translation", "human_translation"} <= seen)


def leave_one_language_out(documents: list[WmtDocument], held_out: str) -> tuple[list[WmtDocument],
                                                                                 list[WmtDocument]]:
    """(training documents, measured documents) of one fold: every translation from `held_out` is measured,
    none trains. Original English is not a source language: it is split by document (half measured) so
    "machine translation against original English" is measured on documents no fold trained on."""
    train, measured = [], []
    for d in documents:
        if d.language == "en":
            (measured if hash_bucket(f"wmt-original:{d.doc}") < 0.5 else train).append(d)
        elif d.language == held_out:
            measured.append(d)
        else:
            train.append(d)
    return train, measured
