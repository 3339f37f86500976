"""Tag lint: near-duplicates that make separate tag pages, single-use tags, the allowed list,
and the per-post limit (dev.to takes four)."""

from __future__ import annotations

from site_builder.checks.tags import loose_key
from site_builder.pipeline.phases import BuildOptions, load

DESCRIPTION = "A post about container images that is long enough for search result snippets."


def article(title: str, tags: str, day: int = 1) -> str:
    return (
        f"---\ntitle: {title}\ndate: 2024-06-{day:02d}\ntags: {tags}\n"
        f"description: {DESCRIPTION}\n---\n\nThe body of the post says something useful here.\n"
    )


def tag_findings(root, **options):
    return [
        (
            d.path.removeprefix("content/posts/"),
            d.line,
            d.column,
            d.severity.value,
            d.code,
            d.message,
        )
        for d in load(root, BuildOptions(**options)).diagnostics
        if d.code.startswith("TAG")
    ]


def test_near_duplicates_point_at_each_minority_spelling(make_site):
    root = make_site(
        {
            "content/posts/a.md": article("Alpha", "[Node.js, Docker]", 1),
            "content/posts/b.md": article("Beta", '["Node.js"]', 2),
            "content/posts/c.md": article("Gamma", "[Docker, NodeJS]", 3),
            "content/posts/d.md": article("Delta", "node, docker", 4),
        }
    )
    assert [f for f in tag_findings(root) if f[4] == "TAG101"] == [
        (
            "c.md",
            4,
            16,
            "warning",
            "TAG101",
            "tag 'NodeJS' (/tags/nodejs/) looks like 'Node.js' (/tags/node-js/, 2 posts); they make "
            "separate tag pages",
        ),
        (
            "d.md",
            4,
            7,
            "warning",
            "TAG101",
            "tag 'node' (/tags/node/) looks like 'Node.js' (/tags/node-js/, 2 posts); they make "
            "separate tag pages",
        ),
    ]
    hints = [d.hint for d in load(root).diagnostics if d.code == "TAG101"]
    assert hints == ["write 'Node.js'", "write 'Node.js'"]


def test_plurals_are_near_duplicates_but_exact_folds_are_left_to_tag001(make_site):
    root = make_site(
        {
            "content/posts/a.md": article("Alpha", "[Containers, Docker]", 1),
            "content/posts/b.md": article("Beta", "[Containers, docker]", 2),
            "content/posts/c.md": article("Gamma", "[container]", 3),
        }
    )
    found = [(f[0], f[4]) for f in tag_findings(root)]
    assert ("c.md", "TAG101") in found
    assert all(code != "TAG101" or path == "c.md" for path, code in found)
    assert ("b.md", "TAG001") in found


def test_distinct_tags_are_not_near_duplicates():
    assert loose_key("Node.js") == loose_key("NodeJS") == loose_key("node") == "node"
    assert loose_key("Gos") == "gos", "short words keep their 's'"
    assert loose_key("DevOps") == loose_key("devop")
    assert loose_key("CSS") == "css" and loose_key("Kubernetes") != loose_key("Kube")
    assert loose_key("JS") == "js", "a bare 'js' is not stripped to nothing"


def test_single_use_tags_are_info_once_the_site_is_big_enough(make_site):
    files = {f"content/posts/p{n}.md": article(f"Post {n}", "[Docker]", n + 1) for n in range(9)}
    files["content/posts/p9.md"] = article("Post 9", "[Docker, OSD600]", 10)
    root = make_site(files)
    assert tag_findings(root) == [
        ("p9.md", 4, 16, "info", "TAG102", "tag 'OSD600' is used by this post only"),
    ]
    smaller = make_site({k: v for k, v in files.items() if k != "content/posts/p0.md"})
    assert tag_findings(smaller) == [], "nine posts: too early to call a tag single-use"


def test_single_use_threshold_is_configurable(make_site):
    root = make_site(
        {
            "content/posts/a.md": article("Alpha", "[Docker, Buildx]", 1),
            "content/posts/b.md": article("Beta", "[Docker]", 2),
            "site.toml": "[checks]\nsingle_use_tags_from = 2\n",
        }
    )
    assert [(f[0], f[4]) for f in tag_findings(root)] == [("a.md", "TAG102")]


def test_allowed_tags(make_site):
    root = make_site(
        {
            "content/posts/a.md": article("Alpha", '[Docker, "open source", Dokcer, Rust]', 1),
            "site.toml": '[checks]\nallowed_tags = ["Docker", "Open Source", "Kubernetes"]\n',
        }
    )
    found = load(root).diagnostics
    assert [(d.line, d.column, d.code, d.message, d.hint) for d in found if d.code == "TAG103"] == [
        (4, 31, "TAG103", "tag 'Dokcer' is not in allowed_tags", "did you mean 'Docker'?"),
        (
            4,
            39,
            "TAG103",
            "tag 'Rust' is not in allowed_tags",
            "use one of allowed_tags in site.toml, or add this tag there",
        ),
    ]


def test_max_tags_for_dev_to(make_site):
    tags = '["Open Source", "Docker", "DevOps", "NodeJS", "OSD600", "Optimizations"]'
    root = make_site(
        {
            "content/posts/a.md": article("Alpha", tags, 1),
            "site.toml": "[checks]\nmax_tags = 4\n",
        }
    )
    assert tag_findings(root) == [
        (
            "a.md",
            4,
            54,
            "warning",
            "TAG104",
            "6 tags; max_tags allows 4, so 'OSD600' and the tags after it are too many",
        ),
    ]
    unlimited = make_site({"content/posts/a.md": article("Alpha", tags, 1)})
    assert tag_findings(unlimited) == [], "no limit unless max_tags is set"


def test_drafts_do_not_count_unless_built(make_site):
    draft = article("Beta", "[NodeJS]", 2).replace("---\n\n", "published: false\n---\n\n", 1)
    root = make_site(
        {
            "content/posts/a.md": article("Alpha", "[Node.js]", 1),
            "content/posts/b.md": draft,
        }
    )
    assert tag_findings(root) == []
    assert [f[4] for f in tag_findings(root, drafts=True)] == ["TAG101"]
