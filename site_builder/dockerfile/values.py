"""Values BuildKit only judges at dispatch: image references, platforms, ports, signals, modes.

`reference.ParseNormalizedNamed` (distribution/reference) for `FROM`, containerd's
`platforms.Parse` for `--platform`, `convert_expose.go` for `EXPOSE`, moby's `signal.ParseSignal`
for `STOPSIGNAL` and the `--chmod` rule (octal or symbolic). Each returns BuildKit's error
text or None.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

from .gotext import go_lower, go_quote, go_upper, parse_uint

_ALNUM = r"[a-z0-9]+"
_PATH_COMPONENT = _ALNUM + r"(?:(?:[._]|__|[-]+)" + _ALNUM + r")*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = r"(?:" + _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*|\[[a-fA-F0-9:]+\])"
_NAME = r"(?:" + _HOST + r"(?::[0-9]+)?/)?" + _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    r"(" + _NAME + r")(?::([\w][\w.-]{0,127}))?(?:@(" + _DIGEST + r"))?\Z", re.ASCII
)
_IDENTIFIER = re.compile(r"[a-f0-9]{64}\Z")


def _split_docker_domain(name: str) -> tuple[str, str]:
    i = name.find("/")
    head = name[:i]
    if i == -1 or (
        not any(c in head for c in ".:") and head != "localhost" and go_lower(head) == head
    ):
        domain, remainder = "docker.io", name
    else:
        domain, remainder = head, name[i + 1 :]
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


@functools.lru_cache(maxsize=4096)  # base images recur in every stage of every post
def reference_error(ref: str) -> str | None:
    """Why `reference.ParseNormalizedNamed(ref)` fails, or None when it is a valid image name."""
    if _IDENTIFIER.match(ref):
        return f"invalid repository name ({ref}), cannot specify 64-byte hexadecimal strings"
    domain, remainder = _split_docker_domain(ref)
    colon = remainder.find(":")
    remote = remainder[:colon] if colon > -1 else remainder
    if go_lower(remote) != remote:
        return f"invalid reference format: repository name ({remote}) must be lowercase"
    full = domain + "/" + remainder
    m = _REFERENCE.match(full) if len(full) <= 1024 else None
    if m is None:
        if _REFERENCE.match(full.lower()) if len(full) <= 1024 else False:
            return "invalid reference format: repository name must be lowercase"
        return "invalid reference format"
    if len(m.group(1)) > 255:
        return "repository name must not be more than 255 characters"
    digest = m.group(3)
    if digest and digest.startswith("sha256:") and len(digest) != 71:
        return "invalid checksum digest length"
    return None


_OSES = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "windows",
        "zos",
    ]
)
_ARCHES = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "ppc64",
        "ppc64le",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)
_ARCH_ALIASES = {
    "i386": "386",
    "x86_64": "amd64",
    "x86-64": "amd64",
    "aarch64": "arm64",
    "armhf": "arm",
    "armel": "arm",
}
_COMPONENT = re.compile(r"[A-Za-z0-9_.-]+\Z")


@dataclass(frozen=True, slots=True)
class Platform:
    os: str
    architecture: str


def parse_platform(spec: str) -> Platform | None:
    """containerd `platforms.Parse` (os and architecture only); None when it would fail."""
    parts = spec.split("/")
    if "*" in spec or len(parts) > 3 or not all(_COMPONENT.match(p) for p in parts):
        return None
    if len(parts) == 1:
        word = go_lower(parts[0])
        word = "darwin" if word == "macos" else word
        if word in _OSES:
            return Platform(word, "amd64")
        arch = _ARCH_ALIASES.get(word, word)
        return Platform("linux", arch) if arch in _ARCHES else None
    os_name = go_lower(parts[0])
    os_name = "darwin" if os_name == "macos" else os_name
    arch = go_lower(parts[1])
    arch = _ARCH_ALIASES.get(arch, arch)
    if os_name not in _OSES or arch not in _ARCHES:
        return None
    return Platform(os_name, arch)


def platform_error(spec: str) -> str | None:
    """Why containerd's `platforms.Parse(spec)` fails, as BuildKit words it; None if it parses.
    Two or three components need not name a known OS or architecture; one must."""
    if "*" in spec:
        problem = f"{go_quote(spec)}: wildcards not yet supported"
    elif (bad := next((p for p in spec.split("/") if not _COMPONENT.match(p)), None)) is not None:
        problem = (
            f"{go_quote(bad)} is an invalid component of {go_quote(spec)}: platform specifier "
            f'component must match "^[A-Za-z0-9_.-]+$"'
        )
    elif spec.count("/") > 2:
        problem = f"{go_quote(spec)}: cannot parse platform specifier"
    elif "/" not in spec and parse_platform(spec) is None:
        problem = f"{go_quote(spec)}: unknown operating system or architecture"
    else:
        return None
    return f"failed to parse platform {spec}: {problem}: invalid argument"


_DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
_ALGORITHM = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*\Z")
_HEX = re.compile(r"[a-f0-9]+\Z")


def checksum_error(raw: str) -> str | None:
    """go-digest's `digest.Parse` of an ADD --checksum for an HTTP(S) source."""
    algorithm, sep, encoded = raw.partition(":")
    if not sep or not algorithm or not encoded or not _ALGORITHM.match(algorithm):
        return "invalid checksum digest format"
    size = _DIGEST_SIZES.get(algorithm)
    if size is None:
        return "unsupported digest algorithm"
    if len(encoded) != 2 * size:
        return "invalid checksum digest length"
    return None if _HEX.match(encoded) else "invalid checksum digest format"


