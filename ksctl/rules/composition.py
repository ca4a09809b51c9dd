"""Who sits where: every healthcare region in an NPO and a NAG, one or two seats per region
in an RPO, one chair, a patient representative in a LAG."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from ksctl import domain, kinds
from ksctl.diagnostics import Diagnostic, Severity
from ksctl.model import Group, Membership, MirrorArea, NationalProgrammeArea, WorkingGroup
from ksctl.registry import Entity, Registry
from ksctl.rules import GROUPS, IDS, Context, at, models, rule

ORDINARY = {"chair", "co-chair", "vice-chair", "member"}
"""The seats a region holds in a group; the others serve it (secretary, process leader) or
sit beside it (adjunct, substitute, patient representative)."""


def current(group: Group, ctx: Context, day: date | None = None) -> list[tuple[int, Membership]]:
    """(index, seat) of the seats held on `day` (the context's date unless given)."""
    on = day or ctx.at
    return [
        (i, s) for i, s in enumerate(group.members) if domain.seat_state(s, on, group) == "current"
    ]


def checked_days(group: Group, ctx: Context) -> list[date]:
    """The context's date, then every later day a seat begins (`from`): a seat entered
    ahead of its start is checked for that day now, not first by the check run on it."""
    later = {
        start
        for s in group.members
        if (start := domain.day_of(s.from_)) is not None and start > ctx.at
    }
    return [ctx.at, *sorted(later)]


def _from(day: date, ctx: Context) -> str:
    """How a problem that arises on a later day says so ("" for the context's date)."""
    return "" if day == ctx.at else f" from {day}"


def _regions_missing(
    registry: Registry, ctx: Context, kind: str, cls: type[Group]
) -> Iterator[tuple[Entity, Group, list[str]]]:
    """Each group of `kind` with seats today, and the healthcare regions no seat stands for
    (every healthcare region takes part in a national area and its working groups)."""
    regions = sorted(registry.of_kind("healthcare-region"))
    for entity, group in models(registry, kind, cls):
        seats = current(group, ctx)
        if not seats:
            continue  # members not in the registry: nothing to check
        present = {domain.seat_healthcare_region(registry, s) for _, s in seats}
        missing = [hr for hr in regions if hr not in present]
        if missing:
            yield entity, group, missing


@rule("KS411", reports={"npo"}, follows=2, gathers={"healthcare-region": IDS})
def npo_region_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area, missing in _regions_missing(registry, ctx, "npo", NationalProgrammeArea):
        for hr in missing:
            yield at(
                entity,
                "KS411",
                f"{area.name} has no representative of healthcare region {hr!r}",
                ("members",),
            )


@rule("KS412", reports={"npo"}, follows=2)
def npo_region_twice(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in models(registry, "npo", NationalProgrammeArea):
        told: set[int] = set()
        for day in checked_days(area, ctx):
            first: dict[str, int] = {}
            for i, s in current(area, ctx, day):
                municipal = (s.represents or "").startswith("municipality:")
                if s.role != "member" or s.vacant or municipal:
                    continue
                hr = domain.seat_healthcare_region(registry, s)
                if hr is None:
                    continue
                if hr not in first:
                    first[hr] = i
                elif i not in told:
                    told.add(i)
                    yield at(
                        entity,
                        "KS412",
                        f"healthcare region {hr!r} holds a second ordinary seat{_from(day, ctx)} "
                        f"(the first at line {entity.position(('members', first[hr]))[0]})",
                        ("members", i),
                    )


@rule("KS413", reports={"rpo"}, follows=2, gathers={"region": ("healthcare_region",)})
def rpo_region_seats(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, rpo in models(registry, "rpo", MirrorArea):
        hr = entity.id.split("/", 1)[0]
        regions = sorted(
            r
            for r in registry.of_kind("region")
            if domain.healthcare_region_of_region(registry, r) == hr
        )
        told: set[tuple[str, int]] = set()
        for day in checked_days(rpo, ctx):
            seats = current(rpo, ctx, day)
            if not seats:
                continue
            count: dict[str, list[int]] = defaultdict(list)
            for i, s in seats:
                if s.role not in ORDINARY:
                    continue  # a secretary or an adjunct member is no region's seat
                # what it represents, when it says: a seat for the healthcare region or an
                # organisation is no region's, whoever employs its holder
                region = (
                    domain.region_of_ref(registry, s.represents)
                    if s.represents
                    else domain.seat_region(registry, s)
                )
                if region:
                    count[region].append(i)
            for region in regions:
                if day == ctx.at and not count[region]:
                    yield at(entity, "KS413", f"no seat for region {region!r}", ("members",))
                elif len(count[region]) > 2 and (region, count[region][2]) not in told:
                    held = count[region]
                    told.add((region, held[2]))
                    lines = ", ".join(str(entity.position(("members", i))[0]) for i in held)
                    yield at(
                        entity,
                        "KS413",
                        f"region {region!r} has {len(held)} seats{_from(day, ctx)} "
                        f"(lines {lines}); an RPO has one or two per region",
                        ("members", held[2]),
                        severity=Severity.ERROR,
                    )


@rule("KS414", reports={GROUPS})
def chair_count(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for kind in kinds.group_kinds():
        for entity, group in models(registry, kind, Group):
            if not domain.holds(group, ctx.at):
                continue
            seats = current(group, ctx)
            if not [s for _, s in seats if not s.vacant]:
                continue
            chairs = [i for i, s in seats if s.role == "chair"]
            shared = [i for i, s in seats if s.role == "co-chair"]
            if not chairs and not shared and not any(s.role == "head" for _, s in seats):
                yield at(entity, "KS414", f"{group.name} has no chair on {ctx.at}", ("members",))
            elif len(shared) == 1 and not chairs:
                yield at(
                    entity,
                    "KS414",
                    f"{group.name} has one co-chair on {ctx.at}",
                    ("members", shared[0]),
                    hint="co-chairs share the chair two or more; one alone is the chair",
                )
            yield from _chairs_clash(entity, group, ctx)


def _chairs_clash(entity: Entity, group: Group, ctx: Context) -> Iterator[Diagnostic]:
    """Two chairs, or a chair beside co-chairs, on the context's date or on a later day a
    seat begins (each seat told once: from the first day it clashes)."""
    told: set[int] = set()
    for day in checked_days(group, ctx):
        seats = current(group, ctx, day)
        chairs = [i for i, s in seats if s.role == "chair"]
        shared = [i for i, s in seats if s.role == "co-chair"]
        if chairs and shared:
            clash, said = shared[0], "a chair and co-chairs"
        elif len(chairs) > 1:
            clash, said = chairs[1], f"{len(chairs)} chairs"
        else:
            continue
        if clash not in told:
            told.add(clash)
            yield at(
                entity,
                "KS414",
                f"{group.name} has {said} on {day}",
                ("members", clash),
                severity=Severity.ERROR,
            )


@rule("KS415", reports={"nag"}, follows=2, gathers={"healthcare-region": IDS})
def nag_region_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, nag, missing in _regions_missing(registry, ctx, "nag", WorkingGroup):
        yield at(
            entity, "KS415", f"{nag.name} has no member from: {', '.join(missing)}", ("members",)
        )


@rule("KS416", reports={"lag"})
def lag_no_patient(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, lag in models(registry, "lag", WorkingGroup):
        seats = current(lag, ctx)
        if seats and not any(s.role == "patient-representative" for _, s in seats):
            yield at(
                entity,
                "KS416",
                f"{lag.name} has no patient, user or next-of-kin representative",
                ("members",),
                hint="a LAG seeks one (patient-representative)",
            )
