"""Related posts: for each post, the others that share the most tags.

Pure and deterministic. A candidate's score is the number of tags it shares with the post;
ties go to the newer post. Posts of the same series are left out (the series box already
links them), and so is the post itself.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from itertools import chain

from .model import Post, Series


def related_posts(
    posts: Sequence[Post], series: Sequence[Series], limit: int
) -> dict[str, tuple[Post, ...]]:
    """`{post url: up to `limit` related posts}`; `posts` must be newest first."""
    if limit <= 0 or len(posts) < 2:
        return {}
    by_tag: dict[str, list[int]] = {}
    for index, post in enumerate(posts):
        for ref in post.tags:
            by_tag.setdefault(ref.slug, []).append(index)
    series_of: dict[str, str] = {}
    for group in series:
        for member in group.posts:
            series_of[member.url] = group.slug
    result: dict[str, tuple[Post, ...]] = {}
    for index, post in enumerate(posts):
        counts = Counter(chain.from_iterable(by_tag[ref.slug] for ref in post.tags))
        counts.pop(index, None)
        own_series = series_of.get(post.url)
        if own_series is not None:
            for other in [i for i in counts if series_of.get(posts[i].url) == own_series]:
                del counts[other]
        if not counts:
            continue
        # Lower index = newer post (posts are newest first), so -index breaks ties newest first.
        best = heapq.nlargest(limit, counts.items(), key=lambda item: (item[1], -item[0]))
        result[post.url] = tuple(posts[i] for i, _ in best)
    return result
