"""Learn the translation family's style lexicons (spindetect/resources/style_lexicons.json).

Two sentence-level logistic regressions over masked function-word/punctuation n-grams (see
`spindetect.features.translation`) and a function-word profile:

- machine_translation: Europarl German→English MT output (label 1) vs original English and professional
  human translation (label 0). Only sentences whose group "europarl-sent:" + sha256(text)[:16] falls in
  the "train" split, never the held-out MT system.
- llm_rewrite: LLMFake paraphrases/rewrites (1) vs LLMFake human originals and BBC articles (0). Only
  groups "llmfake:" + original_key / "bbc:" + id in the "train" split, never a held-out LLM generator.

Europarl text is distributed tokenised (space before punctuation, first letter lower-cased); it is
detokenised first so the model cannot learn tokenisation. Evaluation figures use the shipped scorer on
pseudo-documents of 20 sentences (Europarl) or whole articles (LLM) from the test split and the held-out
systems, and are written into the JSON beside the weights.

    python -m training.learn_style_lexicons            # from the repository root
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import click
import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from spindetect.features.translation import (
    FUNCTION_WORDS,
    LEXICON_FILE,
    LEXICON_FORMAT,
    Masking,
    StyleModel,
    fold_typography,
    scorable,
    ngrams,
    sentence_spans,
)
from spindetect.model import sha256_file
from training.jsonl import read_jsonl
from training.splits import (
    HELDOUT_LLM_GENERATORS, HELDOUT_MT_SYSTEM, HELDOUT_WMT_PAIR, HELDOUT_WMT_SYSTEMS, bbc_split, corpora_dir,
    europarl_sentence_group, split_of, wmt_split,
)

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "spindetect" / "resources" / LEXICON_FILE
EUROPARL = "machine-translation/europarl-de-en-sentences.jsonl"
WMT22 = "machine-translation/wmt22-docs.jsonl"
LLM_REWRITES = "llm-rewrites/llmfake-rewrites.jsonl"
LLM_ORIGINALS = "llm-rewrites/llmfake-originals.jsonl"
BBC = "news/bbc-2004-2005.jsonl"

NGRAM_ORDER = 3
MIN_DF = 20  # an n-gram must occur in this many training sentences to get a weight
MAX_WEIGHTS = 6000  # keep the largest weights only: small file, fast lookups, little loss (measured)
DOC_SENTENCES = 20  # Europarl pseudo-document size for document-level figures
SEED = 13

# Words LLM rewrites overuse relative to human news (after Kobak et al. 2024 and Liang et al. 2024,
# "Mapping the increasing use of LLMs in scientific papers"); kept unmasked in the llm_rewrite model.
LLM_MARKER_WORDS = frozenset("""
additionally furthermore moreover notably overall ultimately importantly consequently
crucial significant significantly essential vital pivotal key various numerous potential potentially
comprehensive ensure ensuring emphasized emphasizing highlighted highlighting underscores underscored
individuals concerns aims aiming expressed stated according amid regarding
delve intricate fostering showcasing commendable meticulous realm landscape navigate remains
""".split())

MT_MASKING = Masking(FUNCTION_WORDS, mark_capitals=True, drop_quotes=False)
LLM_MASKING = Masking(FUNCTION_WORDS | LLM_MARKER_WORDS, mark_capitals=False, drop_quotes=True)

# LLM generations open with form headers ("Title: ...", "Date: [Insert Current Date]"): artefacts of our
# generators' prompts, not of rewriting. They are removed so the model cannot key on them.
_HEADER_LINE = re.compile(r"^\s*(?:title|headline|subtitle|date|byline|author|source|location|dateline)\s*:.*$"
                          r"|^.*\[insert[^\]]*\].*$", re.IGNORECASE | re.MULTILINE)


_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]]|\.\.\.)")
_SPACE_AFTER = re.compile(r"([(\[$]) ")
_CLITIC = re.compile(r" ?' ?(s|t|ve|m|re|ll|d)\b")
_PLURAL_POSSESSIVE = re.compile(r"(\w)s ' (?=\w)")


def detokenise(text: str) -> str:
    """Undo Europarl's Moses-style tokenisation: "the area 's growth , then" -> "The area's growth, then"."""
    text = fold_typography(text)
    text = re.sub(r"n ' ?t\b", "n't", text)
    text = text.replace(" n't", "n't")
    text = _CLITIC.sub(r"'\1", text)
    text = _PLURAL_POSSESSIVE.sub(r"\1s' ", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _glue_quotes(text)
    return text[:1].upper() + text[1:] if text else text


def _glue_quotes(text: str) -> str:
    """Straight double quotes alternate open/close: glue each opening quote to the word after it and each
    closing quote to the word before it."""
    out: list[str] = []
    opened = False
    skip_space = False
    for ch in text:
        if skip_space and ch == " ":
            skip_space = False
            continue
        skip_space = False
        if ch == '"':
            if opened and out and out[-1] == " ":
                out.pop()
            opened = not opened
            skip_space = opened
        out.append(ch)
    return "".join(out)


def design_matrix(gram_sets: list[set[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    """Binary n-gram indicators scaled by 1/sqrt(distinct n-grams), exactly as `StyleModel.score_tokens`."""
    rows, cols, vals = [], [], []
    for r, grams in enumerate(gram_sets):
        scale = 1.0 / math.sqrt(len(grams))
        for g in grams:
            c = vocab.get(g)
            if c is not None:
                rows.append(r)
                cols.append(c)
                vals.append(scale)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(gram_sets), len(vocab)))


def split_and_mask(masking: Masking, text: str) -> list[list[str]]:
    """Masked, scorable sentences of `text`, split as the family splits them at inference (a corpus
    "sentence" may hold two, or an abbreviation such as "Mr." that the splitter breaks)."""
    pieces = (masking.tokens(text[a:b]) for a, b in sentence_spans(text))
    return [tokens for tokens in pieces if scorable(tokens)]


def fit_style_model(masking: Masking, sentences: list[str], labels: list[int], c: float) -> StyleModel:
    """Fit on the sentences the scorer would score (too-short ones are skipped at inference too)."""
    gram_sets, y = [], []
    for sentence, label in zip(sentences, labels):
        for tokens in split_and_mask(masking, sentence):
            gram_sets.append(ngrams(tokens, NGRAM_ORDER))
            y.append(label)
    df = Counter(g for grams in gram_sets for g in grams)
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= MIN_DF))}
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="lbfgs")
    clf.fit(design_matrix(gram_sets, vocab), np.asarray(y))
    names = sorted(vocab, key=vocab.get)
    coef = clf.coef_[0]
    keep = np.argsort(-np.abs(coef))[:MAX_WEIGHTS]
    weights = {names[i]: round(float(coef[i]), 4) for i in sorted(keep, key=lambda i: names[i]) if coef[i]}
    click.echo(f"  {len(y)} scorable sentences, vocabulary {len(vocab)}, kept {len(weights)} weights, C={c}",
               err=True)
    return StyleModel(masking, NGRAM_ORDER, round(float(clf.intercept_[0]), 4), weights)


