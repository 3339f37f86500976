"""Render: the site model to files in memory, `{output path: bytes}`; no writes.

Takes a `Site`; gives the planned output files (pages, feeds, sitemap, stylesheet, copies), each
with a signature for the cache, and TPL diagnostics.

- `site_files`: what the site's files are (`plan_site`, `planned_urls`) and rendering them.
- `renderer`: the per-build renderer (URLs, list summaries, one page through its template) and
  `PageJob`, one generated file.
- `pages`: the HTML pages, one function per kind of page, with their head meta.
- `feeds`: the site's feeds as data (`content.urls.FEED_FORMATS` says which pages have which);
  `atom` and `json_feed` write them.
- `sitemap`, `seo`: `sitemap.xml` and `robots.txt`; what a page tells search engines.
- `signatures`: a short hash of everything each output file is made from (for the cache).
- `templates`: the Jinja environment: autoescape, StrictUndefined, theme lookup.
"""
