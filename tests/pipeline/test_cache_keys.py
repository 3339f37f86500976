"""Every setting that shapes the site invalidates what the cache kept: a table of them.

For each row, a tiny site is built with the cache, one setting is changed (a `site.toml` key or
a build option such as `--drafts`), and the site is built again from the warm cache; what that
build gives (published or not, every output file, every diagnostic) must equal a cold build
(`--no-cache`) of the same site with the same setting, and differ from the cold build without
it (so the row changes something a reader or a writer sees). The setting is then undone and a
third, warm build must equal the cold build of the original site.

The table is held to the schema: every field of the `SiteConfig` dataclasses, and every option
of `build-site build`, is either a row here or in a list of things that do not shape the
output, with the reason. A new key cannot be forgotten.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import write_site

from site_builder.cache.store import CACHE_DIR
from site_builder.cli.arguments import make_parser
from site_builder.config.schema import SiteConfig
from site_builder.pipeline.phases import BuildOptions, build
from site_builder.publish.swap import MARKER

Value = str | int | bool | list[str] | dict[str, str]

POST_A = """\
---
title: Layers and caches
date: 2024-01-02 23:30
tags: [Docker, Open Source]
series: Image diet
description: A short description of this post that is long enough to be useful in search results.
---

Intro paragraph about image layers, with <b>raw html</b> and Kubernetis in it.

## Build the image

Some text in the first section of the post.

```python
print("hello")
```

## Shrink the image

```dockerfile
FROM alpine:ZZZ1
RUN apt-get update && apt-get install -y curl
RUN useradd -u 123456789 app
```

## Ship it

See [the other post](/posts/second/).
"""

POST_B = """\
---
title: Second
date: 2024-01-03
tags: [Docker]
description: Another short description of a post, long enough to be useful in search results.
---

The second post has a paragraph of its own.

## Only section

