"""`ksctl fmt`, `ksctl new` and `ksctl codeowners`: the commands that write registry files.
None of them falls back to the registry bundled with ksctl."""

from pathlib import Path
from typing import Annotated

import typer

from ksctl import kinds
from ksctl.cli import complete
from ksctl.cli.common import RegistryOption, errors, fail, registry_root


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to format (default: the whole registry).", show_default=False
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; show the change each file needs and exit 1 if any does.",
        ),
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Put registry files in canonical form: keys in schema order, two-space indentation,
    minimal quoting, members sorted by role then the person's name (Swedish order); a
    byte-order mark and CRLF line endings are removed; every comment kept. Writes are
    atomic; a file that does not parse, or is not UTF-8, is left untouched and reported."""
    from ksctl import edit

    with errors():
        root = registry_root(registry, write=True)
        done = edit.format_files(root, paths or [], check=check)
    for shown, patch in done.changed:
        if check:
            typer.echo(f"{shown}: not in canonical form")
            typer.echo(patch, nl=False)
        else:
            typer.echo(f"{shown}: formatted")
    for shown, problem in done.failed:
        typer.echo(f"{shown}: {problem}", err=True)
    verb = "would be formatted" if check else "formatted"
    n = len(done.files)
    same = n - len(done.changed) - len(done.failed)
    typer.echo(
        f"{n} file{'s' if n != 1 else ''}: {len(done.changed)} {verb}, "
        f"{same} already canonical, {len(done.failed)} left untouched",
        err=True,
    )
    raise typer.Exit(1 if done.failed or (check and done.changed) else 0)


def new(
    kind: Annotated[
        str,
        typer.Argument(
            help="One of: "
            + kinds.described(tuple(k for k in kinds.entity_kinds() if kinds.get(k).places))
            + ".",
            autocompletion=complete.kind_words(with_files=True),
        ),
    ],
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The id, as the path gives it: akut-vard, orebro/akut-vard, akut-vard/sepsis.",
        ),
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="The name (or title).", show_default=False)
    ] = None,
    place: Annotated[
        str | None,
        typer.Option(
            "--in",
            metavar="PLACE",
            help="For a person, body or organisation: a region or healthcare region by id "
            "or name, as orebro, 'Region Örebro län' or healthcare-region:mellansverige "
            "(default: national; a person employed by a region or one of its "
            "municipalities, that region); or put the place first in the id: orebro/rmks.",
            show_default=False,
            autocompletion=complete.places,
        ),
    ] = None,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="Another field, e.g. --set county_code=18; a list or mapping in YAML's flow "
            "style, e.g. --set 'hosting=[{host: healthcare-region:vastra, from: 2026}]'.",
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """Scaffold a new entity at the right path with its id and required fields, check it
    against the schema, the references and the rules, and only then write it."""
    from ksctl import edit
    from ksctl.render import report

    fields: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise fail(f"--set {item!r}: write KEY=VALUE", 2)
        fields[key.strip()] = value.strip()
    with errors():
        root = registry_root(registry, write=True)
        made = edit.create(root, kind, ident, fields, name=name, place=place)
    for d in made.problems:
        typer.echo(report.text_line(d), err=True)
    if not made.written:
        raise fail(f"{made.shown} not written", 1)
    typer.echo(f"{made.shown}: created")


def codeowners(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if .github/CODEOWNERS differs; write nothing.")
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Generate .github/CODEOWNERS from the maintainers each folder's own file declares, so
    each folder's changes go to its owners."""
    from ksctl import codeowners as owners

    with errors():
        target, state = owners.sync(registry_root(registry, write=True), check=check)
    if state == "differs":
        raise fail(f"{target} is out of date; run `ksctl codeowners`", 1)
    typer.echo(f"{target}: {state}")
