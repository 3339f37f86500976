"""Variables a post tells its reader to set: `${REGISTRY}` in its Dockerfile is theirs to fill in.

A tutorial often writes `FROM ${REGISTRY}/app:1.0` and says, in a shell block or a sentence,
where the value comes from: `export REGISTRY=ghcr.io/you`, `REGISTRY=… envsubst < Dockerfile.in`,
or "set `REGISTRY` to your registry". Such a name is a placeholder of the post's Dockerfiles,
shown as one and never an error, unless the Dockerfile itself declares it (`ARG`/`ENV`), in
which case it is a real variable and checked as one.

The post says to set a name when:
- a shell block (`sh`, `bash`, `shell`, `console`, `zsh`, …) assigns it: `export NAME=…`,
  `NAME=…` at the start of a command (after a `$ ` prompt in a console block);
- a paragraph or list item holds the name in inline code (`NAME`, `$NAME`, `${NAME}`) next to
  a word that asks for a value: set, replace, export, define, substitute, fill in, your.
`docker build --build-arg NAME=…` is not such a statement: without `ARG NAME` the engine ignores
it, so the Dockerfile's error stays a real one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markdown_it.token import Token

from .outline import CodeBlock

SHELL_LANGUAGES = frozenset(
    {"sh", "bash", "shell", "zsh", "console", "shell-session", "terminal", "fish", "ksh"}
)
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_ASSIGNMENT = re.compile(
    rf"^[ \t]*(?:[$#>][ \t]+)?(?:export[ \t]+|set[ \t]+-x[ \t]+|env[ \t]+)?({_NAME})=", re.M
)
_EXPORT_MORE = re.compile(rf"^[ \t]*(?:[$#][ \t]+)?export((?:[ \t]+{_NAME}(?:=\S*)?)+)", re.M)
_CODE_NAME = re.compile(rf"^\$?\{{?({_NAME})\}}?$")
_ASKS = re.compile(
    r"\b(?:set|sets|setting|replace|replacing|export|define|substitute|fill(?:ing)? in|your)\b",
    re.IGNORECASE,
)
_DECLARED = re.compile(rf"^[ \t]*(?:ARG|ENV)[ \t]+({_NAME})", re.M | re.IGNORECASE)


def variables_to_set(tokens: Sequence[Token], code_blocks: Iterable[CodeBlock]) -> frozenset[str]:
    """The names the post asks its reader to set, from its shell blocks and its prose."""
    names: set[str] = set()
    for block in code_blocks:
        if block.language.lower() in SHELL_LANGUAGES:
            names.update(_assigned(block.code))
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children:
            continue
        if index and tokens[index - 1].type == "heading_open":
            continue
        # the names first, the asking word only for a paragraph that has one: the word's
        # regular expression is the costly test (4% of a cold build when it ran first)
        found = [
            match.group(1)
            for child in token.children
            if child.type == "code_inline"
            and (match := _CODE_NAME.match(child.content.strip())) is not None
            and _looks_like_variable(match.group(1))
        ]
        if found and _ASKS.search(token.content):
            names.update(found)
    return frozenset(names)


def declared(code: str) -> frozenset[str]:
    """The names a Dockerfile declares itself with `ARG` or `ENV` (a real variable then)."""
    return frozenset(match.group(1) for match in _DECLARED.finditer(code))


def placeholder_patterns(names: Iterable[str]) -> tuple[str, ...]:
    """Placeholder patterns for `${NAME}` and `$NAME` of each name."""
    ordered = sorted(set(names), key=lambda name: (-len(name), name))
    if not ordered:
        return ()
    alternatives = "|".join(re.escape(name) for name in ordered)
    return (rf"\$\{{(?:{alternatives})\}}|\$(?:{alternatives})(?![A-Za-z0-9_])",)


def _assigned(code: str) -> set[str]:
    found = {match.group(1) for match in _ASSIGNMENT.finditer(code)}
    for match in _EXPORT_MORE.finditer(code):
        found.update(word.split("=", 1)[0] for word in match.group(1).split())
    return {name for name in found if _looks_like_variable(name)}


def _looks_like_variable(name: str) -> bool:
    """An environment-style name: upper case, digits and `_` (`REGISTRY`, `NODE_VERSION`), as
    Dockerfile build arguments are written; `path` or `x` in code is too likely something else."""
    return len(name) >= 2 and name.upper() == name and any(c.isalpha() for c in name)
