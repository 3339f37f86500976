"""The front matter key table, the `FrontMatter` record and the README's reference agree."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from site_builder.content.front_matter.aliases import ALIASES, IGNORED
from site_builder.content.front_matter.keys import BY_NAME, KEYS
from site_builder.content.front_matter.read import parse_source
from site_builder.content.front_matter.record import FrontMatter

README = Path(__file__).resolve().parents[2] / "README.md"
# Fields that record how the front matter was written, not a key's value.
BOOKKEEPING = {"extra", "key_positions", "opening_line", "value_spans"}


def test_every_key_fills_a_field_and_every_field_has_a_key() -> None:
    fields = {f.name for f in dataclasses.fields(FrontMatter)}
    assert {key.target for key in KEYS} == fields - BOOKKEEPING
    assert len(BY_NAME) == len(KEYS)


def test_the_readme_reference_lists_every_key() -> None:
    text = README.read_text(encoding="utf-8")
    reference = text[text.index("### Front matter reference") :].split("\n### ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?", reference, re.M))
    names = {name for pair in documented for name in pair if name}
    names |= set(re.findall(r"\(or `([a-z_]+)`\)", reference))
    assert names == set(BY_NAME)


def test_every_key_is_read_into_its_field_from_its_example() -> None:
    text = "---\n" + "".join(f"{key.name}: {key.example}\n" for key in KEYS) + "---\n"
    parsed = parse_source("p.md", text, ZoneInfo("UTC"))
    fm = parsed.front_matter
    assert fm is not None and parsed.diagnostics == ()
    defaults = {f.name: f.default for f in dataclasses.fields(FrontMatter)}
    for key in KEYS:
        assert getattr(fm, key.target) != defaults[key.target], key.name


def test_a_key_and_its_alias_the_first_wins() -> None:
    text = "---\ntitle: T\ndate: 2024-01-02\npart: 3\nseries_order: 2\n---\n"
    fm = parse_source("p.md", text, ZoneInfo("UTC")).front_matter
    assert fm is not None and fm.series_order == 2


def test_every_alias_stands_for_a_key_and_names_no_key_of_ours() -> None:
    names = [alias.name for alias in ALIASES]
    assert len(set(names)) == len(names)
    for alias in ALIASES:
        assert alias.key in BY_NAME, alias
        assert alias.name not in BY_NAME and alias.name not in IGNORED, alias
    assert not set(IGNORED) & set(BY_NAME)


def test_the_readme_mapping_table_lists_every_alias() -> None:
    """The README's "Moving from ..." section has one row per alias: | `name` | `key` | ... |"""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Moving from Hugo, Jekyll, Docusaurus, MkDocs or dev.to") :]
    section = section.split("\n## ", 1)[0]
    rows = set(re.findall(r"^\| `([A-Za-z_]+)` \| `([a-z_]+)` \|", section, re.M))
    assert rows == {(alias.name, alias.key) for alias in ALIASES}
    ignored = set(re.findall(r"`([A-Za-z_]+)`", section.split("Ignored keys", 1)[1]))
    assert set(IGNORED) <= ignored


def test_every_alias_is_read_into_its_key_from_the_keys_example() -> None:
    for alias in ALIASES:
        key = BY_NAME[alias.key]
        example = "true" if alias.invert else key.example
        head = "title: T\n" + ("" if alias.key == "date" else "date: 2024-01-02\n")
        text = f"---\n{head}{alias.name}: {example}\n---\n"
        fm = parse_source("p.md", text, ZoneInfo("UTC")).front_matter
        assert fm is not None, alias.name
        default = {f.name: f.default for f in dataclasses.fields(FrontMatter)}[key.target]
        assert getattr(fm, key.target) != default, alias.name
