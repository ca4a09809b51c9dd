"""--help is user documentation, and the README documents every command and code."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import typer.main
from conftest import REPO, build_tree

from ksctl import kinds, layout, pipeline
from ksctl.cli import app
from ksctl.diagnostics import CODES, Severity
from ksctl.render.report import codes_table, text_line

COMMAND = typer.main.get_command(app)
COMMANDS = sorted(COMMAND.commands)  # type: ignore[attr-defined]
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_every_option_too(name: str) -> None:
    command = COMMAND.commands[name]  # type: ignore[attr-defined]
    assert command.help and len(command.help) > 40, f"ksctl {name} needs a real help text"
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"ksctl {name} {param.opts[0]} has no help"


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_every_command(name: str) -> None:
    assert f"`ksctl {name}" in README


DIAGNOSTICS = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")


def test_the_code_table_is_generated_from_the_code_list() -> None:
    assert codes_table() in DIAGNOSTICS, (
        "paste render.report.codes_table() into docs/diagnostics.md"
    )
    for code in CODES:
        assert f"| {code} |" in DIAGNOSTICS


FORMAT = (REPO / "docs" / "registry-format.md").read_text(encoding="utf-8")


def _examples() -> dict[str, str]:
    """The example files of docs/registry-format.md: path -> text."""
    found = re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", FORMAT, flags=re.S)
    return dict(found)


def test_the_format_page_has_an_example_of_every_kind_of_file() -> None:
    located = {layout.locate(p.removeprefix("registry/")) for p in _examples()}
    kinds_shown = {where.kind for where in located if where is not None}
    assert None not in located
    assert kinds_shown == set(kinds.file_kinds())
    text = " ".join(_examples().values())
    for shown in ("not-established", "conflict_of_interest", "mandate_years", "steps:", "as_of"):
        assert shown in text


def test_the_format_pages_examples_are_a_valid_registry(tmp_path: Path) -> None:
    """Every example, written out together, validates with no error and no warning."""
    build_tree(tmp_path, _examples())
    result = pipeline.validate(tmp_path / "registry", datetime.date(2026, 12, 2))
    assert [text_line(d) for d in result.diagnostics if d.severity >= Severity.WARNING] == []
