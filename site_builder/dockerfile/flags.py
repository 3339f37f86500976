"""Builder flags (`--from=x`, `--link`): BuildKit's `instructions/bflag.go`, per instruction.

Which flags each instruction accepts and of which type (string, bool, repeatable), and the
errors for an unknown flag (with a "did you mean"), a repeated one, a missing value and a bad
boolean. The parser keeps any `--word`; only here are flags judged.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from .gotext import go_lower, with_suggestion
from .nodes import Token


class FlagType(Enum):
    STRING = "string"
    BOOL = "bool"
    STRINGS = "strings"  # may repeat


S, B, M = FlagType.STRING, FlagType.BOOL, FlagType.STRINGS

FLAG_SPECS: dict[str, dict[str, FlagType]] = {
    "from": {"platform": S},
    "copy": {"from": S, "chown": S, "chmod": S, "link": B, "parents": B, "exclude": M},
    "add": {
        "chown": S,
        "chmod": S,
        "link": B,
        "keep-git-dir": B,
        "checksum": S,
        "unpack": B,
        "exclude": M,
    },
    "run": {"mount": M, "network": S, "security": S, "device": M},
    "healthcheck": {
        "interval": S,
        "timeout": S,
        "start-period": S,
        "start-interval": S,
        "retries": S,
    },
}
# instructions whose parse function never calls BFlags.Parse (their flags are ignored)
UNCHECKED = frozenset({"arg", "stopsignal"})


class Flag(NamedTuple):
    name: str
    value: str  # "true"/"false" for booleans
    token: Token


class FlagError(Exception):
    def __init__(self, code: str, message: str, token: Token) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.token = token


def parse_flags(tokens: tuple[Token, ...], spec: dict[str, FlagType]) -> tuple[Flag, ...]:
    """BFlags.Parse: the flags in order; raises FlagError for the first bad one."""
    parsed: list[Flag] = []
    used: set[str] = set()
    for token in tokens:
        arg = token.value
        if arg == "--":
            break
        name, sep, value = arg[2:].partition("=")
        kind = spec.get(name)
        if kind is None:
            message = with_suggestion(
                f"unknown flag: --{name}", name, list(spec), case_sensitive=True
            )
            raise FlagError("DF019", message, token)
        if name in used and kind is not FlagType.STRINGS:
            raise FlagError("DF020", f"duplicate flag specified: --{name}", token)
        used.add(name)
        if kind is FlagType.BOOL:
            if sep and not value:
                raise FlagError("DF021", f"missing a value on flag: --{name}", token)
            lowered = go_lower(value)
            if lowered not in ("true", "false", ""):
                raise FlagError(
                    "DF022", f"expecting boolean value for flag --{name}, not: {value}", token
                )
            value = "false" if lowered == "false" else "true"
        elif not sep:
            raise FlagError("DF021", f"missing a value on flag: --{name}", token)
        parsed.append(Flag(name, value, token))
    return tuple(parsed)
