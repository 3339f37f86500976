"""Publishing primitives: the output folder's safety checks, the atomic swap, recovery.

`output/` is always a complete build: `staging` fills the tree that is swapped in. On Linux the
swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, with recovery at the
next start. `output/` carries a marker file, and a non-empty folder without it is never
replaced. Leftover staging folders from an interrupted run are removed at the next start.
Nothing outside the output folder and its staging siblings is written or deleted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from ..diagnostics.diagnostic import Diagnostic, Severity

MARKER = ".site-builder-output"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class PublishError(Exception):
    """Publishing failed; `diagnostic` says why. The previous output is untouched."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def staging_dir(output: Path, build_id: str) -> Path:
    return output.parent / f".{output.name}.staging-{build_id}"


def _leftovers(output: Path) -> list[Path]:
    if not output.parent.is_dir():
        return []
    prefixes = (f".{output.name}.staging-", f".{output.name}.old-")
    return sorted(
        p for p in output.parent.iterdir() if p.name.startswith(prefixes) and not p.is_symlink()
    )


def recover(output: Path) -> None:
    """Finish or undo an interrupted publish, then remove leftover staging folders."""
    if not output.exists():
        olds = [p for p in _leftovers(output) if ".old-" in p.name and (p / MARKER).is_file()]
        if olds:
            os.rename(olds[-1], output)
    for leftover in _leftovers(output):
        remove_tree(leftover)


def remove_tree(folder: Path) -> bool:
    """Delete `folder` and what is in it, never following a link (a link in it is removed
    itself); read-only folders in it are made writable first. Whether it is gone."""
    shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        return True
    pending = [str(folder)]
    while pending:  # each folder made writable before it is listed (it may be unreadable)
        path = pending.pop()
        with contextlib.suppress(OSError):
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                os.chmod(path, stat.S_IMODE(mode) | stat.S_IRWXU)
                with os.scandir(path) as entries:
                    pending.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))
    shutil.rmtree(folder, ignore_errors=True)
    return not os.path.lexists(folder)


def check_output_dir(output: Path, display: str) -> Diagnostic | None:
    """Refuse to replace something that is not a previous build of ours."""
    if output.is_symlink():
        return Diagnostic(
            display,
            1,
            1,
            Severity.ERROR,
            "PUB001",
            "output folder is a symlink; refusing to replace it",
        )
    if not output.exists():
        return None
    if not output.is_dir():
        return Diagnostic(
            display,
            1,
            1,
            Severity.ERROR,
            "PUB001",
            "output path exists and is not a folder; refusing to replace it",
        )
    if (output / MARKER).is_file():
        return None
    try:
        empty = next(output.iterdir(), None) is None
    except OSError as error:
        return io_diagnostic(display, error)
    if empty:
        return None
    return Diagnostic(
        display,
        1,
        1,
        Severity.ERROR,
        "PUB001",
        f"output folder is not empty and was not made by build-site (no {MARKER}); "
        "refusing to replace it",
        hint="empty it or choose another output_dir",
    )


def io_diagnostic(display: str, error: OSError) -> Diagnostic:
    code = errno.errorcode.get(error.errno or 0, "EIO")
    reason = os.strerror(error.errno) if error.errno else str(error)
    return Diagnostic(
        display,
        1,
        1,
        Severity.ERROR,
        "IO001",
        f"cannot publish: {reason} ({code})",
        hint="check free space and permissions of the output folder",
    )


def target_path(staging: Path, rel: str, made: set[str]) -> Path:
    """The staging path of `rel`, refusing anything that is not a plain relative path."""
    parts = rel.split("/")
    if "\\" in rel or "\0" in rel or any(part in ("", ".", "..") for part in parts):
        raise OSError(errno.EINVAL, f"refusing to write outside the output folder: {rel!r}")
    parent = rel.rpartition("/")[0]
    if parent and parent not in made:
        (staging / parent).mkdir(parents=True, exist_ok=True)
        made.add(parent)
    return staging / rel


def swap(staging: Path, output: Path) -> None:
    """Make `staging` the new `output`; afterwards `staging` holds the old build (if any)."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        return
    old = output.parent / f".{output.name}.old-{staging.name.rsplit('-', 1)[-1]}"
    os.rename(output, old)
    os.rename(staging, output)
    os.rename(old, staging)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2; False when the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


_RENAMEAT2: list[Any] = []


def _renameat2() -> Any:
    """libc's renameat2 (cached), or None where the C library has none."""
    if not _RENAMEAT2:
        function = None
        if os.name == "posix":
            import ctypes  # only a build that swaps a tree in needs it

            try:
                # The running process's own symbols include the C library's.
                libc = ctypes.CDLL(None, use_errno=True)
                function = libc.renameat2
                function.argtypes = [
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_int,
                    ctypes.c_char_p,
                    ctypes.c_uint,
                ]
                function.restype = ctypes.c_int
            except (OSError, AttributeError):
                function = None
        _RENAMEAT2.append(function)
    return _RENAMEAT2[0]
