"""What reads measurements.json, without Docker: Docker's size format, the lock file's schema,
the badge and layer table under an example, the image-sizes table, image-size in prose."""

from __future__ import annotations

import json

import pytest

from site_builder.markup.measurements import (
    Layer,
    Measurement,
    dump_measurements,
    parse_measurements,
)
from site_builder.markup.sizes import change_percent, human_size, sizes_table_html
from site_builder.pipeline.phases import build, load

# docker/go-units size_test.go, TestHumanSize (HumanSize is HumanSizeWithPrecision(size, 4))
GO_UNITS_HUMAN_SIZE = [
    (1000, "1kB"),
    (1024, "1.024kB"),
    (1000000, "1MB"),
    (1048576, "1.049MB"),
    (2 * 1000**2, "2MB"),
    (3.42 * 1000**3, "3.42GB"),
    (5.372 * 1000**4, "5.372TB"),
    (2.22 * 1000**5, "2.22PB"),
    (10000000000000 * 1000**5, "1e+04YB"),
]


@pytest.mark.parametrize(("size", "shown"), GO_UNITS_HUMAN_SIZE)
def test_the_size_format_is_docker_go_units(size, shown):
    assert human_size(size, 4) == shown


@pytest.mark.parametrize(
    ("size", "shown"),
    [(4190000, "4.19MB"), (1982317, "1.98MB"), (512, "512B"), (999_999, "1e+03kB"), (0, "0B")],
)
def test_docker_images_shows_three_significant_digits(size, shown):
    assert human_size(size) == shown


def test_change_against_the_first_row():
    assert [change_percent(s, 200) for s in (200, 14, 210, 201)] == [
        "±0%",
        "-93.0%",
        "+5.0%",
        "+0.5%",
    ]


MEASURED = {
    "naive": Measurement(
        size=1_000_000_000,
        inputs="a",
        layers=(Layer("", 999_000_000), Layer("RUN <b>apt-get</b> install", 1_000_000)),
        measured_at="2025-03-01T10:00:00+00:00",
        docker_version="27.0.3",
    ),
    "slim": Measurement(size=140_000_000, inputs="b", stages={"build": 900_000_000}),
}


def test_the_lock_file_is_sorted_one_example_per_key_and_reads_back():
    text = dump_measurements({"slim": MEASURED["slim"], "naive": MEASURED["naive"]})
    data = json.loads(text)
    assert list(data) == ["naive", "slim"] and text.index('"naive"') < text.index('"slim"')
    assert list(data["naive"]) == sorted(data["naive"])
    examples, problems = parse_measurements(text)
    assert problems == [] and examples == MEASURED


def test_a_malformed_entry_is_exa006_at_its_line():
    text = '{\n  "ok": {"size": 1, "inputs": "x"},\n  "bad": {"size": "big"}\n}\n'
    examples, problems = parse_measurements(text)
    assert list(examples) == ["ok"]
    assert [d.format() for d in problems] == [
        "measurements.json:3:1: error EXA006: the entry for example 'bad' is malformed "
        "('size' must be a whole number of bytes); run build-site measure bad"
    ]
    assert [d.code for d in parse_measurements("{")[1]] == ["EXA006"]


def test_the_sizes_table():
    html = sizes_table_html([("naive", MEASURED["naive"]), ("slim", MEASURED["slim"])])
    assert html == (
        '<table class="image-sizes"><thead><tr><th scope="col">Example</th>'
        '<th scope="col">Size</th><th scope="col">Change</th><th scope="col">'
        "Against the largest</th></tr></thead><tbody>"
        '<tr><th scope="row"><code>naive</code></th><td class="num"><data class="image-size" '
        'value="1000000000" title="1,000,000,000 bytes">1GB</data></td><td class="num"></td>'
        '<td><meter min="0" max="1000000000" value="1000000000" aria-label="100% of the '
        'largest">100%</meter></td></tr>'
        '<tr><th scope="row"><code>slim</code></th><td class="num"><data class="image-size" '
        'value="140000000" title="140,000,000 bytes">140MB</data></td><td class="num">-86.0%'
        '</td><td><meter min="0" max="1000000000" value="140000000" aria-label="14% of the '
        'largest">14%</meter></td></tr></tbody></table>\n'
    )


