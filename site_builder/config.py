"""Site configuration: `site.toml` at the site root, read into a frozen `SiteConfig`.

Every key is optional. Unknown keys are a warning (CFG002) with a "did you mean"; values of the
wrong type or out of range are errors (CFG003) at the key's line; a TOML syntax error is CFG004.
A dangerous output directory (the site root, `content/`, `themes/`, or a parent of them) is
refused with CFG001 before anything runs.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .diagnostics import Diagnostic, Severity

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


@dataclass(frozen=True, slots=True)
class MarkdownConfig:
    allow_html: bool = option(False, "pass raw HTML in posts through (off: shown as text)")
    light_style: str = option("friendly", "Pygments style for light mode", _style)
    dark_style: str = option("monokai", "Pygments style for dark mode", _style)
    words_per_minute: int = option(220, "reading speed for the reading-time estimate", _positive)
    toc_min_headings: int = option(3, "show a table of contents from this many headings", _positive)


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    max_file_size: int = option(5 * 1024 * 1024, "largest source file in bytes", _positive)
    max_diagnostics: int = option(50, "most diagnostics printed per severity", _positive)
    max_tags_per_post: int = option(
        50, "most tags on one post (TAG004; tag pages cost tags² work)", _positive
    )


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    full_content: bool = option(True, "whole posts in feeds (false: the summary only)")
    limit: int = option(20, "newest posts in each feed", _positive)
    json_feed: bool = option(True, "also write /feed.json (JSON Feed 1.1)")
    tag_feeds: bool = option(True, "an Atom feed per tag and per series")


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


@dataclass(frozen=True, slots=True)
class DockerfileConfig:
    """The check of Dockerfile code blocks."""

    check: bool = option(True, "check every dockerfile code block")
    hints: bool = option(True, "size and cache hints (DH codes)")
    note: bool = option(True, "the 'Dockerfile checked' note under each checked block")
    hadolint: str = option("auto", "'auto': also run hadolint if installed; 'off'", _hadolint_mode)


def _levels(value: object) -> str | None:
    from .checks.levels import levels_problem

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


def load_config(root: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read `site.toml` under `root` (absent: all defaults). Never raises for bad input."""
    root = root.resolve()
    problems: list[Diagnostic] = []
    path = root / CONFIG_NAME
    data: dict[str, typing.Any] = {}
    text = ""
    if path.is_symlink():
        problems.append(_diag(1, 1, Severity.ERROR, "SRC002", "symlink not allowed"))
    elif path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = tomllib.loads(text)
        except UnicodeDecodeError:
            problems.append(_diag(1, 1, Severity.ERROR, "ENC001", "not valid UTF-8"))
        except tomllib.TOMLDecodeError as error:
            line, column = _toml_position(str(error))
            message = re.sub(
                r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)",
                "",
                str(error),
            )
            problems.append(
                _diag(
                    line,
                    column,
                    Severity.ERROR,
                    "CFG004",
                    f"TOML syntax error: {message}",
                )
            )
        except OSError as error:
            problems.append(_diag(1, 1, Severity.ERROR, "IO001", f"cannot read: {error.strerror}"))
    values = _read_section(SiteConfig, data, "", text, problems)
    for name, cls in SECTIONS.items():
        raw = data.get(name, {})
        if not isinstance(raw, dict):
            line = _key_line(text, "", name)
            problems.append(
                _diag(
                    line,
                    1,
                    Severity.ERROR,
                    "CFG003",
                    f"'{name}' must be a table ([{name}])",
                )
            )
            raw = {}
        values[name] = cls(**_read_section(cls, raw, name, text, problems))
    config = SiteConfig(root=root, **values)
    problems.extend(_check_output_dir(config, text))
    return config, problems


