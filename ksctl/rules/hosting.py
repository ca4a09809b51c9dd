"""Hosting (värdskap): every national area has exactly one host at any date."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl import domain
from ksctl.diagnostics import Diagnostic
from ksctl.model import CollaborationGroup, NationalProgrammeArea
from ksctl.registry import Entity, Registry
from ksctl.rules import Context, at, models, rule

_ONE_HOST = "every national area has exactly one host at any date"


@rule("KS401", reports={"npo"})
def host_count(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in models(registry, "npo", NationalProgrammeArea):
        current = domain.hosting_at(area, ctx.at)
        if len(current) != 1 and (current or domain.holds(area, ctx.at)):
            what = "no host" if not current else f"{len(current)} hosts"
            yield at(
                entity,
                "KS401",
                f"{area.name} has {what} on {ctx.at}",
                ("hosting",) if area.hosting else (),
                hint=_ONE_HOST,
            )
        for j, start, end in domain.hosting_gaps(area.hosting, ctx.at):
            yield at(
                entity,
                "KS401",
                f"{area.name} has no host from {start} to {end}",
                ("hosting", j),
                hint=_ONE_HOST,
            )


@rule("KS402", reports={"npo"})
def hosting_overlap(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in models(registry, "npo", NationalProgrammeArea):
        spans = [domain.span(h) for h in area.hosting]
        for j, later in enumerate(spans):
            for i in range(j):
                if spans[i].overlaps(later):
                    yield at(
                        entity,
                        "KS402",
                        f"hosting {j + 1} overlaps hosting {i + 1} "
                        f"(line {entity.position(('hosting', i))[0]})",
                        ("hosting", j),
                        hint="end the earlier period the day before the next begins",
                    )


@rule("KS403", reports={"npo"})
def skr_without_dormant(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in models(registry, "npo", NationalProgrammeArea):
        for i, h in enumerate(area.hosting):
            if h.host.startswith("organisation:") and h.dormant_host is None:
                yield at(
                    entity,
                    "KS403",
                    f"{area.name} is hosted by {h.host} without a dormant host region",
                    ("hosting", i),
                    hint="add dormant_host: <healthcare region>",
                )


@rule("KS404", reports={"npo", "nsg"})
def host_kind(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    hosted: list[tuple[Entity, NationalProgrammeArea | CollaborationGroup]] = [
        *models(registry, "npo", NationalProgrammeArea),
        *models(registry, "nsg", CollaborationGroup),
    ]
    for entity, group in hosted:
        for i, h in enumerate(group.hosting):
            if h.host.startswith("organisation:") and h.host != "organisation:skr":
                yield at(
                    entity,
                    "KS404",
                    f"host {h.host} is neither a healthcare region nor SKR",
                    ("hosting", i, "host"),
                )
