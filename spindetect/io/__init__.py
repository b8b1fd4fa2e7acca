"""Reading: inputs (files, directories, standard input, library arguments) to one `InputItem` per
document, bytes to text, and HTML pages to their main text and page furniture.

The HTML extractor (`spindetect.io._html`, trafilatura behind it) is imported on first use of
`extract_page` or `Page`: only a run that meets a page pays for it.
"""

from __future__ import annotations

from ._decoding import decode_bytes
from ._readers import DEFAULT_MAX_FILE_BYTES, iter_inputs, read_file
from ._records import InputItem, as_input_item, item_from_record, looks_like_html

__all__ = ["DEFAULT_MAX_FILE_BYTES", "InputItem", "Page", "as_input_item", "decode_bytes", "extract_page",
           "item_from_record", "iter_inputs", "looks_like_html", "read_file"]

_LAZY = frozenset({"Page", "extract_page"})


def __getattr__(name: str):
    if name in _LAZY:
        from . import _html

        return getattr(_html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
