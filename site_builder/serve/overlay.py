"""What the preview adds to served HTML: the problem overlay, the DRAFT ribbon, the reload script.

Nothing here is ever written to `output/`; `decorate()` runs on each HTML response. The overlay
lists the problems of the page being viewed first ("This page": those in its source file), then
the rest of the site's ("Elsewhere in the site (N)"); each shows `path:line:col`, an icon and a
word for its severity, its code and message, the source line with a caret under the column (the
terminal report's excerpt, read once per build by `problems.collect`) and its hint; `render()`
builds the HTML per page. Every piece of
text that comes from a build or a source file goes through `html.escape`. A failed build shows
a panel over the last good page; a passing build with warnings shows a small collapsed badge.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from html import escape
from importlib import resources
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..diagnostics.report import Excerpt
from .problems import Problem, Problems, collect
from .reload import SiteState

OVERLAY_ID = "__sb-overlay"
DRAFT_ID = "__sb-draft"
SCRIPT_ID = "__sb-reload"
ENDPOINT = "/__reload"
MAX_LISTED = 200

SEVERITY_ICONS = {Severity.ERROR: "✕", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}

_DRAFT_STYLE = """
#__sb-draft{all:initial;position:fixed;z-index:2147483646;top:0;left:0;padding:4px 12px;
background:#7a4d00;color:#fff;font:700 12px/1.5 system-ui,sans-serif;letter-spacing:.1em;
border-bottom-right-radius:6px;pointer-events:none}
""".replace("\n", "")


@functools.cache
def overlay_style() -> str:
    """The overlay's CSS (`overlay.css`, package data) on one line, without its comments."""
    text = resources.files(__package__).joinpath("overlay.css").read_text(encoding="utf-8")
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S).replace("\n", "")


