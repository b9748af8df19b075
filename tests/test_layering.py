"""The layering of the code, read from its source with `ast` (issue 11): the rules hold for every
module present and future, not only for the imports someone remembered to check.

- domains/ holds the business rules and knows nothing of GraphQL or of how rows are batched:
  no module under domains/ imports loaders/ or graph/, not even for a type annotation.
  Application code built on the domains (the demo seeder) lives in graph/cli/.
- No import circle among graph/, domains/ and loaders/: none at import time, and none through a
  deferred import (one inside a function) except between GraphQL modules of graph/, whose
  types refer to each other's types by nature (a record names its contract, a contract lists
  its records). Imports under `if TYPE_CHECKING:` never run and are not counted.
- A test package's shared helpers live in its `support.py`: one name to look for.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "domains", "loaders")
FORBIDDEN_IN_DOMAINS = frozenset({"graph", "loaders"})
# Not GraphQL: the command line is application code like any other.
NOT_GRAPHQL = ("graph.cli",)


@dataclass(frozen=True)
class Import:
    """One import statement's module: where it is, and whether it runs only when called."""

    source: str
    target: str
    line: int
    deferred: bool
    type_checking: bool

    def where(self, paths: Mapping[str, Path]) -> str:
        return f"{paths[self.source].relative_to(ROOT)}:{self.line}"


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the three packages."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(node: ast.Import | ast.ImportFrom, known: Iterable[str]) -> list[str]:
    """The modules an import names: `from a.b import c` names a.b.c when that is a module, else
    a.b (c is a name in it). The packages passed through on the way are not counted."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert node.module is not None and node.level == 0, "the project has no relative imports"
    modules = set(known)
    return [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules
            else node.module for alias in node.names]


def imports_in(source: str, module: str, known: Iterable[str]) -> list[Import]:
    """Every import of one module's source, marked deferred (in a function) or type-checking."""
    found: list[Import] = []
    known = tuple(known)

    def visit(node: ast.AST, deferred: bool, type_checking: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.extend(Import(module, target, node.lineno, deferred, type_checking)
                         for target in _targets(node, known))
            return
        if isinstance(node, ast.If) and _is_type_checking(node):
            for statement in node.body:
                visit(statement, deferred, True)
            for statement in node.orelse:
                visit(statement, deferred, type_checking)
            return
        inner = deferred or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inner, type_checking)

    visit(ast.parse(source), False, False)
    return found


def project_imports(paths: Mapping[str, Path]) -> list[Import]:
    return [found for module, path in paths.items()
            for found in imports_in(path.read_text(encoding="utf-8"), module, paths)]


@dataclass(frozen=True)
class Circle:
    """Modules that import each other round (a strongly connected group), and one circle
    through them as the imports that close it, so a failure names files and lines."""

    modules: list[str]
    imports: list[Import]

    def describe(self, paths: Mapping[str, Path]) -> str:
        steps = " -> ".join(f"{edge.target} ({edge.where(paths)}"
                            f"{', deferred' if edge.deferred else ''})" for edge in self.imports)
        return (f"{len(self.modules)} modules ({', '.join(self.modules)}), e.g. "
                f"{self.imports[0].source} -> {steps}")


def cycles(edges: Sequence[Import]) -> list[Circle]:
    """Every group of modules that import each other round (Tarjan's algorithm)."""
    graph: dict[str, dict[str, Import]] = {}
    for edge in edges:
        if edge.source != edge.target:
            graph.setdefault(edge.source, {}).setdefault(edge.target, edge)
    return [Circle(group, _circle_through(group, graph)) for group in _groups(graph)
            if len(group) > 1]


