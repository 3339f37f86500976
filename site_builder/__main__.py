"""`python -m site_builder` is `build-site`."""

from __future__ import annotations

import sys

try:
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while the package is still loading
    sys.stderr.write("build-site: interrupted\n")
    sys.exit(130)

sys.exit(main())
