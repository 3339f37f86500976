"""The `build-site` command line: build (the default), check, new, serve and dockerfile.

- `main`: parsing the arguments and running a command (`run` is the console entry point).
- `new`: `build-site new`, a post with valid front matter.
- `progress`: the one-line progress bar of long builds on a terminal.
"""

from __future__ import annotations

from .main import main, run

__all__ = ["main", "run"]
