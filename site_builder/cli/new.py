"""`build-site new`: scaffold a draft post with valid front matter (via python-frontmatter)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import frontmatter
import yaml
from slugify import slugify

from ..config.load import load_config
from ..config.schema import SiteConfig
from ..content.slugs import MAX_SEGMENT_BYTES, file_slug, segment_overflow, shortened, tag_slug
from ..diagnostics.diagnostic import Severity
from ..diagnostics.printable import printable
from ..diagnostics.report import write_text


def new_post(
    config: SiteConfig,
    title: str,
    tags: list[str],
    now: dt.datetime | None = None,
    series: str = "",
) -> Path:
    """Create `content/posts/<slug>.md` as a draft; raises FileExistsError if it exists.

    The slug is cut (at a '-') to what a URL segment may hold, so a long title still makes a
    file name the file system takes and a post URL the build can write."""
    if not all(map(_encodable, [title, *tags])):
        raise ValueError("the title and tags must be valid UTF-8 text")
    for tag in tags:
        size = segment_overflow(tag_slug(tag))
        if size is not None:
            raise ValueError(
                f"the tag {tag[:40]!r}... makes a URL segment of {size:,} bytes,"
                f" over {MAX_SEGMENT_BYTES}; shorten it"
            )
    # the title transliterated (python-slugify: "Привет мир" → privet-mir, "Straße" → strasse),
    # then the file-name rule the build applies to every post, so the URL is the file's name
    slug = shortened(file_slug(slugify(title)))
    if not slug:
        raise ValueError(f"the title {title!r} gives an empty file name; use letters or digits")
    moment = (now or dt.datetime.now(config.tz)).astimezone(config.tz)
    keys: dict[str, object] = {
        "title": title,
        "date": moment.strftime("%Y-%m-%d %H:%M"),
        "tags": tags,
        "description": "",
    }
    if series:
        keys["series"] = series
        keys["series_order"] = next_part(config.content_path / "posts", series)
    keys["published"] = False
    post = frontmatter.Post(
        "Write the introduction here.\n\n<!-- more -->\n\n## First section\n\nText.\n"
    )
    post.metadata.update(keys)
    target = config.content_path / "posts" / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = frontmatter.dumps(post, sort_keys=False) + "\n"
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return target


def next_part(posts: Path, series: str) -> int:
    """One more than the highest part (`series_order` or `part`) of `series` among the posts
    (names fold as the build folds them: "Smaller Images" is "smaller images"); 1 if none."""
    wanted = tag_slug(series)
    highest = 0
    for path in sorted(posts.glob("**/*.md")) if posts.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        parts = text.split("\n---", 1) if text.startswith("---") else []
        try:
            data = yaml.safe_load(parts[0][3:]) if len(parts) == 2 else None
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("series"), str):
            continue
        if tag_slug(data["series"]) != wanted:
            continue
        number = data.get("series_order", data.get("part"))
        if isinstance(number, int) and not isinstance(number, bool):
            highest = max(highest, number)
        else:
            highest += 1  # a part without a number still takes a place
    return highest + 1


def new_command(args: argparse.Namespace) -> int:
    """`build-site new TITLE`: the new draft's path, or why it could not be made."""
    config, problems = load_config(args.root)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        write_text(errors, sys.stderr)
        return 1
    tags = [t.strip() for t in args.tags.split(",") if t.strip()]
    try:
        path = new_post(config, args.title, tags, series=args.series.strip())
    except FileExistsError as error:
        print(
            f"build-site new: {printable(str(error.filename))} already exists;"
            " choose another title",
            file=sys.stderr,
        )
        return 1
    except ValueError as error:
        print(f"build-site new: {printable(str(error))}", file=sys.stderr)
        return 2
    except OSError as error:
        where = error.filename or config.content_path / "posts"
        print(
            f"build-site new: cannot write {printable(str(where))}: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    print(
        f"created {printable(str(path.relative_to(config.root)))}"
        " (a draft: set 'published: true' to publish it)"
    )
    return 0


def _encodable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (an argument that was not UTF-8 holds
    surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
