"""Time: periods the right way round, seats within their group's life, one seat per person
at a time, mandates that end, chairs' mandates within the national limit, seats dated."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from pydantic import BaseModel

from ksctl import domain, kinds
from ksctl.diagnostics import Diagnostic
from ksctl.model import Group, NationalProgrammeArea, fields_reaching
from ksctl.registry import Registry
from ksctl.rules import EVERY_KIND, GROUPS, Context, at, models, rule
from ksctl.yamlio import Loc


def _has_period(model: type[BaseModel]) -> bool:
    return "from_" in model.model_fields or "to" in model.model_fields


def _periods(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, BaseModel]]:
    """Every part of `model` with a period: a seat or hosting (dates), a remiss (written
    dates)."""
    if isinstance(getattr(model, "from_", None), datetime.date | str) or isinstance(
        getattr(model, "to", None), datetime.date | str
    ):
        yield loc, model
    for name, key in fields_reaching(type(model), _has_period):
        value = getattr(model, name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _periods(item, (*loc, key, i))
        elif isinstance(value, BaseModel):
            yield from _periods(value, (*loc, key))


@rule("KS431", reports={EVERY_KIND})
def period_reversed(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity in registry.reported():
        if not isinstance(entity.model, BaseModel) or entity.loc:
            continue
        for loc, part in _periods(entity.model):
            span = domain.span(part)
            if span.start and span.end and span.start > span.end:
                said = "from" if getattr(part, "from_", None) is not None else "as_of"
                yield at(
                    entity, "KS431", f"{said} {span.start} is after to {span.end}", (*loc, "to")
                )


# A function that serves a group (domain.SUPPORT_ROLES) is no second seat: a chair may
# also be the process leader, a member the secretary. Two seats at once (chair and member,
# member and substitute) are one person listed twice.


@rule("KS432", reports={GROUPS})
def seats_overlap(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for kind in kinds.group_kinds():
        for entity, group in models(registry, kind, Group):
            by_person: dict[str, list[int]] = defaultdict(list)
            spans = [domain.span(s) for s in group.members]
            for i, s in enumerate(group.members):
                if not s.person:
                    continue
                for j in by_person[s.person]:
                    other = group.members[j]
                    if not spans[j].overlaps(spans[i]) or (
                        other.role != s.role and {other.role, s.role} & domain.SUPPORT_ROLES
                    ):
                        continue
                    line = entity.position(("members", j))[0]
                    same = other.role == s.role
                    yield at(
                        entity,
                        "KS432",
                        f"{s.person} already holds this role here in this period (line {line})"
                        if same
                        else f"{s.person} already sits here as {other.role} in this period "
                        f"(line {line}), so cannot also be {s.role}",
                        ("members", i),
                        hint=None
                        if same
                        else "a person holds one seat in a group at a time: list them once, "
                        "in the role they hold, or end one seat before the other begins",
                    )
                    break
                by_person[s.person].append(i)


@rule("KS433", reports={GROUPS})
def seat_outlives_group(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A seat outside its group's period. A seat without `to` is current: an error once the
    group has ended (while the group still runs, it ends with the group). A seat without
    `from` started at some unknown time and is only out of bounds if it ended before."""
    for kind in kinds.group_kinds():
        for entity, group in models(registry, kind, Group):
            life = domain.span(group)
            for i, s in enumerate(group.members):
                seat = domain.Span(s.from_, s.to)
                if life.end and seat.end and seat.end > life.end:
                    yield at(
                        entity,
                        "KS433",
                        f"seat runs to {s.to}, past the group's end {group.to}",
                        ("members", i, "to"),
                    )
                elif life.end and seat.end is None and life.end < ctx.at:
                    yield at(
                        entity,
                        "KS433",
                        f"seat has no end date, but the group ended {group.to}",
                        ("members", i),
                        hint=f"set to: {group.to} or earlier",
                    )
                if life.start and seat.start and seat.start < life.start:
                    yield at(
                        entity,
                        "KS433",
                        f"seat starts {s.from_}, before the group's start {group.from_}",
                        ("members", i, "from"),
                    )
                elif life.start and seat.start is None and seat.end and seat.end < life.start:
                    yield at(
                        entity,
                        "KS433",
                        f"seat ends {s.to}, before the group's start {group.from_}",
                        ("members", i, "to"),
                    )


@rule("KS434", reports={GROUPS})
def mandate_expired(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for kind in kinds.group_kinds():
        for entity, group in models(registry, kind, Group):
            for i, s in enumerate(group.members):
                end = domain.mandate_end(s)
                if s.to is None and end is not None and end < ctx.at:
                    yield at(
                        entity,
                        "KS434",
                        f"the {s.mandate_years}-year mandate from {s.from_} "
                        f"ended {end}, but the seat has no end date",
                        ("members", i),
                        hint="set to: when it ended, or add the renewed mandate",
                    )


@rule("KS435", reports={GROUPS})
def mandate_ending(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    window = datetime.timedelta(days=ctx.settings.policies.mandate_warning_days)
    for kind in kinds.group_kinds():
        for entity, group in models(registry, kind, Group):
            for i, s in enumerate(group.members):
                end = domain.mandate_end(s)
                if end is not None and ctx.at <= end <= ctx.at + window:
                    yield at(
                        entity,
                        "KS435",
                        f"mandate of {s.person or 'a vacant seat'} ends {end}",
                        ("members", i),
                    )


CHAIR_LIMIT_FROM = datetime.date(2020, 1, 1)
"""Since 2020 an NPO chair's mandate is at most three years, without extension (decided by
the steering group in October 2019; kunskapsstyrningvard.se, "Flera ordförandebyten i
nationella programområden", 13 December 2022)."""


@rule("KS436", reports={"npo"})
def chair_mandate_too_long(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    limit = ctx.settings.policies.npo_chair_mandate_years
    for entity, area in models(registry, "npo", NationalProgrammeArea):
        for i, s in enumerate(area.members):
            if s.role != "chair" or s.from_ is None or s.from_ < CHAIR_LIMIT_FROM:
                continue
            end = domain.mandate_end(s)
            if end is None:
                continue
            longest = domain.add_years(s.from_, limit) - datetime.timedelta(days=1)
            if end > longest:
                yield at(
                    entity,
                    "KS436",
                    f"chair from {s.from_} to {end}: longer than the {limit} years an NPO "
                    "chair may serve since 2020",
                    ("members", i),
                    hint=f"a chair from {s.from_} serves at most until {longest}",
                )


@rule("KS437", reports={GROUPS})
def seat_undated(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A seat with no `from`, `to` or `as_of` holds on every date, before the group existed
    too; the source's date (`as_of`) at least bounds it."""
    for kind in kinds.group_kinds():
        for entity, group in models(registry, kind, Group):
            for i, s in enumerate(group.members):
                if s.from_ is None and s.to is None and s.as_of is None and not s.vacant:
                    yield at(
                        entity,
                        "KS437",
                        f"the seat of {s.person} has no dates",
                        ("members", i),
                        hint="add from:/to: as the source dates it, or as_of: <the source's "
                        "date> when it gives none",
                    )
