"""Every BuildKit build check, one row each: a minimal Dockerfile that breaks the rule, and the
exact place it is reported. Silencing a rule fails its row; a rule added to `codes.py` without
a row fails the completeness test. `# check=error=true` makes each warning an error (not the
info-level UndefinedVar), in a file and in a post, where it stops the build."""

from __future__ import annotations

import pytest

from site_builder.diagnostics.diagnostic import Severity
from site_builder.dockerfile import check_dockerfile
from site_builder.dockerfile.codes import CODES
from site_builder.pipeline.phases import load

# rule: (Dockerfile, line, column)
RULES: dict[str, tuple[str, int, int]] = {
    "StageNameCasing": ("FROM alpine:3.19 AS Build\n", 1, 21),
    "FromAsCasing": ("FROM alpine:3.19 as build\n", 1, 18),
    "NoEmptyContinuation": ("FROM alpine:3.19\nEXPOSE \\\n\n80\n", 4, 1),
    "ConsistentInstructionCasing": ("FROM alpine:3.19\nWORKDIR /app\nrun echo hi\n", 3, 1),
    "DuplicateStageName": ("FROM alpine:3.19 AS base\nFROM alpine:3.20 AS base\n", 2, 21),
    "ReservedStageName": ("FROM alpine:3.19 AS scratch\n", 1, 21),
    "JSONArgsRecommended": ("FROM alpine:3.19\nCMD echo hi\n", 2, 5),
    "MaintainerDeprecated": ("FROM alpine:3.19\nMAINTAINER me@example.com\n", 2, 1),
    "UndefinedArgInFrom": ("FROM alpine:${VERSION:-3.19}\n", 1, 6),
    "WorkdirRelativePath": ("FROM alpine:3.19\nWORKDIR app\n", 2, 9),
    "UndefinedVar": ("FROM alpine:3.19\nRUN echo hi\nCOPY $NOPE /x\n", 3, 6),
    "MultipleInstructionsDisallowed": ('FROM alpine:3.19\nCMD ["a"]\nCMD ["b"]\n', 2, 1),
    "LegacyKeyValueFormat": ("FROM alpine:3.19\nENV A 1\n", 2, 5),
    "RedundantTargetPlatform": ("FROM --platform=$TARGETPLATFORM alpine:3.19\n", 1, 6),
    "SecretsUsedInArgOrEnv": ("FROM alpine:3.19\nARG API_TOKEN\n", 2, 5),
    "InvalidDefaultArgInFrom": ("ARG TAG\nFROM alpine:$TAG\n", 2, 6),
    "FromPlatformFlagConstDisallowed": ("FROM --platform=linux/amd64 alpine:3.19\n", 1, 6),
    "InvalidDefinitionDescription": (
        "# check=experimental=InvalidDefinitionDescription\n"
        "FROM alpine:3.19\n# the version of the app\nARG VERSION=1\n",
        4,
        1,
    ),
    "ExposeProtoCasing": ("FROM alpine:3.19\nEXPOSE 80/TCP\n", 2, 8),
    "ExposeInvalidFormat": ("FROM alpine:3.19\nEXPOSE 127.0.0.1:80:80\n", 2, 8),
}


def test_every_build_check_in_the_codes_table_has_a_row() -> None:
    checks = {code for code, entry in CODES.items() if entry.layer == "check"}
    assert set(RULES) == checks


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_is_reported_where_buildkit_reports_it(rule: str) -> None:
    text, line, column = RULES[rule]
    found = [(d.line, d.column) for d in check_dockerfile(text).diagnostics if d.code == rule]
    assert found == [(line, column)]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_can_be_skipped_by_name(rule: str) -> None:
    text, _, _ = RULES[rule]
    skipped = f"# check=skip={rule}\n" + text.replace("# check=", "# was=")
    assert rule not in {d.code for d in check_dockerfile(skipped).diagnostics}


@pytest.mark.parametrize("rule", sorted(set(RULES) - {"InvalidDefinitionDescription"}))
def test_check_error_true_makes_each_warning_an_error(rule: str) -> None:
    text, line, _ = RULES[rule]
    plain = [d for d in check_dockerfile(text).diagnostics if d.code == rule]
    strict = [
        d for d in check_dockerfile("# check=error=true\n" + text).diagnostics if d.code == rule
    ]
    assert [d.line + 1 for d in plain] == [d.line for d in strict] == [line + 1]
    if rule == "UndefinedVar":  # the base image's environment is unknown: never an error
        assert [d.severity for d in plain] == [d.severity for d in strict] == [Severity.INFO]
    else:
        assert [d.severity for d in plain] == [Severity.WARNING]
        assert [d.severity for d in strict] == [Severity.ERROR]


def test_check_error_true_on_one_instruction_only() -> None:
    text = (
        "FROM alpine:3.19 AS base\nFROM alpine:3.20 AS base\n"
        "# check=error=true\nFROM alpine:3.21 AS base\n"
    )
    found = [(d.line, d.severity) for d in check_dockerfile(text).diagnostics]
    assert found == [(2, Severity.WARNING), (4, Severity.ERROR)]


def post_with(dockerfile: str) -> str:
    return (
        "---\ntitle: Stages\ndate: 2024-01-02\ntags: [Docker]\n"
        "description: A description of this post that is long enough for search results.\n"
        f"---\n\nIntro.\n\n```dockerfile\n{dockerfile}```\n"
    )


@pytest.mark.parametrize(("directive", "fails"), [("", False), ("# check=error=true\n", True)])
def test_check_error_true_in_a_post_stops_the_build(make_site, directive: str, fails: bool) -> None:
    text = directive + RULES["DuplicateStageName"][0]
    root = make_site(
        {"content/posts/p.md": post_with(text), "site.toml": '[dockerfile]\nhadolint = "off"\n'}
    )
    result = load(root)
    line = 10 + 2 + (1 if directive else 0)  # fence on line 10, the second FROM below it
    severity = "error" if fails else "warning"
    assert [d.format() for d in result.diagnostics if d.code == "DuplicateStageName"] == [
        f"content/posts/p.md:{line}:21: {severity} DuplicateStageName: "
        'Duplicate stage name "base", stage names should be unique'
    ]
    assert result.fails() is fails
