"""The two kinds of failure (after dolma's split): skip one document, or stop the run.

`DocumentError` is about one input document (unreadable, binary, not JSON, no text): it becomes that
document's error record and the batch goes on. `ModelError` is about the run as a whole (no model,
tampered model, schema mismatch): nothing can be scored, so the command stops with a message.
"""

from __future__ import annotations


class SpindetectError(Exception):
    """Base of every error spindetect raises on purpose."""


class DocumentError(SpindetectError):
    """One document cannot be scored. `kind` is the machine-readable error type in its record."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __reduce__(self):  # exceptions pickle by their args; ours take two
        return (type(self), (self.kind, self.message))

    def to_dict(self) -> dict:
        return {"type": self.kind, "message": self.message}


class ModelError(SpindetectError):
    """The model cannot be used: missing, tampered, or built for other feature extractors."""
