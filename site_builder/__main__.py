"""`python -m site_builder` is `build-site`."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
