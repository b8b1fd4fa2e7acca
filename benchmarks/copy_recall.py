"""Copies, all of them (issue #28): farm residue as text and as HTML, chrome-only copies, syndication.

    python -m training.build_corpus --out build/holdout.jsonl   # once
    python -m benchmarks.copy_recall [--corpus build/holdout.jsonl] [--articles 48] [--distractors 20000]

Four tables, on held-out material only (the `test` split: story groups, sites and residue wording never
trained or calibrated on), scored without an index unless a table says otherwise:

1. the held-out build's farm copies by residue pool and template, as text and as HTML (features through the
   training cache, `--cache`, as `benchmarks.residue_recall` reads them);
2. test-split articles under the chrome of four publishing themes built after the model
   (`training.generators.theme_pages`), with each kind of residue and with none, as text and as HTML:
   the share flagged, and for chrome-only copies the share whose record says only an index can tell
   (`needs_index`);
3. real pages of test-split sites, HTML and text: the share flagged and the syndication credits reported;
4. the chrome-only theme copies again, with an index of their originals among `--distractors` remixed
   news documents: the share flagged and the share traced to their own original;
5. copies that are also spun: the theme pages with residue, their article spun at 30% by the spinner
   families never trained on (`handbook`, `distributional`), in each mode: the share labelled `spun` (the
   stronger finding names the page), `copy`, or left unflagged.

Tables 2-4 score with the Detector in `--mode` (fast by default: the deep stage changes a copy's verdict
only when it finds the copy's text spun or translated, which table 5 measures). Prints Markdown; asserts
nothing.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from benchmarks.index_bench import remix_distractors
from benchmarks.real_world import features_without_index
from spindetect import Detector
from spindetect.index import SourceIndex
from spindetect.model import load_model
from training.corpus_io import load_examples
from training.generators.spinners import spin
from training.generators.theme_pages import RESIDUE_KINDS, THEMES, theme_page

SPUN_COPY_FAMILIES = ("handbook", "distributional")
SPUN_COPY_RATE = 0.3


def build_rows(corpus: Path, model_path: Path, cache: Path, jobs: int) -> None:
    model = load_model(model_path)
    examples = [ex for ex in load_examples(corpus) if ex.label == "copy" and ex.split == "test"]
    examples, X = features_without_index(model, examples, cache, jobs)
    flagged = model.decide(X).flagged
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, ex in enumerate(examples):
        groups[ex.generator.removesuffix(":text")]["html" if ex.item.html is not None else "text"].append(i)
    print("### 1. Farm copies of the held-out build (test split), without an index\n")
    print("| residue pool or template | text: n / flagged | HTML: n / flagged |")
    print("|---|---|---|")
    for name in sorted(groups):
        cells = [f"{len(groups[name][fmt])} / {flagged[groups[name][fmt]].mean():.3f}" if groups[name][fmt] else "—"
                 for fmt in ("text", "html")]
        print(f"| {name} | {cells[0]} | {cells[1]} |")
    print()


def test_articles(corpus: Path, count: int) -> list[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) of test-split plain news articles with a headline line and a body."""
    found = []
    for ex in load_examples(corpus):
        if ex.label == "original" and ex.generator == "plain" and ex.split == "test":
            title, _, body = (ex.item.text or "").partition("\n")
            paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
            if title.strip() and len(paragraphs) >= 3:
                found.append((ex.id, title.strip(), paragraphs))
        if len(found) >= count:
            break
    return found


def theme_rows(detector: Detector, articles, seed: int):
    """Score every article under every residue kind (themes in turn); returns the chrome-only pages."""
    rng = random.Random(seed)
    titles = [title for _, title, _ in articles]
    flagged: dict[tuple[str, str], list[bool]] = defaultdict(list)
    by_theme: dict[tuple[str, str], list[bool]] = defaultdict(list)
    noted: dict[str, list[bool]] = defaultdict(list)
    chrome_only = []
    for i, (doc_id, title, paragraphs) in enumerate(articles):
        theme = THEMES[i % len(THEMES)]
        teasers = [titles[(i + k) % len(titles)] for k in (3, 7, 11)]
        for residue in RESIDUE_KINDS:
            page = theme_page(title, paragraphs, teasers, theme, residue, rng)
            for fmt, document in (("text", page.text), ("html", {"html": page.html})):
                verdict = detector.score(document)
                flagged[(residue, fmt)].append(bool(verdict.flagged))
                if residue != "none":
                    by_theme[(theme.name, fmt)].append(bool(verdict.flagged))
                else:
                    noted[fmt].append("needs_index" in (verdict.note or ""))
                    chrome_only.append((doc_id, fmt, document))
    print(f"### 2. {len(articles)} test-split articles under four themes built after the model, without an index\n")
    print("| residue | text: flagged | HTML: flagged | chrome-only: record says `needs_index` (text / HTML) |")
    print("|---|---|---|---|")
    for residue in RESIDUE_KINDS:
        cells = [f"{np.mean(flagged[(residue, fmt)]):.3f}" for fmt in ("text", "html")]
        extra = f"{np.mean(noted['text']):.3f} / {np.mean(noted['html']):.3f}" if residue == "none" else ""
        print(f"| {residue} | {cells[0]} | {cells[1]} | {extra} |")
    print("\n| theme (pages with residue) | text: flagged | HTML: flagged |")
    print("|---|---|---|")
    for theme in THEMES:
        print(f"| {theme.name} | {np.mean(by_theme[(theme.name, 'text')]):.3f} | "
              f"{np.mean(by_theme[(theme.name, 'html')]):.3f} |")
    print()
    return chrome_only


