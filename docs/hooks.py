"""MkDocs hooks (mkdocs.yml `hooks:`): the site's pages that live outside docs/.

The README, the changelog, the model cards, the data provenance and BENCHMARKS.md stay where readers of the
repository find them. The site reads each at build time, so it never holds a stale copy, and every relative
link in a page (of docs/ or of those files) that points at one of them, or into docs/, is rewritten to the
site's page. A link to anything else in the repository is left as written, and the strict build fails on
it: the site has no such page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File

REPO = Path(__file__).resolve().parent.parent

# repository path -> the site's page
PAGES = {
    "README.md": "index.md",
    "CHANGELOG.md": "changelog.md",
    "BENCHMARKS.md": "benchmarks.md",
    "models/spindetect-default/MODEL_CARD.md": "model-card.md",
    "models/spindetect-default/deep/MODEL_CARD.md": "model-card-deep.md",
    "data/README.md": "data.md",
}
_SOURCE_OF = {page: path for path, page in PAGES.items()}
_FENCE = re.compile(r"^```.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def on_files(files, config):
    for path, page in PAGES.items():
        files.append(File.generated(config, page, content=(REPO / path).read_text(encoding="utf-8")))
    return files


def on_page_markdown(markdown, page, config, files):
    page_uri = page.file.src_uri
    source = _SOURCE_OF.get(page_uri, f"docs/{page_uri}")
    out, end = [], 0
    for fence in _FENCE.finditer(markdown):  # links inside code blocks are code
        out.append(_rewrite(markdown[end:fence.start()], source, page_uri))
        out.append(fence.group())
        end = fence.end()
    out.append(_rewrite(markdown[end:], source, page_uri))
    return "".join(out)


def _rewrite(text: str, source: str, page_uri: str) -> str:
    return _LINK.sub(lambda m: m[1] + site_link(m[2], source, page_uri) + m[3], text)


def site_link(target: str, source: str, page_uri: str) -> str:
    """`target`, a link written in the repository file `source`, as a link from the site's page `page_uri`."""
    if _SCHEME.match(target) or target.startswith(("#", "/")):
        return target
    path, hash_mark, anchor = target.partition("#")
    in_repo = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    site_page = PAGES.get(in_repo) or (in_repo.removeprefix("docs/") if in_repo.startswith("docs/") else None)
    if site_page is None:
        return target
    return posixpath.relpath(site_page, posixpath.dirname(page_uri) or ".") + hash_mark + anchor
