"""Compatibility: `from spindetect.document import Document` as earlier READMEs showed it.

Import `Document` from `spindetect` (or `spindetect.text`) instead; the module lives in `spindetect.text`.

A package rather than a module file so that version control sees the old module as moved, not rewritten.
"""

from __future__ import annotations

from ..text._document import NO_INDEX, Document, Token

__all__ = ["NO_INDEX", "Document", "Token"]
