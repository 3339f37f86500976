"""Tag lint beyond exact folding (TAG001-TAG003 are reported while assembling the site).

TAG101 near-duplicates that fold to different slugs, so they make separate tag pages
(`Node.js` → node-js, `NodeJS` → nodejs, `node`); TAG102 (info) a tag only one post uses, once
the site has `single_use_tags_from` posts; TAG103 a tag outside `allowed_tags` when that list is
set; TAG104 more tags than `max_tags` (dev.to takes 4).
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..content.front_matter.located import Located
from ..content.slugs import near_duplicate_key, tag_slug
from .context import Checked, Context
from .nearest import nearest_of
from .positions import Span

_SUFFIX_JS = re.compile(r"(?<=\w{3})js$")


def loose_key(name: str) -> str:
    """A fold that also joins 'NodeJS' with 'node' and 'container' with 'containers'."""
    key = _SUFFIX_JS.sub("", near_duplicate_key(name))
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def _span(item: Checked, tag: Located) -> Span:
    line = item.lines[tag.line - 1] if 0 < tag.line <= len(item.lines) else ""
    column = tag.column + (1 if line[tag.column - 1 : tag.column] in ("'", '"') else 0)
    return Span(tag.line, column, column + len(tag.value) - 1)


def check_tags(ctx: Context) -> None:
    posts = [item for item in ctx.items if item.document.kind == "post"]
    uses: dict[str, list[tuple[Checked, Located]]] = defaultdict(list)
    for item in posts:
        seen: set[str] = set()
        for tag in item.document.front_matter.tags:
            slug = tag_slug(tag.value)
            if slug and slug not in seen:
                seen.add(slug)
                uses[slug].append((item, tag))
        _too_many(ctx, item)
    names = {tag.slug: tag.name for tag in ctx.site.tags}
    near = _near_duplicates(ctx, uses, names)
    if len(posts) >= ctx.checks.single_use_tags_from:
        for slug, places in uses.items():
            if len(places) == 1 and slug not in near:
                item, tag = places[0]
                ctx.emit(
                    "TAG102",
                    item.source,
                    _span(item, tag),
                    f"tag '{tag.value}' is used by this post only",
                    "use a tag other posts share, or keep it if more posts on this will follow",
                )
    _allowed(ctx, uses)


def _near_duplicates(
    ctx: Context, uses: dict[str, list[tuple[Checked, Located]]], names: dict[str, str]
) -> set[str]:
    groups: dict[str, list[str]] = defaultdict(list)
    for slug in uses:
        groups[loose_key(slug)].append(slug)
    involved: set[str] = set()
    for slugs in groups.values():
        if len(slugs) < 2:
            continue
        involved.update(slugs)
        main = max(slugs, key=lambda s: (len(uses[s]), -slugs.index(s)))
        main_name = names.get(main, uses[main][0][1].value)
        count = len(uses[main])
        for slug in slugs:
            if slug == main:
                continue
            for item, tag in uses[slug]:
                ctx.emit(
                    "TAG101",
                    item.source,
                    _span(item, tag),
                    f"tag '{tag.value}' (/tags/{slug}/) looks like '{main_name}' "
                    f"(/tags/{main}/, {count} post{'s' if count != 1 else ''}); they make separate "
                    "tag pages",
                    f"write '{main_name}'",
                )
    return involved


def _allowed(ctx: Context, uses: dict[str, list[tuple[Checked, Located]]]) -> None:
    allowed = list(ctx.checks.allowed_tags)
    if not allowed:
        return
    slugs = {tag_slug(name): name for name in allowed}
    for slug, places in uses.items():
        if slug in slugs:
            continue
        close = nearest_of(frozenset(slugs)).closest(slug, cutoff=0.6)
        for item, tag in places:
            hint = (
                f"did you mean '{slugs[close]}'?"
                if close is not None
                else "use one of allowed_tags in site.toml, or add this tag there"
            )
            ctx.emit(
                "TAG103",
                item.source,
                _span(item, tag),
                f"tag '{tag.value}' is not in allowed_tags",
                hint,
            )


def _too_many(ctx: Context, item: Checked) -> None:
    limit = ctx.checks.max_tags
    tags = item.document.front_matter.tags
    if limit <= 0 or len(tags) <= limit:
        return
    first_extra = tags[limit]
    ctx.emit(
        "TAG104",
        item.source,
        _span(item, first_extra),
        f"{len(tags)} tags; max_tags allows {limit}, so '{first_extra.value}' and the tags "
        "after it are too many",
        f"keep the {limit} tags that describe the post best",
    )
