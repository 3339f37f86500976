"""Host checks for the preview server: which addresses are loopback, which Host headers are ours.

Pure. A DNS-rebinding page makes the victim's browser send requests to 127.0.0.1 with the
attacker's domain in the `Host` header; refusing any Host that is not a local name, an address
literal we can be reached at, or the host we were told to bind, closes that door.
"""

from __future__ import annotations

import ipaddress
import re

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind
_HOST_PORT = re.compile(
    r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^:\[\]]*))(?::(?P<port>\d{1,5}))?$"
)


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server reachable from this machine only."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str | None:
    """The host part of a `Host` header (`[::1]:8000` → `::1`), lowercased; None if malformed."""
    match = _HOST_PORT.match(header.strip())
    if match is None:
        return None
    name = match.group("v6") or match.group("name") or ""
    return name.lower().rstrip(".")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(
    header: str | None, bound: str, machine_names: frozenset[str] = frozenset()
) -> bool:
    """Whether a request carrying this `Host` header may be answered.

    Allowed: no header at all (HTTP/1.0 clients; no browser omits it), local names
    (`localhost`, `*.localhost`, loopback addresses), and the host we bound. When bound to a
    wildcard (`0.0.0.0`, `::`), also any address literal and this machine's own names: address
    literals cannot be rebound, and names are what people type on their network.
    """
    if header is None:
        return True
    name = host_name(header)
    if name is None or name == "":
        return False
    if name in LOCAL_NAMES or is_loopback(name):
        return True
    bound_name = bound.strip("[]").lower().rstrip(".")
    if bound_name in WILDCARDS:
        return _is_address(name) or name in {m.lower() for m in machine_names}
    return name == bound_name
