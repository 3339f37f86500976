"""The front matter key table, the `FrontMatter` record and the README's reference agree."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from zoneinfo import ZoneInfo

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
