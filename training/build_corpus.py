"""Build the labelled training corpus (JSONL) from ../shared/corpora with the generators in training.generators.

    python -m training.build_corpus --out build/corpus.jsonl [--seed 0] [--limit-per-source N]

Each line: {"id", "text" | "html", "label", "group", "split", "source", "generator", "heldout", "params"}.
Labels: original, copy, spun, translated, rewritten.

Split rules (training.splits): every derived document shares its original's group, and split = split_of(group);
BBC `dev` articles are forced to "test". Held-out generator families are generated only for groups whose
split is "test" (and for all of them), so their groups never reach training. Europarl sentences are split by
europarl_sentence_group(raw text) and pseudo-documents are cut within one (split, label, system).

Every random choice comes from an rng seeded by (seed, document key, purpose), so the output does not depend
on iteration order and a --limit build is a prefix-consistent subset of a full one.
The corpus holds third-party text: write it under build/ (outside git), never into the repository.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click

from spindetect.io import extract_page
from training.generators.documents import Article, detokenise, join_paragraphs, pseudo_documents
from training.generators.page_templates import (
    CHROME_TEMPLATE_FAMILIES,
    FARM_TEMPLATE_FAMILIES,
    HELDOUT_FAMILY_BUILDERS,
    PageContext,
    copy_page,
    legit_page,
    render_html,
    render_text,
)
from training.generators.real_pages import (
    HELDOUT_RESIDUE,
    NO_RESIDUE,
    TRAINED_RESIDUE,
    UNSEEN_RESIDUE,
    chrome_lines,
    farm_residue,
    iter_pages,
    text_scrape,
    transplant,
    usable_template,
)
from training.generators.spinners import get_spinner
from training.jsonl import read_jsonl
from training.splits import (
    HELDOUT_LLM_GENERATORS,
    HELDOUT_MT_SYSTEM,
    HELDOUT_SPINNER_FAMILIES,
    HELDOUT_RESIDUE_FAMILY,
    HELDOUT_TEMPLATE_FAMILIES,
    UNSEEN_RESIDUE_FAMILY,
    HELDOUT_WMT_PAIRS,
    is_heldout_wmt_system,
    bbc_split,
    corpora_dir,
    europarl_sentence_group,
    site_split,
    split_of,
    wmt_split,
)

TRAINING_SPINNERS = ("moby_naive", "moby_rare", "moby_pos", "moby_phrase")
TRAINING_TEMPLATES = FARM_TEMPLATE_FAMILIES
assert set(HELDOUT_FAMILY_BUILDERS) == set(HELDOUT_TEMPLATE_FAMILIES), "every held-out template family must exist"
assert not HELDOUT_SPINNER_FAMILIES & set(TRAINING_SPINNERS)

# Sampling rates, tuned so the corpus lands at ~20k documents with no class above ~25%.
SECOND_COPY_SHARE = 0.75
SECOND_SPIN_SHARE = 0.6
SPUN_WITH_FURNITURE_SHARE = 0.08
LEGIT_CHROME_SHARE = 0.35
CHROME_FAMILY_SHARE = 0.5  # of BBC originals, also published on a chrome-only training template
# Per real page: transplants of other articles into its chrome, without residue (originals) and with it.
REAL_ORIGINAL_TRANSPLANTS = 3
REAL_COPY_TRANSPLANTS = 3
REAL_HELDOUT_COPY_TRANSPLANTS = 3
# Per WMT22 document, at most this many machine translations train or calibrate (9-12 systems translated
# every document; all of them are kept for measuring).
WMT_MT_PER_DOC = 4
LEAD_ONLY_SHARE = 0.15
LLMFAKE_COPY_SHARE = 0.3
LLMFAKE_SPIN_SHARE = 0.3
LLMFAKE_REWRITE_KEEP = 0.42
SHEEPDOG_KEEP = 0.25
SPIN_RATE_RANGE = (0.1, 0.7)
HTML_SHARE = 0.5


@dataclass(frozen=True)
class Record:
    id: str
    content: str
    is_html: bool
    label: str
    group: str
    split: str
    source: str
    generator: str
    heldout: bool = False
    params: dict = field(default_factory=dict)

    def to_json(self) -> str:
        body = {"id": self.id, ("html" if self.is_html else "text"): self.content, "label": self.label,
                "group": self.group, "split": self.split, "source": self.source, "generator": self.generator,
                "heldout": self.heldout, "params": self.params}
        return json.dumps(body, ensure_ascii=False)


def rng_for(seed: int, *key: str) -> random.Random:
    """An rng that depends only on the seed and the key (string seeds are hashed with SHA-512 by random)."""
    return random.Random(f"{seed}|" + "|".join(key))


# ============================================================================================ originals


@dataclass(frozen=True)
class Source:
    """An original article with its corpus identity."""

    key: str  # unique id, e.g. "bbc-business-224"
    source: str  # "bbc" / "llmfake"
    group: str
    split: str
    article: Article


def _derived_title(text: str) -> str:
    """A headline for an untitled web item: its first line if short, else its first words."""
    first_line = text.strip().split("\n", 1)[0].strip()
    if 3 <= len(first_line.split()) <= 14:
        return first_line
    return " ".join(text.split()[:8]).rstrip(",.;:") + "..."


def load_bbc(limit: int | None) -> list[Source]:
    sources = []
    for row in read_jsonl(corpora_dir() / "news" / "bbc-2004-2005.jsonl", limit):
        group = f"bbc:{row['id']}"
        split = bbc_split(row)
        sources.append(Source(row["id"], "bbc", group, split, Article(row["title"].strip(), row["text"].strip(),
                                                                        row.get("category", ""))))
    return sources


def load_llmfake_originals(limit: int | None) -> list[Source]:
    sources = []
    for row in read_jsonl(corpora_dir() / "llm-rewrites" / "llmfake-originals.jsonl", limit):
        text = row["text"].strip()
        if len(text.split()) < 40:
            continue  # headline-only scrapes carry no article to copy or spin
        group = f"llmfake:{row['original_key']}"
        sources.append(Source(row["original_key"], "llmfake", group, split_of(group), Article("", text)))
    return sources


# ============================================================================================ generators


def _page_article(src: Source) -> Article:
    if src.article.title:
        return src.article
    return Article(_derived_title(src.article.body), src.article.body, src.article.category)


def _page_record(src: Source, page, rng: random.Random, label: str, generator: str, doc_id: str,
                 heldout: bool, extra: dict | None = None) -> Record:
    as_html = rng.random() < HTML_SHARE
    params = dict(extra or {})
    if as_html:
        content, layout = render_html(page, rng)
        params["layout"] = layout
    else:
        content = render_text(page, rng)
    params["format"] = "html" if as_html else "text"
    return Record(doc_id, content, as_html, label, src.group, src.split, src.source, generator, heldout, params)


def originals_and_hard_negatives(src: Source, seed: int, titles: list[str]) -> Iterator[Record]:
    yield Record(f"{src.key}:plain", src.article.plain_text, False, "original", src.group, src.split, src.source,
                 "plain")
    rng = rng_for(seed, src.key, "legit")
    if src.source == "bbc" and rng.random() < LEGIT_CHROME_SHARE:
        family = "news_site" if rng.random() < 0.6 else "wire"
        page = legit_page(family, src.article, PageContext(rng, titles))
        yield _page_record(src, page, rng, "original", f"chrome:{family}", f"{src.key}:chrome:{family}", False)
    if src.source == "bbc" and rng.random() < CHROME_FAMILY_SHARE:
        family = CHROME_TEMPLATE_FAMILIES[rng.randrange(len(CHROME_TEMPLATE_FAMILIES))]
        page = legit_page(family, src.article, PageContext(rng, titles))
        yield _page_record(src, page, rng, "original", page.family, f"{src.key}:{page.family}", False)
    paragraphs = src.article.paragraphs
    if len(paragraphs) > 3 and rng.random() < LEAD_ONLY_SHARE:
        lead = Article(src.article.title, "\n\n".join(paragraphs[: rng.randint(1, 3)]), src.article.category)
        yield Record(f"{src.key}:lead_only", lead.plain_text, False, "original", src.group, src.split, src.source,
                     "lead_only")


def _families(rng, src: Source, second_share: float, other_share: float, trained: tuple[str, ...],
              heldout_families: frozenset[str], holdout: bool) -> list[tuple[str, bool]]:
    """(family, held out) for one source: one or two sampled training families (BBC; other sources get one
    at most), and, for test groups of a holdout build, every held-out family so there is enough to measure."""
    count = 1 + (rng.random() < second_share)
    if src.source != "bbc":
        count = int(rng.random() < other_share)
    pool = trained if holdout else trained + tuple(sorted(heldout_families))
    chosen = [(family, False) for family in rng.sample(pool, count)]
    if holdout and src.split == "test":
        chosen += [(family, True) for family in sorted(heldout_families)]
    return chosen


def copies(src: Source, seed: int, titles: list[str], holdout: bool = True) -> Iterator[Record]:
    rng = rng_for(seed, src.key, "copy")
    for family, heldout in _families(rng, src, SECOND_COPY_SHARE, LLMFAKE_COPY_SHARE, TRAINING_TEMPLATES,
                                     HELDOUT_TEMPLATE_FAMILIES, holdout):
        page_rng = rng_for(seed, src.key, "copy", family)
        page = copy_page(family, _page_article(src), PageContext(page_rng, titles))
        yield _page_record(src, page, page_rng, "copy", page.family, f"{src.key}:{page.family}", heldout)


def _spun_record(src: Source, family: str, seed: int, heldout: bool) -> Record:
    rng = rng_for(seed, src.key, "spin", family)
    rate = round(rng.uniform(*SPIN_RATE_RANGE), 2)
    # The headline is spun with the body, as spinners process the whole post.
    result = get_spinner(family).spin(src.article.plain_text, rate, rng)
    return Record(f"{src.key}:{family}", result.text, False, "spun", src.group, src.split, src.source, family,
                  heldout, result.params())


def spins(src: Source, seed: int, titles: list[str], holdout: bool = True) -> Iterator[Record]:
    rng = rng_for(seed, src.key, "spins")
    chosen = _families(rng, src, SECOND_SPIN_SHARE, LLMFAKE_SPIN_SHARE, TRAINING_SPINNERS, HELDOUT_SPINNER_FAMILIES,
                       holdout)
    for family, _ in (c for c in chosen if not c[1]):
        yield _spun_record(src, family, seed, False)
    if src.source == "bbc" and rng.random() < SPUN_WITH_FURNITURE_SHARE:
        yield spun_with_furniture(src, seed, titles, rng.choice(TRAINING_SPINNERS), rng.choice(TRAINING_TEMPLATES))
    for family, _ in (c for c in chosen if c[1]):
        yield _spun_record(src, family, seed, True)


def spun_with_furniture(src: Source, seed: int, titles: list[str], spinner: str, template: str) -> Record:
    """A spun article republished on a farm page: label spun (spinning is the stronger finding)."""
    rng = rng_for(seed, src.key, "spun+page")
    rate = round(rng.uniform(*SPIN_RATE_RANGE), 2)
    result = get_spinner(spinner).spin(src.article.body, rate, rng)
    spun_article = Article(src.article.title, result.text, src.article.category)
    page = copy_page(template, spun_article, PageContext(rng, titles))
    generator = f"{spinner}+page"  # one row per spinner in summaries; the template goes in params
    spun_src = Source(src.key, src.source, src.group, src.split, spun_article)
    return _page_record(spun_src, page, rng, "spun", generator, f"{src.key}:{generator}", False,
                        {**result.params(), "template": page.family})


# ============================================================================================ real pages


def real_page_records(sources: list[Source], seed: int, holdout: bool = True) -> Iterator[Record]:
    """Real pages (split by site) as originals, and news articles of the same split transplanted into their
    chrome: without residue (originals) and with farm residue (copies). See training.generators.real_pages."""
    articles: dict[str, list[Source]] = defaultdict(list)
    for src in sources:
        if src.source == "bbc" and len(src.article.paragraphs) >= 2:
            articles[src.split].append(src)
    for page in iter_pages(read_jsonl(corpora_dir() / "pages" / "real-pages.jsonl"), site_split):
        group = f"site:{page.site}"
        params = {"site": page.site, "kind": page.kind}
        yield Record(f"real:{page.id}", page.html, True, "original", group, page.split, "real_page", "real_page",
                     params={**params, "format": "html"})
        rng = rng_for(seed, page.id, "real")
        extracted = extract_page(page.html)
        head, tail = chrome_lines(extracted)
        as_text = text_scrape(Article(extracted.title, extracted.text), head, tail, NO_RESIDUE, rng)
        yield Record(f"real:{page.id}:text", as_text, False, "original", group, page.split, "real_page",
                     "real_page:text", params={**params, "format": "text"})
        pool = articles[page.split]
        if not pool or not usable_template(page, _page_article(pool[0])):
            continue
        # (generator family, residue pool or None for an original, held out)
        plans = [("real_chrome", None, False)] * REAL_ORIGINAL_TRANSPLANTS
        plans += [("farm_real:residue", TRAINED_RESIDUE, False)] * REAL_COPY_TRANSPLANTS
        # The measured-only residue pools stay out of every fit, the final one included: some of their lines
        # ("Continue reading", "Keywords - ...") are also ordinary chrome, and a final fit trained on them
        # flagged calibration real pages at 0.99 (its copy threshold could not go below 0.9965).
        if page.split == "test":
            measured_pools = ((HELDOUT_RESIDUE_FAMILY, HELDOUT_RESIDUE), (UNSEEN_RESIDUE_FAMILY, UNSEEN_RESIDUE))
            for name, measured_only in measured_pools:
                plans += [(f"farm_real:{name}", measured_only, holdout)] * REAL_HELDOUT_COPY_TRANSPLANTS
        for number, (family, residue_pool, heldout) in enumerate(plans):
            src = pool[rng.randrange(len(pool))]
            article = _page_article(src)
            label = "original" if residue_pool is None else "copy"
            residue = NO_RESIDUE if residue_pool is None else farm_residue(rng, article.title, residue_pool)
            as_html = rng.random() < HTML_SHARE
            content = transplant(page.html, article, residue) if as_html else None
            if content is None:
                as_html, content = False, text_scrape(article, head, tail, residue, rng)
            fmt = "html" if as_html else "text"
            # The source is the page's (real_page): the article's own corpus keeps its plain version.
            yield Record(f"{src.key}:{family}:{page.id}:{number}", content, as_html, label, src.group, src.split,
                         "real_page", family + ("" if as_html else ":text"), heldout,
                         {**params, "format": fmt, "residue": list(residue.kinds)})


# ============================================================================================ WMT22

_WMT_LABELS = {"original_english": "original", "human_translation": "original", "machine_translation": "translated"}
_WMT_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'\u201c\u2018(A-Z0-9])")


def wmt_records(seed: int, limit: int | None, holdout: bool = True) -> Iterator[Record]:
    """WMT22 documents: real MT systems (translated), human translations and original English (originals).

    Split by document, so every version of one source document is on one side. In a holdout build the
    held-out pair is measuring data only, and the held-out systems exist only in test documents. The
    segments of a document were joined into one block; they are regrouped into paragraphs the same way for
    every version, so paragraph structure says nothing about the label.
    """
    rows = list(read_jsonl(corpora_dir() / "machine-translation" / "wmt22-docs.jsonl", limit and limit * 8))
    yield from _wmt_versions(rows, "wmt22", seed, holdout)


def wmt_more_records(seed: int, limit: int | None, holdout: bool = True,
                     training: bool = False) -> Iterator[Record]:
    """WMT21 (cs, de, ha, is, ru, zh) and WMT23 (de, he, ru, zh) into English, split as WMT22's, with zh-en
    and he-en measuring data only (`training.splits.HELDOUT_WMT_PAIRS`; GPT-4's WMT23 translations of them
    among it). Each row is a pseudo-document of consecutive segments; the foreign sources are not read.

    By default only their test-split documents are kept: measuring data for every pair, three years of
    systems. Their `train` and `calib` documents (`training=True`) taught the fast model nothing that
    carries to a language it never saw (docs/experiments.md, "More languages for the fast model"), so the
    shipped model trains without them."""
    rows = [row for row in read_jsonl(corpora_dir() / "machine-translation" / "wmt-more-docs.jsonl",
                                      limit and limit * 16) if row["label"] != "source"]
    for year in ("wmt21", "wmt23"):
        for record in _wmt_versions([row for row in rows if row["id"].startswith(year + ".")], year, seed, holdout):
            if training or record.split == "test":
                yield record


def _wmt_versions(rows: list[dict], year: str, seed: int, holdout: bool) -> Iterator[Record]:
    """The corpus records of one WMT year's rows (every version of each source document)."""
    by_doc: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        by_doc[(row["pair"], row["doc"])].append(row)
    for (pair, doc), versions in sorted(by_doc.items()):
        split = wmt_split(pair, doc, holdout, year)
        group = f"{year}:{pair}:{doc}"
        rng = rng_for(seed, group, "wmt")
        versions.sort(key=lambda r: r["id"])
        machine = [r for r in versions if r["label"] == "machine_translation"]
        if holdout:
            machine = [r for r in machine if split == "test" or not is_heldout_wmt_system(r["system"])]
        if split != "test" and len(machine) > WMT_MT_PER_DOC:
            machine = rng.sample(machine, WMT_MT_PER_DOC)
        kept = [r for r in versions if r["label"] != "machine_translation"] + machine
        for row in sorted(kept, key=lambda r: r["id"]):
            label = _WMT_LABELS[row["label"]]
            if row["label"] == "machine_translation":
                generator = f"wmt:{pair}/{row['system']}"
            else:
                generator = "wmt_human" if row["label"] == "human_translation" else "wmt_original"
            # Held out is a property of the MT system (and pair) that made the document; the pair's human
            # translations are measuring data all the same (their documents' split is "test").
            heldout = holdout and label == "translated" and (pair in HELDOUT_WMT_PAIRS
                                                              or is_heldout_wmt_system(row["system"]))
            sentences = _WMT_SENTENCE_RE.split(row["text"].strip())
            text = join_paragraphs(sentences, rng_for(seed, group, "paragraphs"))
            yield Record(row["id"], text, False, label, group, split, year, generator, heldout,
                         {"pair": pair, "system": row["system"], "domain": row.get("domain", "news")})


