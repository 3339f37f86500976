"""A figure shortcode's image is a link of its post: a missing local file is LNK001 where the
figure is written, as it is for a Markdown image; an existing one is no finding."""

from __future__ import annotations

from site_builder.pipeline.phases import load

POST = (
    "---\ntitle: Figures\ndate: 2024-07-01\ntags: [Docker]\n"
    "description: Notes on keeping Docker images small, with numbers from real builds.\n---\n\n"
    "Intro.\n\n"
    '{{< figure src="/images/missing.png" alt="A missing diagram" >}}\n\n'
    '{{< figure src="/images/layers.png" alt="The layers" caption="Layers" >}}\n'
)


def test_a_missing_figure_image_is_reported_at_the_figure(make_site) -> None:
    root = make_site(
        {"content/posts/figures.md": POST, "content/static/images/layers.png": b"\x89PNG\r\n"}
    )
    found = [(d.line, d.column, d.code) for d in load(root).diagnostics if d.code == "LNK001"]
    assert found == [(10, 1, "LNK001")]
