"""The bad-input and attack suite (design note attack-suite.md, section 3), one case per folder.

Each `tests/fixtures/bad/<case>/` holds a `site/` and `expect.toml`:

- `exit`: the exit code; `survives`: whether the previous output folder must survive byte for
  byte (true) or be replaced by the new build (false);
- `first`: the exact first diagnostic line printed; `also`: more lines that must be printed
  (every problem of the run is reported, never only the first); `clean = true`: none at all;
- `output`: the output folder when the case moves it (default `output`).

Every case starts from a site that built once (the "last good" output), removes its post, adds
the case's files, runs the real CLI in a subprocess (from the workspace folder, so a relative
write would land where the test sees it), and checks: the exit code, no traceback, the lines,
the output tree hash, that no file appeared outside the output folder and its documented
siblings (`.output.*` staging/spare folders, `.site-cache/`), that no input file changed, that
no staging folder was left behind, and the case's own promises (`CHECKS`).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli, snapshot, tree_hash, write_site
from html_audit import audit

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expect.toml").is_file())
DIAGNOSTIC = re.compile(r"^\S.*?:\d+:\d+: (error|warning|info) [A-Za-z0-9]+: ")
GOOD = "---\ntitle: Good\ndate: 2024-01-02\ntags: [Docker]\ndescription: The last good build.\n---\n\nThe last good build.\n"
SECRET = "PRIVATE KEY 8f2b9c"


@pytest.fixture(scope="module")
def last_good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with one good post, built once; every case starts from a copy of it."""
    root = write_site(
        tmp_path_factory.mktemp("good") / "site",
        {"site.toml": 'base_url = "https://example.com/"\n', "content/posts/good.md": GOOD},
    )
    result = run_cli("--root", root)
    assert result.returncode == 0, result.stderr
    return root


def outside(workspace: Path) -> Path:
    """A folder beside the site holding things no build may read or copy."""
    secret = workspace / "secret"
    if not secret.exists():
        write_site(
            secret,
            {
                "id_rsa": SECRET + "\n",
                "posts/leak.md": f"---\ntitle: Leak\ndate: 2024-01-02\n---\n\n{SECRET}\n",
                "site.toml": 'title = "Linked config"\n',
                "theme/templates/post.html": f"{SECRET} {{{{ config }}}}\n",
            },
        )
    return secret


def prepare(case: str, root: Path, workspace: Path) -> None:
    """Set-up that cannot live in a fixture folder (symlinks, FIFOs, huge or oddly named files)."""
    secret = outside(workspace)
    if case == "11-python-tag":
        post = root / "content/posts/post.md"
        post.write_text(post.read_text().replace("@CANARY@", str(workspace / "canary")))
    elif case == "32-huge-file":
        with open(root / "content/posts/huge.md", "wb") as handle:
            handle.truncate(50 * 1024 * 1024)
    elif case == "33-symlinks":
        (root / "content/posts/leak.md").symlink_to(secret / "id_rsa")
        (root / "content/static").mkdir(parents=True)
        (root / "content/static/etc").symlink_to(secret)
        (root / "themes/default/static").mkdir(parents=True)
        (root / "themes/default/static/x.css").symlink_to(secret / "id_rsa")
    elif case == "33b-symlinked-parent-folder":
        (root / "content/posts/series").symlink_to(secret / "posts")
    elif case == "33c-symlinked-content-folder":
        shutil.copytree(root / "content", workspace / "elsewhere")
        shutil.rmtree(root / "content")
        (workspace / "elsewhere/posts/leak.md").write_text((secret / "posts/leak.md").read_text())
        (root / "content").symlink_to(workspace / "elsewhere")
    elif case == "33d-symlinked-template":
        (root / "themes/default/templates").mkdir(parents=True)
        (root / "themes/default/templates/post.html").symlink_to(
            secret / "theme/templates/post.html"
        )
    elif case == "33e-symlinked-config":
        (root / "site.toml").unlink()  # the last good build's own
        (root / "site.toml").symlink_to(secret / "site.toml")
    elif case == "34f-theme-outside-themes":
        shutil.copytree(secret / "theme", workspace / "outside")
    elif case == "34i-output-is-a-symlink":
        (workspace / "elsewhere").mkdir()
        (workspace / "elsewhere/keep.txt").write_text("not a build\n")
        shutil.rmtree(root / "output")
        (root / "output").symlink_to(workspace / "elsewhere")
    elif case == "45-fifo-in-content":
        os.mkfifo(root / "content/posts/pipe.md")
    elif case == "46-non-utf8-file-name":
        name = os.fsdecode(b"caf\xe9 notes.md")  # Latin-1 bytes: not UTF-8
        (root / "content/posts/post.md").rename(root / "content/posts" / name)