# ============================================================================================ europarl


_EUROPARL_LABELS = {"original_english": "original", "human_translation": "original", "machine_translation": "translated"}


def europarl_records(seed: int, limit: int | None, holdout: bool = True) -> Iterator[Record]:
    buckets: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    per_bucket: Counter = Counter()
    for row in read_jsonl(corpora_dir() / "machine-translation" / "europarl-de-en-sentences.jsonl"):
        system = row.get("system") or "none"
        kind = row["label"]
        if limit is not None and per_bucket[(kind, system)] >= limit * 16:
            continue
        per_bucket[(kind, system)] += 1
        split = split_of(europarl_sentence_group(row["text"]))
        if holdout and kind == "machine_translation" and system == HELDOUT_MT_SYSTEM:
            # The held-out system is never learned from (neither here nor by the translationese lexicon),
            # so all of its sentences, whatever their hash split, are measuring data.
            split = "test"
        buckets[(split, kind, system)].append(detokenise(row["text"]))
    for (split, kind, system), sentences in sorted(buckets.items()):
        rng = rng_for(seed, "europarl", split, kind, system)
        sentences.sort()  # file order must not matter, only the seed
        label = _EUROPARL_LABELS[kind]
        if kind == "machine_translation":
            generator = f"mt:{system}"
        else:
            generator = "europarl_original" if kind == "original_english" else "human_translation"
        for number, chunk in enumerate(pseudo_documents(sentences, rng)):
            doc_id = f"europarl:{kind}:{system}:{split}:{number}"
            yield Record(doc_id, join_paragraphs(chunk, rng), False, label, doc_id, split, "europarl", generator,
                         holdout and system == HELDOUT_MT_SYSTEM, {"sentences": len(chunk)})


