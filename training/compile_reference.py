"""Count word pairs in the reference groups of ../shared/corpora into spindetect/resources/reference_pairs.npz.

    python -m training.compile_reference

Reference groups (training.splits.split_of == "reference") are never corpus documents, so no training,
calibration or test document has its own pairs counted here. Sources: BBC train-split articles, LLMFake
originals and rewrites, SheepDog restyles (fluent English of the news domain), and Europarl original-English
and human-translated sentences (never machine translations). Only pairs seen at least MIN_COUNT times
are kept, as 64-bit hashes with counts: the file holds numbers, not text.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from spindetect.features.plausibility import pair_hash, word_pairs
from training.generators.documents import detokenise
from training.jsonl import read_jsonl
from training.splits import corpora_dir, europarl_sentence_group, split_of

OUT = Path(__file__).resolve().parent.parent / "spindetect" / "resources" / "reference_pairs.npz"
MIN_COUNT = 2


def reference_texts():
    corpora = corpora_dir()
    for row in read_jsonl(corpora / "news" / "bbc-2004-2005.jsonl"):
        if row["split"] == "train" and split_of(f"bbc:{row['id']}") == "reference":
            yield row["text"]
    for name in ("llmfake-originals.jsonl", "llmfake-rewrites.jsonl"):
        for row in read_jsonl(corpora / "llm-rewrites" / name):
            if split_of(f"llmfake:{row['original_key']}") == "reference":
                yield row["text"]
    for row in read_jsonl(corpora / "llm-rewrites" / "sheepdog-restyled-gossipcop-lun.jsonl"):
        if split_of(f"sheepdog:{row['source_dataset']}:{row['idx']}") == "reference":
            yield row["text"]
    for row in read_jsonl(corpora / "machine-translation" / "europarl-de-en-sentences.jsonl"):
        if row["label"] != "machine_translation" and split_of(europarl_sentence_group(row["text"])) == "reference":
            yield detokenise(row["text"])


def main() -> int:
    counts: Counter = Counter()
    texts = 0
    for text in reference_texts():
        texts += 1
        counts.update(pair_hash(a, b) for a, b, _, _ in word_pairs(text))
    kept = sorted((h, c) for h, c in counts.items() if c >= MIN_COUNT)
    hashes = np.array([h for h, _ in kept], dtype=np.uint64)
    values = np.array([min(c, 65535) for _, c in kept], dtype=np.uint16)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as stream:
        np.savez_compressed(stream, hashes=hashes, counts=values)
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    print(f"{texts} reference texts, {len(counts)} distinct pairs, kept {len(kept)} (count >= {MIN_COUNT}); "
          f"{OUT} {OUT.stat().st_size / 1e6:.1f} MB sha256 {digest[:16]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
