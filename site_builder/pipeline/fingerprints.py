"""What an unchanged rebuild compares: everything a build reads, hashed by stat facts alone.

`processing_key` is what a document's processing depends on besides its own bytes (the tool,
the settings that shape a body); `inputs_fingerprint` adds every source, static and theme
file found by discovery, the files under `examples/` and `measurements.json` (what posts
include and cite), so equal fingerprints give an equal site.
"""

from __future__ import annotations

import os

from ..config.schema import CONFIG_NAME, SiteConfig
from ..config.themes import theme_dirs
from ..content.discovery import Sources
from ..fingerprint import digest, tool_fingerprint


def processing_key(config: SiteConfig) -> str:
    """What a document's processing depends on besides its own bytes."""
    hadolint = False
    if config.dockerfile.check and config.dockerfile.hadolint == "auto":
        # Imported here, so a site that does not use hadolint does not load its module.
        from ..dockerfile.hadolint import find_hadolint

        hadolint = find_hadolint() is not None
    return digest(
        tool_fingerprint(),
        config.markdown,
        config.dockerfile,
        config.checks,
        config.limits,
        config.timezone,
        config.base_url,
        hadolint,
    )


def inputs_fingerprint(config: SiteConfig, sources: Sources, drafts: bool, future: bool) -> str:
    """Everything a build reads, by stat facts: equal fingerprints give an equal site."""
    theme_files: list[tuple[str, int, int]] = []
    for folder in theme_dirs(config):
        theme_files.extend(_tree(folder))
    shown = _tree(config.root / "examples")
    lock = config.root / "measurements.json"
    if os.path.lexists(lock):
        info = os.lstat(lock)
        shown.append((str(lock), info.st_size, info.st_mtime_ns))
    config_file = config.root / CONFIG_NAME
    config_text = config_file.read_bytes() if config_file.is_file() else b""
    return digest(
        processing_key(config),
        config_text,
        drafts,
        future,
        [(ref.path, ref.stat_key) for ref in sources.refs],
        [(s.path, s.size, s.mtime_ns) for s in sources.statics],
        [(b.path, b.size, b.mtime_ns) for b in sources.bundle_files],
        sorted(theme_files),
        sorted(shown),
        [d.format() for d in sources.problems],
        config.search.enabled,  # off when Pagefind cannot run (`publish.search_index`)
    )


def _tree(folder: os.PathLike[str] | str) -> list[tuple[str, int, int]]:
    """Every file under `folder` (none if it is missing) with its size and mtime."""
    found: list[tuple[str, int, int]] = []
    for base, _dirs, names in os.walk(folder):
        for name in names:
            info = os.lstat(os.path.join(base, name))
            found.append((os.path.join(base, name), info.st_size, info.st_mtime_ns))
    return found
