"""Shell completion of the words only the registry knows (after `ksctl
--install-completion`): kinds, programme areas, places, groups, people and glossary terms.

A completer asks the registry the command would use, as a query does, from the snapshot
(`queries.completions`): outside a registry a question falls back to the one bundled with
ksctl, and `new` to none. It never fails: when there is no registry, or it cannot be read,
the shell offers nothing rather than printing an error into the line being typed.
"""

from collections.abc import Callable

import typer

from ksctl import kinds

Completer = Callable[[typer.Context, str], list[tuple[str, str]]]


def _ask(
    ctx: typer.Context, of: tuple[str, ...], incomplete: str, qualified: bool, write: bool
) -> list[tuple[str, str]]:
    from ksctl import fast, queries
    from ksctl.cli.common import registry_root
    from ksctl.errors import KsctlError

    try:
        root = registry_root(ctx.params.get("registry"), write=write)
        outcome = fast.answer(
            root, lambda r: queries.completions(r, of, incomplete, qualified=qualified)
        )
        return [(value, label) for value, label in outcome.get()["completions"]]
    except (KsctlError, OSError):
        return []


def entities(*of: str) -> Completer:
    """Complete the ids of entities of the kinds `of` (and a one-word name, a term's)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return _ask(ctx, of, incomplete, False, False)

    return complete


def references(of: Callable[[], tuple[str, ...]]) -> Completer:
    """Complete an entity of the kinds `of()` as `kind:id`: first the kind ("npo:"), then
    that kind's ids."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        return _ask(ctx, of(), incomplete, True, False)

    return complete


def places(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Complete a region or healthcare region as `new --in` takes it, a bare id or
    `kind:id` once a colon is typed, from the registry `new` writes to (never the bundled
    one)."""
    of = ("healthcare-region", "region")
    return _ask(ctx, of, incomplete, ":" in incomplete, True)


def kind_words(*, with_files: bool = False) -> Callable[[str], list[tuple[str, str]]]:
    """Complete a kind's id (with `with_files`, only the kinds with files of their own, as
    `ksctl new` makes)."""

    def complete(incomplete: str) -> list[tuple[str, str]]:
        ids = [k for k in kinds.entity_kinds() if not with_files or kinds.get(k).places]
        return [(k, kinds.get(k).plural) for k in ids if k.startswith(incomplete)]

    return complete
