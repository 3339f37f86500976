"""Front matter dates: the documented formats, the site timezone, and precise errors.

Accepted: `2024-01-02`, `2024-01-02 10:00`, `2024-01-02 10:00:30`, the same with `T` instead of
the space, fractional seconds, and a `Z`, `UTC`/`GMT` (Jekyll), `±HH:MM` or `±HHMM` offset; TOML's
native dates and datetimes. A value without an offset is in the site timezone; a bare date is
midnight there.

A source without a date in its front matter may carry one in its path (`path_date`): a file
name that starts `YYYY-MM-DD-` (Jekyll, Docusaurus), or folders `YYYY/MM/DD/`. The front
matter's date wins; the slug drops the file name's date (`slugs.source_slug`), as Jekyll's.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from ..bundles import is_bundle_index, source_stem

_DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
    r"[ \t]*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
_NAME_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(?=.)")
_FOLDER_DATE_RE = re.compile(r"(?:^|/)(\d{4})/(\d{2})/(\d{2})/")

DATE_FORMATS_HELP = "YYYY-MM-DD, optionally followed by ' HH:MM[:SS]' and a 'Z' or '+HH:MM' offset"


class DateError(ValueError):
    """A date that does not parse, with a message fit for a diagnostic."""


def parse_date(value: object, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime from a front matter value (text as PyYAML left it, or a date)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):  # TOML and YAML bare dates
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise DateError(f"expected a date ({DATE_FORMATS_HELP}); got {type(value).__name__}")
    text = value.strip()
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise DateError(f"invalid date '{text}': expected {DATE_FORMATS_HELP}")
    parts = match.groupdict()
    fraction = (parts["f"] or "0")[:6].ljust(6, "0")
    try:
        naive = dt.datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
            int(fraction),
        )
    except ValueError as error:
        raise DateError(f"invalid date '{text}': {error}") from None
    offset = parts["tz"]
    if not offset:
        return naive.replace(tzinfo=tz)
    if offset in ("Z", "z", "UTC", "GMT"):
        return naive.replace(tzinfo=dt.UTC)
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"invalid date '{text}': bad UTC offset '{offset}'")
    delta = dt.timedelta(hours=hours, minutes=minutes) * sign
    return naive.replace(tzinfo=dt.timezone(delta))


def path_date(path: str, tz: ZoneInfo) -> dt.datetime | None:
    """Midnight (site timezone) of the date a source's path carries: a file name starting
    `YYYY-MM-DD-`, else the last `YYYY/MM/DD/` folders; None when it carries none (or an
    impossible one, such as 2024-02-30: it is then an ordinary name)."""
    name = path.rpartition("/")[2]
    if is_bundle_index(path):  # a page bundle is named by its folder (bundles.source_stem)
        name = source_stem(path) + "/"
    found = [_NAME_DATE_RE.match(name), *reversed(list(_FOLDER_DATE_RE.finditer(path)))]
    for match in found:
        if match is None:
            continue
        try:
            year, month, day = (int(part) for part in match.groups())
            return dt.datetime(year, month, day, tzinfo=tz)
        except ValueError:
            continue
    return None
