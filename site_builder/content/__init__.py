"""Content: the site's source files, read and assembled into the site model.

Takes the config; gives `Site` (frozen posts, pages, tags, series) and its diagnostics.

- `sources`, `discovery`: which files a build reads (by `stat` alone) and their clean text.
- `front_matter/`: the front matter of one file, read, validated and positioned.
- `slugs`: the rules that turn tags, file names and headings into URL segments.
- `urls`: where each kind of page and feed lives (the feed formats as data), the base path.
- `model`: the frozen records of the site model.
- `library`: assembling the documents into a `Site` (published, URLs, tags, order).
- `series`, `related`: series order and checks; related posts by shared tags.
"""
