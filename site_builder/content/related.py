"""Related posts: for a post, the others that share the most tags.

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


class RelatedPosts:
    """Related posts, worked out for a post when its page is rendered (and remembered).

    An incremental build renders few post pages, so it works out few of these.
    """

    def __init__(self, posts: Sequence[Post], series: Sequence[Series], limit: int) -> None:
        self.posts = posts
        self.limit = limit
        self.index = {post.url: number for number, post in enumerate(posts)}
        self.by_tag: dict[str, list[int]] = {}
        for number, post in enumerate(posts):
            for ref in post.tags:
                self.by_tag.setdefault(ref.slug, []).append(number)
        self.series_of = {member.url: group.slug for group in series for member in group.posts}
        self._found: dict[str, tuple[Post, ...]] = {}

    def __call__(self, post: Post) -> tuple[Post, ...]:
        found = self._found.get(post.url)
        if found is None:
            found = self._found[post.url] = self._work_out(post)
        return found

    def _work_out(self, post: Post) -> tuple[Post, ...]:
        index = self.index.get(post.url)
        if self.limit <= 0 or index is None:
            return ()
        counts = Counter(chain.from_iterable(self.by_tag[ref.slug] for ref in post.tags))
        counts.pop(index, None)
        own_series = self.series_of.get(post.url)
        if own_series is not None:
            posts = self.posts
            for other in [i for i in counts if self.series_of.get(posts[i].url) == own_series]:
                del counts[other]
        # Lower index = newer post (posts are newest first), so -index breaks ties newest first.
        best = heapq.nlargest(self.limit, counts.items(), key=lambda item: (item[1], -item[0]))
        return tuple(self.posts[i] for i, _ in best)
