"""Reading `site.toml` at the site root into a frozen `SiteConfig` (schema in `config`).

Every key is optional. Unknown keys are a warning (CFG002) with a "did you mean"; values of the
wrong type or out of range are errors (CFG003) at the key itself, however it is spelled
(`key_positions`: under a header, dotted, in an inline table); a TOML syntax error is CFG004.
A dangerous output directory (the site root, `content/`, `themes/`, or a parent of them) is
refused with CFG001 before anything runs.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity
from .examples import read_examples
from .key_positions import key_positions
from .schema import CONFIG_NAME, SECTIONS, SiteConfig


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
            line, column = _toml_position(str(error), text)
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
        section = _read_section(cls, raw, name, text, problems)
        if name == "markdown":
            _old_html_spelling(section, text, problems)
        values[name] = cls(**section)
    examples, found = read_examples(
        data.get("examples"),
        lambda path: _positions(text).get(path, (1, 1)),
        lambda at, code, message: _diag(*at, _severity(code), code, message),
    )
    problems.extend(found)
    config = SiteConfig(root=root, examples=examples, **values)
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
        if not section and (key in SECTIONS or key == "examples"):
            continue
        line, column = _key_position(text, section, key)
        if key not in known:
            close = difflib.get_close_matches(
                key, list(known) + ([] if section else list(SECTIONS)), n=1
            )
            suggestion = f" (did you mean '{prefix}{close[0]}'?)" if close else ""
            problems.append(
                _diag(
                    line,
                    column,
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
                    column,
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
            problems.append(
                _diag(line, column, Severity.ERROR, "CFG003", f"'{prefix}{key}' {message}")
            )
            continue
        values[key] = value
    return values


def _old_html_spelling(
    values: dict[str, typing.Any], text: str, problems: list[Diagnostic]
) -> None:
    """`allow_html` is the old spelling of `html`: true is "trusted", false is "text"."""
    if "allow_html" not in values:
        return
    meant = "trusted" if values["allow_html"] else "text"
    if values.setdefault("html", meant) != meant:
        problems.append(
            _diag(
                _key_line(text, "markdown", "allow_html"),
                1,
                Severity.ERROR,
                "CFG003",
                f"'markdown.allow_html' says html = \"{meant}\" but 'markdown.html' says "
                f'"{values["html"]}"; keep only html',
            )
        )


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
    return _key_position(text, section, key)[0]


def _key_position(text: str, section: str, key: str) -> tuple[int, int]:
    """Where `key` of `[section]` (or of the top table) is written, in any TOML spelling:
    under a header, as a dotted key, in an inline table; else 1:1."""
    path = (section, key) if section else (key,)
    return _positions(text).get(path, (1, 1))


@functools.lru_cache(maxsize=4)
def _positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    return key_positions(text)


def _toml_position(message: str, text: str) -> tuple[int, int]:
    """Where tomllib's message says the syntax error is; "end of document" is after the last
    character of the file."""
    match = re.search(r"at line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    if "end of document" in message:
        lines = text.split("\n")
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
        return len(lines), len(lines[-1]) + 1
    return 1, 1


def _severity(code: str) -> Severity:
    return Severity.WARNING if code == "CFG002" else Severity.ERROR


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
