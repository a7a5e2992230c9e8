"""The package layout's rules, checked on the source (issue 11): no import cycles, each module imports
only from its own layer or the layers below, no private name imported across packages, and the heavy
libraries only where they belong. docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "newsnlp"

#: package (the first two dotted parts of a module) -> layer; a module may import its own layer and below
LAYERS = {
    "newsnlp.errors": 0, "newsnlp.types": 0, "newsnlp._util": 0, "newsnlp._compat": 0, "newsnlp.version": 0,
    "newsnlp.lexicon": 0,
    "newsnlp.config": 1, "newsnlp.protocols": 1, "newsnlp.device": 1, "newsnlp.resources": 1, "newsnlp.text": 1,
    "newsnlp.article": 1, "newsnlp.frontmatter": 1, "newsnlp.archive": 1,
    "newsnlp.summarization": 2, "newsnlp.keywords": 2, "newsnlp.entities": 2, "newsnlp.metrics": 2,
    "newsnlp.baselines": 2,
    "newsnlp.parallel": 3, "newsnlp.analyzer": 3,
    "newsnlp.batch": 4, "newsnlp.evaluation": 4, "newsnlp.report": 4,
    "newsnlp.cli": 5, "newsnlp.train": 5,
}
#: the three stages sit side by side: none imports another
STAGES = {"newsnlp.summarization", "newsnlp.keywords", "newsnlp.entities"}
#: the only modules that may import torch or transformers (inside functions)
BACKENDS = ("newsnlp.device", "newsnlp.entities.backends.", "newsnlp.summarization.abstractive", "newsnlp.summarization.pegasus_tokenizer",
            "newsnlp.train.")
HEAVY = {"torch", "transformers", "datasets", "pyarrow", "ray", "pandas", "matplotlib", "huggingface_hub"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _imports(module: str):
    """(line, imported module, imported names, at module level) for every import in ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # imports under `if TYPE_CHECKING:` at module level count as module level
        if isinstance(node, ast.If):
            top_level.update(id(n) for n in node.body)
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, [], id(node) in top_level
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            # `from pkg import submodule` imports the submodule
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if subs:
                for sub in subs:
                    yield node.lineno, sub, [], id(node) in top_level
                names = [n for n in names if f"{target}.{n}" not in MODULES]
                if not names:
                    continue
            yield node.lineno, target, names, id(node) in top_level


def _internal_edges():
    edges = defaultdict(set)
    for module in MODULES:
        for _, target, _, _ in _imports(module):
            if target in MODULES and target != module and target != "newsnlp":
                edges[module].add(target)
    return edges


def test_the_checker_sees_the_whole_package():
    assert {"newsnlp.analyzer", "newsnlp.batch", "newsnlp.entities.extractor", "newsnlp.text.segmentation"} <= set(MODULES)
    unplaced = sorted({_package(m) for m in MODULES} - set(LAYERS) - {"newsnlp"})
    assert not unplaced, f"place these packages in a layer (tests/test_layering.py LAYERS, docs/architecture.md): {unplaced}"


def _cycles(edges) -> list[list[str]]:
    cycles, state, stack = [], {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b", "c"}, "b": {"c"}}) == []


def test_no_import_cycles_counting_lazy_imports():
    """A cycle hidden by importing one side inside a function is still a cycle."""
    cycles = _cycles(_internal_edges())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_version_has_one_home_and_pyproject_agrees():
    from newsnlp.version import __version__

    import newsnlp

    pyproject = (ROOT.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert newsnlp.__version__ == __version__
    assert f'\nversion = "{__version__}"\n' in pyproject


def test_nothing_inside_imports_the_public_facade():
    """``newsnlp/__init__`` is for users; modules import the module that holds a name."""
    offenders = [f"{m}:{line}" for m in MODULES if m != "newsnlp"
                 for line, target, _, _ in _imports(m) if target == "newsnlp"]
    assert not offenders, f"import from the home module (e.g. newsnlp.version), not from newsnlp: {offenders}"


def test_each_module_imports_only_its_layer_and_below():
    offenders = []
    for module in MODULES:
        own = _package(module)
        if own == "newsnlp":
            continue
        for line, target, _, _ in _imports(module):
            theirs = _package(target)
            if not target.startswith("newsnlp.") or theirs == own:
                continue
            if LAYERS.get(theirs, 99) > LAYERS[own]:
                offenders.append(f"{module}:{line} (layer {LAYERS[own]}) imports {target} (layer {LAYERS[theirs]})")
            elif own in STAGES and theirs in STAGES:
                offenders.append(f"{module}:{line}: stage {own} imports stage {theirs}")
    assert not offenders, "\n".join(offenders)


def test_no_private_name_is_imported_across_packages():
    offenders = []
    for module in MODULES:
        for line, target, names, _ in _imports(module):
            if not target.startswith("newsnlp") or _package(target) == _package(module):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                offenders.append(f"{module}:{line} imports {private} from {target}")
    assert not offenders, "make these public in their home module:\n" + "\n".join(offenders)


def test_torch_and_transformers_only_in_backends_and_heavy_libraries_only_inside_functions():
    offenders = []
    for module in MODULES:
        for line, target, _, top in _imports(module):
            root = target.split(".")[0]
            if root in {"torch", "transformers"} and not module.startswith(BACKENDS):
                offenders.append(f"{module}:{line} imports {target} outside a back-end module")
            if root in HEAVY and top:
                offenders.append(f"{module}:{line} imports {target} at module level (import it inside the function)")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("source,expected", [
    ("from .a import _x\n", [(1, "newsnlp.p.a", ["_x"], True)]),
    ("def f():\n    import torch\n", [(2, "torch", [], False)]),
    ("from .. import errors\n", [(1, "newsnlp.errors", [], True)]),
])
def test_the_import_reader_resolves_relative_and_lazy_imports(tmp_path, monkeypatch, source, expected):
    pkg = tmp_path / "newsnlp" / "p"
    pkg.mkdir(parents=True)
    (pkg / "m.py").write_text(source, encoding="utf-8")
    (pkg / "a.py").write_text("", encoding="utf-8")
    monkeypatch.setitem(MODULES, "newsnlp.p.m", pkg / "m.py")
    monkeypatch.setitem(MODULES, "newsnlp.errors", tmp_path / "newsnlp" / "errors.py")
    assert list(_imports("newsnlp.p.m")) == expected