def _groups(graph: Mapping[str, Mapping[str, Import]]) -> Iterator[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def connect(node: str) -> Iterator[list[str]]:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                yield from connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = stack[stack.index(node):]
            del stack[stack.index(node):]
            yield sorted(group)

    for node in sorted(graph):
        if node not in index:
            yield from connect(node)


def _circle_through(group: list[str], graph: Mapping[str, Mapping[str, Import]]) -> list[Import]:
    """The shortest circle from the group's first module back to it (breadth first)."""
    start, members = group[0], set(group)
    came: dict[str, Import] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt, edge in sorted(graph.get(node, {}).items()):
            if nxt in members and nxt not in came:
                came[nxt] = edge
                queue.append(nxt)
    circle = [came[start]]
    while circle[0].source != start:
        circle.insert(0, came[circle[0].source])
    return circle


def _graphql(module: str) -> bool:
    return module.startswith("graph.") and not module.startswith(NOT_GRAPHQL)


PATHS = project_modules()
IMPORTS = project_imports(PATHS)
RUNNING = [edge for edge in IMPORTS if not edge.type_checking]


def test_no_domain_module_imports_loaders_or_graph() -> None:
    wrong = [f"{edge.where(PATHS)} imports {edge.target}" for edge in IMPORTS
             if edge.source.startswith("domains.")
             and edge.target.split(".")[0] in FORBIDDEN_IN_DOMAINS]

    assert wrong == [], "domains/ must not import loaders/ or graph/:\n" + "\n".join(wrong)


def test_no_import_circle_at_import_time() -> None:
    found = cycles([edge for edge in RUNNING if not edge.deferred])

    assert found == [], "import circles:\n" + "\n".join(c.describe(PATHS) for c in found)


def test_deferred_imports_close_circles_only_between_graphql_types() -> None:
    found = [circle for circle in cycles(RUNNING)
             if not all(_graphql(module) for module in circle.modules)]

    assert found == [], "import circles:\n" + "\n".join(c.describe(PATHS) for c in found)


# Besides test modules and conftest.py: the benchmark scripts (`python -m tests.benchmark`,
# `python -m tests.request_cost`, `python -m tests.stack_ceiling`, `python -m tests.write_cost`).
TEST_FILES_BESIDES = frozenset({"__init__.py", "conftest.py", "support.py"})
SCRIPTS = frozenset({"tests/benchmark.py", "tests/request_cost.py", "tests/stack_ceiling.py",
                     "tests/write_cost.py"})


def test_shared_test_helpers_are_named_support() -> None:
    tests = ROOT / "tests"
    other = sorted(str(path.relative_to(ROOT)) for path in tests.rglob("*.py")
                   if not path.name.startswith("test_") and path.name not in TEST_FILES_BESIDES)

    assert [name for name in other if name not in SCRIPTS] == [], (
        "a test package's shared helpers go in its support.py")


# The checks above pass on today's code; these show that they would see what they look for.

KNOWN = ("domains.a", "domains.b", "graph.t", "loaders.base")
SOURCE = """
from typing import TYPE_CHECKING
import domains.b
from loaders import base
from domains.b import name
if TYPE_CHECKING:
    from graph.t import T
else:
    import json
def f():
    from graph import t
"""


def test_every_kind_of_import_is_found_and_marked() -> None:
    found = imports_in(SOURCE, "domains.a", KNOWN)

    assert [(i.target, i.line, i.deferred, i.type_checking) for i in found] == [
        ("typing", 2, False, False),
        ("domains.b", 3, False, False),
        ("loaders.base", 4, False, False),
        ("domains.b", 5, False, False),
        ("graph.t", 7, False, True),
        ("json", 9, False, False),
        ("graph.t", 11, True, False),
    ]


def test_a_circle_is_reported_by_the_imports_that_close_it() -> None:
    edges = [Import("a", "b", 1, False, False), Import("b", "c", 2, True, False),
             Import("c", "a", 3, False, False), Import("c", "d", 4, False, False)]

    found = cycles(edges)

    assert [circle.modules for circle in found] == [["a", "b", "c"]]
    paths = {name: ROOT / f"{name}.py" for name in "abcd"}
    assert found[0].describe(paths) == (
        "3 modules (a, b, c), e.g. a -> b (a.py:1) -> c (b.py:2, deferred) -> a (c.py:3)")


def test_no_circle_among_modules_that_only_import_down() -> None:
    edges = [Import("a", "b", 1, False, False), Import("b", "c", 1, False, False),
             Import("a", "c", 2, False, False)]

    assert cycles(edges) == []
