"""`check_block` and the placeholders: fragments, parts, stand-ins; whole files unchanged."""

from __future__ import annotations

import time

import pytest
from dockerfile_fixtures import all_cases

from site_builder.config.load import load_config
from site_builder.dockerfile import check_dockerfile
from site_builder.dockerfile.placeholders import (
    DEFAULT_PLACEHOLDERS,
    compile_placeholders,
    neutralise,
)
from site_builder.dockerfile.roles import check_block
from site_builder.markup.language_guess import looks_like_dockerfile, wrong_language


def where(report) -> list[list[tuple[int, int, str]]]:
    return [[(d.line, d.column, d.code) for d in part] for part in report.parts]


def test_a_fragment_is_checked_inside_a_stand_in_stage() -> None:
    report = check_block(["RUN --mount=type=cahce pip install flask\nWORKDIR app\nCMD x\n"])
    assert report.role == "fragment"
    # the mount type is misspelt; the relative WORKDIR is a whole-stage rule: not checked
    assert where(report) == [[(1, 5, "DF034"), (1, 24, "DH004"), (3, 5, "JSONArgsRecommended")]]


def test_a_lower_case_fragment_gets_no_casing_warning_from_the_stand_in() -> None:
    report = check_block(["run echo one\nrun echo two\n"])
    assert [d.code for d in report.parts[0]] == ["DH006"]


def test_a_fragment_keeps_its_escape_directive() -> None:
    report = check_block(["# escape=`\nRUN echo one `\n    two\n"])
    assert report.role == "fragment" and where(report) == [[]]


def test_a_fragment_of_comments_and_left_out_lines_is_fine() -> None:
    assert where(check_block(["# install the tools\n...\n"])) == [[]]


def test_a_misspelt_from_is_a_whole_file_with_one_error() -> None:
    report = check_block(["FORM alpine\nRUN a\nRUN b\n"])
    assert report.role == "dockerfile"
    assert where(report) == [[(1, 1, "DF001")]]


def test_parts_share_stages_and_escape_and_keep_their_own_lines() -> None:
    parts = [
        "# escape=`\nFROM golang:1.22 AS build\n",
        "RUN go build `\n    -o /app .\n",
        "FROM alpine:3.20\nCOPY --from=build /app /app\nRUNN x\n",
    ]
    report = check_block(parts)
    assert report.role == "dockerfile" and report.stages == ("build", "")
    assert report.escape == "`"
    assert where(report) == [[], [], [(3, 1, "DF001")]]


def test_a_finding_that_spans_into_the_next_part_is_cut_at_its_own_end() -> None:
    # alone, the CMD's span runs from 2:5 to 3:4; the third line is in the next block
    whole = check_dockerfile("FROM alpine:3.20\nCMD echo \\\n  hi\n").diagnostics
    assert [(d.line, d.column, d.end_line, d.end_column) for d in whole] == [(2, 5, 3, 4)]
    report = check_block(["FROM alpine:3.20\nCMD echo \\\n", "  hi\n"])
    spans = [[(d.line, d.column, d.end_line, d.code) for d in part] for part in report.parts]
    assert spans == [[(2, 5, None, "JSONArgsRecommended")], []]


@pytest.mark.parametrize("case", [c for c in all_cases() if "FROM" in c.text.upper()], ids=str)
def test_a_whole_dockerfile_is_checked_as_before(case) -> None:
    """Every fixture with a FROM: the same findings as `check_dockerfile`, except the DF011s
    that follow an unknown instruction before the first FROM; no language is guessed."""
    before = [(d.line, d.column, d.code) for d in check_dockerfile(case.text).diagnostics]
    after = where(check_block([case.text]))[0]
    if check_dockerfile(case.text).stages:
        first_unknown = min((line for line, _, code in before if code == "DF001"), default=None)
        expected = [
            item
            for item in before
            if not (item[2] in ("DF011", "DF041") and first_unknown and item[0] >= first_unknown)
        ]
        assert after == expected
    assert wrong_language(case.text) is None


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("FROM cgr.dev/ORG/python:<version>\n", ["ORG", "<version>"]),
        ("FROM YOUR_REGISTRY/app:<your tag>\n", ["YOUR_REGISTRY", "<your tag>"]),
        ("FROM %%IMAGE%%\nUSER YOUR_USER\n", ["%%IMAGE%%", "YOUR_USER"]),
        ("FROM {{IMAGE}}\n", ["{{IMAGE}}"]),
        ("RUN a\n...\n  # ...\n\u2026\n[...]\n", ["...", "# ...", "\u2026", "[...]"]),
        # not placeholders: variables, heredocs, Go templates, file names, paths' last segments
        ("ENV PATH=$HOME/bin:${APP_DIR}/y:$APP_DIR/z\nCOPY <<EOF /x\nEOF\n", []),
        ("RUN docker inspect --format '{{.State.Status}}' x\n", []),
        ("COPY LICENSE README.md /licenses/LICENSE\n", []),
        ("RUN echo a...b && ls ...\n", []),
    ],
)
def test_placeholders_found(text: str, marked: list[str]) -> None:
    ranges = DEFAULT_PLACEHOLDERS.find(text)
    assert [text[a:b] for a, b in ranges] == marked
    neutral = neutralise(text, ranges)
    assert len(neutral) == len(text) and neutral.count("\n") == text.count("\n")


