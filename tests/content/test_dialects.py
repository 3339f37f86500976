"""Posts written for Hugo (YAML, TOML, JSON), Jekyll, Docusaurus, MkDocs Material and dev.to
build as their writers meant them: the site in tests/fixtures/dialects/ holds one of each."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import write_site
from html_audit import audit
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder import build_site
from site_builder.content.front_matter.dates import parse_date, path_date
from site_builder.content.front_matter.read import parse_source
from site_builder.content.slugs import source_slug
from site_builder.diagnostics.diagnostic import Severity
from site_builder.pipeline.phases import BuildOptions, load

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dialects"
UTC = ZoneInfo("UTC")


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


def test_every_dialect_builds_without_a_front_matter_problem(tmp_path: Path) -> None:
    result = load(_site(tmp_path))
    front = [d for d in result.diagnostics if d.code.startswith("FM0")]
    assert [d for d in front if d.severity is not Severity.INFO] == []
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR]
    posts = {p.source.rsplit("/", 1)[1]: p for p in result.site.posts}
    assert sorted(posts) == [
        "2016-03-07-slim-images-with-alpine.md",
        "docusaurus-compose.md",
        "hugo-json.md",
        "hugo-toml.md",
        "hugo-yaml.md",
        "mkdocs-material.md",
    ]
    hugo = posts["hugo-yaml.md"]
    assert hugo.updated == dt.datetime(2021, 7, 1, tzinfo=UTC)
    assert hugo.description == "How a second FROM keeps the compiler out of the image."
    assert hugo.cover_image == "/images/stages.png"
    assert [t.name for t in hugo.tags] == ["docker", "go", "containers"]
    assert [a.value for a in hugo.aliases] == ["/2021/06/multi-stage/", "/old-multi-stage.html"]
    toml = posts["hugo-toml.md"]
    assert toml.date == dt.datetime(2022, 3, 1, 8, tzinfo=dt.UTC)
    assert (toml.series, toml.cover_image) == ("BuildKit tricks", "/images/cache.png")
    jekyll = posts["2016-03-07-slim-images-with-alpine.md"]
    assert jekyll.slug == "slim-images-with-alpine"
    assert jekyll.date == dt.datetime(2016, 3, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert [t.name for t in jekyll.tags] == ["docker", "alpine"]
    docusaurus = posts["docusaurus-compose.md"]
    assert docusaurus.slug == "compose-for-local-development"
    assert docusaurus.date == dt.datetime(2019, 5, 30, tzinfo=UTC)  # from its folders
    assert docusaurus.authors == ("Ada Lovelace", "Grace Hopper")
    mkdocs = posts["mkdocs-material.md"]
    assert mkdocs.title == "Rootless containers, from an MkDocs Material blog"
    assert (mkdocs.date, mkdocs.updated) == (
        dt.datetime(2023, 9, 12, tzinfo=UTC),
        dt.datetime(2023, 10, 1, tzinfo=UTC),
    )
    notes = {(d.path.rsplit("/", 1)[1], d.message.split("'")[1]) for d in front}
    assert ("2016-03-07-slim-images-with-alpine.md", "layout") in notes


def test_drafts_of_every_dialect_stay_unpublished(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root)
    output = root / "output"
    assert not (output / "posts" / "hugo-draft").exists()
    assert not (output / "posts" / "devto-export").exists()
    assert "Not ready yet" not in (output / "index.html").read_text()
    drafts = load(root, BuildOptions(drafts=True)).site.posts
    devto = next(p for p in drafts if p.source.endswith("devto-export.md"))
    assert devto.draft and devto.series == "Docker basics"
    assert devto.date == dt.datetime(2020, 2, 10, 14, 21, tzinfo=dt.UTC)


def test_a_draft_wins_whichever_key_says_so() -> None:
    text = "---\ntitle: T\ndate: 2024-01-02\npublished: true\ndraft: true\n---\n"
    parsed = parse_source("p.md", text, UTC)
    assert parsed.front_matter is not None and parsed.front_matter.published is False
    assert [d.format() for d in parsed.diagnostics] == [
        "p.md:5:1: warning FM012: 'draft' and 'published' disagree; the post is a draft"
    ]


def test_an_alias_that_disagrees_with_our_key_is_one_warning_at_its_line() -> None:
    text = "---\ntitle: T\ndate: 2024-01-02\ndescription: ours\nsummary: theirs\n---\n"
    parsed = parse_source("p.md", text, UTC)
    assert parsed.front_matter is not None and parsed.front_matter.description == "ours"
    assert [d.format() for d in parsed.diagnostics] == [
        "p.md:5:1: warning FM012: 'summary' (Hugo) stands for 'description', which is also"
        " written with another value; 'description' is used"
    ]


def test_toml_and_json_errors_are_at_the_md_line() -> None:
    toml = parse_source("p.md", '\n+++\ntitle = "T"\ndate = 2024-01-02\ntags = [1]\n+++\n', UTC)
    assert [d.format() for d in toml.diagnostics] == [
        'p.md:5:9: error FM008: tag must be a string; got int 1 (quote it: "1")'
    ]
    broken = parse_source("p.md", '+++\ntitle = "T\n+++\n', UTC)
    assert [(d.line, d.code) for d in broken.diagnostics] == [(2, "FM003")]
    json = parse_source("p.md", '{\n  "title": "T",\n  "date": 5\n}\nBody\n', UTC)
    assert next(d.format() for d in json.diagnostics).startswith("p.md:3:11: error FM007")
    twice = parse_source("p.md", '{\n  "title": "T",\n  "title": "U"\n}\n', UTC)
    assert [d.format() for d in twice.diagnostics] == [
        "p.md:3:3: error FM005: duplicate key 'title' (first at line 2)"
    ]


def test_a_post_without_front_matter_takes_its_h1_and_its_file_name_date() -> None:
    text = "# Hello `docker`\n\nText.\n"
    parsed = parse_source("content/posts/2024-05-06-hello.md", text, UTC)
    fm = parsed.front_matter
    assert parsed.diagnostics == () and fm is not None
    assert (fm.title, fm.date) == ("Hello `docker`", dt.datetime(2024, 5, 6, tzinfo=UTC))
    assert "# Hello" not in parsed.body and parsed.body.split("\n")[2] == "Text."


def test_the_front_matter_date_wins_over_the_file_name() -> None:
    text = "---\ntitle: T\ndate: 2020-01-01\n---\n"
    fm = parse_source("content/posts/2024-05-06-t.md", text, UTC).front_matter
    assert fm is not None and fm.date == dt.datetime(2020, 1, 1, tzinfo=UTC)


def test_bad_aliases_are_errors_at_their_line() -> None:
    text = (
        "---\ntitle: T\ndate: 2024-01-02\naliases:\n  - javascript:alert(1)\n"
        '  - /a/../../etc/\n  - "\\"><script>alert(1)</script>"\n  - //evil.example/\n---\n'
    )
    parsed = parse_source("p.md", text, UTC)
    assert parsed.front_matter is None
    assert [(d.line, d.code) for d in parsed.diagnostics] == [(n, "FM010") for n in (5, 6, 7, 8)]


def test_an_alias_on_a_real_page_or_another_alias_is_an_error(tmp_path: Path) -> None:
    post = "---\ntitle: {t}\ndate: 2024-01-02\naliases: [{a}]\n---\nText.\n"
    root = write_site(
        tmp_path / "s",
        {
            "site.toml": 'title = "B"\nbase_url = "https://b.example/"\n',
            "content/posts/a.md": post.format(t="A", a="/posts/b/"),
            "content/posts/b.md": post.format(t="B", a="/old/"),
            "content/posts/c.md": post.format(t="C", a="/old"),
        },
    )
    found = [d.format() for d in load(root).diagnostics if d.code == "URL001"]
    assert found == [
        "content/posts/a.md:4:11: error URL001: alias /posts/b/ is also a page or file of the site",
        "content/posts/c.md:4:11: error URL001: alias /old/ is also an alias at"
        " content/posts/b.md:4",
    ]


def test_attack_payloads_in_the_new_keys_never_reach_a_page(tmp_path: Path) -> None:
    payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    root = write_site(
        tmp_path / "s",
        {
            "site.toml": 'title = "B"\nbase_url = "https://b.example/"\n',
            "content/posts/2024-01-02-a.md": f"# {payload}\n\nText.\n",
            "content/posts/b.md": (
                "+++\ntitle = 'T'\ndate = 2024-01-02\naliases = ['/moved/']\n"
                f"authors = ['{payload}']\n+++\nText.\n"
            ),
        },
    )
    assert build_site(root)
    pages = list((root / "output").rglob("*.html"))
    assert (root / "output" / "moved" / "index.html") in pages
    for page in pages:
        text = page.read_text()
        assert "<script>alert" not in text and "<img src=x" not in text
        redirect = page.parent.name == "moved"  # its one active element is the refresh
        assert audit(text) == (["<meta> element"] if redirect else []), page
    moved = (root / "output" / "moved" / "index.html").read_text()
    assert 'content="0; url=https://b.example/posts/b/"' in moved
    sitemap = (root / "output" / "sitemap.xml").read_text()
    assert "/moved/" not in sitemap


DATES = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1), timezones=st.none()
)


@settings(max_examples=200, deadline=None)
@given(DATES, st.sampled_from(["", " UTC", "Z", " +0100", "-05:00", " +02:30"]))
def test_the_date_forms_other_generators_write_parse_to_the_same_instant(when, zone) -> None:
    when = when.replace(microsecond=0)
    offsets = {"": 0, " UTC": 0, "Z": 0, " +0100": 60, "-05:00": -300, " +02:30": 150}
    expected = when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offsets[zone])))
    for sep in (" ", "T"):
        text = when.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + zone
        assert parse_date(text, UTC) == expected, text


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(1000, 1, 1)), st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)
)
def test_a_file_name_date_is_read_and_dropped_from_the_slug(day, name) -> None:
    stem = f"{day:%Y-%m-%d}-{name}"
    assert path_date(f"content/posts/{stem}.md", UTC) == dt.datetime(
        day.year, day.month, day.day, tzinfo=UTC
    )
    assert source_slug(stem) == source_slug(name)
    assert path_date(f"content/posts/{day:%Y/%m/%d}/{name}.md", UTC) is not None


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, st.lists(TEXT, max_size=4))
def test_toml_and_json_front_matter_give_what_yaml_gives(title, body, tags) -> None:
    """The same values written in TOML and in JSON read to the same record, or both fail."""
    import json

    values = {"title": title, "date": "2024-01-02", "tags": tags}
    as_json = json.dumps(values, indent=2) + "\n" + body.replace("\r", "")
    toml_lines = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in values.items())
    as_toml = "+++\n" + toml_lines + "+++\n" + body.replace("\r", "")
    got = [parse_source("p.md", text, UTC) for text in (as_json, as_toml)]
    records = [p.front_matter for p in got]
    if records[0] is None or records[1] is None:
        assert records[0] is None and records[1] is None
        return
    for record in records:
        assert record.title == title.strip()
        assert [t.value for t in record.tags] == [t.strip() for t in tags if t.strip()]
