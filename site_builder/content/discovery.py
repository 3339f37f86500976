"""Discovery: what a build reads (sources, static files, themes), found by `stat` alone.

This is all an unchanged rebuild needs: `pipeline.fingerprints` hashes what discovery found and
compares it with the last build's, before any parsing library is even imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.schema import CONFIG_NAME, SiteConfig
from ..diagnostics.diagnostic import Diagnostic, Severity
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
