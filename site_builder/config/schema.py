"""Site configuration: the schema of `site.toml` as frozen dataclasses (`SiteConfig` and one
per section), with each key's default, documentation and value check.

Every key is optional. `config_file.load_config` reads the file into a `SiteConfig`.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .examples import ExampleConfig

CONFIG_NAME = "site.toml"

Check = Callable[[object], str | None]


def _positive(value: object) -> str | None:
    return None if isinstance(value, int) and value > 0 else "must be a whole number above 0"


def _url(value: object) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        return None
    return "must be an absolute http(s) URL such as 'https://example.com/'"


def _timezone(value: object) -> str | None:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        return (
            f"names an unknown timezone '{value}' "
            "(use an IANA name such as 'Europe/Berlin' or 'UTC')"
        )
    return None


def _style(value: object) -> str | None:
    from pygments.styles import get_all_styles

    styles = sorted(get_all_styles())
    if value in styles:
        return None
    close = difflib.get_close_matches(str(value), styles, n=1)
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    return f"names an unknown Pygments style '{value}'{suggestion}"


def _relative_dir(value: object) -> str | None:
    if isinstance(value, str) and value.strip() and "\0" not in value:
        return None
    return "must be a folder path"


def _folder_name(value: object) -> str | None:
    # One plain name: a path ('../x', 'a/b') or a hidden folder would escape the symlink checks.
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", value):
        return None
    return "must be the name of a folder under themes/ (letters, digits, '.', '_', '-')"


def _language(value: object) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return None
    return "must be a language tag such as 'en' or 'en-CA'"


def _non_negative(value: object) -> str | None:
    return None if isinstance(value, int) and value >= 0 else "must be a whole number, 0 or more"


def _handle(value: object) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"(@?[A-Za-z0-9_]{1,15})?", value):
        return None
    return "must be a handle such as '@example' (letters, digits, '_')"


def option(default: object, doc: str, check: Check | None = None) -> typing.Any:
    """A config field with its documentation and an optional value check."""
    if isinstance(default, list | dict):
        return field(default_factory=lambda: default, metadata={"doc": doc, "check": check})
    return field(default=default, metadata={"doc": doc, "check": check})


HTML_MODES = ("safe", "text", "trusted")


def _html_mode(value: object) -> str | None:
    return None if value in HTML_MODES else 'must be "safe", "text" or "trusted"'


@dataclass(frozen=True, slots=True)
class MarkdownConfig:
    html: str = option(
        "safe",
        "raw HTML in posts: 'safe' keeps an allowlist, 'text' shows all as text, 'trusted' all",
        _html_mode,
    )
    allow_html: bool = option(False, "the old spelling: true is html = 'trusted', false 'text'")
    light_style: str = option("friendly", "Pygments style for light mode", _style)
    dark_style: str = option("github-dark", "Pygments style for dark mode", _style)
    words_per_minute: int = option(220, "reading speed for the reading-time estimate", _positive)
    toc_min_headings: int = option(3, "show a table of contents from this many headings", _positive)
    accelerate: bool = option(
        True,
        "parse Markdown with markdown-it-pyrs when the 'fast' extra is installed (the same tokens)",
    )

    @property
    def html_mode(self) -> str:
        """The HTML mode in force: `allow_html = true` still means "trusted"."""
        return "trusted" if self.allow_html else self.html


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    max_file_size: int = option(5 * 1024 * 1024, "largest source file in bytes", _positive)
    max_diagnostics: int = option(50, "most diagnostics printed per severity", _positive)
    max_tags_per_post: int = option(
        50, "most tags on one post (TAG004; tag pages cost tags² work)", _positive
    )


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    """The feeds. The site's feeds carry whole posts, tag and series feeds the summary (as
    Hugo's do): a tag feed repeats posts the site feed already has in full."""

    full_content: bool = option(
        True, "whole posts in the site feeds, /atom.xml and /feed.json (false: the summary)"
    )
    tag_full_content: bool = option(False, "whole posts in each tag's feed (false: the summary)")
    series_full_content: bool = option(
        False, "whole posts in each series' feed (false: the summary)"
    )
    limit: int = option(20, "newest posts in each feed", _positive)
    json_feed: bool = option(True, "also write /feed.json (JSON Feed 1.1)")
    tag_feeds: bool = option(True, "an Atom feed per tag and per series")

    def full_for(self, kind: str) -> bool:
        """Whether the feeds of a page of `kind` (home, tag, series) carry whole posts."""
        if kind == "tag":
            return self.tag_full_content
        if kind == "series":
            return self.series_full_content
        return self.full_content


@dataclass(frozen=True, slots=True)
class SearchConfig:
    enabled: bool = option(True, "search page, and a Pagefind index when Pagefind is installed")


@dataclass(frozen=True, slots=True)
class SocialConfig:
    twitter: str = option("", "the site's Twitter/X handle, e.g. '@example'", _handle)
    image: str = option("", "share image for pages without cover_image (site path or URL)")


