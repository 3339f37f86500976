"""The Docker engine, through the `docker` CLI: the only place that runs it.

The CLI honours the writer's `DOCKER_HOST`, contexts and config. BuildKit is used through
buildx when `docker buildx version` answers (`docker buildx build --load`); otherwise the
classic builder, with `DOCKER_BUILDKIT=0` set so that a `DOCKER_BUILDKIT=1` in the writer's
environment does not stop it for want of buildx. Every build writes the image id with
`--iidfile`; sizes come from `docker image inspect` (`.Size`) and `docker history`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..markup.measurements import Layer

ANSWER_SECONDS = 30  # for `docker version` and the other small questions
BUILD_SECONDS = 1800


class EngineError(Exception):
    """Docker is missing, or its daemon does not answer: the message says what to do."""


@dataclass(frozen=True, slots=True)
class Built:
    """One build: its image id ("" when it failed), its output, how long it took."""

    image_id: str
    output: str
    seconds: float


@dataclass(frozen=True, slots=True)
class Engine:
    """A `docker` CLI that reached a daemon, and the builder it builds with."""

    binary: str
    version: str
    builder: str  # "buildx" or "legacy"

    def build(
        self, context: Path, build_args: Mapping[str, str], target: str, quiet_tag: str = ""
    ) -> Built:
        """`docker build` of `context` (its `Dockerfile`); never raises for a failed build."""
        with tempfile.TemporaryDirectory(prefix="site-builder-measure-") as folder:
            iidfile = Path(folder) / "iid"
            command = [self.binary]
            command += ["buildx", "build", "--load"] if self.builder == "buildx" else ["build"]
            if self.builder == "buildx":
                command += ["--progress", "plain"]
            command += ["--iidfile", str(iidfile), "-f", str(context / "Dockerfile")]
            for key, value in sorted(build_args.items()):
                command += ["--build-arg", f"{key}={value}"]
            if target:
                command += ["--target", target]
            command.append(str(context))
            started = time.monotonic()
            try:
                done = subprocess.run(
                    command,
                    env=self._env(),
                    capture_output=True,
                    text=True,
                    errors="replace",
                    timeout=BUILD_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return Built("", f"the build took more than {BUILD_SECONDS} s", BUILD_SECONDS)
            seconds = time.monotonic() - started
            output = done.stdout + done.stderr
            image = iidfile.read_text().strip() if iidfile.is_file() else ""
            return Built(image if done.returncode == 0 else "", output, seconds)

    def size(self, image: str) -> int:
        """`.Size` of `docker image inspect`, in bytes."""
        return int(self._ask("image", "inspect", "--format", "{{.Size}}", image).strip())

    def digests(self, image: str) -> tuple[str, ...]:
        """The repository digests of a local image (none for one built or imported here)."""
        try:
            text = self._ask("image", "inspect", "--format", "{{json .RepoDigests}}", image)
        except EngineError:
            return ()
        found = json.loads(text or "null") or []
        return tuple(str(d).rsplit("@", 1)[-1] for d in found)

    def history(self, image: str) -> tuple[Layer, ...]:
        """The image's layers from `docker history`, oldest first, sizes in bytes."""
        text = self._ask("history", "--no-trunc", "--human=false", "--format", "{{json .}}", image)
        layers = []
        for line in text.splitlines():
            if line.strip():
                row = json.loads(line)
                layers.append(Layer(_instruction(str(row.get("CreatedBy", ""))), int(row["Size"])))
        return tuple(reversed(layers))

    def _ask(self, *args: str) -> str:
        return _run([self.binary, *args], self._env())

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.builder == "legacy":
            env["DOCKER_BUILDKIT"] = "0"
        return env


def connect() -> Engine:
    """The Docker engine this machine's `docker` CLI reaches; EngineError says what is wrong."""
    binary = shutil.which("docker")
    if binary is None:
        raise EngineError(
            "no 'docker' command on PATH: install Docker (Docker Engine or Docker Desktop; "
            "on Debian and Ubuntu: apt-get install docker.io) to measure the examples"
        )
    env = dict(os.environ)
    try:
        version = _run([binary, "version", "--format", "{{.Server.Version}}"], env).strip()
    except EngineError as error:
        where = os.environ.get("DOCKER_HOST") or "the default Docker socket"
        raise EngineError(
            f"the Docker daemon at {where} does not answer ({error}): start it "
            "(systemctl start docker, or dockerd) or point DOCKER_HOST at a running one"
        ) from None
    try:
        _run([binary, "buildx", "version"], env)
        builder = "buildx"
    except EngineError:
        builder = "legacy"
    return Engine(binary, version, builder)


def _run(command: Sequence[str], env: Mapping[str, str]) -> str:
    try:
        done = subprocess.run(
            list(command),
            env=dict(env),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=ANSWER_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(f"no answer in {ANSWER_SECONDS} s") from None
    except OSError as error:
        raise EngineError(error.strerror or str(error)) from None
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip()).splitlines()
        raise EngineError(last[-1] if last else f"exit status {done.returncode}")
    return done.stdout


def _instruction(created_by: str) -> str:
    """`docker history`'s CreatedBy as the instruction it was: '/bin/sh -c #(nop) COPY ...'
    is 'COPY ...', '/bin/sh -c apk add' is 'RUN apk add'; BuildKit's are already so."""
    text = " ".join(created_by.split())
    if text.startswith("/bin/sh -c #(nop) "):
        return text[len("/bin/sh -c #(nop) ") :].strip()
    if text.startswith("/bin/sh -c "):
        return "RUN " + text[len("/bin/sh -c ") :]
    return text.removesuffix(" # buildkit").strip()
