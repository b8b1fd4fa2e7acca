"""How often is garbled-collocation evidence right? Span precision and replaced-phrase accuracy by spinner.

    python -m benchmarks.evidence_quality [--docs 120] [--rate 0.3] [--split calib|test]
        [--source collocations|'rare synonyms'|lm|lm@4|plausibility|all|none] [--records [--pages]]

Spins BBC articles of the calibration split (`--split test`: of the test split, which no evidence floor was
fitted on; nothing from the corpora is written anywhere) with every
spinner family, aligns each spin word by word with its article (the spinners replace words one for one or
phrase for phrase; difflib finds which), and checks the `garbled_per_100_words` evidence of the
`collocations` family against that truth:
- span precision: the share of evidence spans that cover at least one word the spinner replaced (the rest
  are word pairs of the article itself that read as garbled);
- replaced phrase right: the share of spans whose `replaced` phrase is exactly the article's words there,
  among spans lying where the spin replaced words one for one (a phrase swapped for a phrase of another
  length has no word-for-word truth; `moby_phrase` makes most such swaps);
- and, for the clean articles themselves, evidence spans per 100 words (all of them false).
The same for the language model's evidence (`lm` family, `both_ways_confirmed_per_100_words`: each word
whose synonym makes its whole sentence far likelier, read both ways, named with that synonym; `lm@4`, its
left-to-right predecessor: each word the model would have replaced by a synonym at its place). `handbook` and `distributional` are held out of
training; `embedding` (word-embedding neighbours) is a measuring family no model has seen. Prints a table
per evidence source. `--records` adds what a moderator sees: the spans of every reason of each record
(`Detector.score(..., explain=True)`, default mode), by kind, per 1,000 words of the clean articles, and the
share of the spans shown on spun text that cover a replaced word, by spinner, with how many spun documents
are flagged, show at least one span, and are flagged yet show none. `--pages` adds the real pages of the
split's sites (`pages/real-pages.jsonl`, `training.splits.site_split`), all originals, scored as HTML.
`--source none` prints only the records' tables; `--no-floors` shows every span, as records did before the
evidence floors (`spindetect.model._floors`). Asserts nothing.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from spindetect.text import Document
from spindetect.features.collocations import Collocations
from spindetect.features.language_model import LanguageModelFeatures, LanguageModelFeaturesV4
from spindetect.features.plausibility import Plausibility
from training.generators.spinners import SPINNER_FAMILIES, WORD_RE, get_spinner

# Evidence source -> (family, the feature whose evidence is checked).
SOURCES = {"collocations": (Collocations, "garbled_per_100_words"),
           "rare synonyms": (Collocations, "rare_synonym_rate"),
           "lm": (LanguageModelFeatures, "both_ways_confirmed_per_100_words"),
           "lm@4": (LanguageModelFeaturesV4, "synonym_preferred_share"),
           "plausibility": (Plausibility, "unseen_common_pairs_per_100_words")}
MEASURED_FAMILIES = (*SPINNER_FAMILIES, "embedding")


def spinner(name: str):
    if name == "embedding":
        from training.generators.embedding_spinner import EmbeddingSpinner

        return EmbeddingSpinner()
    return get_spinner(name)
from training.jsonl import read_jsonl
from training.splits import HELDOUT_SPINNER_FAMILIES, bbc_split, corpora_dir


def original_words(article: str, spun: str) -> tuple[list[re.Match], dict[int, str]]:
    """The spun text's words, and for each word index that lines up one for one, the article's word there."""
    article_words = WORD_RE.findall(article)
    spun_matches = list(WORD_RE.finditer(spun))
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in article_words],
                                      [m.group().lower() for m in spun_matches], autojunk=False)
    truth: dict[int, str] = {}
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op in ("equal", "replace") and a1 - a0 == b1 - b0:
            truth.update((b0 + k, article_words[a0 + k].lower()) for k in range(b1 - b0))
    return spun_matches, truth


def check(family, evidence_key: str, article: str, spun: str) -> tuple[int, int, int, int]:
    """(evidence spans, spans covering a replaced word, spans with a word-for-word truth, those of them
    whose `replaced` is the article's phrase)."""
    matches, truth = original_words(article, spun)
    word_at = {m.start(): i for i, m in enumerate(matches)}
    spans = covering = comparable = right = 0
    for item in family.extract(Document(id="q", text=spun)).evidence.get(evidence_key, []):
        first = word_at.get(item.start)
        if first is None:
            continue
        words = [w.lower() for w in WORD_RE.findall(item.text)]
        underneath = [truth.get(first + k, "?") for k in range(len(words))]
        spans += 1
        covering += any(o != w for o, w in zip(underneath, words))
        if "?" not in underneath:
            comparable += 1
            right += item.replaced is not None and item.replaced.lower() == " ".join(underneath)
    return spans, covering, comparable, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=120)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument("--source", choices=[*SOURCES, "all", "none"], default="all")
    parser.add_argument("--split", choices=["calib", "test"], default="calib",
                        help="the articles' split (evidence floors are fitted on calib: measure on test)")
    parser.add_argument("--records", action="store_true", help="also the spans the scored records show")
    parser.add_argument("--pages", action="store_true", help="with --records: also the split's real pages")
    parser.add_argument("--no-floors", action="store_true",
                        help="with --records: show every span, as records did before evidence floors")
    args = parser.parse_args()
    if args.no_floors:
        from spindetect.model import _explain
        from spindetect.model._floors import EvidenceFloors

        _explain.evidence_floors = lambda: EvidenceFloors({}, {})  # no source has a floor: every span clears
    path = corpora_dir() / "news" / "bbc-2004-2005.jsonl"
    if not path.exists():
        sys.exit(f"needs the shared corpora at {corpora_dir()}")
    articles = [r["text"] for r in read_jsonl(path) if bbc_split(r) == args.split]
    articles = articles[:args.docs]
    spins = {name: [spinner(name).spin(text, args.rate, random.Random(i)).text for i, text in enumerate(articles)]
             for name in MEASURED_FAMILIES}
    for source in (SOURCES if args.source == "all" else [] if args.source == "none" else [args.source]):
        family_class, evidence_key = SOURCES[source]
        family = family_class()
        clean_spans = sum(check(family, evidence_key, text, text)[0] for text in articles)
        clean_words = sum(len(WORD_RE.findall(text)) for text in articles)
        print(f"\n{source} evidence ({family_class.__name__}.{evidence_key}): {len(articles)} {args.split}-split "
              f"BBC articles, spun at {args.rate:.0%}; clean articles: "
              f"{100 * clean_spans / clean_words:.2f} evidence spans per 100 words (all false).\n")
        print("| spinner family | evidence spans | span precision | replaced phrase right |")
        print("|---|---|---|---|")
        for name in MEASURED_FAMILIES:
            totals = [0, 0, 0, 0]
            for text, spun in zip(articles, spins[name]):
                for k, value in enumerate(check(family, evidence_key, text, spun)):
                    totals[k] += value
            spans, covering, comparable, right = totals
            held = (" (held out)" if name in HELDOUT_SPINNER_FAMILIES
                    else " (never trained)" if name == "embedding" else "")
            print(f"| {name}{held} | {spans} | {covering / max(1, spans):.3f} "
                  f"| {right / max(1, comparable):.3f} of {comparable} |")
    if args.records:
        record_table(articles, spins, real_pages(args.split) if args.pages else [])


