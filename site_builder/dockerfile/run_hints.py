"""Size and cache hints about what one RUN instruction does (DH001–DH005, DH009's package list).

`hints` holds the hints about a Dockerfile as a whole (its stages, base images, syntax and
directives) and asks this module about each RUN; each hint here is one function in
`SIZE_HINTS`.

They read the RUN command (shell form, exec form, or a heredoc body fed to a shell) with
`runscan` and look for package-manager calls that leave caches or extra packages in the layer:
`apt-get update` without removing the lists (DL3009), `apt-get install` without
`--no-install-recommends` (DL3015), `apk add` without `--no-cache` (DL3019), `pip install`
without `--no-cache-dir` (DL3042) and `npm install` where `npm ci` fits. A cache mount
(`RUN --mount=type=cache,target=…`) over the cache directory makes a hint moot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from .gotext import go_lower
from .mounts import MountError, csv_fields
from .nodes import Node, Span
from .runscan import Command, Word, commands, python_pip, subcommand

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
COMPILERS = frozenset(
    [
        "gcc",
        "g++",
        "gcc-c++",
        "clang",
        "cc",
        "make",
        "cmake",
        "build-essential",
        "build-base",
        "alpine-sdk",
        "musl-dev",
        "libc-dev",
        "libc6-dev",
        "linux-headers",
        "autoconf",
        "automake",
        "libtool",
        "gfortran",
        "rustc",
        "cargo",
        "golang",
    ]
)
_MARKER = re.compile(r"[0-9]*<<-?\S")
_DEV_PACKAGE = re.compile(r".+-(?:dev|devel)(?:[:=].*)?\Z")


class RunHint(NamedTuple):
    code: str
    message: str
    span: Span


class RunCommand(NamedTuple):
    command: Command
    node: Node
    origin: int  # -1: the shell-form command, -2: the exec form, k >= 0: heredoc body k

    def span(self, word: Word) -> Span:
        """Where a word of this command is in the source (computed only when reported)."""
        if self.origin == -2:
            return self.node.rest.span
        if self.origin == -1:
            return self.node.rest_span(word.start, word.end)
        return _heredoc_span(self.node, self.origin, word.start, word.end)


def _cache_targets(node: Node) -> list[str]:
    targets = []
    for flag in node.flags:
        name, _, value = flag.value[2:].partition("=")
        if name != "mount":
            continue
        try:
            fields = dict(f.partition("=")[::2] for f in csv_fields(value))
        except MountError:
            continue
        if go_lower(fields.get("type", "")) == "cache":
            targets.append(
                fields.get("target") or fields.get("dst") or fields.get("destination") or ""
            )
    return targets


def _heredoc_span(node: Node, index: int, start: int, end: int) -> Span:
    heredoc = node.heredocs[index]
    before = heredoc.content[:start]
    line = heredoc.body_line + before.count("\n")
    column = start - (before.rfind("\n") + 1) + 1
    return Span(line, column, line, column + max(0, end - start - 1))


def run_commands(node: Node) -> list[RunCommand]:
    """The commands a RUN executes, each word with its source span."""
    found: list[RunCommand] = []
    if node.json:
        text = " ".join(arg.value for arg in node.args)
        return [RunCommand(c, node, -2) for c in commands(text)]
    rest_commands = commands(node.rest.value)
    for command in rest_commands:
        found.append(RunCommand(command, node, -1))
    if node.heredocs:
        feeds_shell = any(_has_marker(c) for c in rest_commands)
        for index, heredoc in enumerate(node.heredocs if feeds_shell else ()):
            for command in commands(heredoc.content):
                found.append(RunCommand(command, node, index))
    return found


def _has_marker(command: Command) -> bool:
    words = command.words
    marked = [w for w in words if _MARKER.match(w.text)]
    return bool(marked) and (marked[0] is words[0] or command.name in _SHELLS)


def _anchor(node: Node, span: Span) -> Span:
    """Hints point at the RUN line (so they meet hadolint's line), ending on the offending word."""
    start = node.keyword_span
    column = span.column if span.line == start.line else start.column
    return Span(start.line, column, max(span.end_line, start.line), span.end_column)


def _word_span(run: RunCommand, word: Word | None) -> Span:
    if word is None or word not in run.command.words:
        return run.span(run.command.words[0])
    return run.span(word)


class _Layer(NamedTuple):
    """What the hints of one RUN need to know besides the command itself."""

    node: Node
    final: bool  # the stage ends up in the image
    apt_lists_removed: bool  # rm -rf /var/lib/apt/lists, or a cache mount over apt's folders
    apk_cached: bool  # apk's cache removed or under a cache mount
    pip_cached: bool  # pip's cache under a cache mount, or PIP_NO_CACHE_DIR set

    def at(self, run: RunCommand, word: Word | None) -> Span:
        return _anchor(self.node, _word_span(run, word))


def _layer(node: Node, runs: list[RunCommand], final: bool, env: dict[str, str | None]) -> _Layer:
    caches = _cache_targets(node)
    removed = [a for r in runs if r.command.name == "rm" for a in r.command.args]
    return _Layer(
        node,
        final,
        any(a.startswith("/var/lib/apt/lists") for a in removed)
        or any(t.startswith(("/var/lib/apt", "/var/cache/apt")) for t in caches),
        any(t.startswith(("/var/cache/apk", "/etc/apk/cache")) for t in caches)
        or any(a.startswith("/var/cache/apk") for a in removed),
        any("/.cache" in t or "pip" in t for t in caches) or "PIP_NO_CACHE_DIR" in env,
    )


def _apt_update(layer: _Layer, run: RunCommand) -> RunHint | None:
    command = run.command
    if not (_is_apt(command, "update") and layer.final):
        return None
    if layer.apt_lists_removed:
        return None
    message = (
        f"`{command.name} update` without `rm -rf /var/lib/apt/lists/*` in the same RUN (DL3009) "
        "leaves the package index, often tens of MB, in this layer of the image"
    )
    return RunHint("DH001", message, layer.at(run, _first_positional(command)))


def _apt_install(layer: _Layer, run: RunCommand) -> RunHint | None:
    command = run.command
    if not (
        command.name in ("apt-get", "apt") and layer.final and subcommand(command) == "install"
    ):
        return None
    if command.has("--no-install-recommends") or _recommends_off(command):
        return None
    message = (
        f"`{command.name} install` without `--no-install-recommends` (DL3015) also installs "
        "recommended packages, which can add hundreds of MB the image never uses"
    )
    return RunHint("DH002", message, layer.at(run, _first_positional(command)))


def _apk_add(layer: _Layer, run: RunCommand) -> RunHint | None:
    command = run.command
    if not (command.name == "apk" and subcommand(command) == "add" and layer.final):
        return None
    if command.has("--no-cache") or layer.apk_cached:
        return None
    message = (
        "`apk add` without `--no-cache` (DL3019) leaves the package index in "
        "/var/cache/apk inside the image layer"
    )
    return RunHint("DH003", message, layer.at(run, command.positional()[0]))


def _pip_install(layer: _Layer, run: RunCommand) -> RunHint | None:
    pip = python_pip(run.command)
    if pip is None or not layer.final or subcommand(pip) != "install":
        return None
    if layer.pip_cached or any(a.startswith("--no-cache") for a in pip.args):
        return None
    message = (
        "`pip install` without `--no-cache-dir` (DL3042) keeps pip's download cache in the "
        "layer, often doubling the size of the installed packages"
    )
    return RunHint("DH004", message, layer.at(run, run.command.words[0]))


def _npm_install(layer: _Layer, run: RunCommand) -> RunHint | None:
    command = run.command
    if not (command.name == "npm" and subcommand(command) in ("install", "i")):
        return None
    if len(command.positional()) != 1:
        return None
    message = (
        "`npm install` can re-resolve versions and rewrite the lockfile; `npm ci` installs "
        "exactly package-lock.json, keeping builds reproducible and cacheable (add "
        "`--omit=dev` for the runtime image)"
    )
    return RunHint("DH005", message, layer.at(run, command.positional()[0]))


# The size hints about one command of a RUN, in the order they are reported: a new hint is a
# function here and its code in `codes.CODES`.
SIZE_HINTS: tuple[Callable[[_Layer, RunCommand], RunHint | None], ...] = (
    _apt_update,
    _apt_install,
    _apk_add,
    _pip_install,
    _npm_install,
)


def size_hints(
    node: Node, runs: list[RunCommand], *, final: bool, env: dict[str, str | None]
) -> list[RunHint]:
    """DH001–DH005 for one RUN; `final` says whether the stage ends up in the image."""
    layer = _layer(node, runs, final, env)
    found = (hint(layer, run) for run in runs for hint in SIZE_HINTS)
    return [h for h in found if h is not None]


def _is_apt(command: Command, sub: str) -> bool:
    return command.name in ("apt-get", "apt") and subcommand(command) == sub


def _first_positional(command: Command) -> Word | None:
    positional = command.positional()
    return positional[0] if positional else None


def _recommends_off(command: Command) -> bool:
    return any(
        re.match(r"APT::Install-Recommends=(?:false|0|no|off)\Z", a, re.I) for a in command.args
    )


def build_tools(runs: list[RunCommand], env: dict[str, str | None]) -> list[tuple[str, Span]]:
    """Compilers or dev packages this RUN installs and does not remove again (for DH009)."""
    installed: list[tuple[str, Span]] = []
    removed: set[str] = set()
    for run in runs:
        command, sub = run.command, subcommand(run.command)
        packages = list(command.positional()[1:])
        if (command.name in ("apt-get", "apt", "yum", "dnf", "microdnf") and sub == "install") or (
            command.name == "apk" and sub == "add"
        ):
            virtual = _virtual(command)
            for word in packages:
                name = re.split(r"[=:<>]", word.text, maxsplit=1)[0]
                if name in COMPILERS or _DEV_PACKAGE.match(word.text):
                    installed.append((virtual or name, run.span(word)))
        elif command.name in ("apt-get", "apt", "yum", "dnf", "apk") and sub in (
            "purge",
            "remove",
            "autoremove",
            "del",
            "erase",
        ):
            removed.update(w.text for w in packages)
            if sub == "autoremove":
                removed.add("*")
        elif (
            command.name == "npm"
            and sub in ("ci", "install", "i")
            and len(command.positional()) == 1
        ):
            production = (
                command.has("--omit", "--production", "--only")
                or go_lower(env.get("NODE_ENV") or "") == "production"
            )
            if not production:
                installed.append(("devDependencies", run.span(command.words[0])))
    return [(name, span) for name, span in installed if name not in removed and "*" not in removed]


def _virtual(command: Command) -> str:
    words = [w.text for w in command.words]
    for k, text in enumerate(words):
        if text in ("-t", "--virtual") and k + 1 < len(words):
            return words[k + 1]
        if text.startswith("--virtual="):
            return text.partition("=")[2]
    return ""
