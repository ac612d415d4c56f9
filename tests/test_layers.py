"""The package's shape (README "Layout"): imports point DOWN the layers, no two modules import each other, no private
name crosses a package boundary, and the layers below runtime import no torch.

Every ``import`` and ``from … import`` of every module under varcheck/ is read from its source (module level and
inside functions alike: a function-level import is still an arrow), and each module must import only modules of
its own layer or below:

    errors, provenance  →  theory  →  exact  →  runtime  →  claims  →  sweep  →  report  →  cli, bench, documentation

``varcheck/__init__.py`` and ``__main__`` are the top (the facade: they may import anything), and so are the
deprecated aliases ``varcheck.spec`` and ``varcheck.check``; the facades ``varcheck.targets`` and
``varcheck.strategies`` sit in the layer of what they re-export (runtime, claims). A private name (one leading
underscore) is used only inside its own package: neither ``from varcheck.x.y import _name`` nor ``module._name``
(nor ``setattr(module, "_name", …)``) on a varcheck module of another package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "varcheck"
LAYERS = ("base", "theory", "exact", "runtime", "claims", "sweep", "report", "top")
#: Layer of each top-level module or package of varcheck/ whose name is not its layer.
TOP_LEVEL = {"errors": "base", "provenance": "base", "targets": "runtime", "strategies": "claims", "cli": "top",
             "bench": "top", "documentation": "top", "__main__": "top", "spec": "top", "check": "top"}
#: The layers that must not import torch: torch enters at runtime.
TORCH_FREE = ("base", "theory", "exact")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "top"  # varcheck/__init__.py, the facade
    return TOP_LEVEL.get(parts[1], parts[1])


def _package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


class _Module:
    """One source file: its name, package, syntax tree and the varcheck modules it binds to names."""

    def __init__(self, path: Path, root: Path, names: set):
        self.path, self.name = path, _module_name(path, root)
        self.is_package = path.name == "__init__.py"
        self.package = _package_of(self.name, self.is_package)
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.imports: list = []  # (target module, imported name or None, line)
        self.aliases: dict = {}  # local name -> varcheck module it is bound to
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = self.package.split(".")[: len(self.package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in names:
                        self.imports.append((sub, None, node.lineno))
                        self.aliases[alias.asname or alias.name] = sub
                    else:
                        self.imports.append((target, alias.name, node.lineno))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports.append((alias.name, None, node.lineno))
                    if alias.name in names:
                        if alias.asname:
                            self.aliases[alias.asname] = alias.name
                        else:
                            self.aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]


def load_modules(root: Path = PACKAGE) -> dict:
    """name -> _Module for every .py file under ``root`` (a package directory)."""
    paths = sorted(root.rglob("*.py"))
    names = {_module_name(p, root) for p in paths}
    return {m.name: m for m in (_Module(p, root, names) for p in paths)}


def import_graph(modules: dict | None = None) -> dict:
    """module → the varcheck modules it imports (resolved relative imports; ``from X import name`` where ``X.name``
    is a module counts as importing that module)."""
    modules = load_modules() if modules is None else modules
    return {name: {t for t, _, _ in m.imports if t in modules and t != name} for name, m in modules.items()}


def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id] + parts[::-1])
    return None


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_crossings(modules: dict | None = None) -> list:
    """(module, line, what) for every private name used from a varcheck module of another package."""
    modules = load_modules() if modules is None else modules
    out = []
    for m in modules.values():
        for target, name, line in m.imports:
            if name and _private(name) and target in modules and modules[target].package != m.package:
                out.append((m.name, line, f"from {target} import {name}"))

        def owner(expr):
            """The varcheck module an expression names (through the module's import aliases), or None."""
            dotted = _dotted(expr)
            if dotted is None:
                return None
            head, *rest = dotted.split(".")
            if head not in m.aliases:
                return None
            module = m.aliases[head]
            for part in rest:
                if f"{module}.{part}" not in modules:
                    return None
                module = f"{module}.{part}"
            return module

        for node in ast.walk(m.tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                target = owner(node.value)
                if target and modules[target].package != m.package:
                    out.append((m.name, node.lineno, f"{target}.{node.attr}"))
            elif isinstance(node, ast.Call) and len(node.args) >= 2:
                name = node.args[1]
                if isinstance(name, ast.Constant) and isinstance(name.value, str) and _private(name.value):
                    target = owner(node.args[0])
                    if target and modules[target].package != m.package:
                        out.append((m.name, node.lineno, f"{_dotted(node.func)}({target}, {name.value!r})"))
    return sorted(out)


def torch_imports(modules: dict | None = None) -> list:
    """(module, line, import) for every torch import (module level or in a function) of a torch-free layer."""
    modules = load_modules() if modules is None else modules
    out = []
    for m in modules.values():
        if _layer(m.name) not in TORCH_FREE:
            continue
        for target, name, line in m.imports:
            dotted = f"{target}.{name}" if name else target
            if dotted.split(".")[0] == "torch" or ".torch" in dotted:
                out.append((m.name, line, dotted))
    return sorted(out)


def upward_imports(graph: dict) -> list:
    return sorted((m, t) for m, targets in graph.items() for t in targets
                  if LAYERS.index(_layer(t)) > LAYERS.index(_layer(m)))


def test_every_module_has_a_known_layer():
    unknown = sorted({_layer(m) for m in import_graph()} - set(LAYERS))
    assert not unknown, f"modules in unknown layers {unknown}: add them to LAYERS or TOP_LEVEL"


def test_imports_point_down_the_layers():
    upward = upward_imports(import_graph())
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


def test_no_private_name_crosses_a_package_boundary():
    crossings = private_crossings()
    assert not crossings, "private names used from another package: " + "; ".join(
        f"{m}:{line} {what}" for m, line, what in crossings)


def test_the_layers_below_runtime_import_no_torch():
    found = torch_imports()
    assert not found, "torch imported below the runtime layer: " + "; ".join(f"{m}:{line} {t}" for m, line, t in found)


def test_the_checker_sees_a_violation(tmp_path):
    """The walks are not vacuous: they find the arrows of the real package, and every kind of violation planted in
    a small package of the same shape."""
    graph = import_graph()
    assert "varcheck.exact.word_to_image" in graph["varcheck.runtime.word_to_image_network"]
    assert any(t.startswith("varcheck.report.") for t in graph["varcheck.cli"])
    assert _layer("varcheck.cli") == "top" and _layer("varcheck.report.html") == "report"
    assert LAYERS.index(_layer("varcheck.report.html")) > LAYERS.index(_layer("varcheck.claims.mutation"))

    root = tmp_path / "varcheck"
    files = {
        "__init__.py": "",
        "exact/__init__.py": "",
        "exact/ok.py": "def f():\n    return 1\n",
        "exact/bad.py": ("from ..runtime.net import _hidden\nfrom ..runtime import net\n\n\ndef g():\n"
                         "    import torch.nn\n    setattr(net, '_other', 1)\n    return net._weights, torch.nn\n"),
        "runtime/__init__.py": "",
        "runtime/net.py": "import torch\n\nfrom ..exact import ok\nfrom .helpers import _shared\n\n_weights = 1\n",
        "runtime/helpers.py": "_shared = 2\n",
        "theory/__init__.py": "",
        "theory/t.py": "from safetensors.torch import save_file\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    planted = load_modules(root)
    assert upward_imports(import_graph(planted)) == [("varcheck.exact.bad", "varcheck.runtime.net")]
    crossings = private_crossings(planted)
    assert [(m, what) for m, _, what in crossings] == [
        ("varcheck.exact.bad", "from varcheck.runtime.net import _hidden"),
        ("varcheck.exact.bad", "setattr(varcheck.runtime.net, '_other')"),
        ("varcheck.exact.bad", "varcheck.runtime.net._weights"),
    ]  # runtime.net's own use of runtime.helpers._shared stays inside its package
    assert [(m, t) for m, _, t in torch_imports(planted)] == [("varcheck.exact.bad", "torch.nn"),
                                                              ("varcheck.theory.t", "safetensors.torch.save_file")]
