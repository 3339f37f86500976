"""A one-line progress bar for long builds on a terminal (silent on pipes and fast builds).

The bar's own `\r` and erase-line sequence are the only control characters it writes."""

from __future__ import annotations

import time
from typing import TextIO

from ..diagnostics.printable import printable

_STAGES = {"read": "reading", "write": "writing"}


class ProgressBar:
    """Call with (stage, done, total); draws only once the build has run for `delay` seconds."""

    def __init__(self, stream: TextIO, *, delay: float = 1.0, width: int = 30) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.width = width
        self.shown = False
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < self.delay or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        filled = self.width * done // total if total else self.width
        bar = "█" * filled + " " * (self.width - filled)
        label = printable(_STAGES.get(stage, stage))  # never a control character but our own
        self.stream.write(f"\r\x1b[2Kbuild-site: {label} {done}/{total} ▕{bar}▏")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
