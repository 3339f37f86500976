"""Discovery: what a build reads (sources, static files, themes), found by `stat` alone.

This is all an unchanged rebuild needs: `pipeline.fingerprints` hashes what discovery found and
compares it with the last build's, before any parsing library is even imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config.schema import CONFIG_NAME, SiteConfig
from ..diagnostics.diagnostic import Diagnostic, Severity
from .bundles import MARKDOWN_SUFFIXES, BundleFile, find_bundle_files, source_stem
from .sources import StaticFile, relative, scan, size_problem, walk


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

    @property
    def stem(self) -> str:
        """What the slug is made from: the file name, or a page bundle's folder name."""
        return source_stem(self.path)


@dataclass(frozen=True, slots=True)
class Sources:
    """What discovery found: the Markdown sources, static files, their problems, and the
    files of page bundles (`bundles`)."""

    refs: list[SourceRef]
    statics: list[StaticFile]
    problems: list[Diagnostic]
    bundle_files: list[BundleFile] = field(default_factory=list)


def discover_sources(config: SiteConfig) -> Sources:
    problems: list[Diagnostic] = []
    others: list[tuple[str, Path, int, int]] = []
    refs = discover(config, "posts", "post", problems, others)
    refs += discover(config, "pages", "page", problems, others)
    bundle_files, bundle_problems = find_bundle_files([ref.path for ref in refs], others)
    problems.extend(bundle_problems)
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
    return Sources(refs, statics, problems, bundle_files)


def discover(
    config: SiteConfig,
    folder: str,
    kind: str,
    problems: list[Diagnostic],
    others: list[tuple[str, Path, int, int]] | None = None,
) -> list[SourceRef]:
    """The Markdown sources under `content/<folder>/`, sorted, with their stat facts; the
    other files found there go to `others` (path, absolute path, size, mtime), for bundles."""
    refs: list[SourceRef] = []
    for path, rel, info in scan(config.root, config.content_path / folder, problems):
        if path.lower().endswith(MARKDOWN_SUFFIXES):
            refs.append(SourceRef(rel, path, kind, info.st_size, info.st_mtime_ns, info.st_ino))
        elif others is not None:
            others.append((rel, Path(path), info.st_size, info.st_mtime_ns))
    return refs


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
    limit = config.limits.max_file_size
    for path, info in walk(config.root, theme, problems):
        # templates are read whole (to render and to fingerprint the theme): capped as posts are
        parts = path.relative_to(theme).parts
        if len(parts) > 2 and parts[1] == "templates" and info.st_size > limit:
            hint = "a template is text: split it, or raise [limits] max_file_size in site.toml"
            problems.append(size_problem(relative(config.root, path), info.st_size, limit, hint))
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
