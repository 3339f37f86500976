"""Problems of posts this build does not publish: reported, but they do not stop the build.

A draft (`published: false`) or a post dated in the future is read and checked like any other,
so its writer sees what to fix; but a typo in a post nobody will see yet must not keep the rest
of the site from going out (and FMQ005's hint, "set `published: false` to publish the rest",
must be true). Its errors are reported as warnings saying so, and none of its problems fails
`--strict`; with `--drafts` (or once the date has come) the post is published and its errors
are errors again, its warnings count under `--strict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..content.library import Document
from ..diagnostics.diagnostic import Diagnostic, Severity

HELD_BACK = "not published by this build, so it does not stop it"


def held_back_sources(
    documents: Sequence[Document], included: frozenset[str], now: dt.datetime
) -> frozenset[str]:
    """The drafts and future posts this build leaves out (not the posts it refuses)."""
    return frozenset(
        d.source
        for d in documents
        if d.source not in included and (not d.front_matter.published or _future(d, now))
    )


def _future(document: Document, now: dt.datetime) -> bool:
    date = document.front_matter.date
    return date is not None and date > now


def as_warnings(diagnostics: Iterable[Diagnostic], held: frozenset[str]) -> list[Diagnostic]:
    """`diagnostics`, with the errors of `held` sources lowered to warnings that say why, and
    every problem of theirs marked `held_back`, so that `--strict` does not count it either."""
    out: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.path in held:
            if diagnostic.severity is Severity.ERROR:
                hint = f"{diagnostic.hint}; " if diagnostic.hint else ""
                diagnostic = replace(
                    diagnostic,
                    severity=Severity.WARNING,
                    hint=f"{hint}this post is {HELD_BACK}",
                    held_back=True,
                )
            else:
                diagnostic = replace(diagnostic, held_back=True)
        out.append(diagnostic)
    return out