def _port_number(raw: str) -> int | None:
    if not re.fullmatch(r"[+-]?[0-9]+", raw, re.ASCII):
        return None
    value = int(raw)
    return value if 0 <= value <= 65535 else None


def _port_range(ports: str) -> tuple[int, int] | None:
    if not ports:
        return None
    start, sep, end = ports.partition("-")
    first = _port_number(start)
    if first is None:
        return None
    if not sep or start == end:
        return first, first
    last = _port_number(end)
    if last is None or last < first:
        return None
    return first, last


def split_port(raw: str) -> tuple[str, str, str]:
    """splitParts: (host ip, host port, container port[/proto])."""
    parts = raw.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def port_error(raw: str) -> str | None:
    """parsePort's error for one EXPOSE word, or None."""
    ip, host_port, container = split_port(raw)
    port, _, proto = container.partition("/")
    if not port:
        return f"invalid port: {go_quote(raw)}: no port specified"
    if go_lower(proto) not in ("", "tcp", "udp", "sctp"):
        return f"invalid port: {go_quote(raw)}: invalid proto: {proto}"
    if ip:
        address = ip[1:-1] if ip.startswith("[") and ip.endswith("]") else ip
        try:
            ipaddress.ip_address(address)
        except ValueError:
            return "invalid IP address: " + ip
    container_range = _port_range(port)
    if container_range is None:
        return "invalid containerPort: " + port
    if host_port:
        host_range = _port_range(host_port)
        if host_range is None:
            return "invalid hostPort: " + host_port
        if (container_range[1] - container_range[0]) != (host_range[1] - host_range[0]) and (
            container_range[0] != container_range[1]
        ):
            return f"invalid ranges specified for container and host Ports: {port} and {host_port}"
    return None


def port_protocol(raw: str) -> str:
    return split_port(raw)[2].partition("/")[2]


_SIGNALS = frozenset(
    [
        "ABRT",
        "ALRM",
        "BUS",
        "CHLD",
        "CLD",
        "CONT",
        "FPE",
        "HUP",
        "ILL",
        "INT",
        "IO",
        "IOT",
        "KILL",
        "PIPE",
        "POLL",
        "PROF",
        "PWR",
        "QUIT",
        "SEGV",
        "STKFLT",
        "STOP",
        "SYS",
        "TERM",
        "TRAP",
        "TSTP",
        "TTIN",
        "TTOU",
        "URG",
        "USR1",
        "USR2",
        "VTALRM",
        "WINCH",
        "XCPU",
        "XFSZ",
        "RTMIN",
        "RTMAX",
    ]
    + [f"RTMIN+{i}" for i in range(1, 16)]
    + [f"RTMAX-{i}" for i in range(1, 15)]
)


def signal_error(raw: str) -> str | None:
    number = parse_uint(raw, 10, 32)
    if number is not None:
        return f"Invalid signal: {raw}" if number == 0 else None
    name = go_upper(raw)
    name = name[3:] if name.startswith("SIG") else name
    return None if name in _SIGNALS else f"Invalid signal: {raw}"


_SYMBOLIC_MODE = re.compile(r"[ugoa]*(?:[-+=][rwxXstugo]*)+\Z")


def chmod_error(raw: str) -> str | None:
    """BuildKit's --chmod: an octal number up to 07777, or chmod's symbolic clauses
    (`u=rwx,go=rx`, `+x`); anything else is Go's "invalid syntax"."""
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        clauses = raw.split(",")
        return None if all(_SYMBOLIC_MODE.match(c) for c in clauses) else "invalid syntax"
    value = parse_uint(raw, 8, 32)
    if value is None or value > 0o7777:
        return (
            f"invalid chmod parameter: '{raw}'. it should be octal string and between 0 and 07777"
        )
    return None
