"""--help is user documentation, and the README documents every command and code."""

from __future__ import annotations

import pytest
import typer.main
from conftest import REPO

from ksctl.cli import app
from ksctl.diagnostics import CODES
from ksctl.render.report import codes_table

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


def test_readme_code_table_is_generated_from_the_code_list() -> None:
    assert codes_table() in README, "paste render.report.codes_table() into the README"
    for code in CODES:
        assert f"| {code} |" in README
