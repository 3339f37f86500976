"""The site's examples: `examples/NAME/` folders, each a Docker build context with a Dockerfile,
and the hash of what a build of one reads.

`inputs_hash` covers what `docker build` would send and use: every file of the context that
`.dockerignore` lets through (path, executable bit, bytes; a symlink by its target), the
Dockerfile and `.dockerignore` always (Docker sends both even when ignored), and the build
args and target from site.toml. `build-site measure` records it; `check` compares it with the
recorded one to find an example edited since it was measured. `.dockerignore` is read as
Docker reads it (moby's patternmatcher): `#` comments, `!` exceptions, the last matching
pattern wins, `**` any number of folders, a pattern that matches a folder matches all in it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..config.examples import NAME_RE, ExampleConfig
from ..config.schema import SiteConfig

EXAMPLES_DIR = "examples"
HASH_VERSION = "site_builder example inputs 1"


@dataclass(frozen=True, slots=True)
class Example:
    """One example folder and how it is built."""

    name: str
    context: Path
    settings: ExampleConfig

    @property
    def dockerfile(self) -> str:
        """The Dockerfile's site-relative path."""
        return f"{EXAMPLES_DIR}/{self.name}/Dockerfile"


def find_examples(config: SiteConfig) -> list[Example]:
    """Every `examples/NAME/` folder holding a Dockerfile (no symlinks), sorted by name."""
    folder = config.root / EXAMPLES_DIR
    if folder.is_symlink() or not folder.is_dir():
        return []
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_dir(follow_symlinks=False) or not NAME_RE.fullmatch(entry.name):
            continue
        dockerfile = Path(entry.path) / "Dockerfile"
        if dockerfile.is_file() and not dockerfile.is_symlink():
            settings = config.examples.get(entry.name, ExampleConfig())
            found.append(Example(entry.name, Path(entry.path), settings))
    return found


def inputs_hash(example: Example) -> str:
    """The hash of everything a build of `example` reads (see the module's docstring)."""
    hasher = hashlib.blake2b(HASH_VERSION.encode(), digest_size=20)
    for rel, full in context_files(example.context):
        info = os.lstat(full)
        hasher.update(f"\0{rel}\0{info.st_mode & 0o111:o}\0".encode())
        if stat.S_ISLNK(info.st_mode):
            hasher.update(b"L" + os.readlink(full).encode())
        else:
            with open(full, "rb") as handle:
                hasher.update(hashlib.file_digest(handle, "blake2b").digest())
    hasher.update(repr(sorted(example.settings.build_args.items())).encode())
    hasher.update(b"\0target\0" + example.settings.target.encode())
    return hasher.hexdigest()


def context_files(context: Path) -> list[tuple[str, Path]]:
    """The context's files that a build sees: (path with '/', full path), sorted."""
    patterns = read_dockerignore(context / ".dockerignore")
    kept: list[tuple[str, Path]] = []
    for base, dirs, names in os.walk(context):
        dirs.sort()
        for name in names:
            full = Path(base) / name
            rel = full.relative_to(context).as_posix()
            if rel in ("Dockerfile", ".dockerignore") or not ignored(rel, patterns):
                kept.append((rel, full))
    return sorted(kept)


Pattern = tuple[bool, re.Pattern[str]]  # (an exception "!...", the compiled pattern)


def read_dockerignore(path: Path) -> list[Pattern]:
    """The patterns of a `.dockerignore` (none when there is none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    patterns: list[Pattern] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        if exception:
            line = line[1:].strip()
        cleaned = os.path.normpath(line).replace(os.sep, "/").lstrip("/")
        if not cleaned or cleaned == ".":
            continue
        patterns.append((exception, re.compile(_regex(cleaned))))
    return patterns


def ignored(rel: str, patterns: list[Pattern]) -> bool:
    """Whether `.dockerignore` leaves `rel` out: the last pattern matching it or a parent."""
    if not patterns:
        return False
    parents = [str(p) for p in reversed(PurePosixPath(rel).parents) if str(p) != "."]
    candidates = [*parents, rel]
    result = False
    for exception, pattern in patterns:
        if any(pattern.fullmatch(path) for path in candidates):
            result = not exception
    return result


def _regex(pattern: str) -> str:
    """moby/patternmatcher's translation of one pattern into a regular expression."""
    out = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            if pattern[index + 1 : index + 2] == "*":
                index += 1
                if pattern[index + 1 : index + 2] == "/":
                    index += 1
                out += ".*" if index + 1 >= len(pattern) else "(.*/)?"
            else:
                out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out += re.escape(pattern[index])
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end < 0:
                out += re.escape(char)
            else:
                body = pattern[index + 1 : end]
                out += "[" + ("^" + body[1:] if body.startswith("^") else body) + "]"
                index = end
        else:
            out += re.escape(char)
        index += 1
    return out
