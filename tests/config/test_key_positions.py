"""`key_positions` finds every key of a TOML file, however it is spelled, at its first character."""

from __future__ import annotations

import json
import tomllib

from hypothesis import given
from hypothesis import strategies as st

from site_builder.config.key_positions import key_positions

_names = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True) | st.sampled_from(
    ["a.b", "with space", "é", 'q"uote']
)
_values = st.sampled_from(['"x = 1"', "'[t]'", "3", "true", '"""\nk = 1\n"""', "[1, {z = 2}]"])


def spell(name: str) -> str:
    if name.replace("_", "").replace("-", "").isalnum() and name.isascii():
        return name
    return json.dumps(name, ensure_ascii=False)


@st.composite
def documents(draw):
    """A TOML text, and each key's path with the spelling the text uses for its last part."""
    lines: list[str] = []
    expected: dict[tuple[str, ...], str] = {}
    for section in draw(st.lists(_names, unique=True, max_size=4)):
        keys = draw(st.lists(_names, unique=True, min_size=1, max_size=4))
        form = draw(st.sampled_from(["header", "dotted", "inline"]))
        pairs = [(k, draw(_values)) for k in keys]
        if form == "header":
            lines.append(f"[{spell(section)}]  # a table")
            lines += [f"{spell(k)} = {v}" for k, v in pairs]
            lines.append("")
        elif form == "dotted":
            lines[:0] = [f"{spell(section)} . {spell(k)} = {v}" for k, v in pairs]
        else:
            flat = [(k, v) for k, v in pairs if "\n" not in v]
            if not flat:
                continue
            inner = ", ".join(f"{spell(k)} = {v}" for k, v in flat)
            lines.insert(0, f"{spell(section)} = {{ {inner} }}")
            pairs = flat
        for key, _ in pairs:
            expected[(section, key)] = spell(key)
    return "\n".join(lines) + "\n", expected


@given(documents())
def test_every_key_is_found_where_it_is_written(document):
    text, expected = document
    tomllib.loads(text)  # the scanner only ever sees text tomllib accepted
    found = key_positions(text)
    rows = text.split("\n")
    for path, spelling in expected.items():
        assert path in found, (path, text)
        line, column = found[path]
        assert rows[line - 1][column - 1 :].startswith(spelling), (path, found[path], text)
    for path in found:  # nothing inside strings or arrays is taken for a key
        assert path[:2] in expected or path[:1] in {p[:1] for p in expected}, (path, text)
