"""The two kinds of failure (after dolma's split): skip one document, or stop the run.

    SpindetectError                  base of every error spindetect raises on purpose
    ├── DocumentError                skip: one input document cannot be scored (its record says why)
    ├── FeatureContractError         a bug: a feature family returned other keys than it declares
    └── FatalError                   stop: nothing can be scored until the user fixes something
        ├── ModelError               no model, tampered model, feature-schema mismatch
        │   └── UnknownFeatureFamily a manifest names a feature family this spindetect does not have
        └── SourceIndexError         no source index, or one this version cannot read

`DocumentError` is about one input document (unreadable, binary, not JSON, no text): it becomes that
document's error record and the batch goes on. A `FatalError` is about the run as a whole: the command stops
with a message (exit 2).
"""

from __future__ import annotations

__all__ = ["SpindetectError", "DocumentError", "FeatureContractError", "FatalError", "ModelError", "UnknownFeatureFamily",
           "SourceIndexError"]


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


class FeatureContractError(SpindetectError):
    """A feature family did not return a value for every feature it declares: a bug in spindetect, not in
    the input. Scoring reports it as that document's `internal` error; training drops the document."""


class FatalError(SpindetectError):
    """The run cannot go on: the command stops with this message instead of writing records."""


class ModelError(FatalError):
    """The model cannot be used: missing, tampered, or built for other feature extractors."""


class UnknownFeatureFamily(ModelError, KeyError):
    """A versioned feature-family key (`"collocations@1"`) that the registry does not hold.

    Also a `KeyError`, which the registry raised before it had an error of its own."""

    def __str__(self) -> str:  # KeyError's str() would quote the message
        return str(self.args[0]) if self.args else ""


class SourceIndexError(FatalError):
    """The directory holds no index, or one this version cannot read."""
