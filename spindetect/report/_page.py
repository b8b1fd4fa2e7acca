"""The report page: template, style, script and data put together as one self-contained HTML file.

Nothing is fetched: the style and script are inlined, and the Content-Security-Policy allows exactly those
two (by their SHA-256 hashes) and no network access at all (`default-src 'none'`), so even markup that
slipped through could not load or send anything. The data travels in a `<script type="application/json">`
block, which the browser never runs; `_script_json` escapes every character that could end that block or
start markup inside it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from ..verdict import Verdict
from ._collect import ReportEntry
from ._payload import report_data
from ._stories import Story

DEFAULT_TITLE = "spindetect report"
_PLACEHOLDER_RE = re.compile(r"__([A-Z]+)__")
# Inside a JSON string these are ordinary characters; in an HTML script block "<" could open "</script>"
# or "<!--", and U+2028/U+2029 break JavaScript string literals in older engines. Escaped, they stay data.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def render(verdicts: Iterable[ReportEntry | Verdict | dict], *, title: str = DEFAULT_TITLE,
           stories: Iterable[Story] | None = None) -> str:
    """The report for a batch, as one HTML document.

    `verdicts`: `ReportEntry`s from `collect` (evidence is then marked in the text), or plain `Verdict`s or
    verdict records (the report then lists the evidence without the text). `stories`: from `stories_of`."""
    data = report_data(verdicts, title=title, stories=stories)
    style, script = _asset("report.css"), _asset("report.js")
    parts = {
        "TITLE": html.escape(title),
        "CSP": html.escape(_content_security_policy(style, script)),
        "STYLE": style,
        "SCRIPT": script,
        "DATA": _script_json(data),
    }
    # One pass over the template: text put in is never scanned for placeholders again.
    return _PLACEHOLDER_RE.sub(lambda m: parts[m.group(1)], _asset("report.html"))


def _script_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_SAFE)


def _content_security_policy(style: str, script: str) -> str:
    return (f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
            "img-src 'none'; base-uri 'none'; form-action 'none'")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def _asset(name: str) -> str:
    return (resources.files("spindetect.report") / "assets" / name).read_text(encoding="utf-8")
