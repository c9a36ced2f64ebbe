"""A headless Chromium, driven by Playwright, for printing the one-pager to PDF (`persona export
--format pdf`) — the same engine the one-pager's browser tests run, so what they prove (the summary
sheet is one A4 page, every link resolves) holds for the PDF too.

Playwright is an optional extra (``pip install 'persona-agent[pdf]'``) and its own browser download
is not needed: the system's Chromium is used (``PERSONA_CHROMIUM``, else ``chromium``,
``chromium-browser`` or ``google-chrome`` on PATH; Debian: ``apt-get install chromium``). The flags
keep it from reaching the network (no component updates, sync or background requests) and every
request a page makes except ``data:`` URLs is refused, so printing never fetches anything.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from persona_agent.core.errors import PersonaError

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps",
                 "--disable-extensions", "--mute-audio")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "pip install 'persona-agent[pdf]' and a Chromium (Debian: apt-get install chromium)"


def chromium_path(configured: str | None = None) -> str | None:
    """The browser executable: ``configured`` (``PERSONA_CHROMIUM``), else the first on PATH; None
    lets Playwright use a browser it downloaded itself, if any."""
    if configured:
        return configured
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


@contextmanager
def headless_chromium(executable: str | None = None) -> Iterator[Any]:
    """A Playwright ``Browser`` (headless, offline flags, a fresh temporary profile), closed after use."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PersonaError("PDF export needs Playwright", INSTALL_HINT) from None
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium_path(executable), args=list(CHROMIUM_ARGS))
        except Error as exc:
            raise PersonaError(f"could not start Chromium: {str(exc).splitlines()[0]}", INSTALL_HINT) from None
        try:
            yield browser
        finally:
            browser.close()


def offline(page: Any) -> list[str]:
    """Refuse every request of ``page`` but inline ``data:`` URLs; returns the list of refused URLs."""
    refused: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "about:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", handle)
    return refused


def html_to_pdf(html: str, path: Path, executable: str | None = None) -> Path:
    """Print ``html`` to an A4 PDF at ``path`` (the page's own ``@page`` rules decide the margins)."""
    with headless_chromium(executable) as browser:
        return print_pdf(browser, html, path)


def print_pdf(browser: Any, html: str, path: Path) -> Path:
    """`html_to_pdf` in a browser that is already running."""
    page = browser.new_page()
    try:
        offline(page)
        page.set_content(html, wait_until="load")
        path.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(path=str(path), format="A4", print_background=True, prefer_css_page_size=True)
    finally:
        page.close()
    return path
