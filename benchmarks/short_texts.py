"""False-positive rate on clean news by document length: BBC test-split articles cut to their first N words.

    python -m benchmarks.short_texts [--articles 150] [--model DIR|NAME]

Reads ../shared/corpora at run time and prints a Markdown table; never asserts. The figures behind the
`short_document` note (spindetect.detector.SHORT_DOCUMENT_WORDS) and the README's Limits come from here.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from spindetect import Detector
from training.splits import corpora_dir, split_of

LENGTHS = (60, 120, 250, None)  # None: the whole article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    path = corpora_dir() / "news" / "bbc-2004-2005.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [row for row in rows if split_of(f"bbc:{row['id']}") == "test"][:args.articles]
    detector = Detector.load(args.model)
    print(f"Clean BBC test-split articles (n={len(rows)}), model {detector.model_ref}.\n")
    print("| first N words | flagged (false positives) | flagged as |")
    print("|---|---|---|")
    for length in LENGTHS:
        texts = [" ".join(row["text"].split()[:length]) if length else row["text"] for row in rows]
        verdicts = list(detector.score_many(texts))
        flagged = [v for v in verdicts if v.flagged]
        labels = ", ".join(f"{label} {count}" for label, count in Counter(v.label for v in flagged).most_common())
        print(f"| {length or 'whole'} | {len(flagged) / len(verdicts):.3f} | {labels or '-'} |")


if __name__ == "__main__":
    main()
