"""Dockerfile blocks as tutorials write them: fragments, placeholders, a file split over blocks,
mislabelled compose/JSON/shell blocks, unlabelled Dockerfiles and expected failures. Each test
is a post: the diagnostics are asserted exactly, so any error but the real ones fails it."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer
from site_builder.pipeline.phases import load

FRONT = (
    "---\ntitle: Docker, part by part\ndate: 2024-01-02\n"
    "description: A tutorial that shows one Dockerfile block by block, with fragments.\n---\n\n"
)  # the body starts at line 7
TOML = '[dockerfile]\nhadolint = "off"\n'


def post(body: str, toml: str = TOML) -> dict[str, str]:
    return {"content/posts/p.md": FRONT + body, "site.toml": toml}


def found(root, codes=("DF", "DH", "MD", "Undefined", "JSON", "Stage", "Workdir", "Multiple")):
    result = load(root)
    return [
        f"{d.line}:{d.column}: {d.severity.value} {d.code}"
        for d in result.diagnostics
        if d.code.startswith(codes)
    ], result


def page(result) -> str:
    return result.rendered.files["posts/p/index.html"].decode()


def html_of(body: str) -> str:
    """The body's HTML, also when it has errors (a build with errors renders no pages)."""
    renderer = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))
    return renderer.render("p.md", body, 6).html


def test_a_fragment_gets_one_note_and_its_real_error_not_a_df011_per_line(make_site):
    body = (
        "```dockerfile\n"  # line 7
        "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "WORKDIR app\n"  # relative: a rule about the whole stage, not checked in a fragment
        "RUN --mount=type=cahce,target=/root/.cache pip install -r requirements.txt\n"  # 11
        "CMD node app.js\n"
        "```\n"
    )
    lines, result = found(make_site(post(body)))
    assert lines == [
        "7:1: info MD005",
        "11:5: error DF034",  # the typo in the mount type: instruction syntax is checked
        "11:44: warning DH004",  # per-instruction hints too
        "12:5: warning JSONArgsRecommended",
    ]
    note = next(d for d in result.diagnostics if d.code == "MD005")
    assert note.message == (
        "this Dockerfile block has no FROM: checked as a fragment of a larger Dockerfile"
    )
    assert "Dockerfile fragment checked: 1 error" in html_of(body)


def test_a_clean_fragment_builds_and_says_so(make_site):
    body = "```dockerfile\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n```\n"
    lines, result = found(make_site(post(body)))
    assert lines == ["7:1: info MD005"]
    assert '<p class="code-check ok" role="note">Dockerfile fragment checked: no errors</p>' in (
        page(result)
    )


def test_placeholders_are_never_errors_and_are_marked(make_site):
    body = (
        "```dockerfile\n"
        "FROM cgr.dev/ORG/python:<version> AS build\n"
        "COPY --from=%%IMAGE%% /app /app\n"
        "...\n"
        "FROM {{IMAGE}}\n"
        "COPY --from=build /app /app\n"
        "# ...\n"
        "\u2026\n"
        "EXPOSE <port>\n"
        'CMD ["python", "@@APP@@"]\n'
        "USER YOUR_USER\n"
        "```\n"
    )
    toml = TOML + 'placeholders = ["@@[A-Z]+@@"]\n'
    lines, result = found(make_site(post(body, toml)))
    assert lines == []
    html = page(result)
    marked = re.findall(r'<span class="placeholder">([^<]*)</span>', html)
    assert marked == [
        "ORG",
        "&lt;version&gt;",
        "%%IMAGE%%",
        "...",
        "{{IMAGE}}",
        "# ...",
        "\u2026",
        "&lt;port&gt;",
        "@@APP@@",
        "YOUR_USER",
    ]
    assert "Dockerfile checked: builds" in html


def test_without_the_site_pattern_its_placeholder_is_checked_as_written(make_site):
    body = "```dockerfile\nFROM @@BASE@@\n```\n"
    lines, _ = found(make_site(post(body)))
    assert lines == ["8:6: error DF045"]


SPLIT = (
    "First the build stage, with a backtick escape for Windows paths:\n\n"
    '```dockerfile {file="Dockerfile"}\n'  # line 9
    "# escape=`\n"
    "FROM golang:1.22 AS build\n"
    "WORKDIR /src\n"
    "```\n\n"
    "Then the build itself:\n\n"
    '```dockerfile {file="Dockerfile"}\n'  # line 17
    "COPY . .\n"
    "RUN go build `\n"  # continued with the escape set in the first part
    "    -o /app .\n"
    "```\n\n"
    "And the runtime stage:\n\n"
    '```dockerfile {file="Dockerfile" title="Dockerfile (runtime)"}\n'  # line 25
    "FROM gcr.io/distroless/static:nonroot\n"
    "COPY --from=build /app /app\n"  # `build` is the first part's stage, not an image
    "USR nonroot\n"  # line 28: the real error
    "```\n"
)


def test_a_file_split_over_three_blocks_is_checked_as_one(make_site):
    lines, result = found(make_site(post(SPLIT)))
    assert lines == ["28:1: error DF001"]
    (error,) = [d for d in result.diagnostics if d.code == "DF001"]
    assert error.message == "unknown instruction: USR (did you mean USER?)"
    html = html_of(SPLIT)
    assert "Dockerfile (&quot;Dockerfile&quot;, part 1 of 3) checked: would not build" in html
    assert "Dockerfile (&quot;Dockerfile&quot;, part 3 of 3) checked: would not build" in html
    # the second part is highlighted with the first part's escape: `-o` is no error token
    assert '<span class="err">-o</span>' not in html
    assert '<span class="code-caption">Dockerfile (runtime)</span>' in html