def _counts(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _count_of(items: Sequence[Problem]) -> str:
    errors = sum(1 for p in items if p.diagnostic.severity is Severity.ERROR)
    return _counts(errors, len(items) - errors)


def severity_label(severity: Severity) -> str:
    """`✕ error`, `⚠ warning` or `ℹ info` as HTML: the icon hidden from screen readers."""
    icon = SEVERITY_ICONS[severity]
    return f'<span class="sb-sev"><span aria-hidden="true">{icon}</span> {severity.value}</span>'


def _source(shown: Excerpt) -> str:
    """The source line and its caret line, as the terminal shows them (the caret line is
    hidden from screen readers: the location already says the column)."""
    number = str(shown.line)
    gutter = " " * len(number)
    return (
        '<pre class="sb-src">'
        f'<span class="sb-gutter">{number} | </span>{escape(shown.text)}\n'
        f'<span aria-hidden="true"><span class="sb-gutter">{gutter} | </span>'
        f'<span class="sb-caret">{escape(shown.caret)}</span></span></pre>'
    )


def _item(problem: Problem) -> str:
    d = problem.diagnostic
    location = f"{d.path}:{d.line}:{d.column}"
    hint = f'<div class="sb-hint">hint: {escape(d.hint)}</div>' if d.hint else ""
    source = _source(problem.excerpt) if problem.excerpt else ""
    return (
        f'<li class="sb-{escape(d.severity.value)}">'
        f"{severity_label(d.severity)} "
        f'<span class="sb-loc">{escape(location)}</span> '
        f'<span class="sb-code">{escape(d.code)}</span> '
        f'<span class="sb-msg">{escape(d.message)}</span>{source}{hint}</li>'
    )


def _section(title: str, items: Sequence[Problem], empty: str = "") -> str:
    listed = "".join(_item(p) for p in items)
    if not listed:
        listed = f'<li class="sb-none">{escape(empty)}</li>' if empty else ""
    return f"<section><h2>{escape(title)}</h2><ol>{listed}</ol></section>"


def _listing(mine: Sequence[Problem], others: Sequence[Problem], current: str | None) -> str:
    room = MAX_LISTED
    parts = []
    if current is not None:
        parts.append(_section("This page", mine[:room], "No problems in this page's source."))
        room = max(0, room - len(mine))
        if others:
            parts.append(_section(f"Elsewhere in the site ({len(others)})", others[:room]))
    elif others:
        parts.append(_section(f"In the site ({len(others)})", others[:room]))
    hidden = max(0, len(mine) - MAX_LISTED) + max(0, len(others) - room)
    if hidden:
        parts.append(f"<p>… and {hidden} more (run <code>build-site check</code> for all)</p>")
    return "".join(parts)


@functools.lru_cache(maxsize=256)
def render(problems: Problems, current: str | None = None) -> str | None:
    """The escaped overlay for a page whose source file is `current` (None: a page with no
    source, such as a tag page); None when there is nothing to show."""
    items = problems.items
    if problems.ok and not items:
        return None
    mine = [p for p in items if current is not None and p.diagnostic.path == current]
    others = [p for p in items if current is None or p.diagnostic.path != current]
    listing = _listing(mine, others, current)
    style = f"<style>{overlay_style()}</style>"
    if not problems.ok:
        what = _count_of(items) or "a problem"
        title = f"Build failed: {what}. Showing the last good build."
        return (
            f'<div id="{OVERLAY_ID}" data-state="failed" role="alert">{style}'
            f'<div class="sb-panel"><p class="sb-title"><span>{escape(title)}</span>'
            '<button type="button" data-sb-dismiss>Hide</button></p>'
            f"{listing}</div></div>"
        )
    summary = _count_of(items)
    if current is not None:
        here = _count_of(mine) or "none"
        summary = f"{summary} (this page: {here})"
    return (
        f'<div id="{OVERLAY_ID}" data-state="warnings" role="status">{style}'
        f"<details><summary>{escape(summary)}</summary>"
        f'<div class="sb-panel">{listing}</div></details></div>'
    )


def overlay_html(
    diagnostics: Sequence[Diagnostic],
    ok: bool,
    *,
    current: str | None = None,
    root: Path | None = None,
) -> str | None:
    """`render(collect(...), current)`: the overlay of a build at once."""
    return render(collect(diagnostics, ok, root), current)


def page_overlay(state: SiteState, rel: str | None) -> str | None:
    """The overlay of the served file `rel` (below the build): its source's problems first."""
    if state.problems is None:
        return state.overlay
    current = state.sources.get(rel) if rel is not None else None
    return render(state.problems, current)


def overlay_json(state: SiteState, page: str | None) -> bytes:
    """`{"generation": n, "overlay": html or null}` for the page at URL path `page`."""
    rel = None
    if page is not None and page.startswith(state.base_path):
        rel = page[len(state.base_path) :]
    data = {"generation": state.generation, "overlay": page_overlay(state, rel)}
    return json.dumps(data, separators=(",", ":")).encode()


@functools.cache
def client_script() -> str:
    """The reload client (`client.js`, package data)."""
    return resources.files(__package__).joinpath("client.js").read_text(encoding="utf-8")


def client_tag(state: SiteState, page: str | None, status: int) -> str:
    """The inline reload script with this page's generation, file and status."""
    config = {
        "session": state.session,
        "generation": state.generation,
        "token": state.token,
        "endpoint": ENDPOINT,
        "page": page,
        "status": status,
        "home": state.base_path,
    }
    data = escape(json.dumps(config, separators=(",", ":")), quote=True)
    return f'<script id="{SCRIPT_ID}" data-config="{data}">{client_script()}</script>'


def draft_ribbon() -> str:
    return f'<div id="{DRAFT_ID}" role="status">DRAFT</div><style>{_DRAFT_STYLE}</style>'


def decorate(
    html: bytes, state: SiteState, page: str | None, status: int, rel: str | None
) -> bytes:
    """`html` with the overlay, the DRAFT ribbon (for drafts whose theme shows none) and the
    reload script inserted before the last `</body>` (or at the end)."""
    extra = page_overlay(state, rel) or ""
    if rel is not None and rel in state.drafts and b"draft-banner" not in html:
        extra += draft_ribbon()
    extra += client_tag(state, page, status)
    data = extra.encode("utf-8")
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + data
    return html[:at] + data + html[at:]


def plain_page(title: str, body: str) -> bytes:
    """A minimal page for when the site has no page to show (no build yet, no 404 page).

    `title` and `body` must already be escaped HTML.
    """
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:4rem auto;'
        f'padding:0 1rem"><h1>{title}</h1>{body}</body></html>'
    ).encode()
