"""Unfinished writing in the prose: placeholders, misspelled names, lower-case size units.

TXT001 placeholder runs (`____`, TODO, TBD, XXX, FIXME, TKTK, lorem ipsum; configurable) in the
text, the title and the description; TXT006 misspelled technical names (a short built-in list
plus `[checks] misspellings`); TXT007 (info) sizes written `140mb`. Nothing inside code, link
destinations or URLs is searched (see `prose`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .context import Checked, DocumentContext
from .positions import Span, value_span

MISSPELLINGS: dict[str, str] = {
    "debain": "Debian",
    "ubunut": "Ubuntu",
    "ubunutu": "Ubuntu",
    "kubernets": "Kubernetes",
    "kuberentes": "Kubernetes",
    "kubernates": "Kubernetes",
    "kuberenetes": "Kubernetes",
    "dokcer": "Docker",
    "docekr": "Docker",
    "dcoker": "Docker",
    "dockerfle": "Dockerfile",
    "dockefile": "Dockerfile",
    "dockerifle": "Dockerfile",
    "dockerfiel": "Dockerfile",
    "javscript": "JavaScript",
    "javascirpt": "JavaScript",
    "pyhton": "Python",
    "postgress": "Postgres",
    "ngnix": "nginx",
    "nignx": "nginx",
    "gihtub": "GitHub",
    "githbu": "GitHub",
    "gtihub": "GitHub",
    "alpnie": "Alpine",
    "alipne": "Alpine",
    "contianer": "container",
    "containter": "container",
    "contianers": "containers",
    "enviroment": "environment",
    "enviroments": "environments",
    "dependancy": "dependency",
    "dependancies": "dependencies",
    "seperate": "separate",
    "seperately": "separately",
    "occured": "occurred",
    "recieve": "receive",
    "definately": "definitely",
    "succesful": "successful",
    "succesfully": "successfully",
    "compatability": "compatibility",
    "persistant": "persistent",
    "retreive": "retrieve",
}
_UNIT_RE = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)(\s?)(kb|mb|gb|tb)(?![\w])")
_UNITS = {"kb": "kB", "mb": "MB", "gb": "GB", "tb": "TB"}
_UNIT_HINT_RE = re.compile(r"\d\s?[kmgt]b(?!\w)")


def placeholder_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for the configured placeholders ('___' means a run of 3 or more '_')."""
    parts: list[str] = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        if len(set(word)) == 1 and not word[0].isalnum():
            char = re.escape(word[0])
            parts.append(rf"(?<![\w{char}\\]){char}{{{len(word)},}}(?![\w{char}])")
            continue
        body = r"\s+".join(re.escape(piece) for piece in word.split())
        parts.append(rf"(?<!\w){body}(?!\w)" if word.isupper() else rf"(?i:(?<!\w){body}(?!\w))")
    return re.compile("|".join(parts)) if parts else None


def misspelling_pattern(extra: Mapping[str, str]) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {**MISSPELLINGS, **{k.casefold(): v for k, v in extra.items()}}
    words = sorted(table, key=len, reverse=True)
    pattern = r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])"
    return re.compile(pattern, re.IGNORECASE), table


class _Needles:
    """Cheap substring tests that rule text out before any regex runs."""

    def __init__(self, placeholders: Iterable[str], misspellings: Iterable[str]) -> None:
        words = [w.strip() for w in placeholders if w.strip()]
        self.exact = tuple(w for w in words if w.isupper() or not w[0].isalnum())
        self.folded = tuple(w.split()[0].casefold() for w in words if w not in self.exact)
        self.misspelled = frozenset(m.casefold() for m in misspellings)

    def placeholder(self, text: str, folded: str) -> bool:
        return any(w in text for w in self.exact) or any(w in folded for w in self.folded)

    def misspelling(self, folded: str) -> bool:
        return not self.misspelled.isdisjoint(folded.translate(_WORD_BREAKS).split())


# every ASCII character but letters, '-' and "'" separates words
_WORD_BREAKS = {c: " " for c in range(128) if not chr(c).isalpha() and chr(c) not in "-'"}


def _tests(needles: _Needles, text: str, folded: str) -> tuple[bool, bool, bool]:
    """Whether `text` may hold a placeholder, a misspelling, a lower-case unit."""
    return needles.placeholder(text, folded), needles.misspelling(folded), _has_unit(text)


