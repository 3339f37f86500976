"""`build-site new`: scaffold a post with valid front matter (written with python-frontmatter)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter

from ..config.schema import SiteConfig
from ..content.slugs import file_slug


def new_post(
    config: SiteConfig, title: str, tags: list[str], now: dt.datetime | None = None
) -> Path:
    """Create `content/posts/<slug>.md` as a draft; raises FileExistsError if it exists."""
    slug = file_slug(title)
    if not slug:
        raise ValueError(f"the title {title!r} gives an empty file name; use letters or digits")
    moment = (now or dt.datetime.now(config.tz)).astimezone(config.tz)
    post = frontmatter.Post(
        "Write the introduction here.\n\n<!-- more -->\n\n## First section\n\nText.\n",
        title=title,
        date=moment.strftime("%Y-%m-%d %H:%M"),
        tags=tags,
        description="",
        published=False,
    )
    target = config.content_path / "posts" / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = frontmatter.dumps(post, sort_keys=False) + "\n"
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return target