def test_the_same_parts_checked_alone_would_be_wrong(make_site):
    """What the `file=` option fixes: without it, part two loses the escape and part three's
    stage reference is an image; only the real mistake is left with it."""
    alone = SPLIT.replace(' {file="Dockerfile"}', "").replace('file="Dockerfile" ', "")
    lines, _ = found(make_site(post(alone)))
    assert "20:5: error DF001" in lines  # `-o` read as an instruction
    assert "17:1: info MD005" in lines


@pytest.mark.parametrize(
    ("code", "looks_like", "label"),
    [
        (
            'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n'
            'version: "3.9"\n',
            "a compose file (YAML)",
            "yaml",
        ),
        ('{\n  "builder": {"gc": {"enabled": true}},\n  "debug": false\n}\n', "JSON", "json"),
        (
            "$ docker build -t app .\n[+] Building 1.2s (6/6) FINISHED\n$ docker run --rm app\n",
            "a shell session (commands after a `$` prompt)",
            "console",
        ),
    ],
)
def test_a_block_in_another_language_gets_one_warning(make_site, code, looks_like, label):
    lines, result = found(make_site(post(f"```dockerfile\n{code}```\n")))
    assert lines == ["7:1: warning MD006"]
    (warning,) = [d for d in result.diagnostics if d.code == "MD006"]
    assert warning.message == (
        f"this 'dockerfile' block looks like {looks_like}, not a Dockerfile: label it ```{label}"
    )
    assert f'data-lang="{label}"' in page(result)


def test_an_unlabelled_dockerfile_is_highlighted_and_hinted_once(make_site):
    body = (
        "```\nFROM alpine:3.20\nRUN apk add curl\n```\n\n"  # DH003 once labelled
        "```\nFROM the start, said the prose\n```\n\n"
        "```\nFROM alpine\nthen some words\n```\n"
    )
    lines, result = found(make_site(post(body)))
    assert lines == ["7:1: info MD007"]  # the other two are not plainly Dockerfiles
    (hint,) = [d for d in result.diagnostics if d.code == "MD007"]
    assert hint.message == (
        "this unlabelled code block looks like a Dockerfile: label it ```dockerfile"
    )
    assert (
        hint.hint == "it is highlighted as a Dockerfile; it is checked once labelled ```dockerfile"
    )
    html = page(result)
    assert html.count('data-lang="docker"') == 1 and '<span class="k">FROM</span>' in html


def test_an_expected_typo_does_not_bring_its_consequences(make_site):
    body = (
        '```dockerfile {expect-error="DF001"}\nFORM alpine:3.20\nRUN echo one\nRUN echo two\n```\n'
    )
    lines, result = found(make_site(post(body)))
    assert lines == ["8:1: info DF001"]  # no DF011 for each RUN below the typo
    assert "Dockerfile checked: fails as intended (DF001)" in page(result)


def test_a_fragment_that_expected_df011_still_passes(make_site):
    """Posts written before fragments were known silenced them with expect-error="DF011"."""
    body = '```dockerfile {expect-error="DF011"}\nRUN npm ci\n```\n'
    lines, result = found(make_site(post(body)))
    assert lines == ["7:1: info MD005"]
    assert "Dockerfile fragment checked: no errors" in page(result)


def test_an_unexpected_typo_is_one_error_not_one_per_line(make_site):
    body = "```dockerfile\nFORM alpine:3.20\nRUN echo one\nRUN echo two\n```\n"
    lines, _ = found(make_site(post(body)))
    assert lines == ["8:1: error DF001"]


def test_check_shows_the_fragment_note_and_the_real_error_only(make_site):
    body = "```dockerfile\nRUN npm ci\n```\n\n```yaml\nservices: {}\n```\n\n" + SPLIT.replace(
        "USR nonroot", "USER nonroot\nRUNN x"
    )
    root = make_site(post(body))
    out = run_cli("check", cwd=root)
    assert out.returncode == 1, out.stdout + out.stderr
    codes = re.findall(r"^content/posts/p\.md:(\d+:\d+): (\w+) (\w+):", out.stdout, re.M)
    assert codes == [("7:1", "info", "MD005"), ("37:1", "error", "DF001")]  # RUNN, in part 3
    assert "checked as a fragment of a larger Dockerfile" in out.stdout


COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "80:80"\n'


def test_a_wrong_label_is_reported_when_the_site_turns_dockerfile_checks_off(make_site):
    """`[dockerfile] check = false` turns off the Dockerfile checks, not the label check: a
    compose file under `dockerfile` would still be highlighted as a Dockerfile, so MD006
    (a warning, never an error) still says so, and the block is shown as YAML."""
    toml = TOML + "check = false\n"
    lines, result = found(make_site(post(f"```dockerfile\n{COMPOSE}```\n", toml)))
    assert lines == ["7:1: warning MD006"]
    assert 'data-lang="yaml"' in page(result)
    broken, _ = found(make_site(post("```dockerfile\nFORM alpine\n```\n", toml)))
    assert broken == []  # while a real Dockerfile error is not checked


def test_a_block_that_opts_out_of_the_check_gets_no_label_warning(make_site):
    lines, result = found(make_site(post(f"```dockerfile {{check=false}}\n{COMPOSE}```\n")))
    assert lines == []
    assert 'data-lang="docker"' in page(result)  # shown as labelled
