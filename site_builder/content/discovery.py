"""Discovery: what a build reads (sources, static files, themes), found by `stat` alone.

This is all an unchanged rebuild needs: `inputs_fingerprint` over what discovery found is
compared with the last build's, before any parsing library is even imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..config.schema import CONFIG_NAME, SiteConfig
from ..config.themes import theme_dirs
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..fingerprint import digest, tool_fingerprint
from .sources import StaticFile, relative, scan, walk


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A content file found by discovery: site-relative `path`, and its `stat` facts."""

    path: str
    abs_path: str
    kind: str
    size: int
    mtime_ns: int
    inode: int

    @property
    def stat_key(self) -> tuple[int, int, int]:
        return (self.size, self.mtime_ns, self.inode)


@dataclass(frozen=True, slots=True)
class Sources:
    """What discovery found: the Markdown sources, static files, and their problems."""

    refs: list[SourceRef]
    statics: list[StaticFile]
    problems: list[Diagnostic]


def discover_sources(config: SiteConfig) -> Sources:
    problems: list[Diagnostic] = []
    refs = discover(config, "posts", "post", problems) + discover(config, "pages", "page", problems)
    statics = _static_files(config, problems)
    _check_theme(config, problems)
    if not any(ref.kind == "post" for ref in refs) and not any(
        d.path.startswith("content/posts/") for d in problems
    ):
        problems.append(
            Diagnostic(
                "content/posts",
                1,
                1,
                Severity.WARNING,
                "SRC003",
                "no posts",
                hint='add a Markdown file under content/posts/ (build-site new "Title")',
            )
        )
    return Sources(refs, statics, problems)


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
        for base, _dirs, names in os.walk(folder):
            for name in names:
                info = os.lstat(os.path.join(base, name))
                theme_files.append((os.path.join(base, name), info.st_size, info.st_mtime_ns))
    config_file = config.root / CONFIG_NAME
    config_text = config_file.read_bytes() if config_file.is_file() else b""
    return digest(
        processing_key(config),
        config_text,
        drafts,
        future,
        [(ref.path, ref.stat_key) for ref in sources.refs],
        [(s.path, s.size, s.mtime_ns) for s in sources.statics],
        sorted(theme_files),
        [d.format() for d in sources.problems],
        config.search.enabled and _has_pagefind(),
    )


def _has_pagefind() -> bool:
    from ..publish.search_index import pagefind_binary  # only for a site with search on

    return pagefind_binary() is not None


def discover(
    config: SiteConfig, folder: str, kind: str, problems: list[Diagnostic]
) -> list[SourceRef]:
    """The Markdown sources under `content/<folder>/`, sorted, with their stat facts."""
    return [
        SourceRef(rel, path, kind, info.st_size, info.st_mtime_ns, info.st_ino)
        for path, rel, info in scan(config.root, config.content_path / folder, problems)
        if path.lower().endswith((".md", ".markdown"))
    ]


def _static_files(config: SiteConfig, problems: list[Diagnostic]) -> list[StaticFile]:
    root = config.root
    static = config.content_path / "static"
    return [
        StaticFile(
            relative(root, path),
            path.relative_to(static).as_posix(),
            path,
            info.st_size,
            info.st_mtime_ns,
        )
        for path, info in walk(root, static, problems)
    ]


def _check_theme(config: SiteConfig, problems: list[Diagnostic]) -> None:
    theme = config.root / "themes"
    for _ in walk(config.root, theme, problems):
        pass
    if config.theme != "default" and not (theme / config.theme).is_dir():
        problems.append(
            Diagnostic(
                CONFIG_NAME,
                1,
                1,
                Severity.ERROR,
                "CFG003",
                f"theme '{config.theme}' not found under themes/",
            )
        )
