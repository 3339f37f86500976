"""The CLI's last line of defence: a bug in site_builder, Ctrl-C and a closed stdout pipe.

Bad content, config or templates are diagnostics (the attack suite checks that). What is left is
a genuine internal error: it must be exit 1 with ONE line on stderr saying it is a bug and where
the crash log is; the log (traceback, version, argv, Python) goes to the system temp folder,
never into the site. Ctrl-C is exit 130 with one short line; `check | head` exits quietly.
Every case runs the real CLI in a subprocess; the internal error is provoked by replacing a real
function inside the package with one that raises, then calling `main()`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import REPO, post, run_cli, snapshot, tree_hash, write_site

CRASH_LINE = re.compile(
    r"^build-site: internal error \(this is a bug in site_builder\): "
    r"(?P<kind>\w+): (?P<message>.*); details in (?P<log>\S+/site_builder-crash-\d{8}-\d{6}-\d+\.log)$"
)


def run_patched(patch: str, *args: str | Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    """`main(args)` in a fresh interpreter after running `patch` (Python source)."""
    program = textwrap.dedent(
        """
        import sys
        {patch}
        from site_builder.cli import main
        sys.exit(main(sys.argv[1:]))
        """
    ).format(patch=textwrap.dedent(patch))
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "TMPDIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-c", program, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# A genuine internal failure: the Markdown renderer itself falls over on a normal post.
RENDER_FAILS = """
from site_builder.markup import convert as markdown

def broken(self, *args, **kwargs):
    raise ZeroDivisionError("renderer divided by zero\\n(second line)")

markdown.MarkdownRenderer.render = broken
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {"content/posts/hello.md": post("Hello")})


def test_an_internal_error_is_one_line_and_a_crash_log_in_the_temp_folder(
    site: Path, tmp_path: Path
) -> None:
    before = snapshot(site)
    result = run_patched(RENDER_FAILS, "build", "--root", site, tmp=tmp_path / "tmp")

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    match = CRASH_LINE.match(lines[0])
    assert match, lines[0]
    assert match["kind"] == "ZeroDivisionError"
    assert match["message"] == "renderer divided by zero (second line)"
    log = Path(match["log"])
    assert log.parent == tmp_path / "tmp"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert ", in broken\n" in text  # the frame that raised
    assert "ZeroDivisionError: renderer divided by zero" in text
    from site_builder.version import __version__

    assert f"site_builder {__version__}" in text
    assert f"argv: build-site build --root {site}" in text
    assert f"python: {sys.version.split()[0]}" in text
    # nothing in the site: no log, no output, no staging folder
    assert snapshot(site) - before <= {p for p in snapshot(site) if p.startswith(".site-cache")}
    assert not (site / "output").exists()


def test_an_internal_error_in_check_is_one_line_too(site: Path, tmp_path: Path) -> None:
    result = run_patched(RENDER_FAILS, "check", "--root", site, tmp=tmp_path / "tmp")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and CRASH_LINE.match(result.stderr.strip())
    assert result.stdout == ""


def test_the_crash_line_says_so_when_the_log_cannot_be_written(tmp_path: Path) -> None:
    from site_builder.cli.main import crash_line

    missing = tmp_path / "no-such-folder"
    import tempfile

    saved = tempfile.tempdir
    tempfile.tempdir = str(missing)
    try:
        line = crash_line(RuntimeError("x" * 500), ["build-site"])
    finally:
        tempfile.tempdir = saved
    assert line.startswith(
        "build-site: internal error (this is a bug in site_builder): RuntimeError: "
    )
    assert "x" * 299 + "…; no details: cannot write " + str(missing) in line
    assert line.endswith("No such file or directory")
    assert "\n" not in line


