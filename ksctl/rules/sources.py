"""Sources: every entity says where its facts come from, and a fact whose newest source is
old is noted (the policy `stale_after_years`)."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl import domain
from ksctl.diagnostics import Diagnostic
from ksctl.registry import Registry
from ksctl.rules import EVERY_KIND, Context, at, rule


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
