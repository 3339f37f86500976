"""The command line: `build-site` build (the default), check, new, serve and dockerfile.

Takes the arguments; gives an exit code and the report on the terminal. One module a command,
as MkDocs has `commands/{build,serve,new}`: `serve` is the `serve` stage's own `run`, and
`dockerfile` is `dockerfile.cli`.

- `main`: the entry points (`run` for the console script, `main(argv)`), dispatch, crash line.
- `arguments`: every command's arguments.
- `build`, `check`, `new`: the commands.
- `progress`: the one-line progress bar of long builds on a terminal.
"""

from __future__ import annotations

from .main import main, run

__all__ = ["main", "run"]