def scored(model: StyleModel, sentences: Iterable[str]) -> list[float]:
    """Per-sentence scores of the sentences long enough to be scored at inference."""
    return [model.score_tokens(tokens) for s in sentences for tokens in split_and_mask(model.masking, s)]


def doc_auc(model: StyleModel, positives: list[list[str]], negatives: list[list[str]]) -> float:
    """AUC of the mean sentence score over documents (each a list of sentences)."""
    pos = [np.mean(s) for s in (scored(model, d) for d in positives) if s]
    neg = [np.mean(s) for s in (scored(model, d) for d in negatives) if s]
    return round(float(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg)), 4)


def sentence_auc(model: StyleModel, positives: list[str], negatives: list[str]) -> float:
    pos, neg = scored(model, positives), scored(model, negatives)
    return round(float(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg)), 4)


def pseudo_docs(sentences: list[str], rng: random.Random) -> list[list[str]]:
    shuffled = sentences[:]
    rng.shuffle(shuffled)
    return [shuffled[i:i + DOC_SENTENCES] for i in range(0, len(shuffled) - DOC_SENTENCES + 1, DOC_SENTENCES)]


def learn_translation(corpora: Path, c: float) -> tuple[dict, dict[str, float]]:
    path = corpora / EUROPARL
    train_x, train_y = [], []
    by_split: dict[tuple[str, str], list[str]] = {}
    for row in read_jsonl(path):
        split = split_of(europarl_sentence_group(row["text"]))
        system = row["system"] or "original"
        text = detokenise(row["text"])
        by_split.setdefault((split, system), []).append(text)
        if split == "train" and system != HELDOUT_MT_SYSTEM:
            train_x.append(text)
            train_y.append(1 if row["label"] == "machine_translation" else 0)
    click.echo(f"machine_translation: {len(train_x)} training sentences ({sum(train_y)} MT)", err=True)
    model = fit_style_model(MT_MASKING, train_x, train_y, c)

    rng = random.Random(SEED)
    test = {system: pseudo_docs(s, rng) for (split, system), s in sorted(by_split.items()) if split == "test"}
    negatives = test["original"] + test["human"]
    seen_mt = [d for system, docs in test.items() if system not in {"original", "human", HELDOUT_MT_SYSTEM}
               for d in docs]
    heldout = pseudo_docs([s for (split, system), ss in by_split.items() if system == HELDOUT_MT_SYSTEM
                           for s in ss], rng)
    metrics = {
        "doc_auc_test_seen_systems": doc_auc(model, seen_mt, negatives),
        f"doc_auc_heldout_system_{HELDOUT_MT_SYSTEM}": doc_auc(model, heldout, negatives),
        "doc_auc_test_vs_original_only": doc_auc(model, seen_mt, test["original"]),
        "doc_auc_test_vs_human_translation_only": doc_auc(model, seen_mt, test["human"]),
        **{f"doc_auc_test_{system}": doc_auc(model, docs, negatives) for system, docs in test.items()
           if system not in {"original", "human"}},
        "pseudo_doc_sentences": DOC_SENTENCES,
        "negatives": "test-split original_english + human_translation pseudo-docs",
        "heldout_positives": f"all {HELDOUT_MT_SYSTEM} sentences (never trained on), any split",
    }
    # Baselines: MT sentences are shorter than originals, so say how far length alone gets.
    metrics["baseline_doc_shortness_auc_heldout"] = round(float(roc_auc_score(
        [1] * len(heldout) + [0] * len(negatives),
        [-np.mean([len(s.split()) for s in d]) for d in heldout + negatives])), 4)
    heldout_sentences = [s for d in heldout for s in d]
    negative_sentences = [s for d in negatives for s in d]
    metrics["sentence_auc_heldout"] = sentence_auc(model, heldout_sentences, negative_sentences)
    metrics["baseline_sentence_shortness_auc_heldout"] = round(float(roc_auc_score(
        [1] * len(heldout_sentences) + [0] * len(negative_sentences),
        [-len(s.split()) for s in heldout_sentences + negative_sentences])), 4)
    # Length-matched: AUC within bands of sentence length, averaged, so length cannot carry it.
    banded = [([s for s in heldout_sentences if lo <= len(s.split()) < hi],
               [s for s in negative_sentences if lo <= len(s.split()) < hi])
              for lo, hi in ((4, 12), (12, 18), (18, 25), (25, 35))]
    metrics["sentence_auc_heldout_length_matched"] = round(float(np.mean(
        [sentence_auc(model, pos, neg) for pos, neg in banded if pos and neg])), 4)

    profile = function_word_log_ratio(train_x, train_y)
    spec = model_json(model, {
        "dataset": EUROPARL,
        "sha256": sha256_file(path),
        "rows": "split_of('europarl-sent:' + sha256(raw text)[:16]) == 'train' and system != "
                f"'{HELDOUT_MT_SYSTEM}'; detokenised; label 1 = machine_translation, 0 = original_english "
                "or human_translation",
        "n_sentences": len(train_x),
        "n_positive": sum(train_y),
    }, metrics)
    return spec, profile


