"""`build-site new` with a title or tag too long for a file name: a shortened slug, or a
one-line error, never an internal error."""

from __future__ import annotations

import pytest
from conftest import run_cli


def test_a_300_character_title_makes_a_shortened_file_that_builds(make_site):
    root = make_site({"site.toml": 'title = "T"\n'})
    title = " ".join(["Shrinking"] * 30)  # 299 characters
    made = run_cli("new", title, "--root", root)
    assert made.returncode == 0, made.stderr
    [path] = (root / "content/posts").iterdir()
    assert path.name == "-".join(["shrinking"] * 20) + ".md"  # cut at a '-', 199 + 3 bytes
    built = run_cli("build", "--drafts", "--root", root)
    assert built.returncode == 0, built.stderr
    page = (root / "output/posts" / path.stem / "index.html").read_text(encoding="utf-8")
    assert f"<title>{title} · T</title>" in page  # the whole title, only the slug is cut


def test_a_title_without_a_dash_is_cut_at_the_limit(make_site):
    root = make_site({"site.toml": 'title = "T"\n'})
    assert run_cli("new", "x" * 300, "--root", root).returncode == 0
    assert [p.name for p in (root / "content/posts").iterdir()] == ["x" * 200 + ".md"]


def test_a_tag_too_long_for_a_url_is_a_one_line_error(make_site):
    root = make_site({"site.toml": 'title = "T"\n'})
    made = run_cli("new", "Hello", "--tags", "t" * 300, "--root", root)
    assert made.returncode == 2
    assert made.stderr == (
        f"build-site new: the tag {'t' * 40!r}... makes a URL segment of 300 bytes, over 200;"
        " shorten it\n"
    )
    assert not (root / "content/posts").exists() or not any((root / "content/posts").iterdir())


@pytest.mark.parametrize(
    ("title", "file_name"),
    [
        ("Привет мир", "privet-mir.md"),  # Cyrillic was an empty slug and an error
        ("Straße und Größe", "strasse-und-grosse.md"),  # ß was dropped: "strae"
        ("Ελληνικά και Docker", "ellenika-kai-docker.md"),
        (
            "Reduced sizes with multi-stage Docker builds",
            "reduced-sizes-with-multi-stage-docker-builds.md",
        ),
    ],
)
def test_titles_in_any_script_make_a_readable_file_name_and_url(make_site, title, file_name):
    root = make_site({"site.toml": 'title = "T"\n'})
    made = run_cli("new", title, "--root", root)
    assert made.returncode == 0, made.stderr
    assert [p.name for p in (root / "content/posts").iterdir()] == [file_name]
    assert run_cli("build", "--drafts", "--root", root).returncode == 0
    page = root / "output/posts" / file_name.removesuffix(".md") / "index.html"
    assert title in page.read_text(encoding="utf-8")


def test_a_title_with_no_letters_or_digits_is_still_a_one_line_error(make_site):
    root = make_site({"site.toml": 'title = "T"\n'})
    made = run_cli("new", "🐳 🐳", "--root", root)
    assert made.returncode == 2
    assert made.stderr == (
        "build-site new: the title '🐳 🐳' gives an empty file name; use letters or digits\n"
    )
