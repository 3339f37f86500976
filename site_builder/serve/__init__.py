"""`build-site serve`: the live preview server.

Builds the site, serves the last published build on 127.0.0.1, watches `content/`, `themes/`
and `site.toml`, rebuilds on change and tells open pages to reload (server-sent events). A
failed build keeps the last good site and shows every problem over each page, the page's own
source's problems first. The modules:
`paths` and `files` (which file a request may get), `hosts` (Host-header check), `server` (the
HTTP handler), `reload` (generations and the event hub), `changes` (what a rebuild changed),
`problems` (a build's problems with their source excerpts), `overlay` (what is injected into
HTML, with `overlay.css` and `client.js`), `rebuild` and `watch` (the build
loop), `session` (one run, start to clean stop).
"""

from __future__ import annotations

import argparse

from ..pipeline.phases import BuildOptions
from .session import Preview, ServeOptions

__all__ = ["Preview", "ServeOptions", "run"]


def run(args: argparse.Namespace) -> int:
    """Run `build-site serve` with parsed arguments; the exit code (0 after Ctrl-C)."""
    options = ServeOptions(
        root=args.root,
        build=BuildOptions(
            drafts=args.drafts,
            future=args.future,
            strict=args.strict,
            keep_search_index=True,
        ),
        host=args.host,
        port=args.port,
        open_browser=args.open,
    )
    return Preview(options).run()
