"""A draft's problems are reported, but a build that does not publish the draft goes out."""

from __future__ import annotations

from conftest import post, run_cli

DRAFT = """---
title: Work in progress
date: 2024-01-05
published: false
---
Not ready yet.

```dockerfile
FROM alpine:3.19
RUN apk add --no-cache curl
FORM scratch
```
"""


def _site(make_site):
    return make_site(
        {
            "site.toml": 'base_url = "https://example.com/"\n',
            "content/posts/ready.md": post("Ready", "2024-01-02"),
            "content/posts/draft.md": DRAFT,
        }
    )


def test_a_broken_draft_does_not_stop_the_build(make_site) -> None:
    root = _site(make_site)
    result = run_cli("--root", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "output" / "posts" / "ready" / "index.html").exists()
    assert not (root / "output" / "posts" / "draft").exists()
    output = result.stdout + result.stderr
    lines = [line for line in output.splitlines() if "DF001" in line]
    assert lines and lines[0].startswith("content/posts/draft.md:11:1: warning DF001:")
    assert "not published by this build" in output


def test_with_drafts_its_errors_are_errors_again(make_site) -> None:
    root = _site(make_site)
    result = run_cli("--root", root, "--drafts")
    assert result.returncode == 1
    assert "content/posts/draft.md:11:1: error DF001:" in result.stdout + result.stderr
    assert not (root / "output").exists()


def test_check_reports_the_draft_as_a_warning_too(make_site) -> None:
    root = _site(make_site)
    result = run_cli("check", "--root", root)
    assert result.returncode == 0, result.stdout
    assert "content/posts/draft.md:11:1: warning DF001:" in result.stdout


def test_a_future_post_is_held_back_too_but_an_invalid_one_is_not(make_site) -> None:
    future = DRAFT.replace("published: false\n", "").replace("2024-01-05", "2999-01-05")
    root = make_site(
        {
            "site.toml": 'base_url = "https://example.com/"\n',
            "content/posts/ready.md": post("Ready", "2024-01-02"),
            "content/posts/later.md": future,
        }
    )
    result = run_cli("--root", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content/posts/later.md:10:1: warning DF001:" in result.stdout + result.stderr
    bad = make_site(
        {"content/posts/bad.md": post("Bad").replace("---\n\n", "slug: '../x'\n---\n\n", 1)}
    )
    assert run_cli("--root", bad).returncode == 1


def test_strict_does_not_fail_on_the_problems_of_a_post_it_does_not_publish(make_site) -> None:
    root = _site(make_site)
    strict = run_cli("--root", root, "--strict")
    assert strict.returncode == 0, strict.stdout + strict.stderr
    assert (root / "output" / "posts" / "ready" / "index.html").exists()
    assert "content/posts/draft.md:11:1: warning DF001:" in strict.stdout + strict.stderr
    check = run_cli("check", "--root", root, "--strict")
    assert check.returncode == 0, check.stdout


def test_strict_with_drafts_counts_them(make_site) -> None:
    root = make_site(
        {
            "site.toml": 'base_url = "https://example.com/"\n',
            "content/posts/ready.md": post("Ready", "2024-01-02"),
            # only a warning (JSONArgsRecommended), no error
            "content/posts/draft.md": DRAFT.replace("FORM scratch", 'CMD echo "hi"'),
        }
    )
    assert run_cli("--root", root, "--strict").returncode == 0
    with_drafts = run_cli("--root", root, "--strict", "--drafts")
    assert with_drafts.returncode == 1
    assert "warnings are errors under --strict" in with_drafts.stderr
    assert "warning JSONArgsRecommended:" in with_drafts.stdout + with_drafts.stderr
    assert run_cli("check", "--root", root, "--strict", "--drafts").returncode == 1


def test_strict_still_fails_on_a_warning_of_a_published_post(make_site) -> None:
    published = DRAFT.replace("published: false\n", "").replace("FORM scratch", 'CMD echo "hi"')
    root = make_site({"content/posts/ready.md": published, "content/posts/draft.md": DRAFT})
    assert run_cli("--root", root).returncode == 0
    assert run_cli("--root", root, "--strict").returncode == 1
