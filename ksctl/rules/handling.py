"""A region's handling of a national knowledge support: remiss, kartläggning, beslut,
implementering, uppföljning, in order, with dated steps, a named decider and a next
follow-up."""

from __future__ import annotations

from collections.abc import Iterator

from ksctl.diagnostics import Diagnostic
from ksctl.model import STAGES, Handling
from ksctl.registry import Registry
from ksctl.rules import Context, at, models, rule


@rule("KS451", reports={"handling"})
def handling_skips(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in models(registry, "handling", Handling):
        previous = -1  # a handling starts at remiss: a first step after it skips stages
        for i, step in enumerate(handling.steps):
            index = STAGES.index(step.stage)
            if index > previous + 1 or index < previous:
                skipped = ", ".join(STAGES[previous + 1 : index])
                yield at(
                    entity,
                    "KS451",
                    f"starts at {step.stage}: skips {skipped}"
                    if previous < 0
                    else f"{STAGES[previous]} → {step.stage}: "
                    + ("goes back" if index < previous else f"skips {skipped}"),
                    ("steps", i, "stage"),
                    hint=(
                        "a handling's steps begin with remiss"
                        if previous < 0
                        else f"steps go in the order {', '.join(STAGES)}"
                        if index < previous
                        else f"add {'steps' if ', ' in skipped else 'a step'} for {skipped} "
                        "before it"
                    ),
                )
            previous = max(previous, index)
        if (
            handling.steps
            and handling.stage != handling.steps[-1].stage
            and STAGES.index(handling.stage) != previous
        ):
            yield at(
                entity,
                "KS451",
                f"stage is {handling.stage} but the last step is {handling.steps[-1].stage}",
                ("stage",),
            )


@rule("KS452", reports={"handling"})
def handling_dates(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in models(registry, "handling", Handling):
        for i in range(1, len(handling.steps)):
            if handling.steps[i].date < handling.steps[i - 1].date:
                yield at(
                    entity,
                    "KS452",
                    f"step {handling.steps[i].stage} on "
                    f"{handling.steps[i].date} is before the step before it "
                    f"({handling.steps[i - 1].date})",
                    ("steps", i, "date"),
                )


@rule("KS453", reports={"handling"})
def decision_without_who(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in models(registry, "handling", Handling):
        decision = handling.decision
        if decision is not None and decision.by is None and decision.body is None:
            yield at(
                entity,
                "KS453",
                "the decision names no decider",
                ("decision",),
                hint="add by: (in words) or body: (a body id)",
            )


@rule("KS454", reports={"handling"})
def follow_up_without_date(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in models(registry, "handling", Handling):
        if handling.stage == "uppfoljning" and (
            handling.follow_up is None or handling.follow_up.next is None
        ):
            yield at(
                entity,
                "KS454",
                "in uppföljning without a next follow-up date",
                ("stage",),
                hint="add follow_up: {next: YYYY-MM-DD}",
            )