def learn_news_translation(corpora: Path, c: float) -> dict:
    """News machine translation (WMT22: cs/de/ru -> en, real MT systems) against human translations and
    original English of the same documents. Only documents of the "train" split (training.splits.wmt_split),
    never the held-out pair or systems; figures on the held-out pair's test documents."""
    path = corpora / WMT22
    train_x, train_y = [], []
    test_pos: list[list[str]] = []
    test_human: list[list[str]] = []
    test_original: list[list[str]] = []
    for row in read_jsonl(path):
        split = wmt_split(row["pair"], row["doc"])
        is_mt = row["label"] == "machine_translation"
        sentences = [row["text"][a:b] for a, b in sentence_spans(row["text"])]
        if split == "train" and row["system"] not in HELDOUT_WMT_SYSTEMS:
            train_x += sentences
            train_y += [int(is_mt)] * len(sentences)
        elif split == "test" and row["pair"] in (HELDOUT_WMT_PAIR, "en-xx", "en-hr"):
            bucket = test_pos if is_mt else test_human if row["label"] == "human_translation" else test_original
            bucket.append(sentences)
    click.echo(f"news_machine_translation: {len(train_x)} training sentences ({sum(train_y)} MT)", err=True)
    model = fit_style_model(MT_MASKING, train_x, train_y, c)
    metrics = {
        f"doc_auc_heldout_pair_{HELDOUT_WMT_PAIR}_vs_human": doc_auc(model, test_pos, test_human),
        "doc_auc_heldout_pair_vs_original_english": doc_auc(model, test_pos, test_original),
        "negatives": f"test-split human translations of {HELDOUT_WMT_PAIR}; test-split original English",
    }
    return model_json(model, {
        "dataset": WMT22,
        "sha256": sha256_file(path),
        "rows": f"wmt_split(pair, doc) == 'train' (never pair {HELDOUT_WMT_PAIR}) and system not in "
                f"{sorted(HELDOUT_WMT_SYSTEMS)}; label 1 = machine_translation, 0 = human_translation or "
                "original_english",
        "n_sentences": len(train_x),
        "n_positive": sum(train_y),
    }, metrics)