def real_page_rows(detector: Detector, corpus: Path) -> None:
    pages = [ex for ex in load_examples(corpus)
             if ex.label == "original" and ex.generator.startswith("real_page") and ex.split == "test"]
    print("### 3. Real pages of test-split sites, without an index\n")
    print("| format | pages | flagged | syndication reported |")
    print("|---|---|---|---|")
    credits = []
    for fmt in ("text", "html"):
        chosen = [ex for ex in pages if (ex.item.html is not None) == (fmt == "html")]
        verdicts = list(detector.score_items([ex.item for ex in chosen]))
        flagged = [v.flagged for v in verdicts if v.ok]
        syndicated = [v for v in verdicts if v.ok and v.syndication]
        credits += [(v.id, s["kind"], s["credit"]) for v in syndicated for s in v.syndication]
        print(f"| {fmt} | {len(flagged)} | {np.mean(flagged):.3f} | {len(syndicated)} |")
    for doc_id, kind, credit in credits:
        print(f"- {doc_id[:60]}: {kind}: \"{credit}\"")
    print()


def index_rows(model: Path, mode: str, articles, chrome_only, distractors: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        index = SourceIndex.open(Path(scratch) / "index", create=True)
        originals = [(doc_id, title + "\n\n" + "\n\n".join(paragraphs)) for doc_id, title, paragraphs in articles]
        started = time.perf_counter()
        index.add(originals + remix_distractors([text for _, text in originals], distractors, rng))
        built = time.perf_counter() - started
        detector = Detector.load(model, mode=mode, source_index=index)
        rows: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
        for doc_id, fmt, document in chrome_only:
            verdict = detector.score(document)
            traced = bool(verdict.source) and verdict.source.get("id") == doc_id
            rows[fmt].append((bool(verdict.flagged), traced))
    print(f"### 4. Chrome-only theme copies with an index of their {len(articles)} originals among {distractors:,} "
          f"distractors (built in {built:.0f} s)\n")
    print("| format | copies | flagged | traced to their original |")
    print("|---|---|---|---|")
    for fmt in ("text", "html"):
        values = np.array(rows[fmt])
        print(f"| {fmt} | {len(values)} | {values[:, 0].mean():.3f} | {values[:, 1].mean():.3f} |")
    print()


def spun_copy_rows(model: Path, articles, seed: int) -> None:
    rng = random.Random(seed)
    titles = [title for _, title, _ in articles]
    pages = []
    for i, (_, title, paragraphs) in enumerate(articles):
        family = SPUN_COPY_FAMILIES[i % len(SPUN_COPY_FAMILIES)]
        spun = [spin(p, family, SPUN_COPY_RATE, rng).text for p in paragraphs]
        residue = RESIDUE_KINDS[1 + i % (len(RESIDUE_KINDS) - 1)]
        teasers = [titles[(i + k) % len(titles)] for k in (3, 7, 11)]
        page = theme_page(title, spun, teasers, THEMES[i % len(THEMES)], residue, rng)
        pages += [("text", page.text), ("html", {"html": page.html})]
    print(f"### 5. Copies that are also spun: {len(articles)} theme pages with residue, their text spun at "
          f"{SPUN_COPY_RATE:.0%} by never-trained spinners ({', '.join(SPUN_COPY_FAMILIES)})\n")
    print("| mode | format | spun | copy | other flag | not flagged |")
    print("|---|---|---|---|---|---|")
    for mode in ("fast", "default", "deep"):
        detector = Detector.load(model, mode=mode)
        for fmt in ("text", "html"):
            verdicts = [detector.score(document) for kind, document in pages if kind == fmt]
            labels = [v.label if v.flagged else "none" for v in verdicts]
            shares = [np.mean([label == want for label in labels]) for want in ("spun", "copy")]
            other = np.mean([label not in ("spun", "copy", "none") for label in labels])
            print(f"| {mode} | {fmt} | {shares[0]:.3f} | {shares[1]:.3f} | {other:.3f} | "
                  f"{np.mean([label == 'none' for label in labels]):.3f} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("build/holdout.jsonl"))
    parser.add_argument("--model", type=Path, default=Path("models/spindetect-default"))
    parser.add_argument("--cache", type=Path, default=Path("build/cache"))
    parser.add_argument("--mode", default="fast", choices=("fast", "default", "deep"))
    parser.add_argument("--articles", type=int, default=48)
    parser.add_argument("--distractors", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(f"{args.model} on {args.corpus} (mode {args.mode}), {time.strftime('%Y-%m-%d')}\n")
    build_rows(args.corpus, args.model, args.cache, args.jobs)
    detector = Detector.load(args.model, mode=args.mode)
    articles = test_articles(args.corpus, args.articles)
    chrome_only = theme_rows(detector, articles, args.seed)
    real_page_rows(detector, args.corpus)
    index_rows(args.model, args.mode, articles, chrome_only, args.distractors, args.seed)
    spun_copy_rows(args.model, articles, args.seed)


if __name__ == "__main__":
    main()
