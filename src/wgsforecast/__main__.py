"""``python -m wgsforecast``: the same as the ``wgsforecast`` command."""

import sys

from wgsforecast.cli import run

sys.exit(run())
