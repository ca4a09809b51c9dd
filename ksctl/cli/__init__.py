"""The command line: the only package that imports typer, prints and exits.

Each command parses its options, calls the core, hands the result to a renderer and exits
with the documented code: 0 clean or warnings only, 1 errors (or warnings under --strict),
2 usage, 3 environment. Commands live in modules by what they do (`check`, `ask`,
`publish`, `change`), named in `COMMANDS`; `main` builds an app holding only the command
asked for, so that a query pays neither for the other commands' signatures nor for their
imports. Heavy modules are imported inside the commands.
"""

# No `from __future__ import annotations` here: typer would evaluate every string
# annotation at start-up, which costs a query about ten milliseconds.
import os
import sys
from importlib import import_module
from typing import Annotated, Any

import typer

from ksctl import __version__

# name -> (module under ksctl.cli, function), in the order `ksctl --help` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("check", "validate"),
    "who-hosts": ("ask", "who_hosts"),
    "show": ("ask", "show"),
    "list": ("ask", "list_"),
    "search": ("ask", "search"),
    "members": ("ask", "members"),
    "person": ("ask", "person"),
    "explain": ("ask", "explain"),
    "stats": ("ask", "stats"),
    "due": ("ask", "due"),
    "export": ("publish", "export"),
    "diff": ("publish", "diff"),
    "fmt": ("change", "fmt"),
    "new": ("change", "new"),
    "codeowners": ("change", "codeowners"),
    "schema": ("check", "schema"),
}

HELP = (
    "Keep, check and publish the Swedish national system for knowledge management in "
    "health care (Nationellt system för kunskapsstyrning hälso- och sjukvård) as a "
    "git-versioned YAML registry."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ksctl {__version__}")
        raise typer.Exit()


def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    pass


def build(names: list[str] | None = None) -> typer.Typer:
    """The Typer app with the commands `names` (default: all of them)."""
    app = typer.Typer(
        name="ksctl",
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_main)
    for name in names if names is not None else list(COMMANDS):
        module, function = COMMANDS[name]
        app.command(name)(getattr(import_module(f"ksctl.cli.{module}"), function))
    return app


def __getattr__(name: str) -> Any:
    """`ksctl.cli.app`: every command, for tests and for Typer's own tools."""
    if name == "app":
        return build()
    raise AttributeError(name)


def main() -> None:
    """Run the command line. Only the command asked for is built (`--help` and shell
    completion build them all). The process is short-lived and what it reads makes no
    cycles worth collecting, so the cyclic garbage collector stays off (see fast.memory)."""
    import gc

    gc.disable()
    # pydantic looks for plugins among every installed distribution's entry points when it
    # first builds a model (a tenth of a re-check after one change); ksctl uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    words = [a for a in sys.argv[1:2] if not a.startswith("-")]
    completing = "_KSCTL_COMPLETE" in os.environ
    wanted = words[0] if words and words[0] in COMMANDS and not completing else None
    build([wanted] if wanted else None)()
