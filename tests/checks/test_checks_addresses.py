"""Which addresses `check --external` refuses, whatever the spelling of the host.

A table of spellings (the issue's and more), read by our parser and by the system resolver
(`getaddrinfo`, numeric: no network), and a property: for any IPv4 address written in any mix
of decimal, octal and hex parts, our reading agrees with the resolver's.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.checks.addresses import Reach, Refused, literal_address, refusal
from site_builder.checks.hosts import is_local, is_public_name

LOCAL = [
    # the spellings
    ("127.1", "127.0.0.1", "loopback"),
    ("0177.0.0.1", "127.0.0.1", "loopback"),
    ("127.000.000.001", "127.0.0.1", "loopback"),
    ("0251.0376.0251.0376", "169.254.169.254", "link-local"),
    ("169.254.43518", "169.254.169.254", "link-local"),
    ("012.0.0.1", "10.0.0.1", "private"),
    ("10.1", "10.0.0.1", "private"),
    ("100.64.0.1", "100.64.0.1", "shared (CGNAT)"),
    # more
    ("0x7f.1", "127.0.0.1", "loopback"),
    ("0X7F000001", "127.0.0.1", "loopback"),
    ("2130706433", "127.0.0.1", "loopback"),
    ("017700000001", "127.0.0.1", "loopback"),
    ("127.0.0.1.", "127.0.0.1", "loopback"),
    ("127.255.255.254", "127.255.255.254", "loopback"),
    ("0", "0.0.0.0", "unspecified"),
    ("0.0.0.0", "0.0.0.0", "unspecified"),
    ("224.0.0.1", "224.0.0.1", "multicast"),
    ("239.255.255.250", "239.255.255.250", "multicast"),
    ("100.127.255.255", "100.127.255.255", "shared (CGNAT)"),
    ("192.168.0.1", "192.168.0.1", "private"),
    ("172.16.0.1", "172.16.0.1", "private"),
    ("0xc0.0xa8.1", "192.168.0.1", "private"),
    ("240.0.0.1", "240.0.0.1", "reserved"),
    ("::1", "::1", "loopback"),
    ("[::1]", "::1", "loopback"),
    ("::", "::", "unspecified"),
    ("::ffff:7f00:1", "::ffff:7f00:1", "loopback"),
    ("[::ffff:7f00:1]", "::ffff:7f00:1", "loopback"),
    ("::ffff:127.0.0.1", "::ffff:7f00:1", "loopback"),
    ("0:0:0:0:0:ffff:a9fe:a9fe", "::ffff:a9fe:a9fe", "link-local"),
    ("64:ff9b::7f00:1", "64:ff9b::7f00:1", "loopback"),
    ("2002:7f00:1::", "2002:7f00:1::", "loopback"),
    ("2002:a00:1::1", "2002:a00:1::1", "private"),
    ("fe80::1", "fe80::1", "link-local"),
    ("ff02::1", "ff02::1", "multicast"),
    ("fc00::1", "fc00::1", "private"),
    ("fd12:3456::1", "fd12:3456::1", "private"),
    ("fec0::1", "fec0::1", "site-local"),
    ("2001:db8::1", "2001:db8::1", "private"),
]

PUBLIC = [
    ("8.8.8.8", "8.8.8.8"),
    ("0x08.0x08.0x08.0x08", "8.8.8.8"),
    ("134744072", "8.8.8.8"),
    ("1.1", "1.0.0.1"),
    ("100.128.0.1", "100.128.0.1"),
    ("2606:4700:4700::1111", "2606:4700:4700::1111"),
    ("64:ff9b::808:808", "64:ff9b::808:808"),
    ("2002:808:808::1", "2002:808:808::1"),
]

NOT_ADDRESSES = [
    "example.com",
    "1.2.3.4.5",
    "08.1.1.1",
    "0x100.1",
    "256.1.1.1",
    "1.2.3.4.5.",
    "a.1",
]


@pytest.mark.parametrize(("spelling", "address", "kind"), LOCAL)
def test_local_spellings_are_read_and_refused(spelling: str, address: str, kind: str) -> None:
    assert literal_address(spelling) == ipaddress.ip_address(address)
    assert refusal(ipaddress.ip_address(address)) == kind
    assert is_local(spelling) and not is_public_name(spelling)


@pytest.mark.parametrize(("spelling", "address"), PUBLIC)
def test_public_addresses_are_allowed_in_any_spelling(spelling: str, address: str) -> None:
    assert literal_address(spelling) == ipaddress.ip_address(address)
    assert refusal(ipaddress.ip_address(address)) is None
    assert not is_local(spelling)


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_names_and_malformed_numbers_are_not_addresses(text: str) -> None:
    assert literal_address(text) is None


def _resolvable(spelling: str) -> bool:
    try:
        socket.getaddrinfo(spelling.strip("[]"), 80, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False
    return True


@pytest.mark.parametrize(("spelling", "address", "kind"), LOCAL)
def test_the_resolver_refuses_every_local_spelling(spelling: str, address: str, kind: str) -> None:
    host = spelling.strip("[]")
    if not _resolvable(host):
        pytest.skip(f"the system resolver does not read {spelling!r} (our parser does)")
    with pytest.raises(Refused) as refused:
        Reach().addresses(host, 80)
    assert refused.value.kind == kind
    assert f"{kind} address" in str(refused.value)
    assert Reach(allow_local=True).addresses(host, 80), "external_local lets it through"


def test_refusal_messages_name_the_address_behind_the_spelling() -> None:
    with pytest.raises(Refused, match=r"^0177\.0\.0\.1 is 127\.0\.0\.1, a loopback address$"):
        Reach().addresses("0177.0.0.1", 80)
    with pytest.raises(Refused, match=r"^127\.0\.0\.1 is a loopback address$"):
        Reach().addresses("127.0.0.1", 80)
    with pytest.raises(Refused, match=r"^localhost resolves to (127\.0\.0\.1|::1), a loopback"):
        Reach().addresses("localhost", 80)
    with pytest.raises(Refused, match=r"^169\.254\.43518 is 169\.254\.169\.254, a link-local"):
        Reach().addresses("169.254.43518", 80)


def test_an_exempt_endpoint_is_that_address_and_port_only() -> None:
    reach = Reach(exempt=frozenset({("127.0.0.1", 8080)}))
    assert reach.addresses("127.0.0.1", 8080) == [ipaddress.IPv4Address("127.0.0.1")]
    assert reach.addresses("127.1", 8080) == [ipaddress.IPv4Address("127.0.0.1")]
    with pytest.raises(Refused):
        reach.addresses("127.0.0.1", 8081)
    assert reach.allows_literal("0x7f.1", 8080) and not reach.allows_literal("127.0.0.2", 8080)


def _part(value: int, base: str) -> str:
    if base == "hex":
        return hex(value)
    if base == "oct":
        return "0" + format(value, "o")
    return str(value)


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 4),
    st.lists(st.sampled_from(["dec", "oct", "hex"]), min_size=4, max_size=4),
)
def test_our_reading_of_any_ipv4_spelling_matches_the_resolver(
    value: int, count: int, bases: list[str]
) -> None:
    octets = value.to_bytes(4, "big")
    leading = list(octets[: count - 1])
    last = int.from_bytes(octets[count - 1 :], "big")
    spelling = ".".join(_part(n, b) for n, b in zip([*leading, last], bases, strict=False))
    resolved = socket.getaddrinfo(spelling, 80, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    assert (
        literal_address(spelling) == ipaddress.IPv4Address(resolved) == ipaddress.IPv4Address(value)
    )
