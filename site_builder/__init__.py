"""site_builder: a static site generator for a Docker-optimization blog.

`build_site()` is the one public Python entry point; the `build-site` command wraps it.
"""

from __future__ import annotations

from pathlib import Path

from .version import __version__

__all__ = ["__version__", "build_site"]


def build_site(
    root: str | Path = ".",
    *,
    drafts: bool = False,
    future: bool = False,
    strict: bool = False,
) -> bool:
    """Build and publish the site at `root`; True when it was published."""
    from .pipeline.phases import BuildOptions, build

    return build(Path(root), BuildOptions(drafts=drafts, future=future, strict=strict)).published
