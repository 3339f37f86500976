"""The builds `bench/run.py` times, ours and the peers', and what each must have written.

A `Build` is one row of the benchmark: the command that builds a site from nothing, the folder
it writes, and `expect`, which checks after the build that the output is the work the row's
label claims (every post page; the feeds it says it writes, and none it says it does not).
The peers run through `../shared/bench/peers/<peer>/prepare.sh` (once per corpus size,
untimed) and `build.sh` (timed; it removes its own output first), in the variants that
`../shared/bench/BASELINE.md` lists: Hugo with its default outputs (`prepare.sh ... feeds`:
RSS for home, section, tag index and each tag, and a sitemap) and without (`hugo.toml`
disables RSS, sitemap and robots.txt); Pelican with its default feeds
(`pelicanconf_feeds.py`) and without (`pelicanconf.py`).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PEERS_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "peers"
PELICAN = Path("/tmp/pelvenv/bin/pelican")

Expect = Callable[[Path, int], list[str]]


@dataclass(frozen=True)
class Build:
    """One benchmark row that builds a whole site: how to run it and what it must write."""

    key: str
    label: str
    command: list[str]
    output: Path
    expect: Expect
    before: Callable[[], None] = field(default=lambda: None)


def feed_files(output: Path) -> list[str]:
    """The feeds in an output folder: every XML file but sitemaps, and JSON feeds."""
    found = [
        path
        for path in output.rglob("*")
        if path.is_file()
        and (
            (path.suffix == ".xml" and not path.name.startswith("sitemap"))
            or path.name == "feed.json"
        )
    ]
    return sorted(str(path.relative_to(output)) for path in found)


def _posts(output: Path, posts: int) -> list[str]:
    pages = len(list(output.glob("posts/*/index.html")))
    return [] if pages == posts else [f"{pages} post pages under posts/, not {posts}"]


def _tag_pages(output: Path) -> int:
    return len([p for p in output.glob("tags/*/index.html") if p.parent.name != "page"])


def _need(output: Path, *names: str) -> list[str]:
    return [f"no {name}" for name in names if not (output / name).is_file()]


def _no_feeds(output: Path, posts: int) -> list[str]:
    feeds = feed_files(output)
    problems = [f"writes {len(feeds)} feeds ({', '.join(feeds[:3])}...)"] if feeds else []
    sitemaps = list(output.glob("sitemap*.xml"))
    return problems + [f"writes {p.name}" for p in sitemaps] + _posts(output, posts)


def _feed_per_tag(output: Path, feed: str) -> list[str]:
    tags, feeds = _tag_pages(output), len(list(output.glob(f"tags/*/{feed}")))
    if tags and feeds == tags:
        return []
    return [f"{feeds} tags/*/{feed} feeds for {tags} tag pages"]


def hugo_feeds_expect(output: Path, posts: int) -> list[str]:
    needed = _need(output, "index.xml", "posts/index.xml", "tags/index.xml", "sitemap.xml")
    return needed + _feed_per_tag(output, "index.xml") + _posts(output, posts)


def pelican_feeds_expect(output: Path, posts: int) -> list[str]:
    atom = list(output.glob("feeds/*.atom.xml"))
    return (
        ([] if atom else ["no feeds/*.atom.xml"])
        + _need(output, "feeds/all.atom.xml")
        + (_posts(output, posts))
    )


def ours_expect(output: Path, posts: int) -> list[str]:
    needed = _need(output, "atom.xml", "feed.json", "sitemap.xml")
    return needed + _feed_per_tag(output, "atom.xml") + _posts(output, posts)


def ours_no_feeds_expect(output: Path, posts: int) -> list[str]:
    """`tag_feeds = false` and `json_feed = false`: only the site's /atom.xml is left."""
    extra = [name for name in feed_files(output) if name != "atom.xml"]
    problems = [f"still writes {len(extra)} other feeds ({', '.join(extra[:3])})"] if extra else []
    return problems + _need(output, "atom.xml") + _posts(output, posts)


def peer_builds(peers: list[str], corpus: Path, scratch: Path, posts: int) -> list[Build]:
    """The peers' rows at one corpus size, their sites laid out (untimed) under `scratch`."""
    builds: list[Build] = []
    if "hugo" in peers:
        for key, variant, label, expect in (
            ("hugo_feeds", "feeds", "Hugo cold, default outputs", hugo_feeds_expect),
            ("hugo_plain", "", "Hugo cold, no feeds", _no_feeds),
        ):
            site = scratch / f"peer-{key}-{posts}"
            _prepare("hugo", corpus, site, variant)
            command = ["bash", str(PEERS_DIR / "hugo" / "build.sh"), str(site)]
            builds.append(Build(key, label, command, site / "public", expect))
    if "pelican" in peers:
        site = scratch / f"peer-pelican-{posts}"
        _prepare("pelican", corpus, site, "")
        for key, conf, label, expect in (
            (
                "pelican_feeds",
                "pelicanconf_feeds.py",
                "Pelican cold, default feeds",
                pelican_feeds_expect,
            ),
            ("pelican_plain", "pelicanconf.py", "Pelican cold, no feeds", _no_feeds),
        ):
            command = ["bash", str(PEERS_DIR / "pelican" / "build.sh"), str(site), conf]
            builds.append(Build(key, label, command, site / "out", expect))
    return builds


def _prepare(peer: str, corpus: Path, site: Path, variant: str) -> None:
    shutil.rmtree(site, ignore_errors=True)
    command = ["bash", str(PEERS_DIR / peer / "prepare.sh"), str(corpus), str(site)]
    subprocess.run([*command, variant] if variant else command, check=True)


def available_peers(requested: list[str]) -> tuple[list[str], list[str]]:
    """The requested peers that are installed, and a note for each one that is not."""
    checks: dict[str, Callable[[], bool]] = {
        "hugo": lambda: shutil.which("hugo") is not None,
        "pelican": PELICAN.exists,
    }
    kept, notes = [], []
    for peer in requested:
        check = checks.get(peer)
        if check is None:
            notes.append(f"peer {peer}: not one this bench runs (hugo, pelican); skipped")
        elif not check():
            notes.append(f"peer {peer}: not installed; skipped (see ../shared/bench/BASELINE.md)")
        else:
            kept.append(peer)
    return kept, notes
