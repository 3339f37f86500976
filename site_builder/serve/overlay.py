"""What the preview adds to served HTML: the problem overlay, the DRAFT ribbon, the reload script.

Nothing here is ever written to `output/`; `decorate()` runs on each HTML response. Every piece
of text that comes from a build (paths, messages, hints) goes through `html.escape`. A failed
build shows a panel listing each problem as `path:line:col CODE message` over the last good
page; a passing build with warnings shows a small collapsed badge that opens the same list.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from html import escape
from importlib import resources

from ..diagnostics.diagnostic import Diagnostic, Severity
from .reload import SiteState

OVERLAY_ID = "__sb-overlay"
DRAFT_ID = "__sb-draft"
SCRIPT_ID = "__sb-reload"
ENDPOINT = "/__reload"
MAX_LISTED = 200

_STYLE = """
#__sb-overlay{all:initial;position:fixed;z-index:2147483647;font:14px/1.5 system-ui,sans-serif}
#__sb-overlay *{box-sizing:border-box}
#__sb-overlay[data-state=failed]{inset:0 0 auto 0;max-height:70vh;overflow:auto;
background:#fff5f5;color:#1f2328;border-bottom:4px solid #cf222e;box-shadow:0 4px 24px #0004}
#__sb-overlay[data-state=warnings]{right:12px;bottom:12px;max-width:min(48rem,calc(100vw - 24px));
max-height:60vh;overflow:auto;background:#fffbeb;color:#1f2328;border:1px solid #9a6700;
border-radius:6px;box-shadow:0 2px 12px #0003}
#__sb-overlay .sb-panel{padding:12px 16px}
#__sb-overlay .sb-title{font-weight:700;margin:0 0 8px;display:flex;gap:12px;align-items:baseline}
#__sb-overlay summary{cursor:pointer;padding:6px 12px;font-weight:600}
#__sb-overlay ol{margin:0;padding:0 0 0 1.5em}
#__sb-overlay li{margin:4px 0}
#__sb-overlay .sb-loc{font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap;
word-break:break-all}
#__sb-overlay .sb-code{font:700 13px/1.4 ui-monospace,monospace}
#__sb-overlay .sb-error .sb-code{color:#cf222e}
#__sb-overlay .sb-warning .sb-code{color:#9a6700}
#__sb-overlay .sb-msg{white-space:pre-wrap}
#__sb-overlay .sb-hint{color:#59636e;margin-left:1em}
#__sb-overlay button{font:inherit;margin-left:auto;cursor:pointer}
""".replace("\n", "")
_DRAFT_STYLE = """
#__sb-draft{all:initial;position:fixed;z-index:2147483646;top:0;left:0;padding:4px 12px;
background:#9a6700;color:#fff;font:700 12px/1.5 system-ui,sans-serif;letter-spacing:.1em;
border-bottom-right-radius:6px;pointer-events:none}
""".replace("\n", "")


def _counts(errors: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _item(diagnostic: Diagnostic) -> str:
    location = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
    hint = f'<div class="sb-hint">hint: {escape(diagnostic.hint)}</div>' if diagnostic.hint else ""
    return (
        f'<li class="sb-{escape(diagnostic.severity.value)}">'
        f'<span class="sb-loc">{escape(location)}</span> '
        f'<span class="sb-code">{escape(diagnostic.code)}</span> '
        f'<span class="sb-msg">{escape(diagnostic.message)}</span>{hint}</li>'
    )


def overlay_html(diagnostics: Sequence[Diagnostic], ok: bool) -> str | None:
    """The escaped overlay for a build's problems; None when there is nothing to show."""
    shown = [d for d in diagnostics if d.severity is not Severity.INFO]
    shown.sort(key=lambda d: (-d.severity.rank, d.sort_key))
    errors = sum(1 for d in shown if d.severity is Severity.ERROR)
    warnings = len(shown) - errors
    if ok and not shown:
        return None
    items = "".join(_item(d) for d in shown[:MAX_LISTED])
    if len(shown) > MAX_LISTED:
        more = len(shown) - MAX_LISTED
        items += f"<li>… and {more} more (run <code>build-site check</code> for all)</li>"
    listing = f"<ol>{items}</ol>" if items else ""
    if not ok:
        what = _counts(errors, warnings) or "a problem"
        title = f"Build failed: {what}. Showing the last good build."
        return (
            f'<div id="{OVERLAY_ID}" data-state="failed" role="alert"><style>{_STYLE}</style>'
            f'<div class="sb-panel"><p class="sb-title"><span>{escape(title)}</span>'
            '<button type="button" data-sb-dismiss>Hide</button></p>'
            f"{listing}</div></div>"
        )
    return (
        f'<div id="{OVERLAY_ID}" data-state="warnings" role="status"><style>{_STYLE}</style>'
        f"<details><summary>{escape(_counts(errors, warnings))}</summary>"
        f'<div class="sb-panel">{listing}</div></details></div>'
    )


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
    extra = ""
    if state.overlay:
        extra += state.overlay
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
