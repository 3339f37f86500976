"""Re-levelling diagnostics from `[checks] levels` in site.toml: off, info, warning or error.

Keys are codes (`LNK003`) or families ending in `*` (`TXT*`); an exact code wins over a family,
a longer family over a shorter one. Problems that make a page impossible to build (broken front
matter, URL collisions, undecodable files, bad config, template and publish failures) stay
errors whatever the configuration says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .diagnostic import Diagnostic, Severity

LEVELS = ("off", "info", "warning", "error")
_PROTECTED_CODES = frozenset(
    [f"FM00{n}" for n in range(1, 9)] + ["FM010", "FM011", "ENC001", "SRC001", "SRC002"]
)
_PROTECTED_FAMILIES = ("URL", "CFG", "TPL", "IO", "PUB")
_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\*?|\*")
_SEVERITY = {"info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}


def is_protected(code: str) -> bool:
    """Whether an error with this code can never be lowered (the page cannot be built)."""
    return code in _PROTECTED_CODES or (
        code.startswith(_PROTECTED_FAMILIES) and code[len(code.rstrip("0123456789")) :] != ""
    )


def levels_problem(levels: object) -> str | None:
    """Why a `[checks] levels` table is unusable, or None (used by the config loader)."""
    if not isinstance(levels, Mapping):
        return 'must be a table such as { LNK003 = "off", TXT001 = "error" }'
    for key, value in levels.items():
        if not _KEY_RE.fullmatch(str(key)):
            return f"has '{key}', which is not a code (such as LNK003) or a family (such as TXT*)"
        if value not in LEVELS:
            return f"sets {key} to '{value}'; use one of {', '.join(LEVELS)}"
        stem = str(key).rstrip("*")
        protected = is_protected(stem) or (
            str(key).endswith("*") and stem.startswith(_PROTECTED_FAMILIES)
        )
        if protected and value != "error":
            return (
                f"cannot lower {key}: it reports a page that cannot be built, so it stays an error"
            )
    return None


def level_for(code: str, levels: Mapping[str, str]) -> str | None:
    """The configured level of `code`: exact key, else the longest matching `FAMILY*` key."""
    if code in levels:
        return levels[code]
    best: tuple[int, str] | None = None
    for key, value in levels.items():
        matches = key.endswith("*") and code.startswith(key[:-1])
        if matches and (best is None or len(key) > best[0]):
            best = (len(key), value)
    return None if best is None else best[1]


def apply_levels(diagnostics: Iterable[Diagnostic], levels: Mapping[str, str]) -> list[Diagnostic]:
    """The diagnostics re-levelled as configured; `off` drops them; protected errors stay."""
    if not levels:
        return list(diagnostics)
    result: list[Diagnostic] = []
    for diagnostic in diagnostics:
        level = level_for(diagnostic.code, levels)
        if level is None or (
            diagnostic.severity is Severity.ERROR and is_protected(diagnostic.code)
        ):
            result.append(diagnostic)
        elif level != "off":
            severity = _SEVERITY[level]
            same = diagnostic.severity is severity
            result.append(diagnostic if same else diagnostic.with_severity(severity))
    return result