def _any_test(needles: _Needles, text: str, folded: str) -> bool:
    return any(_tests(needles, text, folded))


def _has_unit(text: str) -> bool:
    return _UNIT_HINT_RE.search(text) is not None


def check_writing(ctx: DocumentContext) -> None:
    placeholders = placeholder_pattern(ctx.checks.placeholders)
    misspelled, table = misspelling_pattern(ctx.checks.misspellings)
    needles = _Needles(ctx.checks.placeholders, table)
    for item in ctx.items:
        for number, text in _front_matter_text(item):
            _placeholders(ctx, item, placeholders, number, text)
        # cheap tests on the raw file first: most documents never need their prose masked
        raw = "\n".join(item.lines)
        if not _any_test(needles, raw, raw.casefold()):
            continue
        prose = ctx.prose(item)
        whole = "\n".join(text for _, text in prose)
        tests = _tests(needles, whole, whole.casefold())
        if not any(tests):
            continue
        for number, text in prose:
            line_folded = text.casefold()
            if tests[0] and needles.placeholder(text, line_folded):
                _placeholders(ctx, item, placeholders, number, text)
            if tests[1] and needles.misspelling(line_folded):
                _misspellings(ctx, item, misspelled, table, number, text)
            if tests[2] and _has_unit(text):
                _units(ctx, item, number, text)


def _misspellings(
    ctx: DocumentContext,
    item: Checked,
    misspelled: re.Pattern[str],
    table: Mapping[str, str],
    number: int,
    text: str,
) -> None:
    for match in misspelled.finditer(text):
        word = match.group(0)
        right = table[word.casefold()]
        if word[:1].isupper() and right[:1].islower():
            right = right[:1].upper() + right[1:]
        ctx.emit(
            "TXT006",
            item.source,
            Span(number, match.start() + 1, match.end()),
            f"'{word}' is a misspelling of '{right}'",
            f"write {right}",
        )


def _units(ctx: DocumentContext, item: Checked, number: int, text: str) -> None:
    for match in _UNIT_RE.finditer(text):
        number_text, space, unit = match.groups()
        ctx.emit(
            "TXT007",
            item.source,
            Span(number, match.start(3) + 1, match.end(3)),
            f"'{match.group(0)}': '{unit}' reads as milli- or kilobits, not bytes",
            f"write {number_text}{space}{_UNITS[unit]}",
        )


def _placeholders(
    ctx: DocumentContext, item: Checked, pattern: re.Pattern[str] | None, number: int, text: str
) -> None:
    if pattern is None:
        return
    for match in pattern.finditer(text):
        found = match.group(0)
        shown = found if len(found) <= 20 else found[:20] + "..."
        context = _context(text, match.start(), match.end())
        ctx.emit(
            "TXT001",
            item.source,
            Span(number, match.start() + 1, match.end()),
            f"placeholder '{shown}' left in the text: \"{context}\"",
            "write the missing words, or remove the placeholder",
        )


# How far either side of a match its context is looked for: a few words, never the whole line
# (searching the whole prefix for every match made a line of 8,000 placeholders take a minute).
_CONTEXT_CHARS = 200


def _context(text: str, start: int, end: int) -> str:
    """A few words either side of a match, for the message."""
    before = re.search(r"(?:\S+\s+){0,2}$", text[max(0, start - _CONTEXT_CHARS) : start])
    after = re.match(r"(?:\s*\S+){0,2}", text[end : end + _CONTEXT_CHARS])
    left = before.group(0) if before else ""
    right = after.group(0) if after else ""
    return " ".join((left + text[start:end] + right).split())


def _front_matter_text(item: Checked) -> Iterable[tuple[int, str]]:
    """The title and description lines, with everything before the value blanked."""
    fm = item.document.front_matter
    lines: Sequence[str] = item.lines
    for key in ("title", "description"):
        if key not in fm.key_positions:
            continue
        span = value_span(lines, *fm.key_positions[key])
        if 0 < span.line <= len(lines):
            line = lines[span.line - 1]
            yield span.line, " " * (span.column - 1) + line[span.column - 1 :]
