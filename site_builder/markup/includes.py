"""Included code: a code block whose text is a file of the site, whole, one region, or lines.

    ```dockerfile {include="examples/slim/Dockerfile" region="deps"}

The path is relative to the site root and must stay inside it: no absolute path, no `..`, no
symlink anywhere on the way (each part is checked with `lstat`, the file opened without
following links), a regular UTF-8 file no larger than `[limits] max_file_size`. A region is
the lines between a `region NAME` marker and the next `endregion` after it, each marker a
comment line in any of the usual styles (`# region deps`, `// #region deps`, `-- region deps`,
`<!-- region deps -->`, `/* region deps */`); the markers themselves are not shown, and the
region's lines keep their numbers in the file, so a Dockerfile check of the part reports the
file's own lines. `lines="3-9"` (also `"5"`, `"12-"`) takes those lines of the file.

`read_include` never raises: a problem is a message for a diagnostic at the block's line.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

Stat = tuple[int, int, int]  # size, mtime_ns, inode: what the build cache compares

_LEADER = r"(?:#|//|--|;+|%|'|<!--|/\*|\{/\*|REM\b)"
_START_RE = re.compile(rf"^\s*{_LEADER}\s*#?\s*region\s+([\w.-]+)", re.IGNORECASE)
_END_RE = re.compile(rf"^\s*{_LEADER}\s*#?\s*endregion\b", re.IGNORECASE)
_LINES_RE = re.compile(r"(\d+)(?:\s*(-)\s*(\d*))?")


@dataclass(frozen=True, slots=True)
class Included:
    """The text a block shows, where it comes from, and its first line's number in the file."""

    path: str  # site-relative, with '/'
    text: str
    first_line: int
    stat: Stat


def site_path_problem(target: str) -> str | None:
    """Why `target` cannot name a file inside the site, or None."""
    if not target or "\0" in target or "\\" in target:
        return f"include '{target}' is not a path of a file of the site"
    pure = PurePosixPath(target)
    if pure.is_absolute() or ".." in pure.parts or target.startswith("~"):
        return (
            f"include '{target}' leaves the site: name a file under the site root, "
            "such as 'examples/slim/Dockerfile'"
        )
    return None


def read_include(root: Path, target: str, region: str, lines: str, limit: int) -> Included | str:
    """The part of `root/target` a block shows, or the message of what is wrong."""
    problem = site_path_problem(target)
    if problem is not None:
        return problem
    parts = [part for part in PurePosixPath(target).parts if part not in ("", ".")]
    current = root
    for index, part in enumerate(parts):
        current = current / part
        try:
            info = os.lstat(current)
        except OSError:
            return f"included file '{target}' not found"
        if stat.S_ISLNK(info.st_mode):
            link = "/".join(parts[: index + 1])
            return f"included file '{target}' goes through a symlink ('{link}'): never followed"
    try:
        fd = os.open(current, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return f"included file '{target}' is not a regular file"
            if info.st_size > limit:
                return (
                    f"included file '{target}' is larger than [limits] max_file_size "
                    f"({limit} bytes)"
                )
            data = handle.read(limit + 1)
    except OSError as error:
        return f"cannot read included file '{target}': {error.strerror}"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"included file '{target}' is not valid UTF-8"
    text = text.replace("\r\n", "\n")
    key: Stat = (info.st_size, info.st_mtime_ns, info.st_ino)
    path = "/".join(parts)
    if region:
        return _region(path, text, region, key)
    if lines:
        return _lines(path, text, lines, key)
    return Included(path, text, 1, key)


def _region(path: str, text: str, name: str, key: Stat) -> Included | str:
    rows = text.split("\n")
    for number, row in enumerate(rows):
        start = _START_RE.match(row)
        if start is None or start.group(1) != name:
            continue
        for end in range(number + 1, len(rows)):
            if _END_RE.match(rows[end]):
                return Included(path, _joined(rows[number + 1 : end]), number + 2, key)
        return f"region '{name}' of '{path}' (line {number + 1}) has no endregion marker"
    return f"no region '{name}' in '{path}' (mark it with '# region {name}' ... '# endregion')"


def _lines(path: str, text: str, spec: str, key: Stat) -> Included | str:
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    match = _LINES_RE.fullmatch(spec.strip())
    if match is None:
        return f'lines takes a line or a range such as "3-9" or "12-"; got \'{spec}\''
    first = int(match.group(1))
    last = first if not match.group(2) else int(match.group(3) or len(rows))
    if first < 1 or last < first or last > len(rows):
        return f"lines=\"{spec}\" is outside '{path}', which has {len(rows)} lines"
    return Included(path, _joined(rows[first - 1 : last]), first, key)


def _joined(rows: list[str]) -> str:
    return "\n".join(rows) + "\n" if rows else ""
