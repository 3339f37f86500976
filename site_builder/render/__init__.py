"""Render: the site model to files in memory, `{output path: bytes}`; no writes.

Takes a `Site`; gives the planned output files (pages, feeds, sitemap, stylesheet, copies) and
TPL diagnostics.

- `site_files`: what the site's output files are, and rendering them.
- `renderer`: the per-build rendering context (URLs, summaries, one page through its template).
- `pages`: the HTML pages, their templates, context and head meta.
- `feeds`: Atom and JSON Feed for the site, each tag and each series, described as data.
- `sitemap`, `seo`: `sitemap.xml`/`robots.txt`; what a page tells search engines.
- `signatures`: a short hash of everything each output file is made from (for the cache).
- `templates`: the Jinja environment: autoescape, StrictUndefined, theme lookup.
"""
