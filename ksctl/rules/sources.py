"""Sources: every entity says where its facts come from, a fact whose newest source is old
is noted (the policy `stale_after_years`), no record of what has happened is dated
ahead, and no page is read before it was published."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl import domain, kinds
from ksctl.diagnostics import Diagnostic
from ksctl.model import Happened, iter_marked
from ksctl.registry import Entity, Registry
from ksctl.rules import EVERY_KIND, Context, at, rule
from ksctl.yamlio import Loc


@rule("KS471", reports={EVERY_KIND})
def source_stale(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    years = domain.stale_years(ctx.policies)
    for entity in registry.reported():
        if entity.loc or entity.model is None:
            continue
        newest = domain.published(entity.model)
        if newest is not None and domain.stale_from(newest, ctx.policies) < ctx.at:
            yield at(
                entity,
                "KS471",
                f"the newest source was published {newest}, more than {years} years ago",
                ("sources",),
                hint="check the facts against a newer page, and add it with published:",
            )


@rule("KS472", reports={EVERY_KIND})
def source_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity in registry.reported():
        if entity.loc or entity.model is None:
            continue
        if not domain.field(entity, "sources"):
            yield at(
                entity,
                "KS472",
                f"{entity.label} cites no source",
                hint="add sources: [{url: ..., published: ..., retrieved: ...}]",
            )


def _happened(registry: Registry) -> Iterator[tuple[Entity, Loc, object]]:
    """Every dated record of what has happened (`Happened` fields) in the entities reported
    on and in ksctl.yaml, each once: a municipality or a glossary term as itself, not
    inside its region's file or the glossary."""
    settings = registry.reported_settings()
    for entity in [*registry.reported(), *([settings] if settings is not None else [])]:
        if entity.model is None:
            continue
        inside = {how.field for _, how in kinds.embedded_in(entity.kind)}
        for loc, value, _ in iter_marked(entity.model, Happened):
            if loc[0] not in inside:
                yield entity, loc, value


@rule("KS473", reports={EVERY_KIND})
def date_ahead(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A date of something that has happened (a page published or retrieved, a source's
    date for a seat, a declaration, a decision) after tomorrow, or after the check's date
    when that is later: a mistyped year, most often. An error: such a date would be
    published as a fact (a seat "enligt källa 2027-03-01"), and a registry's warnings are
    many. (A day's grace: a date written just after midnight in Sweden is still tomorrow
    where CI runs.)"""
    for entity, loc, value in _happened(registry):
        day = domain.day_of(value)
        if day is not None and day > ctx.latest:
            yield at(
                entity,
                "KS473",
                f"{loc[-1]} {value} lies in the future, but dates what has happened",
                loc,
                hint="check the year; a seat that begins later takes from:, not as_of:"
                if loc[-1] == "as_of" and "members" in loc
                else "check the year",
            )


@rule("KS474", reports={EVERY_KIND})
def retrieved_before_published(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A source whose page was retrieved before it was published (at its earliest: a
    publication given as 2024-06 may be from 2024-06-01). Every source of an entity, its
    seats' and hosting periods' too, and ksctl.yaml's."""
    dated: dict[tuple[int, Loc], tuple[Entity, Loc, dict[str, object]]] = {}
    for entity, loc, value in _happened(registry):
        if loc[-1] in ("published", "retrieved"):  # a source's two dates, side by side
            key = (id(entity), loc[:-1])
            dated.setdefault(key, (entity, loc[:-1], {}))[2][str(loc[-1])] = value
    for entity, where, said in dated.values():
        published = domain.day_of(said.get("published"))
        retrieved = domain.day_of(said.get("retrieved"))
        if (
            published is not None
            and retrieved is not None
            and retrieved < published <= ctx.latest  # a publication ahead is KS473's
        ):
            yield at(
                entity,
                "KS474",
                f"retrieved {said['retrieved']}, before it was published {said['published']}",
                (*where, "retrieved"),
                hint="check both dates: retrieved is the day the page was read",
            )
