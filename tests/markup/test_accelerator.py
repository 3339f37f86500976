"""The accelerator either declines a body or gives markdown-it-py's very tokens for it.

markdown-it-py (`MarkdownRenderer.md.parse`) is the reference; `MarkdownRenderer._parse` takes
the markdown-it-pyrs tree where the accelerator accepts the body. Bodies come from hypothesis
(Markdown built from the constructs posts use, and text drawn from Markdown's punctuation) and
from every Markdown file in the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.config.schema import MarkdownConfig
from site_builder.markup import accelerator
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer

pytestmark = pytest.mark.skipif(
    not accelerator.available(), reason="markdown-it-pyrs (the fast extra) is not installed"
)

ROOT = Path(__file__).resolve().parents[2]
RENDERER = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))


def _env() -> dict[str, Any]:
    return {
        "path": "post.md",
        "offset": 0,
        "diagnostics": [],
        "body_lines": [],
        "dockerfiles": [],
        "inputs": [],
    }


def assert_same_or_declined(body: str) -> bool:
    """True when the accelerator took the body (and gave markdown-it-py's tokens)."""
    assert RENDERER.accelerator is not None
    if RENDERER.accelerator.tokens(body) is None:
        return False
    reference = [token.as_dict() for token in RENDERER.md.parse(body, _env())]
    accelerated = [token.as_dict() for token in RENDERER._parse(body, _env())]
    difference = _first_difference(accelerated, reference)
    assert difference is None, f"{body!r}: {difference}"
    return True


def _first_difference(ours: list[Any], theirs: list[Any], where: str = "") -> str | None:
    """Where two token dumps first differ (token index and field), or None."""
    if len(ours) != len(theirs):
        return f"{where}: {len(ours)} tokens, markdown-it-py {len(theirs)}"
    for index, (mine, reference) in enumerate(zip(ours, theirs, strict=True)):
        for field, value in reference.items():
            if field == "children" and value and mine.get(field):
                found = _first_difference(mine[field], value, f"{where}[{index}].children")
                if found:
                    return found
            elif mine.get(field) != value:
                return f"{where}[{index}] {reference['type']}.{field}: {mine.get(field)!r}, markdown-it-py {value!r}"
    return None


WORDS = st.sampled_from(
    ["alpha", "beta", "Docker", "image", "size", "naïve", "日本", "x", "42", "--", "a_b", "e.g."]
)
INLINE = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"*{w}*"),
    WORDS.map(lambda w: f"_{w}_"),
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"***{w}***"),
    WORDS.map(lambda w: f"__{w}__"),
    WORDS.map(lambda w: f"~~{w}~~"),
    WORDS.map(lambda w: f"`{w}`"),
    WORDS.map(lambda w: f"`` {w}` ``"),
    WORDS.map(lambda w: f"[{w}](https://example.com/{w} \"t\")"),
    WORDS.map(lambda w: f"[{w}](<a b>)"),
    WORDS.map(lambda w: f"[{w}][ref]"),
    WORDS.map(lambda w: f"[{w}]"),
    WORDS.map(lambda w: f"![{w}](img/{w}.png)"),
    WORDS.map(lambda w: f"![*{w}*](i.png 't')"),
    st.sampled_from(
        ["<https://docker.com/x>", "<a@b.c>", "\\*", "\\_", "&amp;", "&copy;", "&#35;", "&#x41;",
         "&bogus;", "*", "**", "_", "[", "]", "!", "`", "~", "<", ">", "&", "\\", "#", "|", "  \n",
         "\\\n", "\n", "[x](javascript:alert)", "[x](https://ü.de)", "<span>", "[]()", "*a **b* c**"]
    ),
)  # fmt: skip
LINE = st.lists(INLINE, min_size=1, max_size=6).map(" ".join)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


