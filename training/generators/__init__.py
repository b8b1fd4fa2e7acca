"""Generators of labelled training documents: spinners, page templates, Europarl pseudo-documents.

Only training code imports these; the detector package (spindetect) never does.
"""

from .documents import Article, detokenise, join_paragraphs, pseudo_documents
from .page_templates import (
    ALL_COPY_FAMILIES,
    HELDOUT_FAMILY_BUILDERS,
    LEGIT_FAMILY_BUILDERS,
    TRAINING_TEMPLATE_FAMILIES,
    PageContext,
    copy_page,
    legit_page,
    render_html,
    render_text,
)
from .spinners import SPINNER_FAMILIES, SpinResult, get_spinner, spin

__all__ = [
    "ALL_COPY_FAMILIES",
    "HELDOUT_FAMILY_BUILDERS",
    "LEGIT_FAMILY_BUILDERS",
    "SPINNER_FAMILIES",
    "TRAINING_TEMPLATE_FAMILIES",
    "Article",
    "PageContext",
    "SpinResult",
    "copy_page",
    "detokenise",
    "get_spinner",
    "join_paragraphs",
    "legit_page",
    "pseudo_documents",
    "render_html",
    "render_text",
    "spin",
]
