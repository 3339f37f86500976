"""The version of site_builder, in one place: the package, the feeds and the CLI read it."""

from __future__ import annotations

__version__ = "0.1.0"