@st.composite
def blocks(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(
        st.sampled_from(
            ["para", "para", "atx", "setext", "fence", "code", "hr", "table", "def"]
            + (["list", "quote"] if depth < 3 else [])
        )
    )
    if kind == "para":
        return "\n".join(draw(st.lists(LINE, min_size=1, max_size=3)))
    if kind == "atx":
        hashes = "#" * draw(st.integers(1, 6))
        closing = draw(st.sampled_from(["", " #", " ###", "#", "  "]))
        return f"{hashes} {draw(LINE)}{closing}"
    if kind == "setext":
        return f"{draw(LINE)}\n{draw(st.sampled_from(['===', '---', '=', '-- ']))}"
    if kind == "fence":
        marker = draw(st.sampled_from(["```", "~~~", "````"]))
        info = draw(st.sampled_from(["", "dockerfile", " sh {x}", 'text title="a"']))
        body = "\n".join(
            draw(st.lists(st.sampled_from(["FROM a", "RUN b", "", "  x"]), max_size=3))
        )
        closing = draw(st.sampled_from([marker, marker + "`" if marker[0] == "`" else marker, ""]))
        return f"{marker}{info}\n{body}\n{closing}".rstrip("\n")
    if kind == "code":
        return _indent("\n".join(draw(st.lists(LINE, min_size=1, max_size=2))), "    ")
    if kind == "hr":
        return draw(st.sampled_from(["***", "---", "___", "* * *", " - - - -", "_____"]))
    if kind == "table":
        cells = draw(st.integers(1, 3))
        head = "| " + " | ".join(draw(WORDS) for _ in range(cells)) + " |"
        rule = (
            "|"
            + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(cells))
            + "|"
        )
        rows = [
            "| "
            + " | ".join(
                draw(st.one_of(WORDS, st.just(""))) for _ in range(cells + draw(st.integers(-1, 1)))
            )
            + " |"
            for _ in range(draw(st.integers(0, 2)))
        ]
        return "\n".join([head, rule, *rows])
    if kind == "def":
        return draw(st.sampled_from(["[ref]: https://example.com/r", '[ref]: <x y> "T"']))
    if kind == "quote":
        inner = draw(documents(depth + 1))
        quoted = "\n".join("> " + line if line else ">" for line in inner.split("\n"))
        if draw(st.booleans()):
            quoted += "\n" + draw(LINE)  # a lazy line
        return quoted
    marker = draw(st.sampled_from(["-", "*", "+", "1.", "1)", "3.", "10."]))
    items = []
    for _ in range(draw(st.integers(1, 3))):
        inner = draw(documents(depth + 1))
        pad = " " * (len(marker) + 1)
        lines = inner.split("\n")
        items.append(
            f"{marker} {lines[0]}"
            + "".join("\n" + (pad + line if line else "") for line in lines[1:])
        )
    return ("\n\n" if draw(st.booleans()) else "\n").join(items)


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    parts = draw(st.lists(blocks(depth), min_size=1, max_size=4))
    separators = [draw(st.sampled_from(["\n\n", "\n", "\n\n\n"])) for _ in parts]
    text = "".join(part + separator for part, separator in zip(parts, separators, strict=True))
    return text if depth == 0 else text.rstrip("\n")


@settings(max_examples=400, deadline=None)
@given(documents())
@example("- a\n  - b\n\n  c\n")
@example("> q1\n> > q2\nlazy\n\n* * *\n")
@example("# ###\n\n## title ##\n\n#\n")
def test_structured_bodies_get_markdown_it_py_tokens(body: str) -> None:
    assert_same_or_declined(body)


PUNCTUATION = st.text(alphabet="ab \n*_`[]()!<>#-+=|~\\&;:.1)\"'é%/@", max_size=80)


@settings(max_examples=400, deadline=None)
@given(PUNCTUATION)
def test_any_punctuation_gets_markdown_it_py_tokens(body: str) -> None:
    assert_same_or_declined(body)


def test_every_markdown_file_of_the_project_gets_markdown_it_py_tokens() -> None:
    taken = 0
    for path in sorted(ROOT.glob("**/*.md")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        taken += assert_same_or_declined(text)
    assert taken >= 20  # the accelerator takes most of them: this is not a test of declining


def test_it_declines_what_our_own_rules_read() -> None:
    for body in (
        "{{< youtube abc >}}\n",
        "{% include x.html %}\n",
        "Text[^1]\n\n[^1]: note\n",
        "> [!NOTE]\n> careful\n",
        "!!! note\n    text\n",
        "::: tip\ntext\n:::\n",
        "a <span>b</span>\n",
        "<div>\nx\n</div>\n",
        "```sh\nnot closed\n",
        "a\tb\n",
    ):
        assert RENDERER.accelerator is not None
        assert RENDERER.accelerator.tokens(body) is None, body


def test_it_takes_a_plain_post() -> None:
    body = "# Title\n\nSome *text* with `code` and a [link](https://docker.com).\n\n- one\n- two\n"
    assert assert_same_or_declined(body)


def test_a_panic_of_the_port_declines_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    # markdown-it-pyrs 0.4 panics on an unclosed code span inside brackets; the message Rust
    # prints on a panic must not reach the writer's terminal, and the body is declined
    assert RENDERER.accelerator is not None
    assert RENDERER.accelerator.tokens("see [the `flag\n") is None
    assert capfd.readouterr().err == ""
    rendered = RENDERER.render("post.md", "see [the `flag\n", 0)
    assert "the `flag" in rendered.html


def test_what_else_reaches_stderr_during_a_parse_is_passed_on(
    capfd: pytest.CaptureFixture[str],
) -> None:
    import os

    from site_builder.markup.accelerator import _QuietPanics

    def noisy(text: str) -> str:
        os.write(2, b"a warning from elsewhere\n")
        return text

    assert _QuietPanics().call(noisy, "body") == "body"
    assert capfd.readouterr().err == "a warning from elsewhere\n"


def test_every_needle_it_declines_on_is_looked_for() -> None:
    from site_builder.markup.accelerator import _DECLINE, _declined

    assert not _declined("# A post\n\nwith *text*, `code` and [a link](https://docker.com).\n")
    for needle in _DECLINE:
        assert _declined(f"text {needle} text"), repr(needle)
