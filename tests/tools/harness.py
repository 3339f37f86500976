"""Real components for browser and validator tests: an HTTP server on a free loopback port,
headless Chromium through Playwright, and the checkers installed from the npm registry.

Absent components skip the test, unless `SITE_BUILDER_REQUIRE_BROWSER=1` (Chromium) or
`SITE_BUILDER_REQUIRE_TOOLS=1` (Java, vnu-jar, axe-core) asks for a failure instead.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def tools_dir() -> Path:
    return Path(os.environ.get("SITE_BUILDER_TOOLS") or REPO / ".tools")


def _missing(what: str, variable: str, hint: str) -> NoReturn:
    message = f"{what} not available ({hint})"
    if os.environ.get(variable) == "1":
        pytest.fail(f"{message}; {variable}=1 requires it")
    pytest.skip(message)


def require_chromium() -> Path:
    if not CHROMIUM.is_file():
        _missing("Chromium", "SITE_BUILDER_REQUIRE_BROWSER", f"{CHROMIUM} is absent")
    return CHROMIUM


def require_tool(relative: str) -> Path:
    """A file of the npm-installed tools (e.g. `node_modules/axe-core/axe.min.js`)."""
    path = tools_dir() / relative
    if not path.is_file():
        _missing(
            path.name,
            "SITE_BUILDER_REQUIRE_TOOLS",
            f"{path} is absent; run tests/tools/install_node_tools.sh",
        )
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        _missing("java", "SITE_BUILDER_REQUIRE_TOOLS", "no java on PATH")
    return java


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on a free loopback port; yields the base URL (`http://127.0.0.1:N`)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright `Browser`), closed afterwards."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