def test_the_crash_log_is_never_written_through_a_planted_link(tmp_path: Path) -> None:
    """In a shared /tmp someone may pre-create the log name as a symlink to a victim file."""
    import tempfile

    from site_builder.cli.main import crash_line

    victim = tmp_path / "victim"
    victim.write_text("precious")
    shared = tmp_path / "shared"
    shared.mkdir()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for offset in range(3):  # the second may tick while we get there
        name = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() + offset))
        (shared / f"site_builder-crash-{name}-{os.getpid()}.log").symlink_to(victim)
    saved = tempfile.tempdir
    tempfile.tempdir = str(shared)
    try:
        line = crash_line(RuntimeError("boom"), ["build-site"])
    finally:
        tempfile.tempdir = saved
    assert stamp and victim.read_text() == "precious"
    assert "no details: cannot write" in line and line.endswith("File exists")


def test_ctrl_c_raised_inside_a_build_is_exit_130_and_one_line(site: Path, tmp_path: Path) -> None:
    patch = RENDER_FAILS.replace(
        'ZeroDivisionError("renderer divided by zero\\n(second line)")', "KeyboardInterrupt"
    )
    result = run_patched(patch, "--root", site, tmp=tmp_path / "tmp")
    assert result.returncode == 130
    assert result.stderr == "build-site: interrupted\n"
    assert not list((tmp_path / "tmp").iterdir()), "Ctrl-C is not a crash: no log"


@pytest.mark.slow
def test_a_real_sigint_during_publish_is_exit_130_and_the_next_run_recovers(tmp_path: Path) -> None:
    files = {
        f"content/posts/p{i:03}.md": post(f"Post {i}", date=f"2023-{1 + i % 12:02}-{1 + i % 28:02}")
        for i in range(300)
    }
    changed = {
        name: text.replace("Intro paragraph", "Changed paragraph") for name, text in files.items()
    }
    reference = write_site(tmp_path / "reference", changed)
    assert run_cli("--root", reference, "--quiet").returncode == 0
    new = tree_hash(reference / "output")
    root = write_site(tmp_path / "site", files)
    assert run_cli("--root", root, "--quiet").returncode == 0
    old = tree_hash(root / "output")
    write_site(root, changed)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "--root", str(root), "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 100
    while time.monotonic() < deadline and process.poll() is None:
        if any(name.startswith(".output.") for name in os.listdir(root)):
            break
        time.sleep(0.001)
    # Ctrl-C in a terminal signals the whole foreground process group (workers included).
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the build finished before the signal arrived")  # a very fast machine
    assert process.returncode == 130, stderr
    assert stderr == "build-site: interrupted\n"
    assert stdout == ""
    assert tree_hash(root / "output") in (old, new), "entirely the old build or the new one"

    again = run_cli("--root", root, "--quiet")
    assert again.returncode == 0, again.stderr
    assert tree_hash(root / "output") == new
    assert not [n for n in os.listdir(root) if n.startswith((".output.staging-", ".output.old-"))]


def many_problems_site(root: Path) -> Path:
    """A site whose `check` prints far more than a pipe buffer (64 KB) on stdout."""
    body = "\n\n".join(f"Paragraph {i} still has a TODO in it." for i in range(1500))
    return write_site(root, {"content/posts/todo.md": post("Todo") + "\n" + body + "\n"})


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_closed_stdout_pipe_exits_quietly(tmp_path: Path, fmt: str) -> None:
    """`build-site check --format json | head -c 100`: no traceback, no 'Exception ignored'."""
    root = many_problems_site(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "check", "--root", str(root), "--format", fmt],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    head = process.stdout.read(100)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert len(head) == 100
    assert process.returncode == 141, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert "BrokenPipeError" not in stderr and "internal error" not in stderr


def test_the_whole_report_still_arrives_through_an_open_pipe(tmp_path: Path) -> None:
    """The counterpart: the same report read to the end is complete and the exit code normal."""
    root = many_problems_site(tmp_path / "site")
    result = run_cli("check", "--root", root, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 65536
    import json

    records = json.loads(result.stdout)
    assert sum(1 for r in records if r["code"] == "TXT001") >= 1000
