"""The arguments of `build-site` and each of its commands (argparse)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..version import __version__

COMMANDS = ("build", "check", "new", "serve", "dockerfile", "measure")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="site root (default: .)")
    parser.add_argument("--drafts", action="store_true", help="include posts with published: false")
    parser.add_argument("--future", action="store_true", help="include posts dated in the future")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build-site",
        description="Build a static blog from Markdown, checking every Dockerfile in it.",
    )
    parser.add_argument("--version", action="version", version=f"site_builder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build and publish the site (default)")
    _common(b)
    b.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the build cache (.site-cache/): a cold build from scratch",
    )
    b.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        help="worker processes (default, and at most: one per core; 1: no workers)",
    )
    b.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c = sub.add_parser("check", help="report every problem without writing anything")
    _common(c)
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c.add_argument(
        "--external",
        action="store_true",
        help="also check http(s) links over the network (cached in .site-cache/)",
    )
    s = sub.add_parser("serve", help="preview the site with live reload")
    _common(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument(
        "--port",
        type=_port,
        default=None,
        help="port to listen on; 0 picks a free one (default: 8000, else the next free one)",
    )
    s.add_argument("--open", action="store_true", help="open the site in a browser")
    sub.add_parser(
        "dockerfile",
        help="check Dockerfiles on disk (build-site dockerfile --help)",
        add_help=False,
    )
    m = sub.add_parser("measure", help="build the examples with Docker and record their sizes")
    m.add_argument("names", nargs="*", metavar="NAME", help="examples to measure (default: all)")
    m.add_argument("--root", type=Path, default=Path("."), help="site root (default: .)")
    m.add_argument("--force", action="store_true", help="rebuild unchanged examples too")
    m.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    n = sub.add_parser("new", help="scaffold a new post")
    n.add_argument("title")
    n.add_argument("--tags", default="", help="comma-separated tags")
    n.add_argument(
        "--series", default="", help="series the post belongs to (it gets the next part number)"
    )
    n.add_argument("--root", type=Path, default=Path("."))
    return parser


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of workers (1 or more)")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)
