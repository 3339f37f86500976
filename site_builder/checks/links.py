"""Link checks: every link and image of a published post resolves, and says what it means.

LNK001 internal target missing (error), LNK002 #fragment missing (error), LNK003 empty target,
LNK004 bare domain without a scheme, LNK005 http:// to a public host (info), LNK006 link to a
.md source file (error), LNK007 image without alt text, LNK010 link without text. The text-level
link checks (LNK008, LNK009, LNK011) are in `link_text`.

What needs no routes (`check_link_forms`) runs with the document and is cached with it; the
site checks (`check_links`) resolve only the links whose target depends on the site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence

from ..content.urls import tag_url
from ..markup.outline import SCHEME_RE, Link
from .context import Checked, Context, DocumentContext
from .hosts import is_host_with_port, is_public_name, looks_like_domain
from .nearest import nearest_of
from .positions import destination_span, key_value_span, link_span
from .routes import Routes, Target

_HTML_ID_RE = re.compile(r"""<[^>]*?\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def check_link_forms(ctx: DocumentContext) -> None:
    """The link checks that need no routes (run with the document): LNK003, LNK004 for a
    host with a port, LNK005, LNK007 and LNK010."""
    for item in ctx.items:
        for link in item.outline.links:
            _check_form(ctx, item, link)


def check_links(ctx: Context) -> None:
    """The link checks that resolve targets against the site: LNK001, LNK002, LNK004 for a
    bare domain, LNK006, and the cover image. A body's `facts.links` are its `Link.routed`
    links only (see `markdown.RenderedBody.facts`)."""
    lines_by_source = {item.source: item.lines for item in ctx.items}
    html_ids: dict[str, frozenset[str]] = {}
    for item in ctx.items:
        for link in item.document.body.facts.links:
            _check_target(ctx, item, link, lines_by_source, html_ids)
        _check_cover(ctx, item)


def _check_form(ctx: DocumentContext, item: Checked, link: Link) -> None:
    href = link.href.strip()
    what = "image" if link.is_image else "link"
    if link.is_image and not link.text.strip():
        name = posixpath.basename(href.rstrip("/")) or href
        ctx.emit(
            "LNK007",
            item.source,
            link_span(item.lines, link),
            f"image '{name}' has no alt text",
            f"describe what it shows: ![what the image shows]({href})",
        )
    if href in ("", "#"):
        _empty(ctx, item, link, what)
        return
    if not link.is_image and not link.text.strip():
        ctx.emit(
            "LNK010",
            item.source,
            link_span(item.lines, link),
            f"link to '{href}' has no text, so readers and screen readers see nothing to click",
            f"write what the link leads to between the brackets: [text]({href})",
        )
    scheme = SCHEME_RE.match(href)
    if href.startswith("//") or not scheme:
        return
    if is_host_with_port(href) and scheme.group(0).lower() not in ("http:", "https:"):
        effect = f"browsers take '{href.split(':')[0]}:' for one and the link goes nowhere"
        _bare_domain(ctx, item, href, link, "http://", effect)
    elif scheme.group(0).lower() == "http:":
        _plain_http(ctx, item, href, link)


def _check_target(
    ctx: Context,
    item: Checked,
    link: Link,
    lines_by_source: Mapping[str, Sequence[str]],
    html_ids: dict[str, frozenset[str]],
) -> None:
    href = link.href.strip()
    target = ctx.routes.resolve(href, item.post)
    if target.kind == "missing" and looks_like_domain(href):
        effect = f"it resolves to {target.path} on this site instead of another site"
        _bare_domain(ctx, item, href, link, "https://", effect)
        return
    what = "image" if link.is_image else "link"
    _internal(ctx, item, href, link, target, what, lines_by_source, html_ids)


def _empty(ctx: DocumentContext, item: Checked, link: Link, what: str) -> None:
    text = link.text.strip()
    if "cover" in text.casefold() and "image" in text.casefold():
        hint = "put the image URL between the parentheses, or set 'cover_image:' in front matter"
    else:
        hint = "put the URL between the parentheses, or remove the brackets"
    label = f"'{text}'" if text else "without text"
    ctx.emit(
        "LNK003",
        item.source,
        link_span(item.lines, link),
        f"{what} {label} has no target" + (" ('#' only)" if link.href.strip() == "#" else ""),
        hint,
    )


def _bare_domain(
    ctx: DocumentContext, item: Checked, href: str, link: Link, scheme: str, effect: str
) -> None:
    """LNK004: `href` lacks `scheme`, with what that does instead (`effect`)."""
    ctx.emit(
        "LNK004",
        item.source,
        destination_span(item.lines, link),
        f"'{href}' has no scheme, so {effect}",
        f"write {scheme}{href}",
    )


def _plain_http(ctx: DocumentContext, item: Checked, href: str, link: Link) -> None:
    host = re.sub(r"^http://([^/?#]*).*$", r"\1", href, flags=re.IGNORECASE)
    hostname = host.rsplit("@", 1)[-1].rsplit(":", 1)[0] if "]" not in host else host
    if not is_public_name(hostname):
        return
    ctx.emit(
        "LNK005",
        item.source,
        destination_span(item.lines, link),
        f"'{href}' uses http://; {hostname} most likely serves https://",
        f"write https://{href[len('http://') :]} if the site supports it",
    )


