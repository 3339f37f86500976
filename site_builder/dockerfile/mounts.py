"""`RUN --mount=…` values: BuildKit's `commands_runmount.go`, at parse time and at dispatch.

At parse time BuildKit only splits the CSV and refuses a `from=` that uses `$`; at dispatch it
expands every `key=value` and validates types, keys and values (`unsupported mount type "foo"`,
`unexpected key 'size' for mount type 'cache'`, `mode not allowed for "bind" type mounts`, …).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .gotext import go_lower, go_quote, parse_bool, parse_uint, with_suggestion

MOUNT_TYPES = ("bind", "cache", "tmpfs", "secret", "ssh")
SHARING = ("shared", "private", "locked")
ALL_KEYS = (
    "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size", "mode",
    "uid", "gid", "src", "dst", "destination", "ro", "rw", "readwrite", "env",
)  # fmt: skip
_RAM = re.compile(r"[0-9]+(?:\.[0-9]+)* ?[kKmMgGtTpP]?[iI]?[bB]?\Z")


class MountError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Mount:
    type: str = "bind"
    from_: str = ""
    source: str = ""
    target: str = ""
    id: str = ""
    sharing: str = ""


def csv_fields(value: str) -> list[str]:
    """One CSV record (encoding/csv rules: `"…"` quoting, `""` inside quotes)."""
    fields: list[str] = []
    i, n = 0, len(value)
    while True:
        if i < n and value[i] == '"':
            buf, i = [], i + 1
            while True:
                j = value.find('"', i)
                if j < 0:
                    raise MountError(
                        f'failed to parse csv mounts: extraneous or missing " in quoted-field '
                        f"(column {n + 1})"
                    )
                buf.append(value[i:j])
                i = j + 1
                if i < n and value[i] == '"':
                    buf.append('"')
                    i += 1
                    continue
                break
            if i < n and value[i] != ",":
                raise MountError(
                    f'failed to parse csv mounts: extraneous or missing " in quoted-field '
                    f"(column {i + 1})"
                )
            fields.append("".join(buf))
        else:
            j = value.find(",", i)
            field = value[i:] if j < 0 else value[i:j]
            if '"' in field:
                column = i + field.index('"') + 1
                raise MountError(
                    f'failed to parse csv mounts: bare " in non-quoted-field (column {column})'
                )
            fields.append(field)
            i = n if j < 0 else j
        if i >= n:
            return fields
        i += 1  # the comma


def parse_time_error(value: str) -> str | None:
    """The post-hook check at parse time: CSV syntax and `from=$X`."""
    try:
        fields = csv_fields(value)
    except MountError as exc:
        return exc.message
    for field in fields:
        key, sep, val = field.partition("=")
        if sep and go_lower(key) == "from":
            idx = val.find("$")
            if idx != -1 and idx != len(val) - 1:
                return "'from' doesn't support variable expansion, define alias stage instead"
    return None


def parse_time_from(value: str) -> str:
    """The `from=` of a mount as BuildKit records it before dispatch (for stage dependencies)."""
    try:
        fields = csv_fields(value)
    except MountError:
        return ""
    found = ""
    for field in fields:
        key, sep, val = field.partition("=")
        if sep and go_lower(key) == "from":
            found = val
    return found


def _bool(key: str, value: str) -> bool:
    parsed = parse_bool(value)
    if parsed is None:
        raise MountError(f"invalid value for {key}: {value}")
    return parsed


def parse_mount(value: str, expand: Callable[[str], str]) -> Mount:
    """parseMount with an expander; raises MountError (or whatever `expand` raises)."""
    kind, fields = "bind", {"from": "", "source": "", "target": "", "id": "", "sharing": ""}
    has_mode = has_uid = has_gid = False
    for field in csv_fields(value):
        key, sep, val = field.partition("=")
        key = go_lower(key)
        if not sep:
            if key in ("readonly", "ro", "readwrite", "rw"):
                continue
            if key == "required" and kind in ("secret", "ssh"):
                continue
            if key == "required":
                raise MountError(f"unexpected key '{key}' for mount type '{kind}'")
            raise MountError(f"invalid field '{field}' must be a key=value pair")
        val = expand(val)
        if key == "type":
            if go_lower(val) not in MOUNT_TYPES:
                raise MountError(
                    with_suggestion(
                        f"unsupported mount type {go_quote(val)}",
                        val,
                        MOUNT_TYPES,
                        case_sensitive=True,
                    )
                )
            kind = go_lower(val)
        elif key in ("from", "id"):
            fields[key] = val
        elif key in ("source", "src"):
            fields["source"] = val
        elif key in ("target", "dst", "destination"):
            fields["target"] = val
        elif key in ("readonly", "ro", "readwrite", "rw"):
            _bool(key, val)
        elif key in ("required", "size"):
            if (key == "required" and kind not in ("secret", "ssh")) or (
                key == "size" and kind != "tmpfs"
            ):
                raise MountError(f"unexpected key '{key}' for mount type '{kind}'")
            if key == "required":
                _bool(key, val)
            elif not _RAM.match(val):
                raise MountError(f"invalid value for {key}: {val}")
        elif key == "sharing":
            if go_lower(val) not in SHARING:
                raise MountError(
                    with_suggestion(
                        f"unsupported sharing value {go_quote(val)}",
                        val,
                        SHARING,
                        case_sensitive=True,
                    )
                )
            fields["sharing"] = go_lower(val)
        elif key in ("mode", "uid", "gid"):
            if parse_uint(val, 8 if key == "mode" else 10, 32) is None:
                raise MountError(f"invalid value {val} for {key}")
            has_mode |= key == "mode"
            has_uid |= key == "uid"
            has_gid |= key == "gid"
        elif key != "env":
            raise MountError(
                with_suggestion(
                    f"unexpected key '{key}' in '{field}'", key, ALL_KEYS, case_sensitive=True
                )
            )
    if kind not in ("secret", "ssh", "cache"):
        for name, present in (("mode", has_mode), ("uid", has_uid), ("gid", has_gid)):
            if present:
                raise MountError(f"{name} not allowed for {go_quote(kind)} type mounts")
    if kind == "secret":
        if fields["from"]:
            raise MountError("secret mount should not have a from")
        if fields["sharing"]:
            raise MountError("secret mount should not define sharing")
        if not fields["source"] and not fields["target"] and not fields["id"]:
            raise MountError("invalid secret mount. one of source, target required")
        if fields["source"] and fields["id"]:
            raise MountError("both source and id can't be set")
    if fields["sharing"] and kind != "cache":
        raise MountError(f"invalid cache sharing set for {kind} mount")
    return Mount(
        kind, fields["from"], fields["source"], fields["target"], fields["id"], fields["sharing"]
    )
