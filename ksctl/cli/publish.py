"""`ksctl export` and `ksctl diff`: the published directory, and what changed between two
revisions in the domain's words."""

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

from ksctl.cli.common import RegistryOption, echo_json, errors, fail, registry_root


def export(
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="DIR", help="Write the HTML site here.", show_default=False),
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            metavar="DIR",
            help="Write the Markdown directory here.",
            show_default=False,
        ),
    ] = None,
    json_file: Annotated[
        Path | None,
        typer.Option(
            "--json",
            metavar="FILE",
            help="Write the whole registry as one JSON document.",
            show_default=False,
        ),
    ] = None,
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            metavar="DIR",
            help="Write CSV tables that join by id, with datapackage.json and a DCAT-AP-SE "
            "description (open data).",
            show_default=False,
        ),
    ] = None,
    popolo: Annotated[
        Path | None,
        typer.Option(
            "--popolo",
            metavar="FILE",
            help="Write persons, organizations, posts and memberships in the Popolo "
            "standard (public contact details only).",
            show_default=False,
        ),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help="Include contact details not marked public (never for publishing).",
        ),
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Publish the directory: an accessible Swedish HTML site, a Markdown tree, one JSON
    document, CSV tables or a Popolo file. The same registry and history give
    byte-identical output."""
    from ksctl.render import export as exporter

    targets = {
        "html": html,
        "markdown": markdown,
        "json": json_file,
        "csv": csv_dir,
        "popolo": popolo,
    }
    if not any(targets.values()):
        raise fail(
            "say what to write: --html DIR, --markdown DIR, --json FILE, --csv DIR or "
            "--popolo FILE",
            2,
        )
    progress = None
    if sys.stderr.isatty():
        from ksctl.render.console import progress_callback

        progress = progress_callback("Writing pages")
    with errors():
        root = registry_root(registry)
        done = exporter.publish(
            root,
            {k: v for k, v in targets.items() if v is not None},
            include_private=include_private,
            progress=progress,
        )
    if done.errors:
        typer.echo(
            f"ksctl: note: the registry has {done.errors} error{'s' if done.errors != 1 else ''};"
            " entities with errors are left out (run `ksctl validate`)",
            err=True,
        )
    for target, count, what in done.written:
        typer.echo(f"{target}: {count} {what} written")
    for note in done.notes:
        typer.echo(f"ksctl: note: {note}", err=True)


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            help="The git revision to compare from (default: the merge base with "
            "the default branch).",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Argument(
            help="The git revision to compare to (default: the working tree).", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="text, markdown (for a pull-request comment) or json."),
    ] = DiffFormat.text,
    registry: RegistryOption = None,
) -> None:
    """What changed in the registry between two revisions, in the domain's words: hosting,
    members joining and leaving, handling stages, added and removed entities. A mass removal
    is flagged."""
    from ksctl import diffing
    from ksctl.render import report

    with errors():
        found = diffing.between(registry_root(registry), base, head)
    if output_format is DiffFormat.json:
        echo_json(found.to_dict())
    elif output_format is DiffFormat.markdown:
        typer.echo(
            report.diff_markdown(found.changes, found.alarms, found.base, found.head), nl=False
        )
    else:
        typer.echo(report.diff_text(found.changes, found.alarms), nl=False)
