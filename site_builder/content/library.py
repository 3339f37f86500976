"""Assemble the site: which documents are published, their URLs, tags, series, ordering.

Pure: takes parsed documents, returns the `Site` and the diagnostics of this stage (URL rules
URL001-URL003, tag rules TAG001-TAG003, series rules SER001-SER006 from `series`). Drafts and
future posts are left out here unless the build asks for them. Related posts come from
`related`.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from ..config.schema import SiteConfig
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..markup.body import Body
from .bundles import BundleFile, publish_bundle_files
from .front_matter.located import Located
from .front_matter.record import FrontMatter
from .model import Post, Selection, Site, Skipped, Tag, TagRef
from .related import RelatedPosts
from .series import Member, Unpublished, assemble_series
from .slugs import POST_SLUG_RE, RESERVED_SLUGS, source_slug, tag_key, tag_slug
from .sources import StaticFile
from .urls import document_url


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed source file: where it came from, its front matter and its rendered body."""

    source: str
    kind: str
    stem: str
    front_matter: FrontMatter
    body: Body
    digest: str = ""


def assemble(
    config: SiteConfig,
    documents: Sequence[Document],
    static_files: Sequence[StaticFile],
    selection: Selection,
    build_time: dt.datetime,
    bundle_files: Sequence[BundleFile] = (),
) -> tuple[Site, list[Diagnostic], Skipped]:
    """The site made of the selected documents, with URL and tag diagnostics; the files of
    the published page bundles join the static files, beside their pages."""
    problems: list[Diagnostic] = []
    selected = _select(config, documents, selection, selection.now or build_time, problems)
    _check_collisions(selected.chosen, problems)
    urls = {d.source: document_url(d.kind, slug) for d, slug in selected.chosen}
    bundled = publish_bundle_files(urls, bundle_files, static_files, problems)
    posts_of = [d for d, _ in selected.chosen if d.kind == "post"]
    tag_names = _fold_tags(posts_of, problems)
    posts, pages, members = _records(selected.chosen, tag_names)
    series = assemble_series(members, selected.unpublished)
    problems.extend(series.diagnostics)
    site = Site(
        config,
        tuple(posts),
        tuple(pages),
        _tags(posts),
        (*static_files, *bundled),
        build_time,
        series=series.series,
        places=series.places,
        related=RelatedPosts(posts, series.series, config.related.limit),
    )
    return site, problems, Skipped(selected.drafts, selected.future)


@dataclass(slots=True)
class _Selected:
    """The documents a build publishes, with their slugs, and what it leaves out."""

    chosen: list[tuple[Document, str]] = field(default_factory=list)
    unpublished: list[Unpublished] = field(default_factory=list)  # left-out series parts
    drafts: int = 0
    future: int = 0


def _select(
    config: SiteConfig,
    documents: Sequence[Document],
    selection: Selection,
    now: dt.datetime,
    problems: list[Diagnostic],
) -> _Selected:
    """Which documents are published (drafts and future posts only on request), and slugs."""
    selected = _Selected()
    for document in documents:
        fm = document.front_matter
        if len(fm.tags) > config.limits.max_tags_per_post:
            problems.append(_too_many_tags(document, config.limits.max_tags_per_post))
            continue  # each tag page lists the post with all its tags: n tags cost n² work
        left_out = _left_out(fm, selection, now)
        if left_out is not None:
            if left_out == "a draft":
                selected.drafts += 1
            else:
                selected.future += 1
            if fm.series is not None and document.kind == "post":
                part = Unpublished(document.source, fm.series, fm.series_order, left_out)
                selected.unpublished.append(part)
            continue
        slug = _slug(document, problems)
        if slug is not None:
            selected.chosen.append((document, slug))
    return selected


def _left_out(fm: FrontMatter, selection: Selection, now: dt.datetime) -> str | None:
    """Why a document is not published by this build, or None."""
    if not fm.published and not selection.drafts:
        return "a draft"
    if fm.date is not None and fm.date > now and not selection.future:
        return "dated in the future"
    return None


def _records(
    chosen: list[tuple[Document, str]], tag_names: dict[str, str]
) -> tuple[list[Post], list[Post], list[Member]]:
    """The posts (newest first), the pages (by URL) and the series members (by source)."""
    posts: list[Post] = []
    pages: list[Post] = []
    members: list[Member] = []
    for document, slug in chosen:
        post = _post(document, slug, tag_names)
        (posts if document.kind == "post" else pages).append(post)
        if document.kind == "post":
            members.append(Member(post, document.front_matter))
    posts.sort(key=lambda p: (-p.date.timestamp() if p.date else 0.0, p.title.casefold(), p.source))
    pages.sort(key=lambda p: p.url)
    members.sort(key=lambda m: m.post.source)
    return posts, pages, members