def function_word_log_ratio(sentences: list[str], labels: list[int]) -> dict[str, float]:
    """log p(w | MT) - log p(w | not MT) over function-word tokens, add-one smoothed."""
    counts = [Counter(), Counter()]
    for text, label in zip(sentences, labels):
        counts[label].update(w for w in re.findall(r"[a-z']+", text.lower()) if w in FUNCTION_WORDS)
    totals = [sum(c.values()) + len(FUNCTION_WORDS) for c in counts]
    return {w: round(math.log((counts[1][w] + 1) / totals[1]) - math.log((counts[0][w] + 1) / totals[0]), 4)
            for w in sorted(FUNCTION_WORDS)}


def article_sentences(text: str) -> list[str]:
    text = _HEADER_LINE.sub("", text)
    return [text[a:b] for a, b in sentence_spans(text)]


def learn_llm_rewrite(corpora: Path, c: float) -> dict:
    docs: dict[str, list[tuple[list[str], int, str]]] = {"train": [], "calib": [], "test": [], "heldout": []}
    for row in read_jsonl(corpora / LLM_REWRITES):
        split = split_of("llmfake:" + row["original_key"])
        key = "heldout" if row["generator"] in HELDOUT_LLM_GENERATORS else split
        docs[key].append((article_sentences(row["text"]), 1, row["generator"]))
    for row in read_jsonl(corpora / LLM_ORIGINALS):
        docs[split_of("llmfake:" + row["original_key"])].append((article_sentences(row["text"]), 0, "llmfake"))
    for row in read_jsonl(corpora / BBC):
        # BBC "dev" articles are measuring data for the whole project (the corpus puts them in "test"):
        # never learn from them, whatever their group hash says.
        split = bbc_split(row)
        docs[split].append((article_sentences(row["text"]), 0, "bbc"))

    train_x = [s for sentences, _, _ in docs["train"] for s in sentences]
    train_y = [label for sentences, label, _ in docs["train"] for _ in sentences]
    click.echo(f"llm_rewrite: {len(docs['train'])} training articles, {len(train_x)} sentences", err=True)
    model = fit_style_model(LLM_MASKING, train_x, train_y, c)

    test_neg = [s for s, label, _ in docs["test"] if label == 0]
    metrics = {
        "doc_auc_test_seen_generators": doc_auc(model, [s for s, label, _ in docs["test"] if label], test_neg),
        "doc_auc_heldout_generators": doc_auc(model, [s for s, _, _ in docs["heldout"]], test_neg),
        "doc_auc_test_vs_bbc_only": doc_auc(model, [s for s, label, _ in docs["test"] if label],
                                            [s for s, label, src in docs["test"] if src == "bbc"]),
        "doc_auc_test_vs_llmfake_originals_only": doc_auc(
            model, [s for s, label, _ in docs["test"] if label],
            [s for s, label, src in docs["test"] if src == "llmfake"]),
        "negatives": "test-split llmfake originals + BBC articles (whole articles)",
        "heldout_positives": f"all rewrites by {sorted(HELDOUT_LLM_GENERATORS)}, any split",
    }
    return model_json(model, {
        "datasets": {name: sha256_file(corpora / name) for name in (LLM_REWRITES, LLM_ORIGINALS, BBC)},
        "rows": "label 1: llmfake rewrites (all methods) whose split_of('llmfake:' + original_key) == 'train' "
                f"and generator not in {sorted(HELDOUT_LLM_GENERATORS)}; label 0: llmfake originals with the "
                "same split rule and BBC articles with split_of('bbc:' + id) == 'train'; header lines "
                "('Title:', 'Date:', '[Insert ...]') removed; sentence-level examples",
        "n_sentences": len(train_x),
        "n_positive": sum(train_y),
        "marker_words": sorted(LLM_MARKER_WORDS),
    }, metrics)


