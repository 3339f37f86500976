"""Code fence info strings: the documented option syntax, and no crash on anything else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.markup.fence_info import parse_info


def test_language_and_options():
    info = parse_info(
        "dockerfile {linenos=true, hl_lines=\"2 4-6\" title='Dockerfile' check=false}"
    )
    assert info.language == "dockerfile"
    assert info.linenos and not info.check
    assert info.hl_lines == frozenset({2, 4, 5, 6})
    assert info.title == "Dockerfile"
    assert info.problems == ()


def test_hugo_style_line_list_and_expect_error():
    info = parse_info('docker {hl_lines=[2,"4-5"] expect-error="DF001 DF007" linenostart=10}')
    assert info.hl_lines == frozenset({2, 4, 5})
    assert info.expect_errors == ("DF001", "DF007")
    assert info.linenostart == 10


def test_problems_are_reported_not_raised():
    info = parse_info("sh {linenos=perhaps hl_lines=a-b nope")
    assert "code block options '{...}' are missing the closing '}'" in info.problems
    assert any("linenos" in p for p in info.problems)
    assert any("hl_lines" in p for p in info.problems)
    assert any("nope" in p for p in info.problems)


def test_bare_language():
    assert parse_info("  console  ").language == "console"
    assert parse_info("").language == ""


@given(st.text(max_size=80))
def test_never_raises(text):
    info = parse_info(text)
    assert isinstance(info.problems, tuple)


def test_options_without_braces_and_the_file_option():
    info = parse_info('dockerfile title="Build stage" file="Dockerfile" linenos')
    assert (info.language, info.title, info.file, info.linenos) == (
        "dockerfile",
        "Build stage",
        "Dockerfile",
        True,
    )
    assert info.problems == ()
    assert parse_info("dockerfile {file=app.Dockerfile}").file == "app.Dockerfile"
    # words without `=` after the language are not options (as before)
    assert parse_info("python3 some words").problems == ()
