"""Front matter quality: what search results, feeds and listings will show of each post.

FMQ001 a post without a description; FMQ002 a description longer than `description_max`
characters; FMQ003 one shorter than `description_min`; FMQ004 a title longer than `title_max`;
FMQ005 a post that says `published: true` but has error-level problems; FMQ006 (info) a
description copied word for word from the post's own text; FMQ007 two posts with one title.
Unknown keys are reported by the front matter parser (FM009, with a "did you mean").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..diagnostics.diagnostic import Diagnostic, Severity
from .context import Checked, Context, DocumentContext
from .positions import Span, key_value_span


def check_front_matter(ctx: DocumentContext) -> None:
    """Title length and the description's length and originality (per document)."""
    for item in ctx.items:
        _title(ctx, item)
        _description(ctx, item)


def check_duplicate_titles(ctx: Context) -> None:
    """FMQ007: posts that share a title."""
    titles: dict[str, list[Checked]] = defaultdict(list)
    for item in ctx.items:
        titles[" ".join(item.document.front_matter.title.split()).casefold()].append(item)
    for items in titles.values():
        if len(items) < 2:
            continue
        for item in items:
            rest = [other.source for other in items[:4] if other is not item][:3]
            more = len(items) - 1 - len(rest)
            others = ", ".join(rest) + (f" and {more} more" if more else "")
            ctx.emit(
                "FMQ007",
                item.source,
                _value(item, "title"),
                f"title '{item.document.front_matter.title}' is also the title of {others}",
                "give each post its own title; listings and search results cannot tell them apart",
            )


def _value(item: Checked, key: str) -> Span:
    return key_value_span(item.lines, item.document.front_matter, key)


def _title(ctx: DocumentContext, item: Checked) -> None:
    title = item.document.front_matter.title
    limit = ctx.checks.title_max
    if len(title) > limit:
        ctx.emit(
            "FMQ004",
            item.source,
            _value(item, "title"),
            f"title is {len(title)} characters; search results and tabs show about {limit}",
            f"shorten it to {limit} characters or fewer; keep the words readers search for first",
        )


def _description(ctx: DocumentContext, item: Checked) -> None:
    fm = item.document.front_matter
    description = " ".join((fm.description or "").split())
    checks = ctx.checks
    if not description:
        if item.document.kind != "post":
            return
        present = "description" in fm.key_positions
        # a missing key is reported where it would be added: the closing `---`
        span = _value(item, "description") if present else _closing_fence(item)
        ctx.emit(
            "FMQ001",
            item.source,
            span,
            f"description {'is empty' if present else 'is missing'}; listings, feeds and search "
            "results fall back to the first paragraph",
            f"add 'description: ...'{'' if present else ' above this line'}, one sentence of "
            f"{checks.description_min}-{checks.description_max} characters saying what the "
            "reader will learn",
        )
        return
    span = _value(item, "description")
    if len(description) > checks.description_max:
        ctx.emit(
            "FMQ002",
            item.source,
            span,
            f"description is {len(description)} characters; search results cut it after about "
            f"{checks.description_max}",
            f"shorten it to one sentence of at most {checks.description_max} characters",
        )
    elif len(description) < checks.description_min:
        ctx.emit(
            "FMQ003",
            item.source,
            span,
            f"description is only {len(description)} characters; too short to tell a reader "
            "what the post is about",
            f"write one sentence of {checks.description_min}-{checks.description_max} characters",
        )
    copied = _copied_from(description, item)
    if copied is not None:
        ctx.emit(
            "FMQ006",
            item.source,
            span,
            f"description repeats the text at line {copied} word for word",
            "summarise the post instead: listings and search results show the description, "
            "and readers then meet the same words again",
        )


def _closing_fence(item: Checked) -> Span:
    """The line that closes the front matter (where a missing key would go)."""
    opening = item.document.front_matter.opening_line
    for number in range(opening + 1, len(item.lines) + 1):
        if item.lines[number - 1].rstrip() in ("---", "..."):
            return Span(number, 1, 3)
    return Span(opening, 1, 3)


def _copied_from(description: str, item: Checked) -> int | None:
    """The line of the paragraph that contains the whole description, if it is long enough."""
    if len(description) < 40:
        return None
    # Its first word (no spaces) lies inside one word of the paragraph, so a paragraph whose
    # raw text lacks it is skipped without normalising its spaces.
    first = description.split(None, 1)[0] if description.strip() else ""
    for block in item.outline.blocks:
        if (
            block.kind == "paragraph"
            and first in block.text
            and description in " ".join(block.text.split())
        ):
            return block.line
    return None


def check_published_with_errors(
    ctx: Context, diagnostics: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """FMQ005 for each published post with error-level problems in `diagnostics`."""
    errors: dict[str, list[int]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.severity is Severity.ERROR:
            errors[diagnostic.path].append(diagnostic.line)
    before = len(ctx.found)
    for item in ctx.items:
        if item.document.kind != "post" or item.source not in errors:
            continue
        fm = item.document.front_matter
        if not (fm.published and "published" in fm.key_positions):
            continue
        lines = sorted(set(errors[item.source]))
        count = len(errors[item.source])
        shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
        ctx.emit(
            "FMQ005",
            item.source,
            _value(item, "published"),
            f"this post says 'published: true' but has {count} error{'s' if count != 1 else ''} "
            f"(line{'s' if len(lines) != 1 else ''} {shown}): the site will not be published "
            "until they are fixed",
            "fix the errors, or set 'published: false' to publish the rest of the site without it",
        )
    return ctx.found[before:]
