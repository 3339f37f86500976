"""Configuration: `site.toml` as a frozen `SiteConfig`, and where themes live.

Takes the site root; gives the validated settings (and CFG diagnostics) every later stage reads.

- `schema`: the settings as frozen dataclasses, each key with its default, documentation and check.
- `load`: reading `site.toml` into a `SiteConfig`, with positions for every error.
- `themes`: the built-in default theme and a site's own theme that overrides it.
"""
