"""Front matter dates: the documented formats, the site timezone, and precise errors.

Accepted: `2024-01-02`, `2024-01-02 10:00`, `2024-01-02 10:00:30`, the same with `T` instead of
the space, fractional seconds, and a `Z` or `±HH:MM` offset. A value without an offset is in the
site timezone; a bare date is midnight there.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
    r"[ \t]*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)

DATE_FORMATS_HELP = "YYYY-MM-DD, optionally followed by ' HH:MM[:SS]' and a 'Z' or '+HH:MM' offset"


class DateError(ValueError):
    """A date that does not parse, with a message fit for a diagnostic."""


def parse_date(value: object, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime from a front matter value (text as PyYAML left it, or a date)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
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
    if offset in ("Z", "z"):
        return naive.replace(tzinfo=dt.UTC)
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"invalid date '{text}': bad UTC offset '{offset}'")
    delta = dt.timedelta(hours=hours, minutes=minutes) * sign
    return naive.replace(tzinfo=dt.timezone(delta))
