"""Subcommands of the ``wgsforecast`` command line, one module each (see :mod:`wgsforecast.cli`)."""
