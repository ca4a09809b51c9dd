"""The facts of kunskapsstyrning that more than one part of ksctl needs, computed once.

Standard library only, so that a query answered from the snapshot (plain data, no pydantic)
and a rule over the models (`validate`) compute the same thing, and the site shows what the
queries answer. Every function takes an *item* as either kind of data: a model (`from_`,
`to` as dates) or its plain form (`"from": 2018` or `"2020-02"` as written); `_get` reads
both. Days are `datetime.date`; a date written to the year or month stands for its first
day as a start and its last day as an end.

What is here: when a dated fact holds (`span`, `holds`, `seat_state`); calendar arithmetic
(`add_years`, `add_months`); mandates (`mandate_end`); the region and healthcare region a
seat stands for; jäv reassessment (`coi_interval`, `coi_due`); mirrors (the RPO or LPO of
an area in a place); hosting (`hosting_at`, `hosted_by`); and where an entity sits
(`region_of`, `healthcare_region_of`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ksctl.dates import bounds

if TYPE_CHECKING:
    from ksctl.registry import Entity, Registry

Day = datetime.date
_ATTR = {"from": "from_"}  # a model's attribute for a key that is a Python keyword


def get(item: object, key: str) -> Any:
    """`key` of a model or of its plain form."""
    if isinstance(item, Mapping):
        return item.get(key)
    return getattr(item, _ATTR.get(key, key), None)


def field(entity: Entity, key: str) -> Any:
    """A field of an entity: from its model when it has one (a validation), else from its
    plain data (a query from the snapshot)."""
    return get(entity.model if entity.model is not None else (entity.data or {}), key)


def day_of(value: object, *, end: bool = False) -> Day | None:
    """The day a written date stands for: 2020 is 2020-01-01 as a start, 2020-12-31 as an
    end (`end`); a `date` is itself; None for no date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    return bounds(str(value), end=end)


def as_day(day: Day | str) -> Day:
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)


# ------------------------------------------------------------------------------ periods


class Span(NamedTuple):
    """The days a dated fact holds, both ends inclusive; None is open."""

    start: Day | None
    end: Day | None

    def holds(self, day: Day) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: Span) -> bool:
        return (self.start or datetime.date.min) <= (other.end or datetime.date.max) and (
            other.start or datetime.date.min
        ) <= (self.end or datetime.date.max)


def span(item: object) -> Span:
    """The days `item` (a hosting period, a group, a seat) holds. A seat a source gives
    without dates (`as_of`) holds from the source's date on: its start is unknown, so it is
    never shown for a date before it."""
    start = day_of(get(item, "from"))
    if start is None:
        start = day_of(get(item, "as_of"))
    return Span(start, day_of(get(item, "to"), end=True))


def holds(item: object, day: Day | str) -> bool:
    """Whether the dated `item` holds on `day` (open ends hold)."""
    return span(item).holds(as_day(day))


def seat_state(seat: object, day: Day | str, group: object | None = None) -> str:
    """ "upcoming", "current" or "ended" on `day`: a seat that starts later is upcoming, not
    ended. Within a group that does not exist on `day` no seat is current."""
    at = as_day(day)
    own = span(seat)
    if own.start is not None and at < own.start:
        return "upcoming"
    if own.end is not None and own.end < at:
        return "ended"
    if group is not None:
        where = span(group)
        if where.start is not None and at < where.start:
            return "upcoming"
        if where.end is not None and where.end < at:
            return "ended"
    return "current"


def seats(group: object) -> list[Any]:
    return list(get(group, "members") or [])


def current_seats(group: object, day: Day | str) -> list[tuple[int, Any]]:
    """(index, seat) of the seats held on `day`, in a group that exists then."""
    return [(i, s) for i, s in enumerate(seats(group)) if seat_state(s, day, group) == "current"]


# ------------------------------------------------------------------------------ calendar

LAST_DAY = datetime.date.max