def replaced_ranges(article: str, spun: str) -> list[tuple[int, int]]:
    """Character ranges of the spun text's words that are not the article's words there (swapped one for
    one, or inside a phrase swapped for a phrase of another length)."""
    article_words = [w.lower() for w in WORD_RE.findall(article)]
    spun_matches = list(WORD_RE.finditer(spun))
    matcher = difflib.SequenceMatcher(None, article_words, [m.group().lower() for m in spun_matches],
                                      autojunk=False)
    return [(spun_matches[i].start(), spun_matches[i].end()) for op, _, _, b0, b1 in matcher.get_opcodes()
            if op != "equal" for i in range(b0, b1)]


def real_pages(split: str) -> list[dict]:
    """The real pages (all originals) of the split's sites, as `{"id", "html"}` inputs."""
    from training.splits import site_split

    path = corpora_dir() / "pages" / "real-pages.jsonl"
    return [{"id": r["id"], "html": r["html"]} for r in read_jsonl(path) if site_split(r["site"]) == split]


def shown_spans(verdict) -> list[dict]:
    """The distinct spans (with offsets into the scored text) of every reason of one record."""
    seen = {}
    for reason in verdict.reasons:
        for item in reason.evidence:
            if item.get("start") is not None:
                seen[(item["start"], item["end"], item.get("kind", ""))] = item
    return list(seen.values())


def kind_table(title: str, scored: list[tuple[object, str]]) -> None:
    """Spans shown per 1,000 words by kind, over (verdict, scored text) pairs of originals."""
    from collections import Counter

    kinds: Counter = Counter()
    words = sum(len(WORD_RE.findall(text)) for _, text in scored)
    for verdict, _ in scored:
        kinds.update(item.get("kind", "") for item in shown_spans(verdict))
    flagged = sum(verdict.flagged for verdict, _ in scored)
    print(f"\nWhat the records show (default mode, every reason): {title} ({len(scored)}, {flagged} flagged, "
          f"{words} words), spans per 1,000 words, {sum(kinds.values()) * 1000 / max(1, words):.2f} in all\n")
    print("| kind | spans per 1,000 words |")
    print("|---|---|")
    for kind, count in kinds.most_common():
        print(f"| {kind} | {count * 1000 / max(1, words):.2f} |")


def record_table(articles: list[str], spins: dict[str, list[str]], pages: list[dict]) -> None:
    from spindetect import Detector
    from spindetect.io import as_input_item

    detector = Detector.load()
    kind_table("clean articles", [(detector.score(text, explain=True), text) for text in articles])
    if pages:
        items = [as_input_item(page, page["id"]) for page in pages]
        kind_table("real pages", [(verdict, document.text if document is not None else "")
                                  for verdict, document in detector.score_with_documents(items, explain=True)])
    print("\n| spinner family | spans shown | covering a replaced word | documents flagged | showing a span "
          "| flagged, showing none |")
    print("|---|---|---|---|---|---|")
    for name in MEASURED_FAMILIES:
        shown = covering = flagged = showing = bare = 0
        for article, spun in zip(articles, spins[name]):
            replaced = replaced_ranges(article, spun)
            verdict = detector.score(spun, explain=True)
            spans = shown_spans(verdict)
            flagged += verdict.flagged
            showing += bool(spans)
            bare += verdict.flagged and not spans
            for item in spans:
                shown += 1
                covering += any(start < item["end"] and item["start"] < end for start, end in replaced)
        print(f"| {name} | {shown} | {covering / max(1, shown):.3f} | {flagged} | {showing} | {bare} |")


if __name__ == "__main__":
    main()
