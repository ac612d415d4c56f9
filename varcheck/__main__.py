"""``python -m varcheck``: the varcheck command line."""

import sys

from .cli import main

sys.exit(main())
