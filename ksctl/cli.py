"""The command line. The only module that imports typer, prints and exits.

Each command parses its options, calls the core, hands the result to a renderer and
exits with the documented code: 0 clean or warnings only, 1 errors (or warnings under
--strict), 2 usage, 3 environment. Heavy modules are imported inside the commands, so
`ksctl --help` and the queries start fast.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ksctl import __version__
from ksctl.errors import KsctlError, UsageError

if TYPE_CHECKING:
    from ksctl.diagnostics import Diagnostic

app = typer.Typer(
    name="ksctl",
    help="Keep, check and publish the Swedish national system for knowledge management in "
    "health care (Nationellt system för kunskapsstyrning hälso- och sjukvård) as a "
    "git-versioned YAML registry.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        "-r",
        help="The registry folder (holding ksctl.yaml), or a folder with registry/ in it. "
        "Default: $KSCTL_REGISTRY, else the nearest registry/ above the current folder, "
        "else the registry bundled with ksctl.",
        show_default=False,
    ),
]


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"ksctl: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the few run-stopping exceptions into a message and their exit code."""
    try:
        yield
    except KsctlError as exc:
        raise _fail(str(exc), exc.exit_code) from None


def _registry_root(registry: Path | None) -> Path:
    from ksctl.discovery import find_registry

    return find_registry(registry, os.environ, Path.cwd())


def _select(diagnostics: list[Diagnostic], paths: list[Path], base: Path) -> list[Diagnostic]:
    """Only the diagnostics of files under `paths` (the registry is still loaded whole)."""
    wanted = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
        resolved = p.resolve()
        if not resolved.is_relative_to(base.resolve()):
            raise UsageError(f"{p} is outside the repository of the registry ({base})")
        wanted.append(resolved.relative_to(base.resolve()).as_posix())

    def keep(d: Diagnostic) -> bool:
        return any(w in (".", d.path) or d.path.startswith(w.rstrip("/") + "/") for w in wanted)

    return [d for d in diagnostics if keep(d)]


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Only report on these files or folders (default: all).", show_default=False
        ),
    ] = None,
    registry: RegistryOption = None,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text for people, github for workflow annotations, json for programs.",
        ),
    ] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
) -> None:
    """Check the registry: YAML, schemas, ids and references.

    Every problem is reported as path:line:col: severity[CODE] message. Exit 0 when clean
    or only warnings, 1 on errors (or warnings with --strict), 2 on bad usage, 3 when no
    registry is found.
    """
    from ksctl import loader
    from ksctl.diagnostics import Severity
    from ksctl.render import report

    with _errors():
        root = _registry_root(registry)
        result = loader.load(root)
        diagnostics = result.diagnostics
        if paths:
            diagnostics = _select(diagnostics, paths, result.registry.base)
    worst = max((d.severity for d in diagnostics), default=None)
    failed = worst is not None and (
        worst >= Severity.ERROR or (strict and worst >= Severity.WARNING)
    )
    if output_format is Format.json:
        typer.echo(report.json_document(diagnostics, ok=not failed))
    elif output_format is Format.github:
        for d in diagnostics:
            typer.echo(report.github_line(d))
        typer.echo(report.summary(diagnostics, result.files), err=True)
    elif sys.stdout.isatty():
        from ksctl.render.console import print_diagnostics

        print_diagnostics(diagnostics, result.files)
    else:
        for d in diagnostics:
            typer.echo(report.text_line(d))
        typer.echo(report.summary(diagnostics, result.files))
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema(
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 1 if schemas/ differs from the models; write nothing."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write to (default: schemas/ beside the registry).",
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """Write one JSON Schema per kind of registry file, generated from the models.

    Editors that speak yaml-language-server complete and check registry files with them.
    """
    from ksctl import schemagen

    with _errors():
        folder = out if out is not None else _registry_root(registry).parent / "schemas"
    if check:
        problems = schemagen.drift(folder)
        for p in problems:
            typer.echo(f"{folder / p}", err=True)
        if problems:
            raise _fail(f"{folder} is out of date; run `ksctl schema` to regenerate", 1)
        typer.echo(f"{folder}: up to date")
        return
    written = schemagen.write(folder)
    typer.echo(
        f"{folder}: {len(written)} schema files written" if written else f"{folder}: up to date"
    )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ksctl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    pass


def main() -> None:
    app()
