"""The layout holds: layers import only downwards, no import cycles, ``studio`` imports with its core
dependencies alone (never streamlit), and every module is small enough to read in one sitting."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.sample_rules import ROOT

STUDIO = ROOT / "studio"
# Lowest first: a module may import its own layer and the layers below it.
LAYERS = [("studio.errors", "studio.version"), ("studio.data",), ("studio.rules",), ("studio.engine",),
          ("studio.mining", "studio.explore"), ("studio.runtime",), ("studio.export",), ("studio.session",),
          ("studio.cli", "studio.__main__", "studio")]
EXTRAS = {"studio.explore.figures": "plotly", "studio.runtime.serve": "starlette", "studio.runtime.http_guard": "uvicorn"}  # the app and serve extras
MAX_LINES = 300


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(STUDIO.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST):
    """Every node, except those under ``if TYPE_CHECKING:`` (annotations only, never imported)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(name: str, path: Path) -> set[str]:
    """Every studio module ``name`` imports when it runs, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    known = modules()
    out = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        out |= {t for t in targets if t in known and t != name}
    return out


def layer(name: str) -> int:
    best = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + ".") and prefix != "studio":
                best = rank if best is None else max(best, rank)
    return best if best is not None else len(LAYERS) - 1


def test_every_module_has_a_layer():
    top = {n for n in modules() if layer(n) == len(LAYERS) - 1}
    assert top == {"studio", "studio.__main__"} | {n for n in modules() if n.startswith("studio.cli")}


def test_layers_import_only_downwards():
    upward = [(name, target) for name, path in modules().items() for target in imports_of(name, path)
              if layer(target) > layer(name)]
    assert upward == []


def test_no_import_cycles():
    graph = {name: imports_of(name, path) for name, path in modules().items()}
    # a package's __init__ re-exporting its own modules is not a cycle with them
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


BLOCKER = """
import importlib, importlib.abc, sys
BLOCKED = {"streamlit", "plotly", "hiplot", "starlette", "uvicorn"}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not a core dependency")
sys.meta_path.insert(0, Blocker())
for name in sys.argv[1:]:
    importlib.import_module(name)
import studio.explore.hiplot  # hiplot itself is imported only when an experiment is built
print("ok", len(sys.argv) - 1)
"""


def test_studio_imports_with_its_core_dependencies_alone():
    names = [n for n in modules() if n not in EXTRAS and n != "studio.__main__"]
    proc = subprocess.run([sys.executable, "-c", BLOCKER, *names], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == f"ok {len(names)}"
    for name, extra in EXTRAS.items():  # and the extras' modules need their extra
        proc = subprocess.run([sys.executable, "-c", BLOCKER, name], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode != 0 and extra in proc.stderr


@pytest.mark.parametrize("folder", ["studio", "pages"])
def test_modules_are_short(folder):
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / folder).rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}
