"""Reading the built training corpus (build/corpus.jsonl) into spindetect Examples."""

from __future__ import annotations

import json
from pathlib import Path

from spindetect.io import InputItem
from spindetect.learn import Example

# Originals whose false-positive rate the threshold holds at 1%: human news. Europarl is parliamentary
# speech, kept as originals for the translation contrast but not "news" for the FPR budget.
NEWS_SOURCES = frozenset({"bbc", "llmfake", "hard_negative"})


def load_examples(path: Path) -> list[Example]:
    examples = []
    with Path(path).open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            doc_id = record["id"]
            item = InputItem(doc_id, f"corpus:{doc_id}", text=record.get("text"), html=record.get("html"))
            examples.append(Example(
                id=doc_id, item=item, label=record["label"], group=record["group"], split=record["split"],
                source=record.get("source", ""), generator=record.get("generator", ""),
                clean_news=record["label"] == "original" and record.get("source") != "europarl",
                extra={"heldout": bool(record.get("heldout")), "params": record.get("params") or {}},
            ))
    return examples
