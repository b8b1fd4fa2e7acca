"""Calibrate the language model's int8 products: the smoothing factor of every input channel of every
matrix product (`spindetect/lm/_graph.py`), written into the package (run once, by a maintainer, after
`training/build_lm.py`).

    python -m training.calibrate_lm

Text: the first 256 tokens of the first `--articles` BBC News articles of the held-out build's `train`
split (`training.build_corpus.load_bbc`; the `test` split, on which `benchmarks/lm_runtime.py` measures
perplexity, is never read). The float32 model reads them; for each product, the largest magnitude of
each input channel over every token is set against the largest magnitude of the weight's column for that
channel, and the factor is their ratio's square root (SmoothQuant with alpha 0.5). Writes
`spindetect/resources/lm/int8_smoothing.npz` (float32 factors by product name: numbers derived from the
corpus, no text) and records its digest and provenance in `lm.json`. After a new calibration, bump
`LanguageModelFeatures.version` and refit what reads the model (the translation probe, the deep stage).
"""

from __future__ import annotations

import argparse
import io
import json
import sys

import numpy as np

from onnx import TensorProto, helper

from spindetect.lm._graph import WeightsFile, build_body, build_head
from spindetect.lm._transformer import causal_mask, inverse_frequencies, rotary, session_in_memory
from spindetect.lm._weights import CONFIG_FILE, SMOOTHING_FILE, load_config, quantized_tensors
from spindetect.model import sha256_file
from training.build_lm import OUT

ALPHA = 0.5
WINDOW = 256
# Floors for channels that are (almost) never active or have (almost) no weight: their factor is
# immaterial, it only has to be finite.
FLOOR = 1e-5


def calibration_windows(articles: int, tokenizer, start_token: int) -> tuple[list[np.ndarray], int]:
    from training.build_corpus import load_bbc

    chosen = [story for story in load_bbc(None) if story.split == "train"][:articles]
    windows = [np.array([start_token] + tokenizer.encode(story.article.body).ids[:WINDOW]) for story in chosen]
    return windows, len(chosen)


def activation_maxima(config: dict, windows: list[np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per product: the largest |input| of each channel over every token of `windows` (float32 model), and
    the weight's largest |value| of each input channel."""
    import onnxruntime

    taps: list = []
    stream = io.BytesIO()
    weights = WeightsFile(stream)
    with quantized_tensors() as tensors:
        body = build_body(config, tensors, weights, taps=taps)
        build_head(config, tensors, weights, taps=taps)
    for _, tensor, _ in taps[:-1]:  # the head's input is the body's output "states"
        body.graph.output.append(helper.make_tensor_value_info(tensor, TensorProto.FLOAT, None))
    session = session_in_memory(onnxruntime, body, weights, stream, None)
    frequencies = inverse_frequencies(config)
    empty = np.zeros((1, int(config["kv_heads"]), 0, 2 * len(frequencies)), np.float32)
    maxima: dict[str, np.ndarray] = {}
    for ids in windows:
        cos, sin = rotary(np.arange(len(ids))[None], frequencies)
        feeds = {"input_ids": ids[None], "cos": cos, "sin": sin, "mask": np.ascontiguousarray(causal_mask(1, len(ids)))}
        for i in range(int(config["layers"])):
            feeds[f"past_key.{i}"] = feeds[f"past_value.{i}"] = empty
        outputs = session.run(["states"] + [tensor for _, tensor, _ in taps[:-1]], feeds)
        for (name, _, _), values in zip(taps, outputs[1:] + outputs[:1]):
            channel_max = np.abs(values.reshape(-1, values.shape[-1])).max(axis=0)
            maxima[name] = np.maximum(maxima.get(name, 0.0), channel_max)
    return maxima, {name: weight_max for name, _, weight_max in taps}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=24)
    args = parser.parse_args(argv)
    from tokenizers import Tokenizer

    config = load_config()
    tokenizer = Tokenizer.from_file(str(OUT / "tokenizer.json"))
    windows, articles = calibration_windows(args.articles, tokenizer, int(config["start_token_id"]))
    activations, weights = activation_maxima(config, windows)
    factors = {name: np.sqrt(np.maximum(activations[name], FLOOR) / np.maximum(weights[name], FLOOR)) ** (2 * ALPHA)
               for name in activations}
    np.savez(OUT / SMOOTHING_FILE, **{name: f.astype(np.float32) for name, f in factors.items()})
    config_path = OUT / CONFIG_FILE
    stored = json.loads(config_path.read_text())
    stored["int8_smoothing"] = {
        "sha256": sha256_file(OUT / SMOOTHING_FILE), "alpha": ALPHA, "products": len(factors),
        "calibration": f"first {WINDOW} tokens of the first {articles} BBC News articles of the held-out "
                       f"build's train split ({sum(len(w) for w in windows)} tokens); python -m training.calibrate_lm"}
    config_path.write_text(json.dumps(stored, indent=2) + "\n")
    print(f"{len(factors)} products, {sum(len(w) for w in windows)} tokens -> {OUT / SMOOTHING_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
