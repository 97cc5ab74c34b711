"""What each layer imports: the engine, lessons, export and CLI never textual or rich; a lesson only when used.

Inside the engine, no module imports another that (through others) imports it back.
"""

import ast
import subprocess
import sys
from pathlib import Path

CHECK = """
import sys
import backprop_tui.engine
engine = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
import backprop_tui.lessons, backprop_tui.export, backprop_tui.__main__
rest = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
print(len(engine), len(rest))
"""


def test_engine_lessons_export_and_cli_import_no_ui():
    # a fresh interpreter: this pytest process may already hold textual from the UI tests
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "0"]


LAZY = """
import sys
from backprop_tui.lessons import LESSONS, MlpOptions
LESSONS["mlp"].build(MlpOptions())
import backprop_tui.ui.app
print(" ".join(sorted(m for m in sys.modules if m.startswith("backprop_tui.lessons."))))
print("numpy.random" in sys.modules)
"""


def test_opening_one_lesson_loads_no_other_and_no_numpy_random():
    # start-up pays only for the lesson it shows; the registry alone names them all
    result = subprocess.run([sys.executable, "-c", LAZY], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    modules, random_loaded = result.stdout.splitlines()
    loaded = set(modules.split())
    assert "backprop_tui.lessons.mlp" in loaded
    others = {f"backprop_tui.lessons.{name}" for name in ("graph", "symmetry", "methods", "chain", "expr")}
    assert not loaded & others
    assert random_loaded == "False", "numpy.random alone costs the first frame about 3 MB and 10 ms"


# --- inside the engine: modules import each other in layers, never in a circle ---

ENGINE = Path(__file__).resolve().parents[2] / "backprop_tui" / "engine"


def engine_imports() -> tuple[dict[str, set[str]], set[str]]:
    """Each engine module with the engine modules it imports anywhere (in functions too), and every other import."""
    graph: dict[str, set[str]] = {}
    others: set[str] = set()
    for path in sorted(ENGINE.glob("*.py")):
        targets = graph[path.stem] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                # from .graph import Node, or from . import ops
                targets.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
            elif isinstance(node, ast.ImportFrom):
                others.add("." * node.level + (node.module or ""))
            elif isinstance(node, ast.Import):
                others.update(a.name for a in node.names)
        targets.discard("__init__")  # the package itself runs before any of its modules
    return graph, others


def circle(graph: dict[str, set[str]]) -> set[str]:
    """The modules left on an import circle: peel off those whose imports are all peeled, until none or stuck."""
    left = dict(graph)
    while True:
        free = [name for name, imports in left.items() if not imports & left.keys()]
        if not free:
            return set(left)
        for name in free:
            del left[name]


def test_circle_finds_a_hidden_circle():
    assert circle({"graph": {"ops"}, "trace": {"graph"}, "ops": set()}) == set()
    assert circle({"graph": {"trace"}, "trace": {"graph", "ops"}, "ops": set(), "expr": {"graph"}}) == {
        "graph",
        "trace",
        "expr",
    }


def test_engine_modules_import_each_other_without_a_circle_and_nothing_else_of_ours():
    graph, others = engine_imports()
    assert {"arrays", "graph", "passes", "trace", "ops", "expr"} <= graph.keys()
    assert circle(graph) == set()
    outside = {name for name in others if name.startswith(".") or name.split(".")[0] == "backprop_tui"}
    assert outside == set(), "the engine imports only itself, numpy and the standard library"
    third_party = {name.split(".")[0] for name in others} - set(sys.stdlib_module_names)
    assert third_party <= {"numpy"}


# --- the whole package: no module imports another that leads back to it ---

PACKAGE = ENGINE.parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """The modules of ours that `from … import …` loads: the named module, or each imported name that is one."""
    base = importer if is_package else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    target = ".".join(p for p in (base if node.level else "", node.module or "") if p)
    if not target.startswith("backprop_tui"):
        return []
    found = [target]
    for alias in node.names:
        candidate = f"{target}.{alias.name}"
        if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists():
            found.append(candidate)
    return found


def package_imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        targets = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                targets.update(resolve(name, path.stem == "__init__", node))
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("backprop_tui"))
        targets.discard(name)
    return graph


def test_no_module_of_the_package_is_on_an_import_circle():
    graph = package_imports()
    assert {"backprop_tui.cli", "backprop_tui.lessons.options", "backprop_tui.ui.app"} <= graph.keys()
    assert circle(graph) == set()