FRONT = "---\ntitle: Sizes\ndate: 2024-01-02\ndescription: A post that shows what its examples weigh, measured and not typed by hand.\n---\n\n"


def sized_site(body: str) -> dict[str, str]:
    return {
        "content/posts/p.md": FRONT + body,
        "site.toml": '[dockerfile]\nhadolint = "off"\n',
        "examples/naive/Dockerfile": "FROM local/busybox:base\nRUN echo hi > /x\n",
        "measurements.json": dump_measurements(MEASURED),
    }


def test_a_post_shows_badge_layers_table_and_the_size_in_prose(make_site):
    body = (
        '```dockerfile {include="examples/naive/Dockerfile"}\n```\n\n'
        "```image-sizes\nnaive\nslim\n```\n\n"
        'The slim image weighs {{< image-size "slim" >}}, not `{{< image-size "x" >}}`.\n'
    )
    result = load(make_site(sized_site(body)))
    html = result.rendered.files["posts/p/index.html"].decode()
    assert (
        '<p class="image-size-badge" role="note">Image <code>naive</code>: <strong><data '
        'class="image-size" value="1000000000" title="1,000,000,000 bytes">1GB</data></strong> '
        '<span class="image-size-when">measured 2025-03-01, Docker 27.0.3</span></p>'
        '<details class="image-layers"><summary>2 layers</summary><table><thead><tr>'
        "<th>Instruction</th><th>Size</th></tr></thead><tbody><tr><td><code>(a layer of the "
        'base image)</code></td><td class="num"><data class="image-size" value="999000000" '
        'title="999,000,000 bytes">999MB</data></td></tr><tr><td><code>RUN &lt;b&gt;apt-get'
        "&lt;/b&gt; install</code></td>" in html
    )
    assert '<table class="image-sizes">' in html and "-86.0%" in html
    assert (
        'The slim image weighs <data class="image-size" value="140000000" '
        'title="140,000,000 bytes">140MB</data>, not <code>{{&lt; image-size' in html
    )
    # the example is measured with other inputs than the ones on disk: a warning, not an error
    assert [d.format() for d in result.diagnostics if d.code.startswith("EXA")] == [
        "examples/naive/Dockerfile:1:1: warning EXA004: example 'naive' changed since it was "
        "measured (2025-03-01T10:00:00+00:00): run build-site measure naive"
    ]


def test_citing_an_unknown_example_is_an_error_at_its_line(make_site):
    body = 'Intro.\n\n```image-sizes\nnaive\nghost\n```\n\nIt is {{< image-size "gone" >}}.\n'
    result = build(make_site(sized_site(body)))
    assert not result.published
    assert [d.format() for d in result.diagnostics if d.code == "EXA005"] == [
        "content/posts/p.md:11:1: error EXA005: no measured size for example 'ghost' in "
        "measurements.json",
        "content/posts/p.md:14:7: error EXA005: no measured size for example 'gone' in "
        "measurements.json",
    ]


def test_an_example_never_measured_is_a_warning_naming_the_command(make_site):
    files = sized_site("Text.\n")
    files["examples/fresh/Dockerfile"] = "FROM local/busybox:base\n"
    result = build(make_site(files))
    assert result.published
    assert [d.format() for d in result.diagnostics if d.code == "EXA003"] == [
        "examples/fresh/Dockerfile:1:1: warning EXA003: example 'fresh' was never measured: "
        "run build-site measure fresh"
    ]


def test_re_measured_sizes_re_render_the_post(make_site):
    root = make_site(sized_site('It is {{< image-size "slim" >}}.\n'))
    assert build(root).published
    page = root / "output" / "posts" / "p" / "index.html"
    assert ">140MB<" in page.read_text()
    changed = {**MEASURED, "slim": Measurement(size=4_190_000, inputs="c")}
    (root / "measurements.json").write_text(dump_measurements(changed))
    assert build(root).published
    assert ">4.19MB<" in page.read_text()
