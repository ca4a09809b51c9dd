"""The architecture's layers, enforced: each module imports only from below, and the big
libraries stay in their one place (ruamel in yamlio, rich in render/console, typer in cli,
jinja2 in render/export)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ksctl"

# Half steps order modules within one of DESIGN's layers (layout builds on model).
LAYER = {
    "diagnostics": 0,
    "labels": 0,
    "kinds": 0,
    "errors": 0,
    "model": 1,
    "layout": 1.5,
    "yamlio": 2,
    "discovery": 2,
    "registry": 2.5,
    "schemacheck": 3,
    "references": 3,
    "loader": 3.5,
    "cache": 3.8,
    "fingerprint": 2,
    "memory": 0,
    "dates": 0,
    "validation": 4.7,
    "incremental": 4.65,
    "match": 4,
    "codeowners": 4,
    "diffing": 4,
    "edit": 5,
    "affected": 4.5,
    "gitio": 2,
    "queries": 4.5,
    "schemagen": 4,
    "checks": 4.6,
    "render": 6,
    "cli": 7,
    "__main__": 8,
    "__init__": 0,
}

ONLY_IN = {
    "ruamel": {"yamlio"},
    "yaml": {"yamlio"},
    "rich": {"render.console"},
    "typer": {"cli"},
    "jinja2": {"render.export"},
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
            names.add(node.module)
            if node.module == "ksctl":
                names.update(
                    f"ksctl.{alias.name}"
                    for alias in node.names
                    if (PACKAGE / f"{alias.name}.py").exists() or (PACKAGE / alias.name).is_dir()
                )
    return names


def _layer(module: str) -> float:
    top = module.split(".")[0]
    if top not in LAYER:
        pytest.fail(f"module ksctl.{module} has no layer: add it to LAYER in this test")
    return LAYER[top]


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_module_imports_only_from_lower_layers(module: str, path: Path) -> None:
    mine = _layer(module)
    for name in _imports(path):
        if not name.startswith("ksctl.") or name == "ksctl":
            continue
        target = name.removeprefix("ksctl.")
        if target == "__init__" or target.split(".")[0] == module.split(".")[0]:
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
