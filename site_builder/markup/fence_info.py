"""Code fence info strings: the language word and the `{key=value ...}` options after it.

    ```dockerfile {linenos=true hl_lines="2 4-6" title="Dockerfile" check=false}

Options are separated by spaces or commas; values are bare words or quoted with `"` or `'`.
The braces may be left out when every word after the language is an option
(```` ```dockerfile title="Dockerfile" file="Dockerfile" ````, as MkDocs and Docusaurus write it).
Known options: `linenos` (true/false), `linenostart` (number), `hl_lines` (line numbers and
ranges), `title` (caption text), `copy` (true/false), `check` (Dockerfile blocks: true/false),
`expect-error` (Dockerfile blocks: the codes that must occur, space-separated), `file` (the
file the block shows, its caption when there is no `title`: Dockerfile blocks of a post that
share a `file=` name are one Dockerfile shown in parts; `title` alone never joins blocks),
`include` (the block's code is that file of the site, e.g. "examples/slim/Dockerfile"; its path
is the caption when there is no `title`), with `region` (the lines between `# region NAME` and
`# endregion`) or `lines` ("3-9", "5", "12-") to show only a part (`markup.includes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KNOWN_OPTIONS = (
    "linenos",
    "linenostart",
    "hl_lines",
    "title",
    "copy",
    "check",
    "expect-error",
    "file",
    "include",
    "region",
    "lines",
)
_OPTION_RE = re.compile(
    r"""\s*([A-Za-z][\w-]*)\s*(?:=\s*("[^"]*"|'[^']*'|\[[^\]]*\]|[^\s,}]*))?\s*,?"""
)
_BOOL = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}


@dataclass(frozen=True, slots=True)
class FenceInfo:
    """A parsed info string; `problems` are human-readable messages about bad options."""

    language: str = ""
    linenos: bool = False
    linenostart: int = 1
    hl_lines: frozenset[int] = frozenset()
    title: str = ""
    copy: bool = True
    check: bool = True
    expect_errors: tuple[str, ...] = ()
    file: str = ""
    include: str = ""  # a file of the site whose text is the block's code
    region: str = ""  # with `include`: the named region only
    lines: str = ""  # with `include`: these lines only ("3-9")
    problems: tuple[str, ...] = field(default=())


def parse_info(info: str) -> FenceInfo:
    """Split `info` into the language and its options; never raises."""
    info = info.strip()
    brace = info.find("{")
    head, options_text = (info[:brace], info[brace:]) if brace >= 0 else (info, "")
    words = head.split()
    language = words[0] if words else ""
    if language.startswith("{"):
        language = ""
    problems: list[str] = []
    values: dict[str, str] = {}
    body = ""
    if options_text:
        body = options_text[1:]
        if body.rstrip().endswith("}"):
            body = body.rstrip()[:-1]
        else:
            problems.append("code block options '{...}' are missing the closing '}'")
    elif len(words) > 1 and "=" in head:
        # `dockerfile title="Dockerfile" file=app` (MkDocs, Docusaurus): options without braces
        body = head.split(None, 1)[1]
    if body:
        position = 0
        while position < len(body):
            match = _OPTION_RE.match(body, position)
            if match is None or match.end() == position:
                problems.append(
                    f"cannot read code block option at '{body[position:].strip()[:20]}'"
                )
                break
            key, raw = match.group(1), match.group(2)
            position = match.end()
            value = "true" if raw is None else raw
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if key not in KNOWN_OPTIONS:
                problems.append(
                    f"unknown code block option '{key}' (known: {', '.join(KNOWN_OPTIONS)})"
                )
                continue
            values[key] = value
    return _build(language, values, problems)


def _build(language: str, values: dict[str, str], problems: list[str]) -> FenceInfo:
    def boolean(key: str, default: bool) -> bool:
        if key not in values:
            return default
        parsed = _BOOL.get(values[key].lower())
        if parsed is None:
            problems.append(f"code block option '{key}' must be true or false; got '{values[key]}'")
            return default
        return parsed

    start = 1
    if "linenostart" in values:
        if values["linenostart"].isdigit():
            start = max(1, int(values["linenostart"]))
        else:
            problems.append(
                f"code block option 'linenostart' must be a number; got '{values['linenostart']}'"
            )
    lines = _line_set(values.get("hl_lines", ""), problems)
    expect = tuple(values.get("expect-error", "").replace(",", " ").split())
    if ("region" in values or "lines" in values) and not values.get("include", "").strip():
        problems.append("code block options 'region' and 'lines' need include=\"path\"")
    if "region" in values and "lines" in values:
        problems.append("code block options 'region' and 'lines' cannot be used together")
    return FenceInfo(
        language=language,
        linenos=boolean("linenos", False),
        linenostart=start,
        hl_lines=lines,
        title=values.get("title", ""),
        copy=boolean("copy", True),
        check=boolean("check", True),
        expect_errors=expect,
        file=values.get("file", "").strip(),
        include=values.get("include", "").strip(),
        region=values.get("region", "").strip(),
        lines=values.get("lines", "").strip(),
        problems=tuple(problems),
    )


def _line_set(text: str, problems: list[str]) -> frozenset[int]:
    result: set[int] = set()
    for part in text.replace(",", " ").replace("[", " ").replace("]", " ").split():
        part = part.strip("\"'")
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if match is None:
            problems.append(
                f"hl_lines takes line numbers and ranges such as \"2 4-6\"; got '{part}'"
            )
            continue
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last - first > 10_000:
            problems.append(f"hl_lines range '{part}' is too large")
            continue
        result.update(range(first, last + 1))
    return frozenset(result)