def _read_section(
    cls: type,
    data: dict[str, typing.Any],
    section: str,
    text: str,
    problems: list[Diagnostic],
) -> dict[str, typing.Any]:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    values: dict[str, typing.Any] = {}
    prefix = f"{section}." if section else ""
    for key, value in data.items():
        if not section and key in SECTIONS:
            continue
        line = _key_line(text, section, key)
        if key not in known:
            close = difflib.get_close_matches(
                key, list(known) + ([] if section else list(SECTIONS)), n=1
            )
            suggestion = f" (did you mean '{prefix}{close[0]}'?)" if close else ""
            problems.append(
                _diag(
                    line,
                    1,
                    Severity.WARNING,
                    "CFG002",
                    f"unknown key '{prefix}{key}'{suggestion}",
                )
            )
            continue
        expected = hints[key]
        if not _is_type(value, expected):
            problems.append(
                _diag(
                    line,
                    1,
                    Severity.ERROR,
                    "CFG003",
                    f"'{prefix}{key}' must be {_type_words(expected)}; "
                    f"got {type(value).__name__} {value!r}",
                )
            )
            continue
        check = known[key].metadata.get("check")
        message = check(value) if check else None
        if message:
            problems.append(_diag(line, 1, Severity.ERROR, "CFG003", f"'{prefix}{key}' {message}"))
            continue
        values[key] = value
    return values


def _is_type(value: object, expected: object) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, str)
    origin = typing.get_origin(expected)
    if origin is tuple:
        (item,) = {a for a in typing.get_args(expected) if a is not Ellipsis}
        return isinstance(value, list) and all(_is_type(v, item) for v in value)
    if origin in (dict, Mapping):
        key, item = typing.get_args(expected)
        return isinstance(value, dict) and all(
            _is_type(k, key) and _is_type(v, item) for k, v in value.items()
        )
    return False


def _type_words(expected: object) -> str:
    if typing.get_origin(expected) is tuple:
        return "a list of " + _type_words(typing.get_args(expected)[0]) + "s"
    if typing.get_origin(expected) in (dict, Mapping):
        return "a table of " + _type_words(typing.get_args(expected)[1]) + " values"
    words = {bool: "true or false", int: "a whole number", str: "text"}
    return words.get(expected, str(expected)) if isinstance(expected, type) else str(expected)


def _key_line(text: str, section: str, key: str) -> int:
    """The 1-based line of `key` inside `[section]` (or the top table), else 1."""
    current = ""
    key_re = re.compile(rf"\s*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")
    for number, line in enumerate(text.split("\n"), start=1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header:
            current = header.group(1)
            if not section and current == key:
                return number
            continue
        if current == section and key_re.match(line):
            return number
    return 1


def _toml_position(message: str) -> tuple[int, int]:
    match = re.search(r"at line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    if "end of document" in message:
        return 1, 1
    return 1, 1


def _diag(line: int, column: int, severity: Severity, code: str, message: str) -> Diagnostic:
    return Diagnostic(CONFIG_NAME, line, column, severity, code, message)


def _check_output_dir(config: SiteConfig, text: str) -> list[Diagnostic]:
    """CFG001 when publishing would replace the site itself or its inputs."""
    output = config.output_path
    root = config.root
    protected = [root, root / "content", root / "themes", root / CONFIG_NAME]
    line = _key_line(text, "", "output_dir")
    for path in protected:
        resolved = path.resolve()
        if output == resolved or resolved.is_relative_to(output):
            what = "the site root" if path == root else f"'{path.relative_to(root).as_posix()}'"
            return [
                _diag(
                    line,
                    1,
                    Severity.ERROR,
                    "CFG001",
                    f"output_dir '{config.output_dir}' would replace {what}; "
                    "choose a separate folder such as 'output'",
                )
            ]
    for name in ("content", "themes"):
        if output.is_relative_to((root / name).resolve()):
            return [
                _diag(
                    line,
                    1,
                    Severity.ERROR,
                    "CFG001",
                    f"output_dir '{config.output_dir}' is inside '{name}', so each build would "
                    "read the last one; choose a folder outside it such as 'output'",
                )
            ]
    if output == Path(output.anchor) or output == Path.home():
        return [
            _diag(
                line,
                1,
                Severity.ERROR,
                "CFG001",
                f"output_dir '{config.output_dir}' is not a safe place to publish",
            )
        ]
    return []