def model_json(model: StyleModel, provenance: dict, metrics: dict) -> dict:
    return {
        "masking": model.masking.to_json(),
        "ngram_order": model.order,
        "intercept": model.intercept,
        "weights": model.weights,
        "provenance": provenance,
        "heldout_metrics": metrics,
    }


@click.command()
@click.option("--corpora", type=click.Path(path_type=Path), default=None, help="default: training.splits")
@click.option("--output", type=click.Path(path_type=Path), default=OUTPUT)
@click.option("--mt-c", default=0.5, show_default=True, help="inverse L2 strength, MT model")
@click.option("--llm-c", default=0.5, show_default=True, help="inverse L2 strength, LLM model")
@click.option("--only-news-mt", is_flag=True,
              help="Refit only the news-MT model (WMT22) and update it in place; the others stay as they are.")
def main(corpora: Path | None, output: Path, mt_c: float, llm_c: float, only_news_mt: bool) -> None:
    corpora = corpora or corpora_dir()
    news_mt = learn_news_translation(corpora, mt_c)
    if only_news_mt:
        data = json.loads(output.read_text(encoding="utf-8"))
        data["models"]["news_machine_translation"] = news_mt
        output.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        click.echo(json.dumps(news_mt["heldout_metrics"], indent=1))
        return
    mt, profile = learn_translation(corpora, mt_c)
    llm = learn_llm_rewrite(corpora, llm_c)
    data = {
        "format": LEXICON_FORMAT,
        "description": "Derived weights for spindetect.features.translation; no corpus text. Rebuild with "
                       "`python -m training.learn_style_lexicons`.",
        "created": date.today().isoformat(),
        "models": {"machine_translation": mt, "llm_rewrite": llm, "news_machine_translation": news_mt},
        "function_word_profile": {"log_ratio": profile, "provenance": mt["provenance"]},
    }
    output.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    click.echo(json.dumps({"machine_translation": mt["heldout_metrics"], "llm_rewrite": llm["heldout_metrics"]},
                          indent=1))


if __name__ == "__main__":
    main()
