"""Mirroring: each healthcare region has an RPO, and each region an LPO or a named contact,
for every national area; an RPO or LPO mirrors an area that exists."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl import domain, kinds
from ksctl.diagnostics import Diagnostic
from ksctl.model import MirrorArea, Region
from ksctl.registry import Registry
from ksctl.rules import Context, at, models, rule


def _missing_message(missing: list[str], total: int, what: str) -> str:
    if len(missing) == total:
        return f"{what} for any of the {total} national areas"
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return f"{what} for {len(missing)} of the {total} national areas: {shown}"


def _missing_mirrors(
    registry: Registry, code: str, place: str, kind: str, what: str, ctx: Context
) -> Iterator[Diagnostic]:
    """One warning per healthcare region (`kind` rpo) or region (lpo), naming the national
    areas existing on the context's date that it mirrors with none."""
    areas = sorted(
        ident
        for ident, area in registry.of_kind("npo").items()
        if domain.holds(area.model or area.data or {}, ctx.at)
    )
    folder = {"rpo": "healthcare-regions", "lpo": "regions"}[kind]
    for entity in registry.reporting(place).values():
        present = domain.mirrored(registry, kind, entity.id)
        missing = [a for a in areas if a not in present]
        if missing:
            yield at(
                entity,
                code,
                _missing_message(missing, len(areas), what),
                hint=f"add {folder}/{entity.id}/programme-areas/<area>.yaml",
            )


@rule("KS421", reports={"healthcare-region"}, referred=True, gathers={"npo": ("from", "to")})
def rpo_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """One warning per healthcare region, naming the areas it has no RPO for."""
    return _missing_mirrors(registry, "KS421", "healthcare-region", "rpo", "no RPO", ctx)


@rule("KS422", reports={"region"}, referred=True, gathers={"npo": ("from", "to")})
def lpo_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """One warning per region, naming the areas with neither LPO nor a contact person."""
    what = "neither LPO nor a not-established entry"
    return _missing_mirrors(registry, "KS422", "region", "lpo", what, ctx)


@rule("KS423", reports={"lpo"}, follows=1)
def lpo_no_unit_contact(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, lpo in models(registry, "lpo", MirrorArea):
        region = registry.get("region", entity.id.split("/", 1)[0])
        if region is None or not isinstance(region.model, Region):
            continue
        if region.model.knowledge_support_unit and lpo.contact_person is None:
            yield at(
                entity,
                "KS423",
                f"{lpo.name} names no contact at {region.model.knowledge_support_unit}",
                hint="add contact_person: <person id>",
            )


@rule("KS424", reports={"rpo", "lpo"}, follows=1, suggests=True)
def mirror_of_nothing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """An RPO or LPO named after no national area (and saying no `mirrors:`) mirrors
    nothing: `ksctl new lpo orebro/akutvard` for Akut vård (akut-vard)."""
    from ksctl.diagnostics import did_you_mean

    for kind in ("rpo", "lpo"):
        for entity, area in models(registry, kind, MirrorArea):
            if area.mirrors is not None:
                continue  # a wrong `mirrors:` is a dangling reference (KS301)
            name = domain.mirrored_area(entity)
            if registry.get("npo", name) is None:
                yield at(
                    entity,
                    "KS424",
                    f"{kinds.get(kind).titled(area.name)}: no national area {name!r} to mirror",
                    hint=did_you_mean(name, registry.of_kind("npo").keys())
                    or "name the file after the national area's id, or add mirrors: <npo id>",
                )