Words words words in the only section.
"""

DRAFT = POST_B.replace("title: Second", "title: A draft").replace(
    "tags: [Docker]", "tags: [Docker]\npublished: false"
)
FUTURE = POST_B.replace("title: Second", "title: From the future").replace(
    "date: 2024-01-03", "date: 2999-01-01"
)

FILES = {
    "content/posts/layers.md": POST_A,
    "content/posts/second.md": POST_B,
    "content/posts/draft.md": DRAFT,
    "content/posts/future.md": FUTURE,
    "content/pages/about.md": "---\ntitle: About\n---\n\nAbout this site.\n",
    "content/static/img/share.png": b"\x89PNG\r\n\x1a\n",
    "themes/custom/templates/404.html": (
        "<!DOCTYPE html><title>Lost</title><p>custom 404 of {{ config.title }}</p>\n"
    ),
}

# (row name, site.toml settings (section "" is the top table), build option overrides)
Row = tuple[str, Mapping[str, Mapping[str, Value]], Mapping[str, bool]]
ROWS: list[Row] = [
    ("title", {"": {"title": "Another title"}}, {}),
    ("description", {"": {"description": "A site about small images."}}, {}),
    ("author", {"": {"author": "Jane Doe"}}, {}),
    ("base_url", {"": {"base_url": "https://example.com/blog/"}}, {}),
    ("language", {"": {"language": "de"}}, {}),
    ("timezone", {"": {"timezone": "Pacific/Kiritimati"}}, {}),
    ("posts_per_page", {"": {"posts_per_page": 1}}, {}),
    ("theme", {"": {"theme": "custom"}}, {}),
    ("output_dir", {"": {"output_dir": "public"}}, {}),
    ("markdown.allow_html", {"markdown": {"allow_html": True}}, {}),
    ("markdown.html", {"markdown": {"html": "text"}}, {}),
    ("markdown.light_style", {"markdown": {"light_style": "default"}}, {}),
    ("markdown.dark_style", {"markdown": {"dark_style": "dracula"}}, {}),
    ("markdown.words_per_minute", {"markdown": {"words_per_minute": 1}}, {}),
    ("markdown.toc_min_headings", {"markdown": {"toc_min_headings": 1}}, {}),
    ("limits.max_file_size", {"limits": {"max_file_size": 400}}, {}),
    ("limits.max_tags_per_post", {"limits": {"max_tags_per_post": 1}}, {}),
    ("feeds.full_content", {"feeds": {"full_content": False}}, {}),
    ("feeds.tag_full_content", {"feeds": {"tag_full_content": True}}, {}),
    ("feeds.series_full_content", {"feeds": {"series_full_content": True}}, {}),
    ("feeds.limit", {"feeds": {"limit": 1}}, {}),
    ("feeds.json_feed", {"feeds": {"json_feed": False}}, {}),
    ("feeds.tag_feeds", {"feeds": {"tag_feeds": False}}, {}),
    ("search.enabled", {"search": {"enabled": False}}, {}),
    ("social.twitter", {"social": {"twitter": "@example"}}, {}),
    ("social.image", {"social": {"image": "/img/share.png"}}, {}),
    ("related.limit", {"related": {"limit": 0}}, {}),
    ("checks.levels", {"checks": {"levels": {"*": "off"}}}, {}),
    ("checks.allowed_tags", {"checks": {"allowed_tags": ["Docker"]}}, {}),
    ("checks.max_tags", {"checks": {"max_tags": 1}}, {}),
    ("checks.single_use_tags_from", {"checks": {"single_use_tags_from": 1}}, {}),
    ("checks.description_min", {"checks": {"description_min": 150}}, {}),
    ("checks.description_max", {"checks": {"description_max": 60}}, {}),
    ("checks.title_max", {"checks": {"title_max": 8}}, {}),
    ("checks.section_min_words", {"checks": {"section_min_words": 12}}, {}),
    ("checks.placeholders", {"checks": {"placeholders": ["Intro"]}}, {}),
    ("checks.misspellings", {"checks": {"misspellings": {"Kubernetis": "Kubernetes"}}}, {}),
    ("dockerfile.check", {"dockerfile": {"check": False}}, {}),
    ("dockerfile.hints", {"dockerfile": {"hints": False}}, {}),
    ("dockerfile.note", {"dockerfile": {"note": False}}, {}),
    ("dockerfile.hadolint", {"dockerfile": {"hadolint": "off"}}, {}),
    ("dockerfile.placeholders", {"dockerfile": {"placeholders": ["ZZZ[0-9]+"]}}, {}),
    ("--drafts", {}, {"drafts": True}),
    ("--future", {}, {"future": True}),
    ("--strict", {}, {"strict": True}),
]

# Settings that do not shape what a build publishes or reports, and why.
NOT_OUTPUT: dict[str, str] = {
    "root": "the site folder itself, not a setting",
    "examples": "build args and targets of `build-site measure`; they reach a build only as "
    "EXA004 through each example's inputs hash (tests/checks/test_examples_stale.py)",
    "markdown.accelerate": "which parser makes markdown-it-py's tokens, not which tokens "
    "(tests/markup/test_accelerator.py, tests/golden/test_accelerator_site.py)",
    "limits.max_diagnostics": "how many diagnostics the report prints, not which are found",
    "checks.external_timeout": "read only by `build-site check --external`",
    "checks.external_workers": "read only by `build-site check --external`",
    "checks.external_skip_prefixes": "read only by `build-site check --external`",
    "checks.external_cache_hours": "read only by `build-site check --external`",
    "checks.external_local": "read only by `build-site check --external`",
    "--root": "the site folder itself, not a setting",
    "--no-cache": "the cold build every row is compared with",
    "--jobs": "how many worker processes; the incremental tests compare it with one",
    "--quiet": "how much the report prints",
    "--color": "how the report prints",
}


def schema_keys(cls: type = SiteConfig, prefix: str = "") -> list[str]:
    """Every leaf field of the config dataclasses, as `section.key` (top-level keys bare)."""
    keys = []
    for f in dataclasses.fields(cls):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(default):
            keys += schema_keys(type(default), f"{prefix}{f.name}.")
        else:
            keys.append(prefix + f.name)
    return keys


def build_options() -> list[str]:
    parser = make_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    command = sub.choices["build"]  # type: ignore[union-attr]
    return [a.option_strings[0] for a in command._actions if a.option_strings and a.dest != "help"]


def test_every_setting_is_in_the_table_or_said_not_to_shape_the_output() -> None:
    rows = {name for name, _, _ in ROWS}
    assert len(rows) == len(ROWS), "a row is named twice"
    settings = set(schema_keys()) | set(build_options())
    assert settings - rows - NOT_OUTPUT.keys() == set(), "add a row (or a reason) for these"
    assert (rows | NOT_OUTPUT.keys()) - settings == set(), "no longer a setting: remove these"
    assert rows & NOT_OUTPUT.keys() == set()


def toml(settings: Mapping[str, Mapping[str, Value]]) -> str:
    """`site.toml` text: the top-level keys, then one table per section."""
    out = [f"{key} = {_value(value)}\n" for key, value in settings.get("", {}).items()]
    for section, keys in sorted(settings.items()):
        if section:
            out.append(f"[{section}]\n")
            out += [f"{key} = {_value(value)}\n" for key, value in keys.items()]
    return "".join(out)


def _value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return "{ " + ", ".join(f'"{k}" = {_value(v)}' for k, v in value.items()) + " }"


Outcome = tuple[bool, str, dict[str, bytes], list[str]]


def outcome(root: Path, options: BuildOptions, *, use_cache: bool) -> Outcome:
    """What a build gives: published, where, each output file, each diagnostic."""
    result = build(root, options, workers=1, use_cache=use_cache)
    out = result.config.output_path
    files = {}
    if result.published:
        files = {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != MARKER
        }
    where = out.relative_to(root.resolve()).as_posix()
    return result.published, where, files, [d.format() for d in result.diagnostics]


_COLD: dict[tuple[str, BuildOptions], Outcome] = {}


def cold(scratch: Path, config: str, options: BuildOptions) -> Outcome:
    """A cold build of the site with `config` (remembered: each is made once per run)."""
    key = (config, options)
    if key not in _COLD:
        if scratch.exists():
            shutil.rmtree(scratch)
        root = write_site(scratch, {**FILES, "site.toml": config})
        _COLD[key] = outcome(root, options, use_cache=False)
        shutil.rmtree(scratch)
    return _COLD[key]


def differences(got: Outcome, want: Outcome) -> list[str]:
    """The parts in which two outcomes differ (readable in a failure)."""
    found = []
    if got[:2] != want[:2]:
        found.append(f"published/where {got[:2]} != {want[:2]}")
    for name in sorted(got[2].keys() | want[2].keys()):
        if got[2].get(name) != want[2].get(name):
            found.append(f"file {name}")
    if got[3] != want[3]:
        found.append(f"diagnostics {sorted(set(got[3]) ^ set(want[3]))}")
    return found


BASE = toml({})


@pytest.mark.parametrize(("name", "settings", "changed"), ROWS, ids=[r[0] for r in ROWS])
def test_a_changed_setting_gives_what_a_cold_build_gives(
    tmp_path: Path,
    name: str,
    settings: Mapping[str, Mapping[str, Value]],
    changed: Mapping[str, bool],
) -> None:
    base_options = BuildOptions()
    options = dataclasses.replace(base_options, **changed)
    config = toml(settings)
    root = write_site(tmp_path / "site", {**FILES, "site.toml": BASE})
    before = outcome(root, base_options, use_cache=True)
    assert differences(before, cold(tmp_path / "cold", BASE, base_options)) == []
    assert (root / CACHE_DIR).is_dir()

    (root / "site.toml").write_text(config, encoding="utf-8")
    warm = outcome(root, options, use_cache=True)
    expected = cold(tmp_path / "cold", config, options)
    assert differences(expected, before), f"{name}: the row changes nothing; pick a value that does"
    assert differences(warm, expected) == [], f"{name}: the warm build kept something stale"

    (root / "site.toml").write_text(BASE, encoding="utf-8")
    back = outcome(root, base_options, use_cache=True)
    assert differences(back, before) == [], f"{name} undone: the warm build kept something stale"
