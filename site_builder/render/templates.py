"""Themes and the Jinja environment: autoescape, StrictUndefined, theme lookup and override.

A site's `themes/<name>/templates/` comes first, the built-in default theme second, so a site can
override any single template. Template problems become TPL001 diagnostics at the template's own
file and line. Compiled templates are kept for the life of the process (`_COMPILED`), so a
preview session that rebuilds on every save compiles its theme once; Jinja keys them by template
name, file and source checksum, so an edited template is compiled again. An edit build may get
them compiled by its forked worker (`compile_theme` there, `preload` here).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from ..config.schema import SiteConfig
from ..config.themes import builtin_theme_dir, theme_dirs
from ..diagnostics.diagnostic import Diagnostic, Severity
from .seo import iso


def display_path(config: SiteConfig, path: Path) -> str:
    """A template path as shown in diagnostics: site-relative when inside the site."""
    resolved = path.resolve()
    if resolved.is_relative_to(config.root):
        return resolved.relative_to(config.root).as_posix()
    builtin = builtin_theme_dir().resolve()
    if resolved.is_relative_to(builtin):
        return "themes/default/" + resolved.relative_to(builtin).as_posix()
    return resolved.as_posix()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja bytecode held in memory, one entry per template file."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # ignored by Jinja when the checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()

    def entries(self) -> Mapping[str, bytes]:
        return self._store

    def add(self, compiled: Mapping[str, bytes]) -> None:
        for key, data in compiled.items():
            self._store.setdefault(key, data)


_COMPILED = _CompiledTemplates()


def compile_theme(config: SiteConfig) -> dict[str, bytes]:
    """Every template of the site's theme compiled, as the bytecode `preload` takes; a
    template that fails to compile is left out (the build reports it when it renders)."""
    env = make_environment(config, str, str)
    for name in env.list_templates():
        with contextlib.suppress(Exception):
            env.get_template(name)
    return dict(_COMPILED.entries())


def preload(compiled: Mapping[str, bytes]) -> None:
    """Templates compiled by another process of this build (`ahead`). Jinja uses an entry only
    if its checksum matches the template's source when it loads it."""
    _COMPILED.add(compiled)


def make_environment(
    config: SiteConfig, url: Callable[[str], str], abs_url: Callable[[str], str]
) -> jinja2.Environment:
    """The Jinja environment every page is rendered with."""
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d / "templates"), followlinks=False) for d in theme_dirs(config)
    ]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        keep_trailing_newline=False,
        bytecode_cache=_COMPILED,
    )
    env.globals["url"] = url
    env.globals["abs_url"] = abs_url
    env.filters["date"] = _format_date
    env.filters["isodate"] = iso
    return env


@functools.lru_cache(maxsize=8192)  # the same dates recur on every list page and card
def _format_date(value: dt.datetime | dt.date, style: str = "long") -> str:
    if style == "short":
        return f"{value:%Y-%m-%d}"
    return f"{value:%B} {value.day}, {value.year}"


_OUR_CLASS = re.compile(r"'site_builder(?:\.\w+)+\.(\w+) object'")


def template_diagnostic(config: SiteConfig, error: Exception) -> Diagnostic:
    """TPL001 at the template file and line where `error` happened."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        filename = error.filename or error.name or "<template>"
        path = display_path(config, Path(filename)) if error.filename else filename
        return Diagnostic(
            path,
            error.lineno or 1,
            1,
            Severity.ERROR,
            "TPL001",
            f"template syntax error: {error.message}",
        )
    path, line = "themes/" + config.theme, 1  # no template frame: the page's own template
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".json", ".j2")):
            path, line = display_path(config, Path(frame.filename)), frame.lineno or 1
            break
    if isinstance(error, jinja2.TemplateNotFound):  # at the include, import or extends
        message = f"template not found: {error.name}"
    elif isinstance(error, jinja2.UndefinedError):
        # Jinja names the object by its Python class path; the writer knows it as `Post`.
        message = _OUR_CLASS.sub(r"'\1 object'", str(error))
    else:
        message = f"{type(error).__name__}: {error}"
    return Diagnostic(path, line, 1, Severity.ERROR, "TPL001", message)
