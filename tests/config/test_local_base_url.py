"""CFG005: `build-site build` warns once when site.toml's base_url names this machine."""

from __future__ import annotations

import pytest
from conftest import post, run_cli

from site_builder.config.local_url import is_local

WARNING = (
    "site.toml:2:1: warning CFG005: base_url is 'http://localhost:8000/', a local address: "
    "canonical links, og:url, the feeds and the sitemap of the published site point at this "
    "machine"
)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8000/", True),
        ("http://127.0.0.1/blog/", True),
        ("http://127.5.0.1/", True),
        ("http://[::1]:8000/", True),
        ("http://preview.localhost/", True),
        ("http://0.0.0.0:8000/", True),
        ("https://example.com/", False),
        ("https://localhost.example.com/", False),
        ("https://10.0.0.5/", False),
    ],
)
def test_local_addresses(url, local):
    assert is_local(url) is local


def test_build_warns_once_at_the_base_url_line(make_site):
    root = make_site(
        {
            "site.toml": 'title = "T"\nbase_url = "http://localhost:8000/"\n',
            "content/posts/a.md": post("A"),
        }
    )
    result = run_cli("--root", root)
    assert result.returncode == 0
    assert result.stderr.count("CFG005") == 1
    assert WARNING in result.stderr
    assert "1 warning in 1 file" in result.stderr.splitlines()[-1]
    again = run_cli("--root", root)  # the unchanged build says it again
    assert again.stderr.count("CFG005") == 1 and "nothing changed" in again.stderr
    assert run_cli("--root", root, "--strict").returncode == 1


def test_a_real_address_or_the_preview_gives_no_warning(make_site):
    real = make_site(
        {"site.toml": 'base_url = "https://example.com/"\n', "content/posts/a.md": post("A")}
    )
    assert "CFG005" not in run_cli("--root", real).stderr


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"site.toml": 'title = "T"\n'}, "to site.toml"),
        ({}, "to a new site.toml"),
    ],
    ids=["site.toml without base_url", "no site.toml"],
)
def test_build_warns_when_base_url_is_left_at_the_default(make_site, files, where):
    root = make_site({**files, "content/posts/a.md": post("A")})
    result = run_cli("--root", root)
    assert result.returncode == 0
    assert result.stderr.count("CFG005") == 1
    assert (
        "site.toml:1:1: warning CFG005: base_url is not set, so it is the default "
        "'http://localhost:8000/', a local address" in result.stderr
    )
    assert (
        f'add base_url = "https://example.com/" (the address the site will be served from) {where}'
        in result.stderr
    )
    assert "CFG005" not in run_cli("check", "--root", root).stderr
