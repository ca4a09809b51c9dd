"""`ksctl validate` and `ksctl schema`: checking the registry, and the editors' schemas."""

from pathlib import Path
from typing import Annotated

import typer

from ksctl.cli.common import AtOption, Format, NoCacheOption, RegistryOption, day, errors, fail
from ksctl.cli.common import registry_root as find_root


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
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Only report on files changed "
            "since this git revision and the files that refer to them.",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    at: AtOption = None,
) -> None:
    """Check the registry: YAML, schemas, ids, references and the rules of
    kunskapsstyrning (hosting, composition, mirroring, mandates, jäv, handling, sources).

    Every problem is reported as path:line:col: severity[CODE] message. Exit 0 when clean
    or only warnings, 1 on errors (or warnings with --strict), 2 on bad usage, 3 when no
    registry is found.
    """
    import datetime

    from ksctl import fast
    from ksctl.render import report
    from ksctl.result import under

    when = datetime.date.fromisoformat(day(at))
    with errors():
        root = find_root(registry)
        keep = under(paths, root) if paths else None
        result = fast.validate(root, when, use_cache=not no_cache, changed_since=changed_since)
    if keep is not None:
        result = result.only(keep)
    report.REPORTERS[output_format.value](result, strict=strict)
    raise typer.Exit(result.exit_code(strict=strict))


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

    with errors():
        folder = out if out is not None else find_root(registry, write=True).parent / "schemas"
    if check:
        problems = schemagen.drift(folder)
        for p in problems:
            typer.echo(f"{folder / p}", err=True)
        if problems:
            raise fail(f"{folder} is out of date; run `ksctl schema` to regenerate", 1)
        typer.echo(f"{folder}: up to date")
        return
    written = schemagen.write(folder)
    typer.echo(
        f"{folder}: {len(written)} schema files written" if written else f"{folder}: up to date"
    )