def _page(root: Path, rel: str = "posts/post/index.html") -> str:
    return (root / "output" / rel).read_text(encoding="utf-8")


def _all_output(root: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((root / "output").rglob("*"))
        if p.is_file()
    )


def _no_live_content(root: Path) -> None:
    """No published page can run script the theme did not ship (parsed, not grepped)."""
    for path in sorted((root / "output").rglob("*.html")):
        assert audit(path.read_text(encoding="utf-8")) == [], path
    for path in sorted((root / "output").rglob("*")):
        if path.is_file() and path.suffix in (".xml", ".json", ".txt"):
            assert "<script>alert" not in path.read_text(encoding="utf-8"), path


def check_bom(root: Path, stderr: str) -> None:
    assert "<title>Post" in _page(root)


def check_crlf(root: Path, stderr: str) -> None:
    assert "\r" not in _page(root), "output uses LF"


def check_utf16_hint(root: Path, stderr: str) -> None:
    assert "hint: save the file as UTF-8" in stderr


def check_nul(root: Path, stderr: str) -> None:
    assert "Some\ufffdtext." in _page(root)


def check_python_tags(root: Path, stderr: str) -> None:
    workspace = root.parent
    assert not list(workspace.glob("canary*")), "a YAML tag ran code"


def check_date_time(root: Path, stderr: str) -> None:
    assert 'datetime="2024-01-02T10:00:00+00:00"' in _page(root)


def check_script_in_title(root: Path, stderr: str) -> None:
    page = _page(root)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;q" in page or (
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q" in page
    )
    assert "&lt;script&gt;alert(1)" in (root / "output/atom.xml").read_text()
    _no_live_content(root)


def check_nfc(root: Path, stderr: str) -> None:
    tags = sorted(p.name for p in (root / "output/tags").iterdir() if p.is_dir())
    assert len([t for t in tags if t.startswith("caf")]) == 1, tags


def check_escaped_body(root: Path, stderr: str) -> None:
    _no_live_content(root)
    page = _page(root)
    assert "<img src=x" not in page and '" onmouseover="' not in page


def check_link_schemes(root: Path, stderr: str) -> None:
    _no_live_content(root)
    text = html.unescape(_page(root))
    assert "[a](javascript:alert(1))" in text and "<javascript:alert(1)>" in text, "shown as text"


def check_template_syntax_in_body(root: Path, stderr: str) -> None:
    page = _page(root)
    assert "{{ 7*7 }}" in page and "{% include '/etc/passwd' %}" in page
    assert "49" not in page.split("post-body", 1)[1].split("</article>")[0]
    assert "root:x:0:0" not in page


def check_symlinks_not_read(root: Path, stderr: str) -> None:
    assert SECRET not in _all_output(root)
    assert "root:x:0:0" not in _all_output(root)


def check_empty_site(root: Path, stderr: str) -> None:
    assert (root / "output/index.html").is_file()
    assert "<entry>" not in (root / "output/atom.xml").read_text()


def check_foreign_output_untouched(root: Path, stderr: str) -> None:
    assert (root / "public/notes.txt").read_text() == "keep me\n"


def check_file_output_untouched(root: Path, stderr: str) -> None:
    assert (root / "notes.txt").read_text() == "my notes, not a folder\n"


def check_symlinked_output_untouched(root: Path, stderr: str) -> None:
    assert os.listdir(root.parent / "elsewhere") == ["keep.txt"]


def check_hidden_files_ignored(root: Path, stderr: str) -> None:
    for name in ("#post", ".draft", "post.md~", ".hidden", "notes.txt"):
        assert name not in stderr, name
    assert sorted(p.name for p in (root / "output/posts").iterdir()) == ["post"]


def check_fifo_skipped(root: Path, stderr: str) -> None:
    assert (root / "output/posts/post/index.html").is_file()


def check_site_strings_escaped(root: Path, stderr: str) -> None:
    _no_live_content(root)
    assert "<img src=x" not in _all_output(root)


def check_capped(root: Path, stderr: str) -> None:
    errors = [line for line in stderr.splitlines() if DIAGNOSTIC.match(line) and " error " in line]
    assert len(errors) == 50
    assert (
        "... and 10 more error diagnostics (use 'build-site check --format json' for all)" in stderr
    )


def check_passwd_not_included(root: Path, stderr: str) -> None:
    assert "root:x:0:0" not in stderr


