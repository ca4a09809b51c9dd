"""The rules of kunskapsstyrning, as checks over a loaded registry.

Layer 4. Schemas catch malformed files; these catch a structure that breaks the system's
own rules. Each rule is a function in `RULES`, keyed by its stable code (documented in
`diagnostics.CODES`), run as of a date, and each diagnostic points at the member entry,
hosting entry or field that breaks it. `rules:` in ksctl.yaml may change a rule's
severity or turn it off.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ksctl import fingerprint, kinds, loader
from ksctl.dates import bounds
from ksctl.diagnostics import Diagnostic, Severity
from ksctl.match import norm
from ksctl.memory import paused_gc
from ksctl.model import (
    STAGES,
    Group,
    Handling,
    Membership,
    MirrorArea,
    Person,
    Region,
    Settings,
    fields_reaching,
)
from ksctl.registry import Entity, Registry
from ksctl.yamlio import Loc


@dataclass(frozen=True)
class Context:
    at: datetime.date
    settings: Settings


Check = Callable[[Registry, Context], Iterable[Diagnostic]]
RULES: dict[str, Check] = {}


def rule(code: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        RULES[code] = fn
        return fn

    return register


def _at(
    entity: Entity,
    code: str,
    message: str,
    loc: Loc = (),
    *,
    severity: Severity | None = None,
    hint: str | None = None,
    key: bool = False,
) -> Diagnostic:
    line, col = entity.position(loc, key=key)
    return Diagnostic.make(
        code, message, path=entity.path, line=line, column=col, severity=severity, hint=hint
    )


def _models(registry: Registry, kind: str, *, every: bool = False) -> Iterator[tuple[Entity, Any]]:
    """The entities of `kind` to report on (all of them, unless the registry is scoped to
    what a change can reach), or with `every` all of them, for a rule that gathers."""
    source = registry.of_kind(kind) if every else registry.reporting(kind)
    for entity in source.values():
        if entity.model is not None:
            yield entity, entity.model


def _groups(
    registry: Registry, of: Iterable[str] | None = None, *, every: bool = False
) -> Iterator[tuple[Entity, Group]]:
    for kind in kinds.group_kinds() if of is None else of:
        for entity, model in _models(registry, kind, every=every):
            if isinstance(model, Group):
                yield entity, model


def _active(item: Any, day: datetime.date) -> bool:
    start, end = getattr(item, "from_", None), getattr(item, "to", None)
    as_of = getattr(item, "as_of", None)
    if start is None and as_of is not None:
        start = bounds(as_of, end=False)
    return (start is None or start <= day) and (end is None or day <= end)


def _overlap(a: Any, b: Any) -> bool:
    a_start = a.from_ or datetime.date.min
    a_end = a.to or datetime.date.max
    b_start = b.from_ or datetime.date.min
    b_end = b.to or datetime.date.max
    return a_start <= b_end and b_start <= a_end


def _healthcare_region_of_region(registry: Registry, region_id: str) -> str | None:
    region = registry.get("region", region_id)
    return region.model.healthcare_region if region and isinstance(region.model, Region) else None


def _region_of_municipality(registry: Registry, code: str) -> str | None:
    m = registry.get("municipality", code)
    return m.path.split("/regions/", 1)[1].split("/", 1)[0] if m and "/regions/" in m.path else None


def seat_region(registry: Registry, seat: Any) -> str | None:
    """The region a seat stands for: what it represents, else its holder's employer."""
    refs = [seat.represents]
    holder = registry.get("person", seat.person) if seat.person else None
    if holder is not None and isinstance(holder.model, Person):
        refs.append(holder.model.employer)
    for ref in refs:
        kind, _, ident = (ref or "").partition(":")
        if kind == "region":
            return ident
        if kind == "municipality":
            return _region_of_municipality(registry, ident)
    return None


def seat_healthcare_region(registry: Registry, seat: Any) -> str | None:
    kind, _, ident = (seat.represents or "").partition(":")
    if kind == "healthcare-region":
        return ident
    region = seat_region(registry, seat)
    return _healthcare_region_of_region(registry, region) if region else None