def _internal(
    ctx: Context,
    item: Checked,
    href: str,
    link: Link,
    target: Target,
    what: str,
    lines_by_source: Mapping[str, Sequence[str]],
    html_ids: dict[str, frozenset[str]],
) -> None:
    routes = ctx.routes
    if target.kind == "source":
        document, post = target.document, target.post
        assert document is not None
        if post is not None:
            message = f"{what} points at the source file '{href}', which the site does not serve"
            hint = f"link the post's URL instead: {routes.site_url(post.url)}"
        else:
            message = f"{what} points at the source file '{href}', which is not published"
            hint = "publish that post (published: true) and link its URL, or remove the link"
        ctx.emit("LNK006", item.source, destination_span(item.lines, link), message, hint)
        return
    if target.kind in ("missing", "outside", "unpublished"):
        message, hint = _missing(ctx, item, href, target, what)
        ctx.emit("LNK001", item.source, destination_span(item.lines, link), message, hint)
        return
    if target.kind != "page" or target.fragment is None or target.post is None:
        return
    fragment = target.fragment
    anchors = routes.anchors(target.post)
    if fragment in anchors or fragment in ("", "top") or routes.is_footnote_id(fragment):
        return
    if ctx.config.markdown.html_mode == "trusted":  # only trusted HTML keeps its ids
        source = target.post.source
        if source not in html_ids:
            text = "\n".join(lines_by_source.get(source, ()))
            html_ids[source] = frozenset(_HTML_ID_RE.findall(text))
        if fragment in html_ids[source]:
            return
    where = "this page" if target.post is item.post else routes.site_url(target.post.url)
    close = nearest_of(anchors).closest(fragment, cutoff=0.6) if anchors else None
    if close is None:
        close = next((a for a in sorted(anchors) if a.casefold() == fragment.casefold()), None)
    if close is not None:
        hint = f"did you mean #{close}?"
    elif anchors:
        listed = ", ".join("#" + a for a in sorted(anchors)[:5])
        hint = f"headings on {where}: {listed}{', ...' if len(anchors) > 5 else ''}"
    else:
        hint = f"{where} has no headings to link to; link the page without '#{fragment}'"
    ctx.emit(
        "LNK002",
        item.source,
        destination_span(item.lines, link),
        f"'#{fragment}' matches no heading id on {where}",
        hint,
    )


def _missing(ctx: Context, item: Checked, href: str, target: Target, what: str) -> tuple[str, str]:
    routes = ctx.routes
    if target.kind == "outside":
        base = routes.base
        message = f"{what} '{href}' is outside the site, which is served under {base}"
        if target.post is not None:
            return message, f"write {routes.site_url(target.post.url)}"
        return message, f"start links to pages of this site with {base}"
    if target.kind == "unpublished" and target.document is not None:
        document = target.document
        fm = document.front_matter
        if fm.published and fm.date is not None:
            state = f"dated {fm.date.date().isoformat()}, in the future"
        else:
            state = "a draft (published: false)"
        return (
            f"{what} '{href}' goes to {document.source}, which is {state}",
            "publish that post first, or remove the link until it is out",
        )
    return f"{what} '{href}' goes to {target.path}, which does not exist", _suggest(routes, target)


def _suggest(routes: Routes, target: Target) -> str:
    path = target.path
    if path.startswith("/tags/"):
        slug = path.split("/")[2] if path.count("/") >= 2 else ""
        tag = routes.nearest_tag(slug)
        if tag is not None:
            suggestion = routes.site_url(tag_url(tag))
            return f"no post is tagged '{slug}'; did you mean {suggestion}?"
        listing = routes.site_url("/tags/")
        return f"no post is tagged '{slug}'; the tags in use are listed at {listing}"
    name = posixpath.basename(path.rstrip("/"))
    page = routes.page_with_slug(name)
    if page is not None:
        return f"did you mean {routes.site_url(page)}? (relative links start at the page's URL)"
    file = routes.file_named(name)
    if file is not None:
        return f"did you mean {routes.site_url(file)}?"
    close = routes.nearest_page(path)
    if close is not None:
        return f"did you mean {routes.site_url(close)}?"
    return "check the spelling; posts are at /posts/<slug>/, files of content/static/ at /<path>"


def _check_cover(ctx: Context, item: Checked) -> None:
    fm = item.document.front_matter
    cover = fm.cover_image
    if not cover or SCHEME_RE.match(cover) or cover.startswith("//"):
        return
    target = ctx.routes.resolve(cover, item.post)
    if target.kind in ("file", "page", "route"):
        return
    message, hint = _missing(ctx, item, cover, target, "cover_image")
    span = key_value_span(item.lines, fm, "cover_image")
    ctx.emit("LNK001", item.source, span, message, hint)
