"""Page bundles: a post or page kept as a folder with `index.md`, and the files beside it.

As in Hugo's leaf bundles, `content/posts/my-post/index.md` is the post `my-post` (its slug
comes from the folder's name), and every other file below that folder (images, downloads,
nested folders) is published beside the page: `diagram.png` at `/posts/my-post/diagram.png`,
so the post's relative links and images resolve there, and the link checks see them. A file
belongs to the nearest folder above it that holds an `index.md` (a bundle inside a bundle is
a post of its own, with its own files). Another Markdown file inside a bundle is not one of
its files: it is built as a post of its own, as anywhere under content/posts/, with SRC007
saying so. Files beside a post that is not a bundle (`content/posts/a.md` next to `a.png`)
are not published, as before. A bundle's files are published only with its page: a draft's
files are not.

Pure: `find_bundle_files` sorts what discovery found; `publish_bundle_files` gives the
published bundles' files their URLs once the slugs are known.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity
from .sources import StaticFile

INDEX_NAMES = ("index.md", "index.markdown")
BUNDLE_FOLDERS = ("content/posts/", "content/pages/")
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class BundleFile:
    """A file of a page bundle: `owner` is the bundle's index.md, `rel` the path inside the
    bundle's folder (`diagram.png`, `img/a.png`)."""

    path: str
    owner: str
    rel: str
    abs_path: Path
    size: int
    mtime_ns: int


def is_bundle_index(source: str) -> bool:
    """Whether `source` (site-relative) is the index.md of a bundle: a folder below
    content/posts/ or content/pages/, not either folder itself."""
    folder, _, name = source.rpartition("/")
    if name.lower() not in INDEX_NAMES:
        return False
    return any(folder.startswith(top) and len(folder) > len(top) for top in BUNDLE_FOLDERS)


def source_stem(source: str) -> str:
    """The name a source's slug comes from: its file name without the suffix, or a bundle's
    folder name (`content/posts/my-post/index.md` → `my-post`)."""
    folder, _, name = source.rpartition("/")
    if is_bundle_index(source):
        return posixpath.basename(folder)
    return posixpath.splitext(name)[0]


def find_bundle_files(
    sources: Sequence[str], others: Iterable[tuple[str, Path, int, int]]
) -> tuple[list[BundleFile], list[Diagnostic]]:
    """The files of the bundles among `sources` (the Markdown files found), from `others`
    (path, absolute path, size, mtime of every other file found), and SRC007 for each
    Markdown file inside a bundle that is not its index."""
    bundles = {posixpath.dirname(s): s for s in sources if is_bundle_index(s)}
    files: list[BundleFile] = []
    for path, abs_path, size, mtime_ns in others:
        folder = _owning_folder(path, bundles)
        if folder is not None:
            rel = path[len(folder) + 1 :]
            files.append(BundleFile(path, bundles[folder], rel, abs_path, size, mtime_ns))
    problems = [
        _markdown_in_bundle(source, folder)
        for source in sources
        if not is_bundle_index(source) and (folder := _owning_folder(source, bundles)) is not None
    ]
    return files, problems


def publish_bundle_files(
    urls: Mapping[str, str],
    files: Sequence[BundleFile],
    statics: Sequence[StaticFile],
    problems: list[Diagnostic],
) -> list[StaticFile]:
    """The files of the published bundles as static files beside their pages; `urls` maps
    each published source to its page's URL. A file at the path of a file of
    content/static/ is URL001 (the two would overwrite each other)."""
    taken = {item.url_path: item.path for item in statics}
    published: list[StaticFile] = []
    for item in files:
        url = urls.get(item.owner)
        if url is None:  # a draft, a future post, or a page refused for its errors
            continue
        url_path = url.lstrip("/") + item.rel
        if url_path in taken:
            problems.append(
                Diagnostic(
                    item.path,
                    1,
                    1,
                    Severity.ERROR,
                    "URL001",
                    f"/{url_path} produced by {taken[url_path]}, {item.path}",
                    hint="rename or remove one of the two files",
                )
            )
            continue
        published.append(StaticFile(item.path, url_path, item.abs_path, item.size, item.mtime_ns))
    return published


def _owning_folder(path: str, bundles: Mapping[str, str]) -> str | None:
    """The nearest folder above `path` that is a bundle, or None."""
    folder = posixpath.dirname(path)
    while folder and folder + "/" not in BUNDLE_FOLDERS:
        if folder in bundles:
            return folder
        folder = posixpath.dirname(folder)
    return None


def _markdown_in_bundle(source: str, folder: str) -> Diagnostic:
    return Diagnostic(
        source,
        1,
        1,
        Severity.WARNING,
        "SRC007",
        f"Markdown file inside the page bundle {folder}/ is built as a page of its own,"
        " not published as a file of the bundle",
        hint=f"move it out of {folder}/, or make it a bundle of its own (a folder with index.md)",
    )