@dataclass(frozen=True, slots=True)
class RelatedConfig:
    limit: int = option(3, "related posts (shared tags) under each post; 0: none", _non_negative)


def _hadolint_mode(value: object) -> str | None:
    return None if value in ("auto", "off") else 'must be "auto" or "off"'


def _placeholder_patterns(value: object) -> str | None:
    """Each pattern must compile and match at least one character."""
    for pattern in value if isinstance(value, list | tuple) else ():
        try:
            compiled = re.compile(str(pattern))
        except re.error as exc:
            return f"has '{pattern}', which is not a valid regular expression ({exc})"
        if compiled.search("") is not None:
            return f"has '{pattern}', which matches empty text; a placeholder is some characters"
    return None


@dataclass(frozen=True, slots=True)
class DockerfileConfig:
    """The check of Dockerfile code blocks."""

    check: bool = option(True, "check every dockerfile code block")
    hints: bool = option(True, "size and cache hints (DH codes)")
    note: bool = option(True, "the 'Dockerfile checked' note under each checked block")
    hadolint: str = option("auto", "'auto': also run hadolint if installed; 'off'", _hadolint_mode)
    placeholders: tuple[str, ...] = option(
        [], "your own placeholder patterns (regular expressions)", _placeholder_patterns
    )


def _levels(value: object) -> str | None:
    from ..diagnostics.levels import levels_problem

    return levels_problem(value)


@dataclass(frozen=True, slots=True)
class ChecksConfig:
    """Content checks (links, unfinished writing, front matter, tags, external links)."""

    levels: Mapping[str, str] = option({}, "per code: off, info, warning or error", _levels)
    allowed_tags: tuple[str, ...] = option([], "if not empty, the only tags posts may use")
    max_tags: int = option(0, "most tags per post, e.g. 4 for dev.to (0: no limit)", _non_negative)
    single_use_tags_from: int = option(10, "report single-use tags from this many posts", _positive)
    description_min: int = option(50, "shortest useful description, in characters", _positive)
    description_max: int = option(160, "longest description search results show", _positive)
    title_max: int = option(70, "longest title search results show", _positive)
    section_min_words: int = option(3, "a section with fewer words is reported", _non_negative)
    placeholders: tuple[str, ...] = option(
        ["___", "TODO", "TBD", "XXX", "FIXME", "TKTK", "lorem ipsum"],
        "placeholder words ('___': a run of 3 or more '_')",
    )
    misspellings: Mapping[str, str] = option({}, 'more misspelled names: { Wrong = "Right" }')
    external_timeout: int = option(10, "seconds to wait for each external link", _positive)
    external_workers: int = option(8, "external links checked at once", _positive)
    external_skip_prefixes: tuple[str, ...] = option([], "external URLs starting so are skipped")
    external_cache_hours: int = option(24, "hours a good external link is trusted", _non_negative)
    external_local: bool = option(False, "also check localhost and private-network links")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The validated site configuration; `root` is the site root folder."""

    root: Path = field(default=Path("."), metadata={"internal": True})
    title: str = option("My Docker Blog", "site title")
    description: str = option("", "one-line site description (home page, feeds)")
    author: str = option("", "author name (feeds, JSON-LD)")
    base_url: str = option("http://localhost:8000/", "absolute URL the site is served from", _url)
    language: str = option("en", "language tag of the pages", _language)
    timezone: str = option("UTC", "timezone for dates without an offset", _timezone)
    posts_per_page: int = option(10, "posts per home or tag page", _positive)
    theme: str = option(
        "default", "theme folder under themes/ (else the built-in one)", _folder_name
    )
    output_dir: str = option("output", "where the site is published", _relative_dir)
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    social: SocialConfig = field(default_factory=SocialConfig)
    related: RelatedConfig = field(default_factory=RelatedConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    dockerfile: DockerfileConfig = field(default_factory=DockerfileConfig)
    # [examples.NAME] tables (config.examples): read apart from the fixed sections
    examples: Mapping[str, ExampleConfig] = field(default_factory=dict, metadata={"internal": True})

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def output_path(self) -> Path:
        """The output folder, its parents resolved but not itself: a symlinked output folder
        is seen (and refused by publish) rather than followed to wherever it points."""
        path = Path(os.path.normpath(self.root / self.output_dir))
        return path.parent.resolve() / path.name

    @property
    def content_path(self) -> Path:
        return self.root / "content"

    @property
    def base_path(self) -> str:
        """The path part of base_url, with a leading and trailing slash ('/' or '/blog/')."""
        path = re.sub(r"https?://[^/]+", "", self.base_url) or "/"
        return path if path.endswith("/") else path + "/"


SECTIONS: dict[str, type] = {
    "dockerfile": DockerfileConfig,
    "markdown": MarkdownConfig,
    "limits": LimitsConfig,
    "feeds": FeedsConfig,
    "search": SearchConfig,
    "social": SocialConfig,
    "related": RelatedConfig,
    "checks": ChecksConfig,
}