def test_site_patterns_add_to_the_built_in_ones() -> None:
    text = "FROM @@BASE@@:<tag>\n"
    found = compile_placeholders(("@@[A-Z]+@@",)).find(text)
    assert [text[a:b] for a, b in found] == ["@@BASE@@", "<tag>"]


@pytest.mark.parametrize("placeholder", ["<port>", "<a-port>", "<app_port>", "<your port>"])
def test_a_port_stand_in_is_a_valid_port_of_the_same_length(placeholder: str) -> None:
    text = f"FROM alpine:3.20\nEXPOSE {placeholder}\n"
    ranges = DEFAULT_PLACEHOLDERS.find(text)
    assert ranges == ((24, 24 + len(placeholder)),)
    # the stand-in itself is a port BuildKit accepts (findings on it would be dropped anyway)
    assert check_dockerfile(neutralise(text, ranges)).diagnostics == ()


def test_a_bad_site_pattern_is_cfg003_at_its_line(make_site) -> None:
    root = make_site({"site.toml": '[dockerfile]\nplaceholders = ["@@[A-Z+@@", "x*"]\n'})
    _, problems = load_config(root)
    assert [p.format() for p in problems] == [
        "site.toml:2:1: error CFG003: 'dockerfile.placeholders' has '@@[A-Z+@@', which is not a "
        "valid regular expression (unterminated character set at position 2)"
    ]
    root = make_site({"site.toml": '[dockerfile]\nplaceholders = ["x*"]\n'})
    _, problems = load_config(root)
    assert [p.format() for p in problems] == [
        "site.toml:2:1: error CFG003: 'dockerfile.placeholders' has 'x*', which matches empty "
        "text; a placeholder is some characters"
    ]


def test_language_guesses_on_dockerfiles_and_others() -> None:
    assert looks_like_dockerfile("# base\nFROM alpine:3.20 AS base\nRUN a \\\n  b\nCMD x\n")
    assert not looks_like_dockerfile("FROM alpine\n")  # one line: could be prose
    assert not looks_like_dockerfile("from x import y\nprint(y)\n")
    assert wrong_language("version: '3'\nservices:\n  a:\n    image: x\n") is not None
    assert wrong_language("FROM alpine\nLABEL a:b\n") is None
    assert wrong_language('{"broken": \n') is None  # one line of bad JSON: not a guess
    assert wrong_language("user@host:~/app$ docker build .\n") is not None
    assert wrong_language("docker build -t app .\ndocker push app\n") is not None


def _seconds(function, argument) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(argument)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "text",
    [
        "RUN " + "ORG_" * 2000 + "\n",  # a long run of capitals with no `/`
        "RUN " + "<a " * 2000 + "\n",  # openers that never close
        "RUN " + "{{ a" * 2000 + "\n",
        "a:\n" + "  - x\n" * 2000,
    ],
    ids=["capitals", "angles", "braces", "yaml"],
)
def test_placeholder_and_language_scans_grow_linearly(text: str) -> None:
    def work(body: str) -> None:
        DEFAULT_PLACEHOLDERS.find(body)
        wrong_language(body)

    small, large = _seconds(work, text), _seconds(work, text * 4)
    assert large < small * 4 * 3 + 0.005, (small, large)


@pytest.mark.timeout(120)
def test_check_block_grows_linearly_with_findings_on_placeholders() -> None:
    """Every stage's base is a placeholder (each an untagged-image finding, dropped): the
    filter looks each finding up by bisection, not by rescanning the text."""
    runs = iter(range(10**6))

    def work(n: int) -> None:
        text = f"# run {next(runs)}\n" + "FROM %%IMAGE%%\nRUN echo <x>\n" * n  # never memoised
        report = check_block([text, "RUN echo done\n"])
        assert not any(d.code == "DH010" for d in report.parts[0])

    small, large = _seconds(work, 300), _seconds(work, 1200)
    assert large < small * 4 * 2.5, (small, large)
