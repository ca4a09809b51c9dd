"""The command line builds only the command asked for: a query pays neither for the other
commands' signatures nor for their modules. No Typer internals are involved: `build` hands
Typer the one function, so a Typer release cannot break this silently."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import NATIONAL_FIXTURE

from ksctl import cli


def test_build_registers_exactly_the_commands_asked_for() -> None:
    one = cli.build(["who-hosts"])
    assert [c.name for c in one.registered_commands] == ["who-hosts"]
    every = cli.build()
    assert [c.name for c in every.registered_commands] == list(cli.COMMANDS)


def test_every_command_is_in_the_table_once_with_a_function() -> None:
    for name, (module, function) in cli.COMMANDS.items():
        assert callable(getattr(__import__(f"ksctl.cli.{module}", fromlist=["x"]), function)), name


@pytest.mark.parametrize(
    ("argv", "loaded", "not_loaded"),
    [
        (["who-hosts", "akut"], "ksctl.cli.ask", "ksctl.cli.publish"),
        (["validate"], "ksctl.cli.check", "ksctl.cli.ask"),
        (["--help"], "ksctl.cli.publish", None),
    ],
)
def test_main_imports_only_the_module_of_the_command(argv, loaded, not_loaded, tmp_path) -> None:
    probe = (
        "import sys\n"
        f"sys.argv = ['ksctl', *{argv!r}, '--registry', {str(NATIONAL_FIXTURE)!r}]\n"
        "from ksctl.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('ksctl.cli.')))\n"
    )
    if argv == ["--help"]:
        probe = probe.replace(", '--registry', " + repr(str(NATIONAL_FIXTURE)), "")
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={"KSCTL_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    modules = done.stdout.strip().splitlines()[-1]
    assert loaded in modules, done.stdout + done.stderr
    if not_loaded:
        assert not_loaded not in modules