# ============================================================================================ rewrites


def llmfake_rewrites(seed: int, limit: int | None, holdout: bool = True) -> Iterator[Record]:
    for number, row in enumerate(read_jsonl(corpora_dir() / "llm-rewrites" / "llmfake-rewrites.jsonl", limit)):
        group = f"llmfake:{row['original_key']}"
        split = split_of(group)
        heldout = holdout and row["generator"] in HELDOUT_LLM_GENERATORS
        # One (item, generator, method) can occur twice (two source CSVs), so the row number keeps ids unique.
        key = f"llmfake:{row['original_key']}:{row['generator']}:{row['method']}:{number}"
        if heldout and split != "test":
            continue
        if not heldout and rng_for(seed, key, "keep").random() >= LLMFAKE_REWRITE_KEEP:
            continue
        yield Record(key, row["text"].strip(), False, "rewritten", group, split, "llmfake", f"llm:{row['generator']}",
                     heldout, {"method": row["method"]})


def sheepdog_restyled(seed: int, limit: int | None) -> Iterator[Record]:
    for number, row in enumerate(read_jsonl(corpora_dir() / "llm-rewrites" / "sheepdog-restyled-gossipcop-lun.jsonl",
                                            limit)):
        group = f"sheepdog:{row['source_dataset']}:{row['idx']}"
        key = f"{group}:{'+'.join(row.get('variants') or [str(number)])}"
        if rng_for(seed, key, "keep").random() >= SHEEPDOG_KEEP:
            continue
        yield Record(key, row["text"].strip(), False, "rewritten", group, split_of(group), "sheepdog",
                     "llm:sheepdog_restyle", False, {"variants": row.get("variants") or []})


