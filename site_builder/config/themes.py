"""Where themes live: the built-in default theme, and a site's own theme that overrides it."""

from __future__ import annotations

from pathlib import Path

from .schema import SiteConfig

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def builtin_theme_dir() -> Path:
    """The default theme: packaged inside `site_builder/` when installed, else the checkout's."""
    packaged = _PACKAGE_DIR / "themes" / "default"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "themes" / "default"


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders in lookup order: the site's chosen theme (if present), then the built-in."""
    dirs: list[Path] = []
    site_theme = config.root / "themes" / config.theme
    if site_theme.is_dir():
        dirs.append(site_theme)
    builtin = builtin_theme_dir()
    if builtin.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(builtin)
    return dirs
