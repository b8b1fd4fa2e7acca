"""Reading a rendered report back for the report tests: its tags (html.parser), its CSP and its data."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

from spindetect.io._readers import iter_inputs
from spindetect.report import collect

# Documents no report may let out of its data: markup and script breakers, bidi overrides, line separators.
HOSTILE_TEXTS = [
    "Breaking news </script><script>window.pwned = 1; alert(1)</script> the council said the plan works.",
    "An article with <!-- an opened comment and <script> tags <b>bold</b> inside the plain text body.",
    "A quote \"'><img src=x onerror=\"window.pwned=1\"> and </textarea><textarea> and </style> in prose.",
    "Right-to-left override \u202eevil.exe\u202c inside, and line separators \u2028 here \u2029 there.",
    "Zero\u200bwidth ch\u200baracters and Cyrillic lookalikes in p\u0430yment and \u0441ouncil reports.",
    "<svg onload=window.pwned=1></svg> &lt;script&gt; &amp; ]]> {{TITLE}} __DATA__ __SCRIPT__ text.",
]
HOSTILE_IDS = ["</script><script>window.pwned=1</script>", "\"'><img src=x onerror=window.pwned=1>", "\u202eid"]


def hostile_records() -> list[dict]:
    records = [{"id": f"hostile-{i}", "text": text * 3} for i, text in enumerate(HOSTILE_TEXTS)]
    records += [{"id": doc_id, "text": "A plain sentence about the weather in the city today."} for doc_id in HOSTILE_IDS]
    records.append({"id": "</script>-html", "html": "<html><body><p>" + "x" * 10 + "</p><script>alert(1)</script>"
                                                     "</body></html>"})
    return records


def example_entries(paths):
    """Report entries for files, read as `spindetect report` reads them."""
    return collect(iter_inputs([str(p) for p in paths]))


@dataclass
class ParsedReport:
    start_tags: list[tuple[str, dict]] = field(default_factory=list)
    scripts: list[tuple[dict, str]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def csp(self) -> str:
        for tag, attrs in self.start_tags:
            if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy":
                return attrs["content"]
        return ""

    @property
    def data(self) -> dict:
        (block,) = [text for attrs, text in self.scripts if attrs.get("type") == "application/json"]
        return json.loads(block)

    @property
    def inline_script(self) -> str:
        (code,) = [text for attrs, text in self.scripts if "type" not in attrs]
        return code


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.report = ParsedReport()
        self._in: tuple[str, dict] | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.report.start_tags.append((tag, attributes))
        if tag in ("script", "style"):
            self._in, self._buffer = (tag, attributes), []

    def handle_endtag(self, tag):
        if self._in and tag == self._in[0]:
            text = "".join(self._buffer)
            if tag == "script":
                self.report.scripts.append((self._in[1], text))
            else:
                self.report.styles.append(text)
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)

    def handle_comment(self, data):
        self.report.comments.append(data)


def parse_report(page: str) -> ParsedReport:
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader.report


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"