def _slug(document: Document, problems: list[Diagnostic]) -> str | None:
    fm = document.front_matter
    if fm.slug is not None:
        slug = urllib.parse.unquote(fm.slug.value)
        line, column = fm.slug.line, fm.slug.column
    else:
        slug = source_slug(document.stem)
        line, column = 1, 1
    if slug in RESERVED_SLUGS:  # before the pattern: 'atom.xml' is reserved, not invalid
        problems.append(
            Diagnostic(
                document.source,
                line,
                column,
                Severity.ERROR,
                "URL003",
                f"slug '{slug}' collides with a reserved route",
                hint="choose another slug",
            )
        )
        return None
    if fm.slug is not None and not POST_SLUG_RE.fullmatch(slug):
        problems.append(
            Diagnostic(
                document.source,
                line,
                column,
                Severity.ERROR,
                "URL002",
                f"slug '{fm.slug.value}' must match ^[a-z0-9][a-z0-9-]*$",
                hint="use lower-case letters, digits and '-' only",
            )
        )
        return None
    if not slug:
        problems.append(
            Diagnostic(
                document.source,
                1,
                1,
                Severity.ERROR,
                "URL002",
                f"file name '{document.stem}' gives an empty slug",
                hint="rename the file, or set 'slug:' in the front matter",
            )
        )
        return None
    return slug


def _check_collisions(chosen: Sequence[tuple[Document, str]], problems: list[Diagnostic]) -> None:
    by_url: dict[str, list[tuple[Document, int]]] = defaultdict(list)
    for document, slug in chosen:
        line = document.front_matter.slug.line if document.front_matter.slug else 1
        by_url[document_url(document.kind, slug).casefold()].append((document, line))
    for url, owners in by_url.items():
        if len(owners) < 2:
            continue
        places = ", ".join(f"{d.source}:{line}" for d, line in owners)
        for document, line in owners:
            problems.append(
                Diagnostic(
                    document.source,
                    line,
                    1,
                    Severity.ERROR,
                    "URL001",
                    f"{url} produced by {places}",
                    hint="give one of them a different 'slug:'",
                )
            )


def _too_many_tags(document: Document, limit: int) -> Diagnostic:
    tags = document.front_matter.tags
    return Diagnostic(
        document.source,
        tags[limit].line,
        tags[limit].column,
        Severity.ERROR,
        "TAG004",
        f"{len(tags)} tags, over max_tags_per_post ({limit})",
        hint="keep the few tags readers browse by, or raise [limits] max_tags_per_post",
    )


def _fold_tags(documents: Sequence[Document], problems: list[Diagnostic]) -> dict[str, str]:
    """Display name per tag slug (the most frequent spelling); reports variants and empties."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    places: dict[str, list[tuple[str, Document, Located]]] = defaultdict(list)
    for document in documents:
        seen: set[str] = set()
        for tag in document.front_matter.tags:
            slug = tag_slug(tag.value)
            if not slug:
                problems.append(
                    Diagnostic(
                        document.source,
                        tag.line,
                        tag.column,
                        Severity.ERROR,
                        "TAG002",
                        f"tag '{tag.value}' slugifies to an empty path",
                        hint="use letters or digits in the tag",
                    )
                )
                continue
            if slug in seen:
                problems.append(
                    Diagnostic(
                        document.source,
                        tag.line,
                        tag.column,
                        Severity.WARNING,
                        "TAG003",
                        f"tag '{tag.value}' is listed twice in this post",
                        hint="remove the repeated tag",
                    )
                )
                continue
            seen.add(slug)
            key = tag_key(tag.value)
            spellings[slug][key] += 1
            places[slug].append((key, document, tag))
    names: dict[str, str] = {}
    for slug, counter in spellings.items():
        order = {name: index for index, (name, _, _) in enumerate(places[slug])}
        name = max(counter, key=lambda n: (counter[n], -order[n]))
        names[slug] = name
        if len(counter) > 1:
            listing = ", ".join(
                f"'{spelled}' ({doc.source}:{tag.line})" for spelled, doc, tag in places[slug]
            )
            for spelled, document, tag in places[slug]:
                if spelled != name:
                    problems.append(
                        Diagnostic(
                            document.source,
                            tag.line,
                            tag.column,
                            Severity.WARNING,
                            "TAG001",
                            f"tag '{spelled}' is folded into '{name}' (/tags/{slug}/); "
                            f"spellings: {listing}",
                            hint=f"write it as '{name}'",
                        )
                    )
    return names


def _post(document: Document, slug: str, tag_names: dict[str, str]) -> Post:
    fm = document.front_matter
    refs: list[TagRef] = []
    seen: set[str] = set()
    for tag in fm.tags:
        tslug = tag_slug(tag.value)
        if tslug and tslug not in seen and tslug in tag_names:
            seen.add(tslug)
            refs.append(TagRef(tag_names[tslug], tslug))
    as_written: dict[str, Any] = {name: getattr(fm, name) for name in _AS_WRITTEN}
    return Post(
        source=document.source,
        kind=document.kind,
        slug=slug,
        url=document_url(document.kind, slug),
        body=document.body,
        digest=document.digest,
        tags=tuple(refs),
        draft=not fm.published,
        extra=dict(fm.extra),
        **as_written,
    )


# The front matter values a post takes as written: every field the two records share by name
# (a new key reaches the model, and the page signatures, without being copied by hand here).
_AS_WRITTEN = tuple(
    sorted(
        {f.name for f in fields(FrontMatter)}
        & {f.name for f in fields(Post)} - {"tags", "slug", "extra"}
    )
)


def _tags(posts: Sequence[Post]) -> tuple[Tag, ...]:
    grouped: dict[str, list[Post]] = defaultdict(list)
    names: dict[str, str] = {}
    for post in posts:
        for ref in post.tags:
            grouped[ref.slug].append(post)
            names[ref.slug] = ref.name
    tags = [Tag(names[slug], slug, tuple(grouped[slug])) for slug in grouped]
    tags.sort(key=lambda t: (t.name.casefold(), t.slug))
    return tuple(tags)
