"""Which network addresses `build-site check --external` may connect to.

An IP literal is read in any spelling a resolver or browser accepts (`127.1`, `0177.0.0.1`,
`0x7f.1`, `2130706433`, `169.254.43518`), and an address is refused when it is loopback,
private, link-local, shared (CGNAT, 100.64.0.0/10), multicast, unspecified, reserved or
otherwise not global; an IPv6 address that carries an IPv4 one (mapped `::ffff:a.b.c.d`,
NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is judged by the IPv4 address it carries. `Reach`
resolves a host once and returns the checked addresses: the caller connects to those, never
to the name, so a second lookup cannot answer differently.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def literal_address(host: str) -> Address | None:
    """The address `host` spells, if it is an IP literal in any accepted spelling."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    return _ipv4_spelling(host)


def _ipv4_spelling(host: str) -> ipaddress.IPv4Address | None:
    """The URL standard's IPv4 parser: 1 to 4 parts, each decimal, 0x-hex or 0-octal; the last
    part fills the bytes the others leave (`127.1` is 127.0.0.1, `10.1` is 10.0.0.1)."""
    parts = host.removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        number = _ipv4_number(part)
        if number is None:
            return None
        numbers.append(number)
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _ipv4_number(part: str) -> int | None:
    base, digits = 10, part
    if part[:2] in ("0x", "0X"):
        base, digits = 16, part[2:] or "0"
    elif len(part) > 1 and part.startswith("0"):
        base, digits = 8, part[1:]
    allowed = "0123456789abcdef"[:base]
    if not digits or any(c not in allowed for c in digits.lower()):
        return None
    return int(digits, base)


def refusal(address: Address) -> str | None:
    """Why `address` is not for the external check ('loopback', 'private', ...); None if public."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = _carried_ipv4(address)
        if carried is not None:
            return refusal(carried)
    kinds = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared (CGNAT)", isinstance(address, ipaddress.IPv4Address) and address in _CGNAT),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
        ("non-public", not address.is_global),
    )
    return next((kind for kind, found in kinds if found), None)


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


class Refused(Exception):
    """A host whose address the external check will not connect to; `str()` says why."""

    def __init__(self, host: str, address: Address, kind: str) -> None:
        self.host, self.address, self.kind = host, address, kind
        what = f"{_article(kind)} {kind} address"
        literal = literal_address(host)
        if literal is None:
            text = f"{host} resolves to {address}, {what}"
        elif str(literal) == host.strip("[]"):
            text = f"{host} is {what}"
        else:
            text = f"{host} is {address}, {what}"
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class Reach:
    """Where the external check may connect: public addresses only, unless `allow_local`
    (the `external_local` setting). `exempt` names (address, port) endpoints allowed although
    local: the loopback server a test uses in place of a public site (empty otherwise)."""

    allow_local: bool = False
    exempt: frozenset[tuple[str, int]] = frozenset()

    def addresses(self, host: str, port: int) -> list[Address]:
        """Every address `host` resolves to, all checked; connect to these, not to `host`.

        Raises `Refused` when any of them is refused, `socket.gaierror` when none resolves."""
        found = resolve(host, port)
        if not self.allow_local:
            for address in found:
                kind = refusal(address)
                if kind is not None and (str(address), port) not in self.exempt:
                    raise Refused(host, address, kind)
        return found

    def allows_literal(self, host: str, port: int) -> bool:
        """Whether a link to this literal local host is checked rather than skipped."""
        if self.allow_local:
            return True
        address = literal_address(host)
        return address is not None and (str(address), port) in self.exempt


def resolve(host: str, port: int) -> list[Address]:
    """The addresses of `host` (one lookup; IP literals in the resolver's spellings too)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    found: dict[Address, None] = {}
    for family, _type, _proto, _name, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6):
            found[ipaddress.ip_address(str(sockaddr[0]))] = None
    if not found:
        raise socket.gaierror(socket.EAI_NONAME, "no IPv4 or IPv6 address")
    return list(found)
