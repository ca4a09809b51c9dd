"""The questions: who-hosts, show, list, search, members, person, explain, stats, due.

Each parses its options and hands a function of the registry to `common.answer`, which
asks it (from the snapshot when it can) and prints the answer.
"""

from typing import Annotated

import typer

from ksctl import kinds
from ksctl.cli import complete
from ksctl.cli.common import (
    AtOption,
    JsonOption,
    NoCacheOption,
    PrivateOption,
    RegistryOption,
    answer,
    day,
    errors,
    fail,
)


def who_hosts(
    area: Annotated[
        str | None,
        typer.Argument(
            help="The programme area: id, name, alias or abbreviation, in any "
            "case, with or without å, ä, ö, even misspelt.",
            show_default=False,
            autocompletion=complete.entities("npo"),
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="HEALTHCARE_REGION",
            help="List what this healthcare region (or SKR) hosts instead; a region's name "
            "answers for its healthcare region.",
            show_default=False,
            autocompletion=complete.entities("healthcare-region", "region", "organisation"),
        ),
    ] = None,
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Which healthcare region hosts a national programme area (NPO), since when, with the
    dormant host when SKR hosts, and the NPO's chair and process leader.

    Examples: `ksctl who-hosts akut`, `ksctl who-hosts ÖNH --json`,
    `ksctl who-hosts --by mellansverige`.
    """
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    if by is not None and area is not None:
        raise fail(f"name an area or use --by, not both ({area!r} and --by {by!r})", 2)
    if by is not None:
        answer(
            registry, no_cache, as_json, lambda r: queries.hosted_by(r, by, when), views.hosted_by
        )
        return
    if area is None:
        raise fail("name a programme area, or use --by HEALTHCARE_REGION", 2)
    answer(registry, no_cache, as_json, lambda r: queries.who_hosts(r, area, when), views.who_hosts)


def show(
    ref: Annotated[
        str,
        typer.Argument(
            help="kind:id (npo:akut-vard), an id or a name.",
            autocompletion=complete.references(kinds.entity_kinds),
        ),
    ],
    at: AtOption = None,
    as_json: JsonOption = False,
    include_private: PrivateOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """One entity with its relations: an NPO shows its host, members, working groups, its
    RPO in each healthcare region and LPO in each region (missing ones too). Shows public
    contact details only, unless --include-private."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    answer(
        registry,
        no_cache,
        as_json,
        lambda r: queries.show(r, ref, when, include_private=include_private),
        views.show,
    )


def list_(
    kind: Annotated[
        str,
        typer.Argument(help=f"One of: {kinds.described()}.", autocompletion=complete.kind_words()),
    ],
    within: Annotated[
        str | None,
        typer.Option(
            "--in",
            metavar="PLACE",
            help="Only those in this healthcare region or region.",
            show_default=False,
            autocompletion=complete.entities("healthcare-region", "region"),
        ),
    ] = None,
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Every entity of a kind, optionally within a healthcare region or region, as of a
    date (groups that did not exist then are left out)."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    answer(
        registry,
        no_cache,
        as_json,
        lambda r: queries.list_kind(r, kind, within, when),
        views.listing,
    )


def search(
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Search names, aliases, notes, functions and the glossary, ignoring case and
    diacritics; every word must start a word there. With --at, groups that did not exist
    then are left out."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at) if at is not None else None
    answer(registry, no_cache, as_json, lambda r: queries.search(r, text, when), views.search)


def members(
    group: Annotated[
        str,
        typer.Argument(
            help="The group: kind:id, id or name.",
            autocompletion=complete.references(kinds.group_kinds),
        ),
    ],
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The seats of a group on a date: role, person, what they represent, period; vacant
    seats are listed as such, and seats that begin later are marked upcoming."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    answer(registry, no_cache, as_json, lambda r: queries.members(r, group, when), views.members)


def person(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The person's id or name.",
            autocompletion=complete.entities("person"),
        ),
    ],
    at: AtOption = None,
    as_json: JsonOption = False,
    include_private: PrivateOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Every seat a person holds, will hold or has held, with periods and what they
    represent. Shows public contact details only, unless --include-private."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    answer(
        registry,
        no_cache,
        as_json,
        lambda r: queries.person(r, ident, when, include_private=include_private),
        views.person,
    )


def explain(
    term: Annotated[
        str,
        typer.Argument(
            help="An abbreviation or term, e.g. RSS or NPO; or a diagnostic code, e.g. KS473.",
            autocompletion=complete.entities("term"),
        ),
    ],
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Explain an abbreviation from the registry's glossary (ksctl explain RSS), or a
    diagnostic code that validate reports (ksctl explain KS473)."""
    from ksctl import queries
    from ksctl.render import views

    answer(registry, no_cache, as_json, lambda r: queries.explain(r, term), views.explain)


def stats(
    at: AtOption = None,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Show which regions mirror which national areas "
            "(LPO, not established, missing) instead.",
        ),
    ] = False,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Counts per level and kind; each region's share of its healthcare region's national
    seats, next to the published figure; patient representation; groups with vacant seats."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    if coverage:
        answer(registry, no_cache, as_json, lambda r: queries.coverage(r, when), views.coverage)
        return
    answer(registry, no_cache, as_json, lambda r: queries.stats(r, when), views.stats)


def due(
    within: Annotated[
        str,
        typer.Option(
            "--within", help="How far ahead: days (90d), weeks (12w), months (6m) or years (1y)."
        ),
    ] = "90d",
    stale: Annotated[
        bool,
        typer.Option(
            "--stale",
            help="List the facts whose newest source is older than the policy's "
            "stale_after_years too (by default only counted).",
        ),
    ] = False,
    place: Annotated[
        str | None,
        typer.Option(
            "--in",
            metavar="PLACE",
            help="Only what is this healthcare region's or region's own: what is filed "
            "under it, the seats that stand for it, its hosting, and what every region "
            "answers (remisses, nominations to national groups).",
            show_default=False,
            autocompletion=complete.entities("healthcare-region", "region"),
        ),
    ] = None,
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The coordinator's agenda: mandates ending and seats starting (a national seat
    without a jäv declaration too), hosting handovers, jäv reassessments (overdue ones
    too), remisses opening and closing, nomination deadlines, follow-ups and facts
    whose sources have grown old, sorted by date, with who is responsible."""
    from ksctl import queries
    from ksctl.render import views

    when = day(at)
    with errors():
        days = queries.parse_within(within)
    answer(
        registry,
        no_cache,
        as_json,
        lambda r: queries.due(r, when, days, stale=stale, place=place),
        views.due,
    )
