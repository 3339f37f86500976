"""Hugo shortcodes and Liquid tags: rendered natively or shown as text, always with a diagnostic.

The fixture file `tests/fixtures/shortcodes.txt` holds input → HTML, then one `! line:col:
severity CODE: message` line per diagnostic. Below it: posts in each dialect, the attack
suite's payloads in arguments, a property over random text, and growth.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fixture_cases import read_cases
from growth import assert_linear
from html_audit import audit
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer, RenderedBody

RENDERER = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))
CASES = read_cases("shortcodes.txt")


def _render(body: str, offset: int = 0) -> RenderedBody:
    return RENDERER.render("content/posts/p.md", body, offset)


def _problems(out: RenderedBody) -> list[str]:
    return [
        f"{d.line}:{d.column}: {d.severity} {d.code}: {d.message}"
        for d in out.diagnostics
        if d.code.startswith("MD02")
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_fixture(case) -> None:
    out = _render(case.input)
    got = out.html + "".join(f"! {p}\n" for p in _problems(out))
    assert got == case.expected + "\n"


def test_hugo_post() -> None:
    body = (
        "Intro.\n\n"
        '{{< figure src="diagram.png" alt="The build graph" >}}\n\n'
        "{{< highlight dockerfile >}}\nFORM alpine\n{{< /highlight >}}\n\n"
        "{{% notice tip %}}\nUse BuildKit.\n{{% /notice %}}\n"
    )
    out = _render(body, offset=6)
    # the Dockerfile inside the highlight is checked like a fence, at its own file line
    assert sorted((d.line, d.code) for d in out.diagnostics) == [
        (12, "DF001"),
        (15, "MD022"),
        (17, "MD022"),
    ]
    image = [link for link in out.outline.links if link.is_image]
    assert [(i.href, i.text, i.line, i.column) for i in image] == [
        ("diagram.png", "The build graph", 9, 1)
    ]


def test_jekyll_post() -> None:
    body = (
        '{% include youtube.html id="dQw4w9WgXcQ" %}\n\n'
        "{% highlight bash %}\ndocker ps --format '{% raw %}{{.Names}}{% endraw %}'\n"
        "{% endhighlight %}\n\n"
        "See [the docs]({{ site.baseurl }}/docs/).\n"
    )
    out = _render(body)
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in out.html
    assert "{% raw %}" not in out.html and "{{.Names}}" in out.html
    assert _problems(out) == [
        "7:16: warning MD022: the Liquid output '{{ site.baseurl }}' is not evaluated here: "
        "shown as text"
    ]


def test_devto_post() -> None:
    body = (
        "{% embed https://youtu.be/dQw4w9WgXcQ %}\n\n"
        "{% github https://github.com/docker/buildx %}\n\n"
        "{% details Show the output %}\n```console\n$ docker ps\n```\n{% enddetails %}\n\n"
        "{% twitter 1234567890 %}\n"
    )
    out = _render(body)
    assert out.html.count("<iframe") == 1 and 'class="embed-card"' in out.html
    assert "<details" in out.html and "<summary>Show the output</summary>" in out.html
    assert _problems(out) == [
        "11:1: warning MD022: the Liquid tag 'twitter' is not supported: shown as text"
    ]


ATTACKS = [
    '{{< youtube "\\"><script>alert(1)</script>" >}}',
    '{{< youtube id="dQw4w9WgXcQ" title="\\"><script>alert(1)</script>" >}}',
    '{{< figure src="javascript:alert(1)" caption="<script>alert(1)</script>" >}}',
    '{{< figure src="java\tscript:alert(1)" >}}',
    '{{< figure src="data:text/html,<script>alert(1)</script>" >}}',
    '{{< figure src="x.png" link="javascript:alert(1)" alt="\\" onerror=\\"alert(1)" >}}',
    '{{< figure src="x.png" caption="[x](javascript:alert(1)) <img src=x onerror=alert(1)>" >}}',
    "{% embed javascript:alert(1) %}",
    '{% embed https://x.example/"><script>alert(1)</script> %}',
    "{% github JaVaScRiPt:alert(1) %}",
    '{{< details summary="<script>alert(1)</script>" >}}\nx\n{{< /details >}}',
    '{{< gist "><script> 1 >}}',
    '{% highlight python" onmouseover="alert(1) %}\nx\n{% endhighlight %}',
    '{% include youtube.html id="<svg onload=alert(1)>" %}',
]


@pytest.mark.parametrize("payload", ATTACKS)
def test_attack_payloads_do_not_survive(payload: str) -> None:
    html = _render(payload + "\n").html
    # parsed as a browser does: no handler, no script URL, no script; an iframe only of a player
    assert [f for f in audit(html) if f != "<iframe> element"] == []
    assert "<script" not in html.lower() and "<svg" not in html.lower()
    for src in re.findall(r'<iframe src="([^"]*)"', html):
        assert src.startswith(("https://www.youtube-nocookie.com/", "https://player.vimeo.com/"))


def test_attack_suite_template_text_is_shown_with_a_diagnostic() -> None:
    out = _render("{{ 7*7 }} and {% include '/etc/passwd' %}\n")
    assert "{% include '/etc/passwd' %}" in out.html and "49" not in out.html
    assert _problems(out) == [
        "1:15: warning MD022: the Liquid tag 'include' is not supported: shown as text"
    ]


_CODE = re.compile(r"<pre.*?</pre>|<code.*?</code>|<span class=\"unsupported\">.*?</span>", re.S)
_LITERAL_WAYS = ("raw", "/*", "\\", "&#", "&", "`")
PIECES = [
    "{{<", "{{%", "{%", ">}}", "%}}", "%}", "{{", "}}", " youtube ", " figure ", " details ",
    " raw ", " endraw ", " highlight ", " endhighlight ", " comment ", " endcomment ", "/",
    "src=", 'src="a.png"', "dQw4w9WgXcQ", "site.baseurl", " include ", "\n", "\n\n", "> ",
    "- ", "`", "```\n", "    ", "x", " ", '"', "[", "](", ")", "!", "*", "#", "end",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join) | st.text(max_size=200))
def test_random_tags_never_raise_nor_reach_the_page_raw_in_silence(body: str) -> None:
    out = _render(body)
    text = unescape(re.sub(r"<[^>]+>", "", _CODE.sub("", out.html)))
    template = any(opener in text for opener in ("{{<", "{{%", "{%"))
    if template and not any(way in body for way in _LITERAL_WAYS):
        assert _problems(out), (body, out.html)
    if 'class="unsupported"' in out.html:
        assert _problems(out), (body, out.html)


@pytest.mark.parametrize(
    "unit",
    [
        "{{< youtube dQw4w9WgXcQ >}} {% include a.html %} ",
        "{{< ",
        "{% ",
        "{% raw %} ",
        "{% comment %}\n\n",
        "{% raw %}\n\n",
        "{{< details >}}\n\n",
        "{{< /details >}}\n\n",
        '{{< figure src="a.png" caption="*a*" >}}\n',
    ],
)
def test_many_or_unclosed_tags_cost_linear_time(unit: str) -> None:
    assert_linear(lambda n: _render(unit * n), 400)
