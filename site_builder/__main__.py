"""`python -m site_builder` is `build-site`."""

from __future__ import annotations

import sys

# The guard matters: a worker process started by `spawn` or `forkserver` imports the parent's
# main module under another name, and must not run the command line again.
if __name__ == "__main__":
    try:
        from .cli.main import run
    except KeyboardInterrupt:  # Ctrl-C while the package is still loading
        sys.stderr.write("build-site: interrupted\n")
        sys.exit(130)

    run()
