"""The package's shape (DESIGN.md): imports point DOWN the layers, and no two modules import each other.

Every ``import`` and ``from … import`` of every module under varcheck/ is read from its source (module level and
inside functions alike: a function-level import is still an arrow), and each module must import only modules of
its own layer or below:

    errors, provenance  →  spec  →  exact  →  runtime  →  check  →  sweep  →  report  →  cli, bench, documentation

``varcheck/__init__.py`` and ``__main__`` are the top (the facade: they may import anything); the facades
``varcheck.targets`` and ``varcheck.strategies`` sit in the layer of what they re-export (runtime, check).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "varcheck"
LAYERS = ("base", "spec", "exact", "runtime", "check", "sweep", "report", "top")
#: Layer of each top-level module of varcheck/ (sub-packages are their own layer).
TOP_LEVEL = {"errors": "base", "provenance": "base", "targets": "runtime", "strategies": "check", "cli": "top",
             "bench": "top", "documentation": "top", "__main__": "top"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "top"  # varcheck/__init__.py, the facade
    if len(parts) == 2 and parts[1] in TOP_LEVEL:
        return TOP_LEVEL[parts[1]]
    return parts[1]


def import_graph() -> dict:
    """module → the varcheck modules it imports (resolved relative imports; ``from X import name`` where
    ``X.name`` is a module counts as importing that module)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    targets.add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def test_every_module_has_a_known_layer():
    unknown = sorted({_layer(m) for m in import_graph()} - set(LAYERS))
    assert not unknown, f"modules in unknown layers {unknown}: add them to LAYERS or TOP_LEVEL"


def test_imports_point_down_the_layers():
    graph = import_graph()
    upward = sorted((m, t) for m, targets in graph.items() for t in targets
                    if LAYERS.index(_layer(t)) > LAYERS.index(_layer(m)))
    assert not upward, "imports that point up a layer (module → import): " + "; ".join(f"{m} → {t}" for m, t in upward)


def test_no_import_cycles():
    graph = import_graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not cycles, f"modules that import each other: {cycles}"


def test_the_checker_sees_a_violation():
    """The walk is not vacuous: the graph holds the arrows it should, e.g. runtime → exact and cli → report."""
    graph = import_graph()
    assert "varcheck.exact.word_to_image" in graph["varcheck.runtime.word_to_image"]
    assert any(t.startswith("varcheck.report.") for t in graph["varcheck.cli"])
    assert _layer("varcheck.cli") == "top" and _layer("varcheck.report.html") == "report"
    assert LAYERS.index(_layer("varcheck.report.html")) > LAYERS.index(_layer("varcheck.check.mutants"))