def add_months(day: Day, months: int) -> Day:
    """`day` moved on by calendar months, clamped to the month's end (31 January + 1 month
    is 28 or 29 February) and to 9999-12-31."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > datetime.MAXYEAR:
        return LAST_DAY
    from ksctl.dates import month_days

    return datetime.date(year, month + 1, min(day.day, month_days(year, month + 1)))


def add_years(day: Day, years: int) -> Day:
    """The same day `years` later (29 February to 28 February), at most 9999-12-31."""
    return add_months(day, 12 * years)


# ------------------------------------------------------------------------------ mandates


def mandate_end(seat: object) -> Day | None:
    """The last day of a seat's mandate: its `to`, else the day before `mandate_years`
    after its start (a two-year mandate from 2024-03-01 ends 2026-02-28)."""
    own = span(seat)
    if own.end is not None:
        return own.end
    years = get(seat, "mandate_years")
    start = day_of(get(seat, "from"))
    if start is None or not years:
        return None
    after = add_years(start, int(years))
    return after if after == LAST_DAY else after - datetime.timedelta(days=1)


SUPPORT_ROLES = frozenset({"process-leader", "secretary", "contact-person"})
"""Functions that serve a group rather than seats in it: they hold no mandate."""


def mandate_only_end(seat: object) -> str | None:
    """The last day of a mandate that only `mandate_years` gives (a seat with no `to`), as
    `members`, `person` and the site show it beside the start; None otherwise."""
    if get(seat, "to") or not get(seat, "mandate_years") or not get(seat, "from"):
        return None
    end = mandate_end(seat)
    return end.isoformat() if end is not None else None


def mandate_years(seat: object) -> float | None:
    """How long a seat's period is, in years (a dated period only)."""
    own = span(seat)
    if own.start is None or own.end is None:
        return None
    return ((own.end - own.start).days + 1) / 365.25


# ------------------------------------------------------------------------------ places


def region_of(entity: Entity) -> str | None:
    """The region an entity sits in, from its path (a municipality: its region's file)."""
    if entity.kind == "region":
        return entity.id
    parts = entity.path.split("/")
    if "regions" in parts and parts.index("regions") + 1 < len(parts):
        return parts[parts.index("regions") + 1]
    return None


def healthcare_region_of_region(registry: Registry, region: str) -> str | None:
    found = registry.get("region", region)
    hr = field(found, "healthcare_region") if found is not None else None
    return str(hr) if hr else None


def healthcare_region_of(registry: Registry, entity: Entity) -> str | None:
    """The healthcare region an entity belongs to: itself, its folder, or its region's."""
    if entity.kind == "healthcare-region":
        return entity.id
    parts = entity.path.split("/")
    if "healthcare-regions" in parts:
        return parts[parts.index("healthcare-regions") + 1]
    region = region_of(entity)
    return healthcare_region_of_region(registry, region) if region else None


def employer(registry: Registry, person: str | None) -> str | None:
    found = registry.get("person", person) if person else None
    value = field(found, "employer") if found is not None else None
    return str(value) if value else None


def region_of_ref(registry: Registry, ref: object) -> str | None:
    """The region a reference names: a region itself, a municipality its region; None for
    anything else (a healthcare region, an organisation, a municipality not there)."""
    kind, _, ident = str(ref or "").partition(":")
    if kind == "region":
        return ident
    if kind == "municipality":
        found = registry.get("municipality", ident)
        return region_of(found) if found is not None else None
    return None


def seat_region(registry: Registry, seat: object) -> str | None:
    """The region a seat stands for: what it represents, else its holder's employer (a
    municipality stands for its region)."""
    for ref in (get(seat, "represents"), employer(registry, get(seat, "person"))):
        if str(ref or "").partition(":")[0] in ("region", "municipality"):
            return region_of_ref(registry, ref)
    return None


def seat_healthcare_region(registry: Registry, seat: object) -> str | None:
    """The healthcare region a seat stands for: what it represents, else its region's."""
    kind, _, ident = str(get(seat, "represents") or "").partition(":")
    if kind == "healthcare-region":
        return ident
    region = seat_region(registry, seat)
    return healthcare_region_of_region(registry, region) if region else None


# ------------------------------------------------------------------------------ jäv


def stale_years(policies: Mapping[str, Any]) -> int:
    """After how many years a fact's newest source is old (the policy `stale_after_years`)."""
    return int(policies.get("stale_after_years", 3))


def stale_from(known: Day, policies: Mapping[str, Any]) -> Day:
    """The day a fact known from a source of `known` grows old: `known` plus the policy's
    years. KS471, `due --stale` and the site all ask this."""
    return add_years(known, stale_years(policies))


