"""Content checks never fail on odd Markdown: every input gives diagnostics, not exceptions."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.pipeline.phases import load

PIECES = [
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "`",
    "```",
    "~~~",
    "#",
    "## ",
    "- ",
    "1. ",
    "> ",
    "!",
    "*",
    "_",
    "____",
    "TODO",
    "\\",
    "\n",
    "\n\n",
    " ",
    "\t",
    "](",
    "][",
    "[^1]",
    "[^1]: n",
    "http://",
    "https://x.org/a#b",
    "twitter.com/@a",
    "@b",
    "/posts/",
    "../",
    "#x",
    "www.",
    "140mb",
    "Debain",
    "é",
    "コ",
    "<!-- -->",
    "<img src=missing.png>",
    "<details>",
    "</details>",
    "<kbd>",
    "<span class=x>",
    "|a|b|\n|-|-|\n",
    "[x]: /y",
    "{#id}",
    ":",
    "'",
    '"',
]
bodies = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies, html=st.sampled_from(["safe", "text", "trusted"]))
def test_any_body_gives_diagnostics_with_positions_inside_the_file(body, html):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content/posts").mkdir(parents=True)
        text = "---\ntitle: T\ndate: 2024-01-01\ntags: [a, A.b]\n---\n" + body
        (root / "content/posts/p.md").write_text(text, encoding="utf-8")
        (root / "site.toml").write_text(f'[markdown]\nhtml = "{html}"\n')
        result = load(root)
        lines = text.split("\n")
        for diagnostic in result.diagnostics:
            if diagnostic.code.startswith("MD02"):  # raw HTML shown as text, changed
                assert 1 <= diagnostic.line <= len(lines) and diagnostic.column >= 1, diagnostic
            if diagnostic.path != "content/posts/p.md" or diagnostic.code[:3] not in (
                "LNK",
                "TXT",
                "FMQ",
                "TAG",
            ):
                continue
            assert 1 <= diagnostic.line <= len(lines), diagnostic
            assert diagnostic.column >= 1 and diagnostic.hint, diagnostic


def _check_seconds(make_site, count: int) -> float:
    import time

    from site_builder.pipeline.phases import load

    body = "Fill in: ____ " * count + "\n"
    root = make_site({"content/posts/p.md": f"---\ntitle: P\ndate: 2024-01-02\n---\n{body}"})
    started = time.perf_counter()
    result = load(root)
    elapsed = time.perf_counter() - started
    assert sum(d.code == "TXT001" for d in result.diagnostics) == count
    return elapsed


def test_placeholders_on_one_line_cost_linear_time(make_site) -> None:
    """8,000 placeholders on one line took 66 s: each match searched the whole line before it.
    Growth, not a time limit: four times the placeholders may cost at most about four times
    as much (quadratic work costs sixteen)."""
    _check_seconds(make_site, 500)  # warm up: imports, the Markdown parser
    small = min(_check_seconds(make_site, 1000) for _ in range(2))
    large = min(_check_seconds(make_site, 4000) for _ in range(2))
    assert large < 9 * small, (small, large)