# ============================================================================================ driver


def build(seed: int, limit: int | None, holdout: bool = True, wmt_more_training: bool = False) -> Iterator[Record]:
    """Every corpus record. holdout=False (the all-families fit, not shipped) lets every generator family
    into every split; the held-out figures are measured on the holdout=True build. `wmt_more_training` lets
    WMT21 and WMT23 documents train and calibrate (an experiment; see `wmt_more_records`)."""
    sources = load_bbc(limit) + load_llmfake_originals(limit)
    titles_by_split: dict[str, list[str]] = defaultdict(list)
    for src in sources:
        if src.source == "bbc":
            titles_by_split[src.split].append(src.article.title)
    for src in sources:
        titles = titles_by_split[src.split]
        yield from originals_and_hard_negatives(src, seed, titles)
        yield from copies(src, seed, titles, holdout)
        yield from spins(src, seed, titles, holdout)
    yield from real_page_records(sources, seed, holdout)
    yield from wmt_records(seed, limit, holdout)
    yield from europarl_records(seed, limit, holdout)
    yield from llmfake_rewrites(seed, limit, holdout)
    yield from sheepdog_restyled(seed, limit)
    # Last, so every record before it is what it was before WMT21 and WMT23 were added.
    yield from wmt_more_records(seed, limit, holdout, wmt_more_training)