# ------------------------------------------------------------------------------ hosting


@rule("KS401")
def host_count(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in _models(registry, "npo"):
        current = [h for h in area.hosting if _active(h, ctx.at)]
        if len(current) != 1:
            what = "no host" if not current else f"{len(current)} hosts"
            yield _at(
                entity,
                "KS401",
                f"{area.name} has {what} on {ctx.at}",
                ("hosting",) if area.hosting else (),
                hint="every national area has exactly one host at any date",
            )
        for j, start, end in _hosting_gaps(area.hosting, ctx.at):
            yield _at(
                entity,
                "KS401",
                f"{area.name} has no host from {start} to {end}",
                ("hosting", j),
                hint="every national area has exactly one host at any date",
            )


def _hosting_gaps(
    hosting: list[Any], at: datetime.date
) -> Iterator[tuple[int, datetime.date, datetime.date]]:
    """(index of the period after the gap, first and last day without a host) for every
    gap between the first period's start and `at`. A gap that `at` falls in is left to the
    check of `at` itself."""
    order = sorted(range(len(hosting)), key=lambda i: hosting[i].from_ or datetime.date.min)
    covered: datetime.date | None = None  # the last day hosted so far
    for i in order:
        start, end = hosting[i].from_, hosting[i].to
        if covered is not None and start is not None:
            if start > at:
                return
            if (start - covered).days > 1:
                yield i, covered + datetime.timedelta(days=1), start - datetime.timedelta(days=1)
        if end is None:
            return  # hosted from here on
        covered = end if covered is None else max(covered, end)


@rule("KS402")
def hosting_overlap(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in _models(registry, "npo"):
        for j, later in enumerate(area.hosting):
            for i in range(j):
                if _overlap(area.hosting[i], later):
                    yield _at(
                        entity,
                        "KS402",
                        f"hosting {j + 1} overlaps hosting {i + 1} "
                        f"(line {entity.position(('hosting', i))[0]})",
                        ("hosting", j),
                        hint="end the earlier period the day before the next begins",
                    )


@rule("KS403")
def skr_without_dormant(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in _models(registry, "npo"):
        for i, h in enumerate(area.hosting):
            if h.host.startswith("organisation:") and h.dormant_host is None:
                yield _at(
                    entity,
                    "KS403",
                    f"{area.name} is hosted by {h.host} without a dormant host region",
                    ("hosting", i),
                    hint="add dormant_host: <healthcare region>",
                )


@rule("KS404")
def host_kind(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for kind in ("npo", "nsg"):
        for entity, group in _models(registry, kind):
            for i, h in enumerate(group.hosting):
                if h.host.startswith("organisation:") and h.host != "organisation:skr":
                    yield _at(
                        entity,
                        "KS404",
                        f"host {h.host} is neither a healthcare region nor SKR",
                        ("hosting", i, "host"),
                    )


# ------------------------------------------------------------------------------ composition


def _current_seats(group: Group, day: datetime.date) -> list[tuple[int, Any]]:
    return [(i, s) for i, s in enumerate(group.members) if _active(s, day)]


@rule("KS411")
def npo_region_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    regions = sorted(registry.of_kind("healthcare-region"))
    for entity, area in _models(registry, "npo"):
        seats = _current_seats(area, ctx.at)
        if not seats:
            continue  # members not in the registry: nothing to check
        present = {seat_healthcare_region(registry, s) for _, s in seats}
        for hr in regions:
            if hr not in present:
                yield _at(
                    entity,
                    "KS411",
                    f"{area.name} has no representative of healthcare region {hr!r}",
                    ("members",),
                )


@rule("KS412")
def npo_region_twice(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, area in _models(registry, "npo"):
        first: dict[str, int] = {}
        for i, s in _current_seats(area, ctx.at):
            if s.role != "member" or s.vacant or (s.represents or "").startswith("municipality:"):
                continue
            hr = seat_healthcare_region(registry, s)
            if hr is None:
                continue
            if hr in first:
                yield _at(
                    entity,
                    "KS412",
                    f"healthcare region {hr!r} holds a second ordinary "
                    f"seat (the first at line {entity.position(('members', first[hr]))[0]})",
                    ("members", i),
                )
            else:
                first[hr] = i


@rule("KS413")
def rpo_region_seats(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, rpo in _models(registry, "rpo"):
        hr = entity.id.split("/", 1)[0]
        regions = sorted(
            r for r in registry.of_kind("region") if _healthcare_region_of_region(registry, r) == hr
        )
        seats = _current_seats(rpo, ctx.at)
        if not seats:
            continue
        count: dict[str, list[int]] = defaultdict(list)
        for i, s in seats:
            region = seat_region(registry, s)
            if region:
                count[region].append(i)
        for region in regions:
            if not count[region]:
                yield _at(entity, "KS413", f"no seat for region {region!r}", ("members",))
            elif len(count[region]) > 2:
                yield _at(
                    entity,
                    "KS413",
                    f"region {region!r} has {len(count[region])} seats; "
                    "an RPO has one or two per region",
                    ("members", count[region][2]),
                    severity=Severity.ERROR,
                )


@rule("KS414")
def chair_count(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, group in _groups(registry):
        if not _active(group, ctx.at):
            continue
        seats = _current_seats(group, ctx.at)
        if not [s for _, s in seats if not s.vacant]:
            continue
        chairs = [i for i, s in seats if s.role == "chair"]
        if not chairs:
            yield _at(entity, "KS414", f"{group.name} has no chair on {ctx.at}", ("members",))
        elif len(chairs) > 1:
            yield _at(
                entity,
                "KS414",
                f"{group.name} has {len(chairs)} chairs on {ctx.at}",
                ("members", chairs[1]),
                severity=Severity.ERROR,
            )


@rule("KS415")
def nag_region_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    regions = sorted(registry.of_kind("healthcare-region"))
    for entity, nag in _models(registry, "nag"):
        seats = _current_seats(nag, ctx.at)
        if not seats:
            continue
        present = {seat_healthcare_region(registry, s) for _, s in seats}
        missing = [hr for hr in regions if hr not in present]
        if missing:
            yield _at(
                entity,
                "KS415",
                f"{nag.name} has no member from: {', '.join(missing)}",
                ("members",),
            )


@rule("KS416")
def lag_no_patient(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, lag in _models(registry, "lag"):
        seats = _current_seats(lag, ctx.at)
        if seats and not any(s.role == "patient-representative" for _, s in seats):
            yield _at(
                entity,
                "KS416",
                f"{lag.name} has no patient, user or next-of-kin representative",
                ("members",),
                hint="a LAG seeks one (patient-representative)",
            )


# ------------------------------------------------------------------------------ mirroring


def _mirrors(registry: Registry, kind: str, place: str) -> set[str]:
    out = set()
    entities = registry.of_kind(kind)
    for ident in entities:  # by id first: only the place's own are looked at
        prefix, _, stem = ident.partition("/")
        if prefix != place:
            continue
        model = entities[ident].model
        mirrors = model.mirrors if isinstance(model, MirrorArea) else None
        out.add(mirrors or stem)
    return out


def _areas(registry: Registry) -> list[str]:
    return sorted(registry.of_kind("npo"))


def _missing_message(missing: list[str], total: int, what: str) -> str:
    if len(missing) == total:
        return f"{what} for any of the {total} national areas"
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return f"{what} for {len(missing)} of the {total} national areas: {shown}"


@rule("KS421")
def rpo_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """One warning per healthcare region, naming the areas it has no RPO for."""
    areas = _areas(registry)
    for entity in registry.reporting("healthcare-region").values():
        present = _mirrors(registry, "rpo", entity.id)
        missing = [a for a in areas if a not in present]
        if missing:
            yield _at(
                entity,
                "KS421",
                _missing_message(missing, len(areas), "no RPO"),
                hint=f"add healthcare-regions/{entity.id}/programme-areas/<area>.yaml",
            )


@rule("KS422")
def lpo_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """One warning per region, naming the areas with neither LPO nor a contact person."""
    areas = _areas(registry)
    for entity in registry.reporting("region").values():
        present = _mirrors(registry, "lpo", entity.id)
        missing = [a for a in areas if a not in present]
        if missing:
            yield _at(
                entity,
                "KS422",
                _missing_message(missing, len(areas), "neither LPO nor a not-established entry"),
                hint=f"add regions/{entity.id}/programme-areas/<area>.yaml",
            )


@rule("KS423")
def lpo_no_unit_contact(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, lpo in _models(registry, "lpo"):
        region = registry.get("region", entity.id.split("/", 1)[0])
        if region is None or not isinstance(region.model, Region):
            continue
        if region.model.knowledge_support_unit and lpo.contact_person is None:
            yield _at(
                entity,
                "KS423",
                f"{lpo.name} names no contact at {region.model.knowledge_support_unit}",
                hint="add contact_person: <person id>",
            )


# ------------------------------------------------------------------------------ time


def _has_period(model: type[BaseModel]) -> bool:
    return "from_" in model.model_fields or "to" in model.model_fields


def _periods(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    if isinstance(getattr(model, "from_", None), datetime.date) or isinstance(
        getattr(model, "to", None), datetime.date
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


@rule("KS431")
def period_reversed(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity in registry:
        if entity.model is None or entity.loc:
            continue
        for loc, item in _periods(entity.model):
            if item.from_ and item.to and item.from_ > item.to:
                yield _at(entity, "KS431", f"from {item.from_} is after to {item.to}", (*loc, "to"))


# Functions that serve a group rather than seats in it: a chair may also be the process
# leader, a member the secretary. Two seats at once (chair and member, member and
# substitute) are one person listed twice.
SUPPORT_ROLES = {"process-leader", "secretary", "contact-person"}


@rule("KS432")
def seats_overlap(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, group in _groups(registry):
        by_person: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(group.members):
            if s.person:
                for j in by_person[s.person]:
                    other = group.members[j]
                    if not _overlap(other, s) or (
                        other.role != s.role and {other.role, s.role} & SUPPORT_ROLES
                    ):
                        continue
                    line = entity.position(("members", j))[0]
                    yield _at(
                        entity,
                        "KS432",
                        f"{s.person} already holds this role here in this period (line {line})"
                        if other.role == s.role
                        else f"{s.person} already sits here as {other.role} in this period "
                        f"(line {line}), so cannot also be {s.role}",
                        ("members", i),
                        hint=None
                        if other.role == s.role
                        else "a person holds one seat in a group at a time: list them once, "
                        "in the role they hold, or end one seat before the other begins",
                    )
                    break
                by_person[s.person].append(i)


@rule("KS433")
def seat_outlives_group(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """A seat outside its group's period. A seat without `to` is current: an error once the
    group has ended (while the group still runs, it ends with the group). A seat without
    `from` started at some unknown time and is only out of bounds if it ended before."""
    for entity, group in _groups(registry):
        for i, s in enumerate(group.members):
            if group.to and s.to and s.to > group.to:
                yield _at(
                    entity,
                    "KS433",
                    f"seat runs to {s.to}, past the group's end {group.to}",
                    ("members", i, "to"),
                )
            elif group.to and s.to is None and group.to < ctx.at:
                yield _at(
                    entity,
                    "KS433",
                    f"seat has no end date, but the group ended {group.to}",
                    ("members", i),
                    hint=f"set to: {group.to} or earlier",
                )
            if group.from_ and s.from_ and s.from_ < group.from_:
                yield _at(
                    entity,
                    "KS433",
                    f"seat starts {s.from_}, before the group's start {group.from_}",
                    ("members", i, "from"),
                )
            elif group.from_ and s.from_ is None and s.to and s.to < group.from_:
                yield _at(
                    entity,
                    "KS433",
                    f"seat ends {s.to}, before the group's start {group.from_}",
                    ("members", i, "to"),
                )


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _mandate_end(seat: Membership) -> datetime.date | None:
    if seat.to is not None:
        return seat.to
    if seat.from_ is not None and seat.mandate_years:
        return _add_years(seat.from_, seat.mandate_years) - datetime.timedelta(days=1)
    return None


@rule("KS434")
def mandate_expired(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, group in _groups(registry):
        for i, s in enumerate(group.members):
            end = _mandate_end(s)
            if s.to is None and end is not None and end < ctx.at:
                yield _at(
                    entity,
                    "KS434",
                    f"the {s.mandate_years}-year mandate from {s.from_} "
                    f"ended {end}, but the seat has no end date",
                    ("members", i),
                    hint="set to: when it ended, or add the renewed mandate",
                )


@rule("KS435")
def mandate_ending(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    window = datetime.timedelta(days=ctx.settings.policies.mandate_warning_days)
    for entity, group in _groups(registry):
        for i, s in enumerate(group.members):
            end = _mandate_end(s)
            if end is not None and ctx.at <= end <= ctx.at + window:
                yield _at(
                    entity,
                    "KS435",
                    f"mandate of {s.person or 'a vacant seat'} ends {end}",
                    ("members", i),
                )


# ------------------------------------------------------------------------------ jäv


def _person(registry: Registry, ident: str | None) -> tuple[Entity, Person] | None:
    entity = registry.get("person", ident) if ident else None
    if entity is None or not isinstance(entity.model, Person):
        return None
    return entity, entity.model


@rule("KS441")
def coi_missing(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, group in _groups(registry, kinds.kinds_at("national")):
        for i, s in _current_seats(group, ctx.at):
            found = _person(registry, s.person)
            if found is None:
                continue
            coi = found[1].conflict_of_interest
            if coi is None or coi.declared is None:
                yield _at(
                    entity,
                    "KS441",
                    f"{found[1].name} has no conflict-of-interest declaration on file",
                    ("members", i),
                    hint=f"add conflict_of_interest.declared to {found[0].path}",
                )
            elif s.from_ and coi.declared > s.from_:
                yield _at(
                    entity,
                    "KS441",
                    f"{found[1].name} declared {coi.declared}, after taking the seat {s.from_}",
                    ("members", i),
                )


@rule("KS442")
def coi_stale(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    policies = ctx.settings.policies
    for entity, person in _models(registry, "person"):
        coi = person.conflict_of_interest
        last = coi and (coi.assessed or coi.declared)
        if not last:
            continue
        region = (
            (person.employer or "").partition(":")[2]
            if (person.employer or "").startswith("region:")
            else None
        )
        years = policies.coi_interval_years_by_region.get(region or "", policies.coi_interval_years)
        due = _add_years(last, years)
        if due < ctx.at:
            yield _at(
                entity,
                "KS442",
                f"last assessed {last}; reassessment was due {due} "
                f"(every {years} year{'s' if years != 1 else ''})",
                ("conflict_of_interest",),
            )


# ------------------------------------------------------------------------------ knowledge support


@rule("KS451")
def handling_skips(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in _models(registry, "handling"):
        assert isinstance(handling, Handling)
        previous = -1  # a handling starts at remiss: a first step after it skips stages
        for i, step in enumerate(handling.steps):
            index = STAGES.index(step.stage)
            if index > previous + 1 or index < previous:
                skipped = ", ".join(STAGES[previous + 1 : index])
                yield _at(
                    entity,
                    "KS451",
                    f"starts at {step.stage}: skips {skipped}"
                    if previous < 0
                    else f"{STAGES[previous]} → {step.stage}: "
                    + ("goes back" if index < previous else f"skips {skipped}"),
                    ("steps", i, "stage"),
                    hint="a handling's steps begin with remiss" if previous < 0 else None,
                )
            previous = max(previous, index)
        if (
            handling.steps
            and handling.stage != handling.steps[-1].stage
            and STAGES.index(handling.stage) != previous
        ):
            yield _at(
                entity,
                "KS451",
                f"stage is {handling.stage} but the last step is {handling.steps[-1].stage}",
                ("stage",),
            )


@rule("KS452")
def handling_dates(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in _models(registry, "handling"):
        for i in range(1, len(handling.steps)):
            if handling.steps[i].date < handling.steps[i - 1].date:
                yield _at(
                    entity,
                    "KS452",
                    f"step {handling.steps[i].stage} on "
                    f"{handling.steps[i].date} is before the step before it "
                    f"({handling.steps[i - 1].date})",
                    ("steps", i, "date"),
                )


@rule("KS453")
def decision_without_who(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in _models(registry, "handling"):
        decision = handling.decision
        if decision is not None and decision.by is None and decision.body is None:
            yield _at(
                entity,
                "KS453",
                "the decision names no decider",
                ("decision",),
                hint="add by: (in words) or body: (a body id)",
            )


@rule("KS454")
def follow_up_without_date(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    for entity, handling in _models(registry, "handling"):
        if handling.stage == "uppfoljning" and (
            handling.follow_up is None or handling.follow_up.next is None
        ):
            yield _at(
                entity,
                "KS454",
                "in uppföljning without a next follow-up date",
                ("stage",),
                hint="add follow_up: {next: YYYY-MM-DD}",
            )


# ------------------------------------------------------------------------------ hygiene


@rule("KS461")
def person_idle(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    busy: set[str] = set()
    for _, group in _groups(registry, every=True):
        busy.update(s.person for s in group.members if s.person)
        if isinstance(group, MirrorArea) and group.contact_person:
            busy.add(group.contact_person)
    for _, handling in _models(registry, "handling", every=True):
        if handling.responsible_person:
            busy.add(handling.responsible_person)
    for entity, person in _models(registry, "person"):
        if entity.id not in busy:
            yield _at(entity, "KS461", f"{person.name} holds no seat and no role")


@rule("KS462")
def alias_shared(registry: Registry, ctx: Context) -> Iterator[Diagnostic]:
    """Names are compared as `who-hosts` compares them (match.norm: case, diacritics and
    punctuation ignored), so "ONH" clashes with "ÖNH"."""
    areas = sorted(_models(registry, "npo", every=True), key=lambda pair: pair[0].id)
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
                yield _at(
                    entity,
                    "KS462",
                    f"alias {alias!r} also names npo:{first}"
                    + (f" (as {spelled!r})" if spelled != alias else ""),
                    ("aliases", i),
                    hint="an alias must name one area",
                )


# ------------------------------------------------------------------------------ running


def run(registry: Registry, at: datetime.date) -> list[Diagnostic]:
    settings = registry.settings or Settings()
    ctx = Context(at, settings)
    out: list[Diagnostic] = []
    for code, check in RULES.items():
        if settings.rules.get(code) == "off":
            continue
        out.extend(check(registry, ctx))
    return out


def validate(
    root: Path,
    at: datetime.date,
    *,
    tree: fingerprint.Tree | None = None,
    earlier: tuple[dict[str, loader.Earlier], int, tuple[int, int, int]] | None = None,
) -> loader.LoadResult:
    """Load, check schemas and references, then run every rule as of `at`; `earlier` is
    an earlier run's parse of each file, reused for the files that have not changed."""
    files, written_ns, limits = earlier if earlier is not None else ({}, 0, None)
    with paused_gc():
        result = loader.load(
            root, tree=tree, earlier=files, earlier_written_ns=written_ns, earlier_limits=limits
        )
        settings = result.registry.settings or Settings()
        found = loader.apply_severities(run(result.registry, at), settings)
    return dataclasses.replace(result, diagnostics=sorted(set(result.diagnostics) | set(found)))
