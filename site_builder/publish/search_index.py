"""Full-text search: a Pagefind index built over the staging folder, before the swap.

The index (`pagefind/` in the output) is part of the atomic publish: readers never see pages
without their index or an index of other pages. Pagefind indexes the article of each post and
page (`data-pagefind-body` in the theme); the search page loads it in the browser.

The binary is found like the `pagefind` Python package finds it: `$PAGEFIND_BINARY_PATH`, the
`pagefind_bin_extended` or `pagefind_bin` package (a dependency of site_builder), then
`pagefind_extended` / `pagefind` on PATH; a binary that does not answer `--version` does not
count. Without one, `searchable` turns search off for the build (no search box, no search
page: SRCH001, info), so no page offers a search that cannot work. If Pagefind fails while
indexing, its half-written index is removed and the site is published without one (SRCH002,
warning; the search page then says the index is missing).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..config.schema import CONFIG_NAME, SiteConfig
from ..content.model import Site
from ..diagnostics.diagnostic import Diagnostic, Severity

INDEX_FOLDER = "pagefind"
TIMEOUT_SECONDS = 600


def pagefind_binary() -> Path | None:
    """The Pagefind executable to run, or None when none is installed that runs."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured is not None:
        path = Path(configured)
        return path if _runs(path) else None
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = importlib.import_module(package)
            found = Path(module.get_executable())
        except (ImportError, FileNotFoundError, AttributeError):
            continue
        if _runs(found):
            return found
    for name in ("pagefind_extended", "pagefind"):
        which = shutil.which(name)
        if which and _runs(Path(which)):
            return Path(which)
    return None


def _runs(path: Path) -> bool:
    """True when `path` is an executable that answers `--version` (asked once per binary)."""
    try:
        info = path.stat()
    except OSError:
        return False
    return path.is_file() and os.access(path, os.X_OK) and _answers(path, info.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _answers(path: Path, _mtime_ns: int) -> bool:
    try:  # about 4 ms: a binary for another platform, or on a noexec mount, fails here
        run = subprocess.run([str(path), "--version"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return run.returncode == 0


def searchable(config: SiteConfig) -> tuple[SiteConfig, list[Diagnostic]]:
    """The config a build uses: search turned off, with SRCH001 (info), when Pagefind cannot run."""
    if not config.search.enabled or pagefind_binary() is not None:
        return config, []
    off = dataclasses.replace(config, search=dataclasses.replace(config.search, enabled=False))
    return off, [
        Diagnostic(
            CONFIG_NAME,
            1,
            1,
            Severity.INFO,
            "SRCH001",
            "Pagefind not found or cannot run: published without search "
            "(no search box, no search page)",
            hint="pip install 'pagefind[bin]' (a dependency of site_builder), "
            "or set [search] enabled = false",
        )
    ]


@dataclass(slots=True)
class SearchIndexer:
    """Runs Pagefind over a staging folder; what went wrong ends up in `diagnostics`."""

    config: SiteConfig
    site: Site | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reuse_from: Path | None = None  # a published site whose index may be kept (the preview)

    def __call__(self, staging: Path) -> None:
        site = self.site
        if self.reuse_from is not None and self._reuse(self.reuse_from / INDEX_FOLDER, staging):
            return
        _remove_index(staging)  # a staging tree may hold an older build's index
        if not self.config.search.enabled or site is None or not (site.posts or site.pages):
            return
        binary = pagefind_binary()
        if binary is None:
            return
        command = [
            str(binary),
            "--site",
            str(staging),
            "--output-subdir",
            INDEX_FOLDER,
            "--quiet",
        ]
        try:
            run = subprocess.run(
                command,
                cwd=staging,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            self._failed(staging, str(error))
            return
        if run.returncode != 0:
            output = (run.stderr.strip() or run.stdout.strip()).splitlines()
            reason = " ".join(output[:2]) if output else f"exit code {run.returncode}"
            self._failed(staging, reason)

    def _reuse(self, index: Path, staging: Path) -> bool:
        """Keep the published index (hard links, so nothing is copied); False if there is none."""
        if not self.config.search.enabled or not index.is_dir() or index.is_symlink():
            return False
        entry = "pagefind-entry.json"
        try:
            if os.stat(staging / INDEX_FOLDER / entry).st_ino == os.stat(index / entry).st_ino:
                return True  # the staging tree already shares it
        except OSError:
            pass
        _remove_index(staging)
        shutil.copytree(index, staging / INDEX_FOLDER, copy_function=os.link)
        return True

    def _failed(self, staging: Path, reason: str) -> None:
        index = staging / INDEX_FOLDER
        if index.is_dir() and not index.is_symlink():
            shutil.rmtree(index, ignore_errors=True)
        self.diagnostics.append(
            Diagnostic(
                CONFIG_NAME,
                1,
                1,
                Severity.WARNING,
                "SRCH002",
                f"Pagefind could not build the search index: {reason}; published without one",
                hint="run the Pagefind binary by hand over the output folder to see why",
            )
        )


def _remove_index(staging: Path) -> None:
    index = staging / INDEX_FOLDER
    if index.is_symlink() or index.is_file():
        index.unlink()
    elif index.is_dir():
        shutil.rmtree(index)
