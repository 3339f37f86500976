"""The sites the theme tests build: the bundled one (repo `content/` + `site.toml`) and the rich
fixture (`tests/fixtures/rich-site/`: series, code, tables, images, footnotes)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import copy_bundled_site

from .harness import REPO

RICH_SITE = REPO / "tests" / "fixtures" / "rich-site"


def copy_bundled(target: Path) -> Path:
    """The bundled site (site.toml, content/, examples/ and measurements.json) copied to
    `target`."""
    return copy_bundled_site(target)


def copy_rich(target: Path) -> Path:
    """The rich fixture site copied to `target` (its output never lands in the repository)."""
    shutil.copytree(RICH_SITE, target, ignore=shutil.ignore_patterns("output", ".output*"))
    return target


def serve_under_blog(root: Path) -> Path:
    """Turn the site at `root` into one served under `/blog/`, its own links written so."""
    for path in [root / "site.toml", *root.glob("content/**/*.md")]:
        text = path.read_text()
        for old, new in (
            ('base_url = "https://blog.example.com/"', 'base_url = "https://x.example/blog/"'),
            ('"/images/', '"/blog/images/'),
            ("](/", "](/blog/"),
            ("cover_image: /", "cover_image: /blog/"),
        ):
            text = text.replace(old, new)
        path.write_text(text)
    return root


DOCKERFILE_POST = """\
---
title: A Checked Dockerfile
date: 2024-04-01
tags: [Docker]
description: A post with Dockerfile blocks, so the check note under each block is tested too.
---

A Dockerfile that builds:

```dockerfile {title="Dockerfile"}
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json ./
RUN npm ci
```

And one that shows a mistake on purpose:

```dockerfile {expect-error="DF001"}
FORM alpine
```
"""


def dockerfile_checker_ready() -> bool:
    """Whether the Dockerfile checker (`site_builder.dockerfile`) can be imported yet."""
    try:
        from site_builder.dockerfile import check_dockerfile  # noqa: F401
    except ImportError:
        return False
    return True


def add_dockerfile_post(root: Path) -> bool:
    """Add a post with checked Dockerfile blocks to the site at `root`, once the checker exists."""
    if not dockerfile_checker_ready():
        return False
    (root / "content/posts/checked-dockerfile.md").write_text(DOCKERFILE_POST)
    return True


EMBEDS_POST = """\
---
title: Every Native Embed
date: 2024-04-02
tags: [Docker]
description: A post with every shortcode and Liquid tag the site renders, so their HTML is checked.
---

{{< youtube id="dQw4w9WgXcQ" title="A talk on multi-stage builds" >}}

{% embed https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90 %} and {{< vimeo 76979871 >}}

{{< figure src="/images/layers.svg" alt="Image layers" caption="Each *RUN* adds a layer" >}}

Inline: {{< figure src="/images/layers.svg" alt="Layers" caption="Small" >}} in a sentence.

{{< details summary="Why pin the tag?" >}}
Because `latest` moves.
{{< /details >}}

{{< gist spf13 7896402 >}} and {% github https://github.com/moby/buildkit %}

{% highlight python linenos %}
print("hello")
{% endhighlight %}

{{< tweet user="docker" id="1" >}}
"""


def add_embeds_post(root: Path) -> None:
    """Add a post with every native shortcode embed (and one shown as text) to `root`."""
    (root / "content/posts/every-embed.md").write_text(EMBEDS_POST)
