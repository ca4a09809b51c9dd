"""Jäv: every member of a national group has declared before taking the seat, and the
declaration is assessed again at the interval the policy sets (a region may set its own)."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl import domain, kinds
from ksctl.diagnostics import Diagnostic
from ksctl.model import Group, Person
from ksctl.registry import Registry
from ksctl.rules import NATIONAL_GROUPS, Context, at, models, rule
from ksctl.rules.composition import current


@rule("KS441", reports={NATIONAL_GROUPS}, follows=1)
def coi_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for kind in kinds.kinds_at("national"):
        for entity, group in models(registry, kind, Group):
            for i, s in current(group, ctx):
                holder = registry.get("person", s.person) if s.person else None
                if holder is None or not isinstance(holder.model, Person):
                    continue
                person = holder.model
                coi = person.conflict_of_interest
                if coi is None or coi.declared is None:
                    yield at(
                        entity,
                        "KS441",
                        f"{person.name} has no conflict-of-interest declaration on file",
                        ("members", i),
                        hint=f"add conflict_of_interest.declared to {holder.path}",
                    )
                elif s.from_ and coi.declared > s.from_:
                    yield at(
                        entity,
                        "KS441",
                        f"{person.name} declared {coi.declared}, after taking the seat {s.from_}",
                        ("members", i),
                    )


@rule("KS442", reports={"person"})
def coi_stale(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, person in models(registry, "person", Person):
        last = domain.coi_last(person)
        due = domain.coi_due(person, ctx.policies)
        if last is None or due is None or not due < ctx.at:
            continue
        years = domain.coi_interval(ctx.policies, person)
        yield at(
            entity,
            "KS442",
            f"last assessed {last}; reassessment was due {due} "
            f"(every {years} year{'s' if years != 1 else ''})",
            ("conflict_of_interest",),
        )