CHECKS: dict[str, Callable[[Path, str], None]] = {
    "01-bom": check_bom,
    "02-crlf": check_crlf,
    "04b-utf16": check_utf16_hint,
    "05-nul": check_nul,
    "11-python-tag": check_python_tags,
    "14-date-time-string": check_date_time,
    "17-script-in-title": check_script_in_title,
    "24-nfc-nfd": check_nfc,
    "25-raw-html-body": check_escaped_body,
    "26-dangerous-link-schemes": check_link_schemes,
    "27-fence-info-attack": check_escaped_body,
    "33-symlinks": check_symlinks_not_read,
    "33b-symlinked-parent-folder": check_symlinks_not_read,
    "33c-symlinked-content-folder": check_symlinks_not_read,
    "33d-symlinked-template": check_symlinks_not_read,
    "36-template-syntax-in-body": check_template_syntax_in_body,
    "38-empty-content": check_empty_site,
    "34g-output-not-ours": check_foreign_output_untouched,
    "34h-output-is-a-file": check_file_output_untouched,
    "34i-output-is-a-symlink": check_symlinked_output_untouched,
    "40-diagnostics-capped": check_capped,
    "44-hidden-and-backup-files": check_hidden_files_ignored,
    "45-fifo-in-content": check_fifo_skipped,
    "47-link-title-quotes": check_escaped_body,
    "48-heading-quotes": check_escaped_body,
    "49-site-config-script": check_site_strings_escaped,
    "51-template-include-outside": check_passwd_not_included,
}


def inputs_digest(workspace: Path, output: str) -> str:
    """A hash of every input file (everything but the output and its documented siblings)."""
    digest = hashlib.sha256()
    for rel in sorted(snapshot(workspace)):
        if _generated(rel, output):
            continue
        path = workspace / rel
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        if path.is_symlink():
            digest.update(os.readlink(path).encode("utf-8", "surrogateescape"))
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _generated(rel: str, output: str) -> bool:
    """Whether `rel` (relative to the workspace) is the output, a sibling of it, or the cache."""
    out = f"site/{output}"
    parent, _, name = out.rpartition("/")
    return rel == out or rel.startswith((f"{out}/", f"{parent}/.{name}.", "site/.site-cache"))


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path, last_good: Path) -> None:
    expect = tomllib.loads((BAD / case / "expect.toml").read_text())
    output = expect.get("output", "output")
    workspace = tmp_path / "ws"
    root = workspace / "site"
    shutil.copytree(
        last_good, root, symlinks=True, ignore=shutil.ignore_patterns(".site-cache", ".output.*")
    )
    (root / "content/posts/good.md").unlink()
    shutil.copytree(
        BAD / case / "site", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".gitkeep")
    )
    prepare(case, root, workspace)
    before = tree_hash(root / output)
    inputs = snapshot(workspace)
    input_hash = inputs_digest(workspace, output)

    result = run_cli("--root", root, cwd=workspace)

    assert result.returncode == expect["exit"], result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if DIAGNOSTIC.match(line)]
    if "first" in expect:
        assert lines, result.stderr
        assert lines[0] == expect["first"]
    for line in expect.get("also", []):
        assert line in lines, f"missing: {line}\n{result.stderr}"
    if expect.get("clean"):
        assert lines == [], result.stderr
    if expect["survives"]:
        assert tree_hash(root / output) == before, "the last good output must survive"
    else:
        assert tree_hash(root / output) != before, "the new build must be published"
    appeared = {p for p in snapshot(workspace) - inputs if not _generated(p, output)}
    assert appeared == set(), f"files appeared outside {output}/: {sorted(appeared)}"
    assert inputs_digest(workspace, output) == input_hash, "an input file was changed"
    leftovers = [
        n for n in os.listdir(root) if n.startswith((f".{output}.staging-", f".{output}.old-"))
    ]
    assert leftovers == [], leftovers
    if case in CHECKS:
        CHECKS[case](root, result.stderr)


def test_every_design_row_has_a_case() -> None:
    numbers = {int(name[:2]) for name in CASES}
    assert numbers >= set(range(1, 39))


def test_every_case_folder_is_complete() -> None:
    for folder in BAD.iterdir():
        assert (folder / "expect.toml").is_file(), folder
        assert (folder / "site").is_dir(), folder
        expect = tomllib.loads((folder / "expect.toml").read_text())
        assert set(expect) <= {"exit", "survives", "first", "also", "clean", "output", "note"}, (
            folder
        )
        assert expect["exit"] in (0, 1) and isinstance(expect["survives"], bool), folder
        if expect["exit"] == 1:
            assert expect["survives"], f"{folder.name}: a failed build must leave the output alone"


def test_no_case_leaves_staging_behind(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/posts/good.md": GOOD})
    assert run_cli("--root", root).returncode == 0
    leftovers = [p for p in os.listdir(tmp_path / "site") if p.startswith(".output.staging-")]
    assert leftovers == []
