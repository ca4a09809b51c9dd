"""Hygiene: people who hold no seat or are filed under another region than their
employer's, an alias that names two areas."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl import domain, kinds
from ksctl.diagnostics import Diagnostic
from ksctl.model import (
    Group,
    Handling,
    HealthcareRegion,
    MirrorArea,
    NationalProgrammeArea,
    Person,
    Region,
)
from ksctl.registry import Entity, Registry
from ksctl.rules import Context, at, models, rule
from ksctl.text import norm


@rule("KS461", reports={"person"}, referred=True)
def person_idle(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A person nothing names: no seat, no contact role, no responsibility, no task in how
    a region or healthcare region governs."""
    busy: set[str] = set()
    for kind in kinds.group_kinds():
        for _, group in models(registry, kind, Group, every=True):
            busy.update(s.person for s in group.members if s.person)
            if isinstance(group, MirrorArea) and group.contact_person:
                busy.add(group.contact_person)
    for _, handling in models(registry, "handling", Handling, every=True):
        if handling.responsible_person:
            busy.add(handling.responsible_person)
    places: list[tuple[Entity, Region | HealthcareRegion]] = [
        *models(registry, "region", Region, every=True),
        *models(registry, "healthcare-region", HealthcareRegion, every=True),
    ]
    for _, place in places:
        busy.update(g.person for g in place.governance if g.person)
    for entity, person in models(registry, "person", Person):
        if entity.id not in busy:
            yield at(entity, "KS461", f"{person.name} holds no seat and no role")


@rule("KS462", reports={"npo"}, gathers={"npo": ("name", "aliases")})
def alias_shared(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """Names are compared as `who-hosts` compares them (case, diacritics and punctuation
    ignored), so "ONH" clashes with "ÖNH"."""
    areas = sorted(
        models(registry, "npo", NationalProgrammeArea, every=True), key=lambda pair: pair[0].id
    )
    reported = registry.reporting("npo")  # each alias is owned in order of all areas
    owner: dict[str, tuple[str, str]] = {}
    for entity, area in areas:
        for name in (area.name, entity.id):
            owner.setdefault(norm(name), (entity.id, name))
    for entity, area in areas:
        for i, alias in enumerate(area.aliases):
            key = norm(alias)
            if not key:
                continue
            first, spelled = owner.setdefault(key, (entity.id, alias))
            if first != entity.id and entity.id in reported:
                yield at(
                    entity,
                    "KS462",
                    f"alias {alias!r} also names npo:{first}"
                    + (f" (as {spelled!r})" if spelled != alias else ""),
                    ("aliases", i),
                    hint="an alias must name one area",
                )


@rule("KS463", reports={"person"}, follows=1)
def person_filed_elsewhere(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A region keeps the people it employs, a municipality's staff included, under
    `regions/<region>/people/` (it owns their declarations, and CODEOWNERS gives them its
    reviewers); `national/people/` holds people employed outside the regions. A person who
    changed employer is moved with `git mv`: the id is the file name, so nothing else
    changes. People kept by a healthcare region, and employers outside the regions, are
    not checked."""
    for entity, person in models(registry, "person", Person):
        employer = str(person.employer or "")
        region = domain.region_of_ref(registry, employer)
        if region is None or registry.get("region", region) is None:
            continue  # an employer that is missing is KS301's
        top, rel = entity.path.split("/", 1)
        filed = domain.region_of(entity)
        if rel.startswith("healthcare-regions/") or filed == region:
            continue
        target = f"{top}/regions/{region}/people/{entity.id}.yaml"
        yield at(
            entity,
            "KS463",
            f"{person.name} works for {employer} but is filed under "
            f"{'regions/' + filed if filed else 'national'}/people/",
            ("employer",),
            hint=f"move the file: git mv {entity.path} {target}",
        )
