"""Headless Chromium for the report: the browser test, the screenshots and the report benchmark open
pages through `open_page`.

The driver is Playwright (the `test` extra) on the system's Chromium (Debian's `chromium` package): never
a browser build of Playwright's own, which `playwright install` would download. The page runs with
networking disabled, and every request that is not for the report file is recorded, so a page that tried
to fetch anything is caught.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_CHROMIUM = "/usr/bin/chromium"
# Flags that keep a headless Chromium quiet and offline on a machine where it runs as root.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The system Chromium, or None when there is none."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or (SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else None)


def why_no_browser() -> str | None:
    """Why the report cannot be opened in a browser here, or None when it can."""
    if chromium_path() is None:
        return "no Chromium on this machine (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Playwright driver is not installed (pip install '.[test]')"
    return None


@dataclass
class PageLog:
    """What a page said and did besides drawing: console messages, uncaught errors, dialogs, requests."""

    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return ([f"console {kind}: {text}" for kind, text in self.console if kind in ("error", "warning")]
                + [f"page error: {e}" for e in self.errors] + [f"dialog: {d}" for d in self.dialogs]
                + [f"request: {r}" for r in self.foreign_requests])


@contextmanager
def open_page(path: Path, *, width: int = 1280, height: int = 900) -> Iterator[tuple[object, PageLog]]:
    """A Playwright page showing the report at `path` once its script has drawn it, and its log."""
    from playwright.sync_api import sync_playwright

    log = PageLog()
    url = Path(path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="spindetect-chromium-") as profile, sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": width, "height": height}, offline=True)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.on("console", lambda message: log.console.append((message.type, message.text)))
            page.on("pageerror", lambda error: log.errors.append(str(error)))
            page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: None if request.url.split("#")[0] == url
                    else log.foreign_requests.append(request.url))
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]")
            yield page, log
        finally:
            context.close()
