"""The package's import graph: no cycles, and no lower module imports the top layer.

Every module of ``src/wgsforecast`` is parsed with :mod:`ast`, and every import counts,
also one inside a function (deferring an import hides a cycle, it does not remove it).
Imports under ``if TYPE_CHECKING:`` are never executed, so they do not make a cycle (a
``Prognosis`` method may call ``plotting``, whose functions are annotated with
``Prognosis``); they still count as upward imports. The top layer is the user-facing entry
points: the package root, ``__main__``, ``api``, ``cli`` and ``commands``. Everything below
must work without them, so none of it may import ``wgsforecast`` (the root) or
``wgsforecast.api``.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "wgsforecast"
SOURCE = Path(__file__).resolve().parents[1] / "src" / PACKAGE
TOP_LAYER = (PACKAGE, f"{PACKAGE}.__main__", f"{PACKAGE}.api", f"{PACKAGE}.cli")
TOP_PACKAGES = (f"{PACKAGE}.commands",)
FACADES = (PACKAGE, f"{PACKAGE}.api")


def module_name(path: Path) -> str:
    """``src/wgsforecast/a/b.py`` -> ``wgsforecast.a.b``; ``a/__init__.py`` -> ``wgsforecast.a``."""
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


@dataclass(frozen=True)
class Import:
    """One import statement's target in a module."""

    target: str
    line: int
    type_only: bool
    """Under ``if TYPE_CHECKING:``: never executed, so it cannot close a cycle at run time."""


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, name: str, known: Collection[str]) -> list[Import]:
    """Every package module ``path`` imports, anywhere in it, relative ones resolved.

    ``from a import b`` is an import of ``a.b`` when that is a module, else of ``a``.
    """
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def targets(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        if node.level:
            # ``from . import x`` in a.b.c is relative to a.b; in a package's
            # ``__init__`` it is relative to the package itself.
            drop = node.level - 1 if is_package else node.level
            anchor = name.split(".")[: len(name.split(".")) - drop]
            base = ".".join([*anchor, node.module] if node.module else anchor)
        else:
            base = node.module or ""
        submodules = [f"{base}.{alias.name}" for alias in node.names]
        modules_named = [module for module in submodules if module in known]
        return modules_named + ([base] if len(modules_named) < len(submodules) else [])

    def walk(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.extend(
                Import(target, node.lineno, type_only)
                for target in targets(node)
                if target in known and target != name
            )
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                walk(child, True)
            for child in node.orelse:
                walk(child, type_only)
            return
        for child in ast.iter_child_nodes(node):
            walk(child, type_only)

    walk(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


def import_graph(type_only: bool) -> dict[str, dict[str, int]]:
    """Module -> {imported package module: line of the first such import}.

    With ``type_only=False`` the imports under ``if TYPE_CHECKING:`` are left out.
    """
    known = modules()
    graph: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        edges: dict[str, int] = {}
        for found in imports(path, name, known):
            if type_only or not found.type_only:
                edges.setdefault(found.target, found.line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def describe(component: list[str], graph: dict[str, dict[str, int]]) -> str:
    """The imports that tie a cycle together, one ``a (line n) -> b`` per edge."""
    members = set(component)
    edges = [
        f"  {source} (line {line}) -> {target}"
        for source in component
        for target, line in sorted(graph[source].items())
        if target in members
    ]
    return "cycle among " + ", ".join(component) + ":\n" + "\n".join(edges)


def is_top_layer(name: str) -> bool:
    return name in TOP_LAYER or any(
        name == package or name.startswith(package + ".") for package in TOP_PACKAGES
    )


def test_the_graph_sees_deferred_relative_and_type_only_imports(tmp_path: Path) -> None:
    source = tmp_path / PACKAGE
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "__init__.py").write_text("from . import leaf\n")
    (source / "sub" / "leaf.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from wgsforecast import api\n"
        "def f():\n    from ..other import g\n    from wgsforecast import sub\n"
    )
    known = {PACKAGE, f"{PACKAGE}.api", f"{PACKAGE}.other", f"{PACKAGE}.sub", f"{PACKAGE}.sub.leaf"}
    found = imports(source / "sub" / "leaf.py", f"{PACKAGE}.sub.leaf", known)
    assert {(i.target, i.line, i.type_only) for i in found} == {
        (f"{PACKAGE}.api", 3, True),
        (f"{PACKAGE}.other", 5, False),
        (f"{PACKAGE}.sub", 6, False),
    }
    package = imports(source / "sub" / "__init__.py", f"{PACKAGE}.sub", known)
    assert [i.target for i in package] == [f"{PACKAGE}.sub.leaf"]
    # ``from wgsforecast import X`` with X not a module is an import of the root itself.
    (source / "low.py").write_text("from wgsforecast import forecast\n")
    assert [i.target for i in imports(source / "low.py", f"{PACKAGE}.low", known)] == [PACKAGE]


def test_cycle_finder_reports_a_cycle_and_its_imports() -> None:
    graph = {"a": {"b": 3}, "b": {"c": 5}, "c": {"a": 7}, "d": {"a": 1}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert "c (line 7) -> a" in describe(["a", "b", "c"], graph)
    assert cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycles() -> None:
    graph = import_graph(type_only=False)
    found = cycles(graph)
    assert not found, "\n".join(describe(component, graph) for component in found)


def test_nothing_below_the_top_layer_imports_the_facades() -> None:
    graph = import_graph(type_only=True)
    assert len(graph) > 50, f"found only {len(graph)} modules under {SOURCE}"
    upward = [
        f"{source} (line {line}) imports {target}"
        for source, edges in sorted(graph.items())
        if not is_top_layer(source)
        for target, line in sorted(edges.items())
        if target in FACADES
    ]
    assert not upward, (
        "modules below the top layer import the package root or api.py:\n"
        + "\n".join(upward)
        + "\nimport what they need from the module that defines it"
    )


@pytest.mark.parametrize("name", TOP_LAYER)
def test_the_top_layer_exists(name: str) -> None:
    # A renamed entry point would silently exempt nothing or the wrong module.
    assert name in modules()
