"""CFG005: a `base_url` that names this machine, in a build meant for publishing.

`base_url` defaults to `http://localhost:8000/`, the preview's address, so that a new site
builds at once. A published site needs its real address: canonical links, `og:url`, the feeds
and the sitemap are absolute URLs made from it. `build-site build` warns once, at the
`base_url` line of site.toml, when that line names a local address (the sample site's
`http://localhost:8000/` included); the preview (`build-site serve`) does not, since it is
local by design. A site.toml that leaves base_url out (or no site.toml at all) gets the same
warning at its first line, saying the default is in force and what line to add.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..diagnostics.diagnostic import Diagnostic, Severity
from .key_positions import key_positions
from .schema import CONFIG_NAME, SiteConfig

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_local(url: str) -> bool:
    """True when `url`'s host is this machine: localhost (any subdomain), 127.0.0.0/8, ::1."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified  # 0.0.0.0: a bind address


def local_base_url(config: SiteConfig) -> list[Diagnostic]:
    """CFG005 (warning) when base_url is a local address; nothing otherwise."""
    if not is_local(config.base_url):
        return []
    path = config.root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    except (OSError, UnicodeDecodeError):
        text = ""  # the loader has reported it
    position = key_positions(text).get(("base_url",)) if text else None
    consequence = (
        "a local address: canonical links, og:url, the feeds and the sitemap of the published "
        "site point at this machine"
    )
    if position is not None:
        line, column = position
        message = f"base_url is {config.base_url!r}, {consequence}"
        hint = (
            "set base_url to the address the site will be served from, "
            'e.g. base_url = "https://example.com/"'
        )
    else:
        line, column = 1, 1
        message = f"base_url is not set, so it is the default {config.base_url!r}, {consequence}"
        where = CONFIG_NAME if path.is_file() else f"a new {CONFIG_NAME}"
        hint = (
            f'add base_url = "https://example.com/" (the address the site will be served '
            f"from) to {where}"
        )
    return [Diagnostic(CONFIG_NAME, line, column, Severity.WARNING, "CFG005", message, hint=hint)]
