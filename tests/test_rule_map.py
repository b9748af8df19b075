"""The README's rule map names only things that exist.

Reviewers check the map line by line (DOMAIN.md rule -> the function that decides it, its SQL
twin, the test that pins it); this test checks the names for them: every dotted name in the
"Rule map" section imports, every `tests/...py::test_name` is a test function of that file and
every other path is a file of the repository. It also requires a row for every numbered
section of DOMAIN.md, so a section cannot be left out.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"`([^`]+)`")
DOTTED = re.compile(r"(?:domains|graph|loaders)(?:\.\w+)+")
TEST_NODE = re.compile(r"(tests/[\w/]+\.py)::(\w+)")
PATH = re.compile(r"(?:migrations|tests|domains|graph|loaders)/[\w/]+\.py")
SECTIONS = range(10)  # DOMAIN.md sections 0 to 9


def rule_map() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Rule map\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def rows() -> list[str]:
    return [line for line in rule_map().splitlines() if re.match(r"\| \d ", line)]


def resolve(dotted: str) -> object:
    """The object a dotted name names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name)
        return found
    raise ModuleNotFoundError(dotted)


@cache
def functions_of(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return frozenset(node.name for node in tree.body
                     if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def test_every_dotted_name_exists() -> None:
    names = {name for code in CODE.findall(rule_map()) for name in DOTTED.findall(code)
             if code == name}
    assert len(names) > 100
    missing = []
    for name in sorted(names):
        try:
            resolve(name)
        except (ImportError, AttributeError) as error:
            missing.append(f"{name}: {error}")
    assert missing == []


def test_every_test_named_exists() -> None:
    nodes = TEST_NODE.findall(rule_map())
    assert len(nodes) > 100
    missing = [f"{path}::{name}" for path, name in nodes
               if not (ROOT / path).is_file() or name not in functions_of(path)]
    assert missing == []


def test_every_path_named_exists() -> None:
    paths = {match for code in CODE.findall(rule_map()) for match in PATH.findall(code)}
    assert [path for path in sorted(paths) if not (ROOT / path).is_file()] == []


def test_every_section_of_domain_md_has_rows_naming_a_function_and_a_test() -> None:
    by_section = {section: [row for row in rows() if row.startswith(f"| {section} ")]
                  for section in SECTIONS}
    assert [section for section, found in by_section.items() if not found] == []
    for row in rows():
        cells = row.split(" | ")
        assert len(cells) == 4, row
        assert DOTTED.search(cells[1]), row
        assert TEST_NODE.search(cells[3]), row