def summary_table(counts: Counter) -> str:
    """label × split × generator counts, one row per (label, generator), plus per-label totals."""
    rows = sorted({(label, generator) for label, _, generator in counts})
    header = f"{'label':<11} {'generator':<34} {'train':>6} {'calib':>6} {'test':>6} {'total':>7}"
    lines = [header, "-" * len(header)]
    for label, generator in rows:
        per = [counts[(label, split, generator)] for split in ("train", "calib", "test")]
        lines.append(f"{label:<11} {generator:<34} {per[0]:>6} {per[1]:>6} {per[2]:>6} {sum(per):>7}")
    lines.append("-" * len(header))
    for label in sorted({label for label, _, _ in counts}):
        per = [sum(n for (lab, split, _), n in counts.items() if lab == label and split == s)
               for s in ("train", "calib", "test")]
        lines.append(f"{label:<11} {'(all)':<34} {per[0]:>6} {per[1]:>6} {per[2]:>6} {sum(per):>7}")
    per = [sum(n for (_, split, _), n in counts.items() if split == s) for s in ("train", "calib", "test")]
    lines.append(f"{'TOTAL':<11} {'':<34} {per[0]:>6} {per[1]:>6} {per[2]:>6} {sum(per):>7}")
    return "\n".join(lines)


