"""What every command shares: its options, finding the registry, reading a date, turning
the few run-stopping exceptions into a message and an exit code, and printing an answer."""

# No `from __future__ import annotations` here: typer would evaluate every string
# annotation at start-up, which costs a query about ten milliseconds.
import enum
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ksctl.errors import KsctlError

if TYPE_CHECKING:
    from ksctl.registry import Registry
    from ksctl.render.views import View

RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        "-r",
        help="The registry folder (holding ksctl.yaml), or a folder with registry/ in it. "
        "Default: $KSCTL_REGISTRY, else the nearest registry/ above the current folder, "
        "else (for commands that only read) the registry bundled with ksctl.",
        show_default=False,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Load the registry afresh; do not read or write the snapshots."
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print a versioned JSON document instead of text.")
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="DATE",
        help="Answer as of this date: YYYY-MM-DD, or YYYY-MM or YYYY for its first day; "
        "default today.",
        show_default=False,
    ),
]
PrivateOption = Annotated[
    bool,
    typer.Option(
        "--include-private",
        help="Show contact details not marked public too (never for publishing).",
    ),
]


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"ksctl: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def errors() -> Iterator[None]:
    """Turn the few run-stopping exceptions into a message and their exit code."""
    try:
        yield
    except KsctlError as exc:
        raise fail(str(exc), exc.exit_code) from None


def registry_root(registry: Path | None, *, write: bool = False) -> Path:
    """The registry to work on; a command that writes never falls back to the registry
    bundled with ksctl (that would change the installed package)."""
    from ksctl.discovery import find_registry

    return find_registry(registry, os.environ, Path.cwd(), write=write)


def day(at: str | None) -> str:
    """`--at` as an ISO date: YYYY-MM-DD, or the first day of YYYY-MM or YYYY."""
    from ksctl.dates import parse_day

    try:
        return parse_day(at)
    except ValueError as exc:
        raise fail(f"--at {at!r}: {exc}", 2) from None


def echo_json(payload: dict[str, Any]) -> None:
    from ksctl.render.report import envelope

    typer.echo(envelope(payload))


def answer(
    registry: Path | None,
    no_cache: bool,
    as_json: bool,
    ask: "Callable[[Registry], dict[str, Any]]",
    view: "Callable[[dict[str, Any]], View]",
) -> None:
    """Ask the registry (from the snapshot when what the answer reads is unchanged) and
    print the answer; say on stderr how a name was read when it was not read exactly."""
    from ksctl import fast
    from ksctl.errors import NoMatch

    with errors():
        root = registry_root(registry)
        outcome = fast.answer(root, ask, use_cache=not no_cache)
        if outcome.errors:
            n = outcome.errors
            typer.echo(
                f"ksctl: note: {n} error{'s' if n != 1 else ''} in the files this answer draws "
                "on; it may be incomplete (run `ksctl validate`)",
                err=True,
            )
        try:
            payload = outcome.get()
        except NoMatch as exc:
            if as_json:
                echo_json(
                    {
                        "error": str(exc),
                        "candidates": [
                            {"kind": k, "id": i, "name": n} for k, i, n in exc.candidates
                        ],
                    }
                )
            else:
                typer.echo(f"ksctl: {exc}", err=True)
                if exc.candidates:
                    typer.echo("  candidates:" if exc.ambiguous else "  did you mean:", err=True)
                    for kind, ident, name in exc.candidates:  # kind:id names it in any command
                        like = f", as {exc.via[ident]!r}" if ident in exc.via else ""
                        typer.echo(f"    {name} ({kind}:{ident}){like}", err=True)
            raise typer.Exit(1) from None
    _tell_reading(payload)
    from ksctl.render.report import styled

    if as_json:
        echo_json(payload)
    elif styled(sys.stdout):
        from ksctl.render.console import print_view

        print_view(view(payload))
    else:
        from ksctl.render.views import plain

        typer.echo(plain(view(payload)), nl=False)


def _tell_reading(payload: dict[str, Any]) -> None:
    """A name found other than exactly, or a region answered for its healthcare region, is
    said on stderr, so that a confident wrong answer never passes unnoticed."""
    from ksctl.render.views import reading

    note = reading(payload)
    if note:
        typer.echo(f"ksctl: {note}", err=True)
