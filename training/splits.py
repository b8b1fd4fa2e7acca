"""Which data trains, calibrates and measures — decided in one place.

Two kinds of holding out:
- by *group*: every version of one story (the original, its copies, its spins) lands in the same split,
  so a model is never measured on a story it saw in training;
- by *generator family*: whole spinner families, page-template families, one machine-translation system
  and some LLM generators are never used for training or calibration, only for measuring. Figures on
  them say how the detector does on generators it has never seen, which is what it meets in the wild.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from spindetect.learn import hash_bucket

SPLITS = ("train", "calib", "test")
REFERENCE_SHARE = 0.20  # of groups, set aside as reference English (see split_of)

# Generator families held out of training and calibration entirely (measured only).
HELDOUT_SPINNER_FAMILIES = frozenset({"handbook", "distributional"})
HELDOUT_TEMPLATE_FAMILIES = frozenset({"magazine", "aggregator", "forum"})
HELDOUT_MT_SYSTEM = "madlad"
HELDOUT_LLM_GENERATORS = frozenset({"vicuna-v1.3_33b", "llama2_70b"})
# Real machine translation (WMT22): one whole language pair and two systems (in every pair) are never
# trained or calibrated on. zh-en is the pair furthest from the others (and has the most human references);
# Online-B is a commercial engine and JDExploreAcademy a research system, present in all four pairs.
HELDOUT_WMT_PAIR = "zh-en"
HELDOUT_WMT_SYSTEMS = frozenset({"Online-B", "JDExploreAcademy"})
# WMT21 and WMT23 add a second language never trained on: Hebrew (WMT23 only; GPT-4 among its systems), a
# Semitic language in its own script.
HELDOUT_WMT_PAIRS = frozenset({HELDOUT_WMT_PAIR, "he-en"})
# Farm residue wordings (training.generators.real_pages) kept out of training: measured only.
HELDOUT_RESIDUE_FAMILY = "residue_heldout"
UNSEEN_RESIDUE_FAMILY = "residue_unseen"  # written after the features; see training.generators.real_pages


def shared_dir() -> Path:
    """`../shared` beside the repository, or $SPINDETECT_SHARED."""
    env = os.environ.get("SPINDETECT_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared"


def corpora_dir() -> Path:
    return shared_dir() / "corpora"


def split_of(group: str, calib_share: float = 0.15, test_share: float = 0.15,
             reference_share: float = REFERENCE_SHARE) -> str:
    """Deterministic split of a group id by hash: the same group always lands in the same split.

    "reference" groups are never documents of the corpus: their text only feeds the bigram reference
    (`training/compile_reference.py`). Keeping them apart means no training, calibration or test document
    has its own sentences counted in the reference, so "is this word pair known English?" is measured the
    same way on every document, as it will be on a stranger's text.
    """
    bucket = hash_bucket(group)
    if bucket < test_share:
        return "test"
    if bucket < test_share + calib_share:
        return "calib"
    if bucket < test_share + calib_share + reference_share:
        return "reference"
    return "train"


def is_heldout_wmt_system(system: str) -> bool:
    """Whether a WMT system is held out (WMT23 spells the same engines in capitals: "ONLINE-B")."""
    return system.lower() in {name.lower() for name in HELDOUT_WMT_SYSTEMS}


def bbc_split(row: dict) -> str:
    """Split of a BBC article (`news/bbc-2004-2005.jsonl` row): its group's hash split, except the file's
    "dev" articles, which are the whole project's measuring data ("test") whatever their hash says."""
    return "test" if row["split"] == "dev" else split_of(f"bbc:{row['id']}")


def europarl_sentence_group(raw_text: str) -> str:
    """Group key of one Europarl sentence, hashed over the corpus text exactly as distributed (tokenised).

    The corpus builder's pseudo-documents and the translationese model both split sentences by this key,
    so a sentence trains one only if it trains the other.
    """
    return "europarl-sent:" + hashlib.sha256(raw_text.encode()).hexdigest()[:16]


def site_split(site: str) -> str:
    """Split of a real web site (`pages/real-pages.jsonl` `site`): whole sites train, calibrate or measure.

    No "reference" share: the reference English is built from news text only. More of the few sites go
    to calib and test than a group split gives, so each of those splits holds three dozen sites or more.
    """
    bucket = hash_bucket(f"site:{site}")
    if bucket < 0.25:
        return "test"
    if bucket < 0.5:
        return "calib"
    return "train"


def wmt_split(pair: str, doc: str, holdout: bool = True, year: str = "wmt22") -> str:
    """Split of a WMT source document (every version of one `doc` shares it). In a holdout build the
    held-out pairs are measuring data only ("test"); the held-out systems are kept to test documents by the
    corpus builder."""
    if holdout and pair in HELDOUT_WMT_PAIRS:
        return "test"
    bucket = hash_bucket(f"{year}:{pair}:{doc}")
    if bucket < 0.2:
        return "test"
    if bucket < 0.4:
        return "calib"
    return "train"


def is_heldout_generator(generator: str) -> bool:
    """Whether a corpus `generator` name (e.g. "template:forum", "handbook", "mt:madlad",
    "llm:llama2_70b", "moby_pos+template:magazine") belongs to a held-out family."""
    for part in generator.split("+"):
        kind, _, name = part.rpartition(":")
        if (
            (kind == "" and name in HELDOUT_SPINNER_FAMILIES)
            or (kind == "template" and name in HELDOUT_TEMPLATE_FAMILIES)
            or (kind == "mt" and name == HELDOUT_MT_SYSTEM)
            or (kind == "llm" and name in HELDOUT_LLM_GENERATORS)
            or (kind == "wmt" and (name.partition("/")[0] in HELDOUT_WMT_PAIRS
                                 or is_heldout_wmt_system(name.partition("/")[2])))
            or bool({HELDOUT_RESIDUE_FAMILY, UNSEEN_RESIDUE_FAMILY} & set(part.split(":")))
        ):
            return True
    return False
