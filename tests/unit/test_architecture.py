"""The import graph of ``src/newsaudio`` has no circle and every arrow points down a floor.

The graph is built from the modules' own source with :mod:`ast` (imports at the top, inside
functions and under ``TYPE_CHECKING`` alike; ``from . import x`` resolved against the
package), not from a hand-kept list, so a new module is checked the day it lands. The floors
are the ones ``docs/architecture.md`` draws.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "newsaudio"


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every ``.py`` under ``src/newsaudio``."""
    files: dict[str, Path] = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


def imported_names(name: str, path: Path) -> Iterator[str]:
    """Every absolute dotted name ``name``'s source imports, at any depth of the tree."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = here.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts)
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            yield base
            for alias in node.names:
                yield f"{base}.{alias.name}"


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports (the most specific module an import names)."""
    files = module_files()
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        for target in imported_names(name, path):
            if target in files and target != name:
                graph[name].add(target)
    # ``from newsaudio.x import y`` names both newsaudio.x and newsaudio.x.y: when y is a
    # module, the arrow goes to y alone.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not any(o.startswith(t + ".") for o in targets)}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as ``[a, b, ..., a]``, or None when the graph has none."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = grey
        stack.append(node)
        for target in sorted(graph[node]):
            if colour[target] == grey:
                return [*stack[stack.index(target) :], target]
            if colour[target] == white and (found := visit(target)):
                return found
        stack.pop()
        colour[node] = black
        return None

    for start in sorted(graph):
        if colour[start] == white and (found := visit(start)):
            return found
    return None


def test_the_graph_sees_imports_at_every_depth() -> None:
    graph = import_graph()
    assert "newsaudio.errors" in graph["newsaudio.cli"]
    assert len(graph) > 100


def test_no_import_circle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_find_cycle_reports_the_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# The stage floors never reach up to what runs them, configures them or publishes them.
STAGES = ("text", "tts", "audio", "loaders", "sources", "summarize")
ABOVE_STAGES = ("pipeline", "commands", "config", "publish", "executors", "cli")


def _under(module: str, package: str) -> bool:
    full = f"{PACKAGE}.{package}"
    return module == full or module.startswith(full + ".")


@pytest.mark.parametrize("stage", STAGES)
def test_stages_do_not_import_the_floors_above(stage: str) -> None:
    graph = import_graph()
    upward = sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        if _under(name, stage)
        for target in targets
        if any(_under(target, high) for high in ABOVE_STAGES)
    )
    assert upward == []


def test_ground_floor_imports_nothing_of_the_house() -> None:
    graph = import_graph()
    ground = {f"{PACKAGE}.errors", f"{PACKAGE}.models", f"{PACKAGE}.show"}
    for name in ground & graph.keys():
        assert graph[name] <= ground, f"{name} imports {sorted(graph[name] - ground)}"


def test_run_options_are_built_in_one_place() -> None:
    """Every command builds its run's options with ``AddOptions.from_show``: no module but
    the one defining it calls ``AddOptions(...)`` by hand (they used to differ)."""
    by_hand = sorted(
        name
        for name, path in module_files().items()
        if name != f"{PACKAGE}.pipeline.context"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "AddOptions"
    )
    assert by_hand == []
