"""The engines by name: registering one, looking one up, and resolving "name or instance".

This module imports no engine, so any module (the backtests, the scenarios, an engine that
combines others) can look engines up without an import cycle. The built-in engines are
registered by :mod:`wgsforecast.engines` when the package is imported, which Python does
before any of its modules, this one included.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from importlib import metadata
from typing import TypeVar

from wgsforecast.engines.base import Engine

ENGINES: dict[str, type[Engine]] = {}
"""Engines by the name the CLI and :func:`wgsforecast.forecast` accept; add with
:func:`register_engine`."""

ENTRY_POINT_GROUP = "wgsforecast.engines"
"""Packages add engines under this entry-point group, e.g. in their ``pyproject.toml``:
``[project.entry-points."wgsforecast.engines"] lastmonth = "mypkg.engines:LastMonthEngine"``.
"""

E = TypeVar("E", bound=type[Engine])


def register_engine(cls: E) -> E:
    """Make an engine class available by its ``name`` (CLI ``--engine``, ``forecast``).

    Usable as a class decorator. Registering the same class again is harmless; another
    class under a name already taken is refused.

    Parameters
    ----------
    cls
        A concrete subclass of :class:`Engine` with a ``name``.

    Returns
    -------
    type
        ``cls`` itself.

    Raises
    ------
    ValueError
        If the name is already taken by another class.
    TypeError
        If ``cls`` is not an :class:`Engine` subclass with a name.
    """
    if not (isinstance(cls, type) and issubclass(cls, Engine)) or not hasattr(cls, "name"):
        raise TypeError(f"register_engine needs an Engine subclass with a name; got {cls!r}")
    taken = ENGINES.get(cls.name)
    if taken is not None and taken is not cls:
        raise ValueError(
            f"an engine named {cls.name!r} is already registered ({taken.__qualname__}); "
            "give the new engine another name"
        )
    ENGINES[cls.name] = cls
    return cls


def register_entry_points(group: str = ENTRY_POINT_GROUP) -> list[str]:
    """Register the engines that installed packages declare under the entry-point ``group``.

    Called once when :mod:`wgsforecast.engines` is imported, so an installed engine works
    by name everywhere (``forecast``, the CLI's ``--engine``) without being imported first.
    An entry point that fails to load or to register is skipped with a warning naming it:
    one broken plugin must not stop the built-in engines.

    Returns
    -------
    list of str
        The names registered.
    """
    names = []
    for entry in metadata.entry_points(group=group):
        try:
            names.append(register_engine(entry.load()).name)
        except Exception as error:  # any plugin failure is reported, not fatal
            warnings.warn(
                f"engine entry point {entry.name!r} ({entry.value}) of group {group!r} was "
                f"skipped: {type(error).__name__}: {error}; fix or uninstall that package",
                RuntimeWarning,
                stacklevel=2,
            )
    return names


def engine_class(engine: str) -> type[Engine]:
    """Return the registered engine class called ``engine``.

    Raises
    ------
    ValueError
        If there is no such engine, listing the known ones.
    """
    try:
        return ENGINES[engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"unknown engine {engine!r}; choose one of: {known}") from None


def new_engine(engine: str | Engine) -> Engine:
    """An unfitted engine: a new one of the name given, or a fresh copy of an instance.

    Functions that fit an engine (``forecast``, ``backtest``, the scenarios) take either a
    registered name (default settings) or a configured instance, and fit this copy, so the
    caller's instance is never changed and can be fitted again elsewhere.

    Parameters
    ----------
    engine
        A name in :data:`ENGINES` or an :class:`Engine` (fitted or not).

    Raises
    ------
    ValueError
        If a name is not registered, listing the known ones.
    TypeError
        If ``engine`` is neither a name nor an :class:`Engine`.
    """
    if isinstance(engine, Engine):
        return engine.clone()
    if isinstance(engine, str):
        return engine_class(engine)()
    raise TypeError(f"engine must be an engine name or an Engine instance; got {engine!r}")


def engine_labels(engines: Sequence[Engine]) -> tuple[str, ...]:
    """Labels for engines in a list: their names, with ``#2``, ``#3`` ... on repeated names."""
    seen: dict[str, int] = {}
    labels = []
    for engine in engines:
        seen[engine.name] = seen.get(engine.name, 0) + 1
        count = seen[engine.name]
        labels.append(engine.name if count == 1 else f"{engine.name}#{count}")
    return tuple(labels)
