"""``python -m wgsforecast``: the same as the ``wgsforecast`` command."""

import sys

from wgsforecast.cli import main

sys.exit(main())
