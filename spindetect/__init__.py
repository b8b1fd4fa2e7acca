"""spindetect: detect content-farm copies, spun text, machine translation and LLM rewrites of news.

    from spindetect import Detector
    det = Detector.load()          # the bundled default model (or the user's promoted default)
    verdict = det.score(text)

Public names are imported on first use, so `import spindetect` (and the CLI's start-up) stays light.

The package follows the data: `io` (inputs, decoding, HTML), `text` (normalisation, `Document`, language,
shared word lists), `features` (the feature families and their registry), `pipeline` (prepare, then
featurise), `model` (artifact, registry, explanations), `index` (source index, clustering), `learn`
(training, retraining, evaluation, model card), `cli` (the command line) and `integrations` (Dask, Spark).
Only the names in `__all__` (and `spindetect.index`, `spindetect.integrations.*`) are public; the `_`
modules inside the subpackages may change without notice.
"""

import importlib
import logging

__version__ = "0.2.0"

_PUBLIC = {
    "Detector": "detector", "Verdict": "verdict", "Reason": "verdict", "LABELS": "model",
    "Document": "text", "SourceIndex": "index", "cluster": "index.cluster", "default_model_path": "model",
    "SpindetectError": "errors", "DocumentError": "errors", "FatalError": "errors", "ModelError": "errors",
    "SourceIndexError": "errors",
}
__all__ = [*_PUBLIC, "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module 'spindetect' has no attribute {name!r}")
