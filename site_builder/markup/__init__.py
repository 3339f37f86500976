"""Markup: one Markdown body to HTML and its outline, with code highlighted and checked.

Takes a body's text (after the front matter) and the site's settings; gives a `RenderedBody`
(HTML, outline, summary) and the MD/DF diagnostics at the Markdown file's own lines.

- `convert`: markdown-it-py set-up, heading ids, summaries, the outline; raw HTML policy.
- `accelerator` (with `accelerator_blocks`, `accelerator_inline`, `accelerator_text`): the
  optional markdown-it-pyrs parse, turned into markdown-it-py's own tokens or declined.
- `outline`: what checks and templates need to know of a body (headings, links, code blocks).
- `body`: a document's rendered body as the site sees it: small facts first, HTML on demand.
- `code_blocks`, `fence_info`: fenced code (info strings, options) and the Dockerfile check.
- `highlight`, `highlight_css`: Pygments at build time, and the stylesheet for its classes.
- `html_rewrite`: URLs and ids inside rendered HTML, for feeds and summaries.
- `shortcodes` (with `shortcode_syntax`, `shortcode_catalog`, `shortcode_blocks`,
  `shortcode_pass`, `shortcode_render`, `embeds`): Hugo shortcodes and Liquid tags, rendered
  natively (video, figure, details, link cards, highlight, raw) or shown as marked text (MD022,
  MD023).
"""
