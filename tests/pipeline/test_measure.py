"""build-site measure with a real Docker engine (marked `docker`; .ci/run starts a daemon).

The images start FROM a base imported from the machine's static busybox (the session fixture
`docker_base`); every expected size is Docker's own answer (`docker image inspect`,
`docker history`, `docker images`), never a constant."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import run_cli

from site_builder.markup.sizes import human_size
from site_builder.pipeline.phases import build, load

pytestmark = pytest.mark.docker

FRONT = "---\ntitle: Measured\ndate: 2024-01-02\ndescription: Two examples built with Docker, their sizes measured and shown in the post.\n---\n\n"
NAIVE = "FROM {base}\nRUN head -c 200000 /dev/zero > /payload\nCOPY app.sh /app.sh\n"
MULTI = (
    "FROM {base} AS build\n"
    "RUN head -c 300000 /dev/zero > /build.out && echo done > /result\n"
    "FROM {base}\n"
    "COPY --from=build /result /result\n"
)
BODY = (
    '```dockerfile {include="examples/naive/Dockerfile"}\n```\n\n'
    '```dockerfile {include="examples/multistage/Dockerfile"}\n```\n\n'
    "```image-sizes\nnaive\nmultistage\n```\n\n"
    'The multi-stage image weighs {{< image-size "multistage" >}}.\n'
)


def docker(*args: str) -> str:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


@pytest.fixture
def site(make_site, docker_base):
    return make_site(
        {
            "content/posts/p.md": FRONT + BODY,
            "site.toml": '[dockerfile]\nhadolint = "off"\n',
            "examples/naive/Dockerfile": NAIVE.format(base=docker_base),
            "examples/naive/app.sh": "echo hi\n",
            "examples/multistage/Dockerfile": MULTI.format(base=docker_base),
        }
    )


def lock(root):
    return json.loads((root / "measurements.json").read_text())


@pytest.mark.timeout(600)
def test_measure_records_docker_sizes_and_the_page_shows_them(site):
    done = run_cli("measure", "--root", site, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "measure naive (" in done.stderr and "measure multistage (" in done.stderr
    data = lock(site)
    assert list(data) == ["multistage", "naive"]
    for name, entry in data.items():
        image = entry["image_id"]
        assert entry["size"] == int(docker("image", "inspect", "--format", "{{.Size}}", image))
        history = docker("history", "--no-trunc", "--human=false", "--format", "{{.Size}}", image)
        assert [layer["size"] for layer in entry["layers"]] == [
            int(s) for s in reversed(history.split())
        ], name
        docker("tag", image, f"site-builder-test/{name}:measured")
        shown = docker("images", "--format", "{{.Size}}", f"site-builder-test/{name}:measured")
        assert human_size(entry["size"]) == shown  # as `docker images` shows it
        assert entry["base_images"][0]["ref"] == "local/busybox:base"
        assert entry["docker_version"] == docker("version", "--format", "{{.Server.Version}}")
        assert entry["builder"] in ("buildx", "legacy") and entry["measured_at"]
    stage = data["multistage"]["stages"]["build"]
    assert stage > data["multistage"]["size"]  # the build stage holds what the final one leaves
    assert stage == int(docker("image", "inspect", "--format", "{{.Size}}", _built(site, "build")))
    result = build(site)
    assert result.published and not [d for d in result.diagnostics if d.code.startswith("EXA")]
    page = (site / "output/posts/p/index.html").read_text()
    for name in ("naive", "multistage"):
        assert f">{human_size(data[name]['size'])}</data>" in page
    assert '<table class="image-sizes">' in page

    again = run_cli("measure", "--root", site, timeout=600)
    assert again.returncode == 0 and "unchanged since" in again.stderr
    before = (site / "measurements.json").read_bytes()
    (site / "examples/naive/app.sh").write_text("echo changed\n")
    assert [d.code for d in load(site).diagnostics if d.code.startswith("EXA")] == ["EXA004"]
    assert (site / "measurements.json").read_bytes() == before
    done = run_cli("measure", "naive", "--root", site, timeout=600)
    assert done.returncode == 0 and "measure multistage" not in done.stderr
    assert lock(site)["multistage"] == json.loads(before)["multistage"]
    assert [d.code for d in load(site).diagnostics if d.code.startswith("EXA")] == []


def _built(root, target: str) -> str:
    """The image id of `target` of the multistage example, built again (from the cache)."""
    iid = root / "iid"
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    subprocess.run(
        [
            "docker",
            "build",
            "-q",
            "--iidfile",
            str(iid),
            "--target",
            target,
            str(root / "examples/multistage"),
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return iid.read_text().strip()


@pytest.mark.timeout(600)
def test_a_failing_build_is_one_diagnostic_at_its_line_and_keeps_the_lock(site):
    assert run_cli("measure", "--root", site, timeout=600).returncode == 0
    before = (site / "measurements.json").read_bytes()
    dockerfile = site / "examples/naive/Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "RUN echo about to fail\nRUN false\n")
    done = run_cli("measure", "--root", site, timeout=600)
    assert done.returncode == 1
    assert "examples/naive/Dockerfile:5:1: error EXA007: example 'naive' does not build" in (
        done.stdout
    )
    assert "--- the last lines of the build of examples/naive ---" in done.stderr
    assert (site / "measurements.json").read_bytes() == before


def test_no_daemon_or_no_docker_is_one_error_and_nothing_changes(site, tmp_path):
    (site / "measurements.json").write_text("{}\n")
    env_host = _env(DOCKER_HOST=f"unix://{tmp_path}/none.sock")
    done = subprocess.run(
        [*_cli(), "measure", "--root", str(site)],
        env=env_host,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and done.stdout.count("error EXA008") == 1
    assert "does not answer" in done.stdout
    no_docker = {**env_host, "PATH": str(tmp_path)}
    done = subprocess.run(
        [*_cli(), "measure", "--root", str(site)],
        env=no_docker,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "no 'docker' command on PATH" in done.stdout
    assert (site / "measurements.json").read_text() == "{}\n"


def _cli() -> list[str]:
    """The command line of `build-site` run from this checkout (its interpreter by full path, so
    a test may empty PATH; PYTHONPATH is set by `_env`)."""
    import sys

    return [sys.executable, "-m", "site_builder"]


def _env(**changes: str) -> dict[str, str]:
    from conftest import REPO

    return {**os.environ, "PYTHONPATH": str(REPO), **changes}
