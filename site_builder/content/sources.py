"""Sources: find the site's content files and read them as clean text.

This module owns the file-system side of reading: discovery (no symlinks anywhere on the way, a
size cap checked with `stat` before reading, pipes and devices reported and never opened, names
that are not UTF-8 reported, folders nested deeper than `MAX_DEPTH` or paths longer than
`MAX_PATH_BYTES` reported and never entered), decoding (UTF-8 with or without BOM; anything else
is ENC001 with the line and column of the bad byte) and newline normalisation (CRLF silently,
lone CR with ENC002). NUL characters become U+FFFD with ENC003.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity

# How deep a folder of content/ or themes/ may be, and how long a path below the site root, in
# UTF-8 bytes: the output keeps each path below output/ (and its staging siblings), and PATH_MAX
# (4,096 bytes on Linux, 1,024 on macOS) has to hold the site's own folder in front of it.
MAX_DEPTH = 32
MAX_PATH_BYTES = 1024


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file copied verbatim into the output (`url_path` is relative to the output root)."""

    path: str
    url_path: str
    abs_path: Path
    size: int
    mtime_ns: int


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def check_no_symlinks(root: Path, path: Path) -> str | None:
    """The first symlinked component of `path` at or below `root`, as a relative path, if any."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return relative(root, current)
    return None


def walk(
    root: Path, top: Path, problems: list[Diagnostic]
) -> Iterator[tuple[Path, os.stat_result]]:
    """Regular files under `top`, sorted, never following or yielding symlinks (SRC002)."""
    for path, _rel, info in scan(root, top, problems):
        yield Path(path), info


def scan(
    root: Path, top: Path, problems: list[Diagnostic]
) -> Iterator[tuple[str, str, os.stat_result]]:
    """`walk` as plain strings: (path, path relative to `root` with `/`, stat), for large sites."""
    if not top.exists() and not top.is_symlink():
        return
    link = check_no_symlinks(root, top)
    if link is not None:
        problems.append(_symlink(link))
        return
    prefix = "" if top == root else relative(root, top) + "/"
    stack = [(str(top), prefix)]
    while stack:
        directory, rel = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            problems.append(io_problem(rel.rstrip("/"), error))
            continue
        subdirs: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name.endswith("~"):
                continue
            if entry.is_symlink():
                problems.append(_symlink(rel + name))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as error:
                problems.append(io_problem(rel + name, error))
                continue
            if not name.isascii() and not _is_utf8(name):
                problems.append(_undecodable_name(rel + name))
            too_deep = _too_deep(rel + name, stat.S_ISDIR(info.st_mode))
            if too_deep is not None:
                problems.append(too_deep)
            elif stat.S_ISDIR(info.st_mode):
                subdirs.append((entry.path, rel + name + "/"))
            elif stat.S_ISREG(info.st_mode):
                yield entry.path, rel + name, info
            else:
                problems.append(_not_a_file(rel + name, info.st_mode))
        stack.extend(reversed(subdirs))


def size_problem(
    path: str,
    size: int,
    max_size: int,
    hint: str = "split the post, or raise [limits] max_file_size in site.toml",
) -> Diagnostic:
    """SRC001: a file over the configured size cap (checked with `stat` before reading)."""
    shown, limit = _mib(size), _mib(max_size)
    if shown == limit:  # just over: '5.0 MB, over (5.0 MB)' would read as a contradiction
        shown, limit = f"{size:,} bytes", f"{max_size:,} bytes"
    return Diagnostic(
        path,
        1,
        1,
        Severity.ERROR,
        "SRC001",
        f"file is {shown}, over max_file_size ({limit})",
        hint=hint,
    )


def decode(path: str, data: bytes, problems: list[Diagnostic]) -> str | None:
    """UTF-8 text with LF newlines, or None after an ENC001 error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Diagnostic(
                path,
                1,
                1,
                Severity.ERROR,
                "ENC001",
                "file is UTF-16, not UTF-8",
                hint="save the file as UTF-8",
            )
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", "replace")) + 1
        problems.append(
            Diagnostic(
                path,
                line,
                column,
                Severity.ERROR,
                "ENC001",
                f"not valid UTF-8 (byte 0x{data[start]:02X})",
                hint="save the file as UTF-8",
            )
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            line = text.count("\n", 0, text.index("\r")) + 1
            problems.append(
                Diagnostic(
                    path,
                    line,
                    1,
                    Severity.WARNING,
                    "ENC002",
                    "old Mac line endings (lone CR) normalised to LF",
                    hint="save the file with LF or CRLF line endings",
                )
            )
            text = text.replace("\r", "\n")
    if "\0" in text:
        index = text.index("\0")
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        problems.append(
            Diagnostic(
                path,
                line,
                column,
                Severity.WARNING,
                "ENC003",
                "NUL character replaced with U+FFFD",
                hint="remove the NUL byte",
            )
        )
        text = text.replace("\0", "\ufffd")
    return text


def _mib(size: int) -> str:
    """A size for people: bytes, KB or MB (1024-based)."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _is_utf8(name: str) -> bool:
    """Whether a file name read from the disk was valid UTF-8 (Python keeps each byte that was
    not as a lone surrogate, which no URL, feed or report can carry)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _undecodable_name(rel: str) -> Diagnostic:
    return Diagnostic(
        rel,
        1,
        1,
        Severity.WARNING,
        "SRC005",
        "name is not valid UTF-8: URLs made from it keep only its readable part, and reports"
        " show its other bytes escaped",
        hint="rename it in UTF-8",
    )


_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _not_a_file(rel: str, mode: int) -> Diagnostic:
    kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
    return Diagnostic(
        rel,
        1,
        1,
        Severity.WARNING,
        "SRC004",
        f"{kind}, not a file; skipped (never opened)",
        hint="keep only files and folders in content/ and themes/",
    )


def _too_deep(rel: str, folder: bool) -> Diagnostic | None:
    """SRC006 for a folder nested deeper than `MAX_DEPTH`, or a path longer than
    `MAX_PATH_BYTES` (`rel` is below the site root): it is skipped, and never entered."""
    depth = rel.count("/")  # the folders above `rel` below the site root
    if folder and depth >= MAX_DEPTH:
        message = f"folder nested {depth + 1} levels deep, over {MAX_DEPTH}"
    elif len(rel) * 4 > MAX_PATH_BYTES and len(os.fsencode(rel)) > MAX_PATH_BYTES:
        message = f"path is {len(os.fsencode(rel)):,} bytes long, over {MAX_PATH_BYTES:,}"
    else:
        return None
    return Diagnostic(
        rel,
        1,
        1,
        Severity.ERROR,
        "SRC006",
        message + ("; skipped, with all it holds" if folder else "; skipped"),
        hint="move it closer to the top of its folder, or give it a shorter name",
    )


def _symlink(rel: str) -> Diagnostic:
    return Diagnostic(
        rel,
        1,
        1,
        Severity.ERROR,
        "SRC002",
        "symlink not allowed",
        hint="replace the link with the real file or folder",
    )


def io_problem(rel: str, error: OSError) -> Diagnostic:
    """IO001: a file or folder that cannot be read."""
    name = os.strerror(error.errno) if error.errno else str(error)
    return Diagnostic(
        rel, 1, 1, Severity.ERROR, "IO001", f"cannot read: {name} (errno {error.errno})"
    )