def coi_interval(policies: Mapping[str, Any], person: object) -> int:
    """How many years a jäv assessment holds for `person`: the region's own interval when
    their employer is a region that sets one, else the national one."""
    default = int(policies.get("coi_interval_years", 3))
    by_region = policies.get("coi_interval_years_by_region") or {}
    kind, _, region = str(get(person, "employer") or "").partition(":")
    return int(by_region.get(region, default)) if kind == "region" else default


def coi_last(person: object) -> Day | None:
    coi = get(person, "conflict_of_interest")
    if not coi:
        return None
    return day_of(get(coi, "assessed")) or day_of(get(coi, "declared"))


def coi_due(person: object, policies: Mapping[str, Any]) -> Day | None:
    """When `person`'s jäv declaration is next to be assessed."""
    last = coi_last(person)
    return add_years(last, coi_interval(policies, person)) if last is not None else None


# ------------------------------------------------------------------------------ mirrors

MIRROR_PLACE = {"rpo": "healthcare-region", "lpo": "region"}


def mirrored_area(entity: Entity) -> str:
    """The national area an RPO or LPO mirrors: its `mirrors`, else its file's name."""
    return str(field(entity, "mirrors") or entity.id.rsplit("/", 1)[-1])


def mirror(registry: Registry, kind: str, place: str, area: str) -> Entity | None:
    """The RPO (`kind` rpo, `place` a healthcare region) or LPO (lpo, a region) that mirrors
    the national `area`: the file named after it, else one that says `mirrors: <area>`."""
    direct = registry.get(kind, f"{place}/{area}")
    if direct is not None:
        return direct
    entities = registry.of_kind(kind)
    for ident in entities:  # by id first: only the place's own are looked at
        if ident.partition("/")[0] == place and field(entities[ident], "mirrors") == area:
            return entities[ident]
    return None


def mirrored(registry: Registry, kind: str, place: str) -> set[str]:
    """The national areas `place` has an RPO or LPO for."""
    entities = registry.of_kind(kind)
    return {
        mirrored_area(entities[ident]) for ident in entities if ident.partition("/")[0] == place
    }


# ------------------------------------------------------------------------------ hosting


def hosting_at(area: object, day: Day | str) -> list[Any]:
    """The hosting periods of a national area that hold on `day`."""
    return [h for h in get(area, "hosting") or [] if holds(h, day)]


class Hosted(NamedTuple):
    area: Entity
    role: str  # "host" or "dormant host"
    hosting: Any


def hosted_by(registry: Registry, host: str, day: Day | str) -> Iterator[Hosted]:
    """The national areas `host` (`healthcare-region:<id>` or `organisation:<id>`) hosts,
    or is the dormant host of, on `day`, in the order of the registry."""
    kind, _, ident = host.partition(":")
    for area in registry.of_kind("npo").values():
        for h in hosting_at(area.data or {}, day):
            if get(h, "host") == host:
                yield Hosted(area, "host", h)
            elif kind == "healthcare-region" and get(h, "dormant_host") == ident:
                yield Hosted(area, "dormant host", h)


def hosting_gaps(hosting: Iterable[object], at: Day) -> Iterator[tuple[int, Day, Day]]:
    """(index of the period after the gap, first and last day without a host) for every gap
    between the first period's start and `at`. A gap that `at` falls in is left to the
    check of `at` itself."""
    periods = [span(h) for h in hosting]
    order = sorted(range(len(periods)), key=lambda i: periods[i].start or datetime.date.min)
    covered: Day | None = None  # the last day hosted so far
    for i in order:
        start, end = periods[i]
        if covered is not None and start is not None:
            if start > at:
                return
            if (start - covered).days > 1:
                yield i, covered + datetime.timedelta(days=1), start - datetime.timedelta(days=1)
        if end is None:
            return  # hosted from here on
        covered = end if covered is None else max(covered, end)


# ------------------------------------------------------------------------------ sources


def newest_source(item: object) -> Day | None:
    """The newest publication date among `item`'s sources (else their retrieval dates: a
    source that states no date is at least as old as the day it was read)."""
    found: list[Day] = []
    for source in get(item, "sources") or []:
        day = day_of(get(source, "published"), end=True) or day_of(get(source, "retrieved"))
        if day is not None:
            found.append(day)
    return max(found, default=None)


def published(item: object) -> Day | None:
    """The newest publication date its sources state, or None when none states one."""
    days = [day_of(get(s, "published"), end=True) for s in get(item, "sources") or []]
    return max((d for d in days if d is not None), default=None)
