"""The text of one shortcode or Liquid tag: its dialect, name and arguments.

Hugo writes `{{< name args >}}` and `{{% name args %}}`, closed by `{{< /name >}}`
(`{{</* name */>}}` is Hugo's way to show one as text). Jekyll, dev.to and other Liquid users
write `{% name args %}`, closed by `{% endname %}` (`{%- name -%}` trims whitespace), and output
`{{ site.title }}`. Arguments are positional or `key=value`; a value is bare or quoted with `"`
(backslash escapes), `'` or backticks. Lexing never fails: what cannot be read as arguments is
kept as one last positional value, for the caller to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["hugo", "liquid", "output"]

# `{{ site.x }}`, `{{ page.x }}`, `{{ "/a" | relative_url }}`: output only a template can mean.
# A plain `{{ x }}` or `{{ .Names }}` is left alone: posts about Go templates, Jinja or
# `docker inspect --format` write those in prose.
OUTPUT_RE = re.compile(
    r"\{\{-?[ \t]*(?:(?:site|page|include|layout|paginator|jekyll|forloop|post)\.[^{}\n]{0,200}?"
    r"|content[ \t]*|(?:\"[^\"{}\n]{0,200}\"|'[^'{}\n]{0,200}')[ \t]*\|[^{}\n]{0,200}?)-?\}\}"
)
_NAME_RE = re.compile(r"[A-Za-z0-9_][\w./-]*")
_LIQUID_NAME_RE = re.compile(r"[A-Za-z_]\w*")
_ARG_RE = re.compile(
    r"""\s*(?:([A-Za-z_][\w-]*)\s*=\s*)?("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`]+)""", re.S
)


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag as written. `name` is lower case; a Liquid `{% endraw %}` is `raw`, closing."""

    dialect: Dialect
    name: str
    closing: bool
    positional: tuple[str, ...]
    named: tuple[tuple[str, str], ...]
    source: str

    def get(self, *keys: str, index: int | None = None) -> str | None:
        """The first named argument among `keys`, else the positional one at `index`."""
        for key, value in self.named:
            if key.lower() in keys:
                return value
        if index is not None and index < len(self.positional):
            return self.positional[index]
        return None

    def argument_names(self) -> tuple[str, ...]:
        return tuple(key.lower() for key, _ in self.named)

    @property
    def written(self) -> str:
        """How messages name it: `{{< youtube >}}`, `{% include %}`, `{{ site.baseurl }}`."""
        if self.dialect == "output":
            return self.source if len(self.source) <= 60 else self.source[:57] + "…"
        slash = "/" if self.closing else ""
        if self.dialect == "liquid":
            return f"{{% {'end' if self.closing else ''}{self.name} %}}"
        delimiter = self.source[2:3] or "<"
        close = ">" if delimiter == "<" else "%"
        return f"{{{{{delimiter} {slash}{self.name} {close}}}}}"


def hugo_tag(text: str) -> Tag:
    """`{{< name args >}}` or `{{% … %}}`: the whole text, delimiters included."""
    inner = text[3:-3].strip()
    closing = inner.startswith("/")
    if closing:
        inner = inner[1:].lstrip()
    match = _NAME_RE.match(inner)
    name = match.group(0) if match else ""
    positional, named = arguments(inner[len(name) :])
    return Tag("hugo", name.lower(), closing, positional, named, text)


def liquid_tag(text: str) -> Tag:
    """`{% name args %}`: the whole text, delimiters included."""
    inner = text[2:-2]
    inner = inner[1:] if inner.startswith("-") else inner
    inner = inner[:-1] if inner.endswith("-") else inner
    inner = inner.strip()
    match = _LIQUID_NAME_RE.match(inner)
    name = match.group(0).lower() if match else ""
    positional, named = arguments(inner[len(name) :])
    closing = name.startswith("end") and len(name) > 3
    return Tag("liquid", name[3:] if closing else name, closing, positional, named, text)


def output_tag(text: str) -> Tag:
    """`{{ site.baseurl }}`: the name is what it outputs, up to a filter (`site.baseurl`)."""
    inner = text[2:-2].strip("-").strip()
    name = inner.split("|", 1)[0].strip()
    filters = tuple(part.strip().split(":", 1)[0].strip() for part in inner.split("|")[1:])
    return Tag("output", name, False, filters, (), text)


def arguments(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Positional and named arguments; an unreadable rest becomes one positional value."""
    positional: list[str] = []
    named: list[tuple[str, str]] = []
    position = 0
    while position < len(text) and text[position:].strip():
        match = _ARG_RE.match(text, position)
        if match is None:
            positional.append(text[position:].strip())
            break
        key, value = match.group(1), _unquote(match.group(2))
        if key is None:
            positional.append(value)
        else:
            named.append((key, value))
        position = match.end()
    return tuple(positional), tuple(named)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        inner = value[1:-1]
        return re.sub(r"\\(.)", r"\1", inner, flags=re.S) if value[0] == '"' else inner
    return value
