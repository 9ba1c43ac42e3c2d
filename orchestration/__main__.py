"""``python -m orchestration``: see :mod:`orchestration.cli`."""

import sys

from orchestration.cli import main

sys.exit(main())