def check_invariants(records_meta: list[tuple[str, str, bool, str]]) -> list[str]:
    """Problems with (group, split, heldout, id) tuples: groups spanning splits, held-out docs outside test."""
    problems = []
    split_of_group: dict[str, str] = {}
    for group, split, heldout, doc_id in records_meta:
        if split_of_group.setdefault(group, split) != split:
            problems.append(f"group {group} in {split_of_group[group]} and {split}")
        if heldout and split != "test":
            problems.append(f"held-out document {doc_id} in {split}")
    return problems


@click.command()
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--limit-per-source", type=int, default=None, help="Read at most N rows per source file (quick builds).")
@click.option("--all-families", is_flag=True,
              help="Train on every generator family (the all-families fit, not shipped); no held-out families.")
@click.option("--wmt-more-training", is_flag=True,
              help="Let WMT21 and WMT23 documents train and calibrate too (an experiment, not shipped).")
def main(out_path: Path, seed: int, limit_per_source: int | None, all_families: bool,
         wmt_more_training: bool) -> None:
    if not corpora_dir().exists():
        raise click.UsageError(f"corpora not found at {corpora_dir()} (set SPINDETECT_SHARED)")
    started = time.monotonic()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    meta: list[tuple[str, str, bool, str]] = []
    seen_ids: set[str] = set()
    with out_path.open("w", encoding="utf-8") as out:
        for record in build(seed, limit_per_source, holdout=not all_families, wmt_more_training=wmt_more_training):
            if record.split == "reference":
                continue  # reference groups only feed the bigram reference, never the corpus
            if record.id in seen_ids:
                raise click.ClickException(f"duplicate document id {record.id}")
            seen_ids.add(record.id)
            out.write(record.to_json() + "\n")
            counts[(record.label, record.split, record.generator)] += 1
            meta.append((record.group, record.split, record.heldout, record.id))
    problems = check_invariants(meta)
    click.echo(summary_table(counts), err=True)
    click.echo(f"{sum(counts.values())} documents -> {out_path} in {time.monotonic() - started:.1f} s "
               f"(sha256 {hashlib.sha256(out_path.read_bytes()).hexdigest()[:16]})", err=True)
    if problems:
        raise click.ClickException("split invariants violated:\n" + "\n".join(problems[:20]))


if __name__ == "__main__":
    main()
