"""The architecture's layers, enforced: each module imports only from below, and the big
libraries stay in their one place (ruamel in yamlio, rich in render/console, typer in cli,
jinja2 in render/export, feedgen in render/feed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ksctl"

# Fractions order modules within a layer (layout builds on model). CONTRIBUTING.md draws
# this table as the module graph.
LAYER = {
    # standard library only
    "__init__": 0,
    "diagnostics": 0,
    "labels": 0,
    "errors": 0,
    "kinds": 0,
    "dates": 0,
    "text": 0,
    "fast.memory": 0,
    # the models and where files live
    "model": 1,
    "layout": 1.5,
    # reading files
    "yamlio": 2,
    "discovery": 2,
    "gitio": 2,
    "fast.fingerprint": 2,
    "registry": 2.5,
    "domain": 2.6,
    "schemacheck": 3,
    "references": 3,
    "loader": 3.5,
    "result": 3.6,
    "fast.snapshot": 3.8,
    # the core: answers, rules, one validation, the fast path over it
    "match": 4,
    "codeowners": 4,
    "diffing": 4,
    "history": 4.1,
    "schemagen": 4,
    "rules": 4.2,
    "queries": 4.5,
    "pipeline": 4.6,
    "fast.scope": 4.62,
    "fast.rescope": 4.65,
    "fast.changed": 4.65,
    "fast": 4.7,
    "edit": 5,
    "render": 6,
    "cli": 7,
    "__main__": 8,
}

ONLY_IN = {
    "ruamel": {"yamlio"},
    "yaml": {"yamlio"},
    "rich": {"render.console"},
    "typer": {
        "cli",
        "cli.common",
        "cli.check",
        "cli.ask",
        "cli.publish",
        "cli.change",
        "cli.complete",
    },
    "jinja2": {"render.export"},
    "feedgen": {"render.feed"},
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"] or ["__init__"]
        out.append((".".join(parts), path))
    return out


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from ksctl.fast import scope` imports ksctl.fast.scope, not all of ksctl.fast
            folder = PACKAGE.joinpath(*node.module.split(".")[1:])
            modules = [
                f"{node.module}.{alias.name}"
                for alias in node.names
                if node.module.startswith("ksctl")
                and ((folder / f"{alias.name}.py").exists() or (folder / alias.name).is_dir())
            ]
            names.update(modules)
            if len(modules) < len(node.names):
                names.add(node.module)
    return names


def _layer(module: str) -> float:
    """A module's own layer, else its package's (every module of rules/ and render/ shares
    one; fast/ holds modules of several layers and names each)."""
    for name in (module, module.split(".")[0]):
        if name in LAYER:
            return LAYER[name]
    pytest.fail(f"module ksctl.{module} has no layer: add it to LAYER in this test")


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_module_imports_only_from_lower_layers(module: str, path: Path) -> None:
    mine = _layer(module)
    for name in _imports(path):
        if not name.startswith("ksctl.") or name == "ksctl":
            continue
        target = name.removeprefix("ksctl.")
        if target == "__init__" or (
            target.split(".")[0] == module.split(".")[0] and _layer(target) == mine
        ):
            continue
        assert _layer(target) < mine or module == "__init__", (
            f"ksctl.{module} (layer {mine}) imports ksctl.{target} (layer {_layer(target)})"
        )


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_big_libraries_stay_in_their_module(library: str) -> None:
    offenders = [
        module
        for module, path in _modules()
        if any(n == library or n.startswith(library + ".") for n in _imports(path))
        and module not in ONLY_IN[library]
    ]
    assert offenders == []


def test_the_layer_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "m.py"
    bad.write_text("from ruamel.yaml import YAML\nimport ksctl.cli\n")
    assert {"ruamel.yaml", "ksctl.cli"} <= _imports(bad)
