"""spindetect: detect content-farm copies, spun text, machine translation and LLM rewrites of news.

    from spindetect import Detector
    det = Detector.load()          # the bundled default model (or the user's promoted default)
    verdict = det.score(text)

Public names are imported on first use, so `import spindetect` (and the CLI's start-up) stays light.
"""

import importlib
import logging

__version__ = "0.1.0"

_PUBLIC = {
    "Detector": "detector", "Verdict": "verdict", "Reason": "verdict", "LABELS": "model",
    "SpindetectError": "errors", "DocumentError": "errors", "ModelError": "errors",
}
__all__ = [*_PUBLIC, "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str):
    if name in _PUBLIC:
        return getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    raise AttributeError(f"module 'spindetect' has no attribute {name!r}")
