"""The questions users ask of the registry, answered as plain data, as of any date.

Layer 4. Works on `Entity.data` (plain JSON-able dicts) so that a query answered from the
cache never needs the models. Every function returns a JSON-able dict; the CLI adds the
envelope's version and renders it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ksctl import kinds
from ksctl.dates import end_day, first_day, last_day, month_days
from ksctl.errors import NoMatch, UsageError
from ksctl.labels import ROLE_LABELS
from ksctl.match import find, norm
from ksctl.registry import Entity, Registry

Data = Mapping[str, Any]


def active(item: Data, at: str) -> bool:
    """True when the dated `item` holds on the ISO date `at` (from/to inclusive, open ends).
    A hosting period may be written to the year or month: `from: 2018` holds from
    2018-01-01, `to: 2020` through 2020-12-31."""
    start, end = item.get("from") or item.get("as_of"), item.get("to")
    return (start is None or first_day(str(start)) <= at) and (
        end is None or at <= end_day(str(end))
    )


def brief(entity: Entity) -> dict[str, str]:
    return {"id": entity.id, "kind": entity.kind, "name": entity.label}


def resolve_ref(registry: Registry, ref: str | None, kinds: tuple[str, ...] = ()) -> Entity | None:
    """The entity a stored reference names: `kind:id`, or a bare id of one of `kinds`."""
    if not ref:
        return None
    kind, sep, ident = ref.partition(":")
    if sep:
        return registry.get(kind, ident)
    for k in kinds:
        hit = registry.get(k, ref)
        if hit is not None:
            return hit
    return None


def _ref_brief(
    registry: Registry, ref: str | None, kinds: tuple[str, ...] = ()
) -> dict[str, str] | None:
    if ref is None:
        return None
    if ref == "self":
        return {"id": "self", "kind": "self", "name": "sig själv"}
    hit = resolve_ref(registry, ref, kinds)
    if hit is None:
        kind, _, ident = ref.rpartition(":")
        return {"id": ident, "kind": kind or (kinds[0] if kinds else ""), "name": ident}
    return brief(hit)


# ------------------------------------------------------------------------------ who-hosts

AREA_KINDS = ("npo",)


def find_area(registry: Registry, text: str) -> Entity:
    return find(registry, text, AREA_KINDS, "national programme area").entity


def current_hosting(area: Entity, at: str) -> Data | None:
    periods = [h for h in (area.data or {}).get("hosting") or [] if active(h, at)]
    return periods[0] if periods else None


def _seat_holders(registry: Registry, group: Entity, role: str, at: str) -> list[dict[str, str]]:
    out = []
    for seat in (group.data or {}).get("members") or []:
        if seat.get("role") == role and active(seat, at) and seat.get("person"):
            person = registry.get("person", seat["person"])
            out.append(
                brief(person)
                if person
                else {"id": seat["person"], "kind": "person", "name": seat["person"]}
            )
    return out


def who_hosts(registry: Registry, text: str, at: str) -> dict[str, Any]:
    area = find_area(registry, text)
    hosting = current_hosting(area, at)
    return {
        "area": {"id": area.id, "name": area.label},
        "host": _ref_brief(registry, hosting.get("host")) if hosting else None,
        "dormant_host": (
            _ref_brief(registry, hosting.get("dormant_host"), ("healthcare-region",))
            if hosting and hosting.get("dormant_host")
            else None
        ),
        "from": hosting.get("from") if hosting else None,
        "to": hosting.get("to") if hosting else None,
        "at": at,
        "chair": _seat_holders(registry, area, "chair", at),
        "process_leader": _seat_holders(registry, area, "process-leader", at),
        "history": [
            {
                "host": _ref_brief(registry, h.get("host")),
                "dormant_host": _ref_brief(registry, h.get("dormant_host"), ("healthcare-region",)),
                "from": h.get("from"),
                "to": h.get("to"),
            }
            for h in (area.data or {}).get("hosting") or []
        ],
    }


def hosted_by(registry: Registry, text: str, at: str) -> dict[str, Any]:
    hr = find(registry, text, ("healthcare-region", "organisation"), "host").entity
    ref = f"{hr.kind}:{hr.id}"
    areas = []
    for area in sorted(registry.of_kind("npo").values(), key=lambda e: e.label):
        hosting = current_hosting(area, at)
        if hosting is None:
            continue
        if hosting.get("host") == ref:
            areas.append(
                {"id": area.id, "name": area.label, "as": "host", "from": hosting.get("from")}
            )
        elif hr.kind == "healthcare-region" and hosting.get("dormant_host") == hr.id:
            areas.append(
                {
                    "id": area.id,
                    "name": area.label,
                    "as": "dormant host",
                    "from": hosting.get("from"),
                }
            )
    return {"host": brief(hr), "at": at, "areas": areas}


# ------------------------------------------------------------------------------ members


def _seat(registry: Registry, seat: Data, at: str) -> dict[str, Any]:
    person = registry.get("person", seat["person"]) if seat.get("person") else None
    return {
        "person": brief(person)
        if person
        else (
            {"id": seat["person"], "kind": "person", "name": seat["person"]}
            if seat.get("person")
            else None
        ),
        "vacant": bool(seat.get("vacant")),
        "role": seat.get("role"),
        "role_label": ROLE_LABELS.get(str(seat.get("role")), str(seat.get("role"))),
        "represents": _ref_brief(registry, seat.get("represents")),
        "function": seat.get("function"),
        "from": seat.get("from"),
        "to": seat.get("to"),
        "current": active(seat, at),
    }


def _role_order(seat: dict[str, Any]) -> tuple[int, str]:
    order = list(ROLE_LABELS)
    role = seat["role"] if seat["role"] in order else "member"
    return (order.index(role), (seat["person"] or {}).get("name", "~"))


def members(registry: Registry, text: str, at: str) -> dict[str, Any]:
    group = find(registry, text, kinds.group_kinds(), "group").entity
    seats = [_seat(registry, s, at) for s in (group.data or {}).get("members") or []]
    seats = sorted((s for s in seats if s["current"]), key=_role_order)
    return {"group": brief(group), "at": at, "members": seats}


def person(registry: Registry, text: str, at: str) -> dict[str, Any]:
    found = find(registry, text, ("person",), "person").entity
    seats = []
    for kind in kinds.group_kinds():
        for group in registry.of_kind(kind).values():
            for seat in (group.data or {}).get("members") or []:
                if seat.get("person") == found.id:
                    seats.append({"group": brief(group), **_seat(registry, seat, at)})
    seats.sort(key=lambda s: (not s["current"], s["from"] or "", s["group"]["name"]))
    data = dict(found.data or {})
    data["contact"] = [c for c in data.get("contact") or [] if c.get("public")]
    return {
        "person": {
            **brief(found),
            "title": data.get("title"),
            "employer": _ref_brief(registry, data.get("employer")),
            "unit": data.get("unit"),
            "contact": data["contact"],
        },
        "at": at,
        "seats": seats,
    }


# ------------------------------------------------------------------------------ list, show


def parse_kind(text: str) -> str:
    kind = kinds.by_word(text)
    if kind is None:
        raise UsageError(f"unknown kind {text!r}; use one of: " + ", ".join(kinds.entity_kinds()))
    return kind


def _region_of(registry: Registry, entity: Entity) -> str | None:
    """The region an entity sits in (from its path), if any."""
    if entity.kind == "region":
        return entity.id
    if entity.kind == "municipality":
        return (
            entity.path.split("/regions/", 1)[1].split("/", 1)[0]
            if "/regions/" in entity.path
            else None
        )
    parts = entity.path.split("/")
    if "regions" in parts:
        return parts[parts.index("regions") + 1]
    return None


def _healthcare_region_of(registry: Registry, entity: Entity) -> str | None:
    if entity.kind == "healthcare-region":
        return entity.id
    parts = entity.path.split("/")
    if "healthcare-regions" in parts:
        return parts[parts.index("healthcare-regions") + 1]
    region = _region_of(registry, entity)
    if region is not None:
        found = registry.get("region", region)
        return (found.data or {}).get("healthcare_region") if found else None
    return None


def list_kind(registry: Registry, kind_text: str, within: str | None, at: str) -> dict[str, Any]:
    kind = parse_kind(kind_text)
    entities: Iterable[Entity] = registry.of_kind(kind).values()
    scope: dict[str, str] | None = None
    if within:
        place = find(
            registry, within, ("healthcare-region", "region"), "healthcare region or region"
        ).entity
        scope = brief(place)
        if place.kind == "region":
            entities = [e for e in entities if _region_of(registry, e) == place.id]
        else:
            entities = [e for e in entities if _healthcare_region_of(registry, e) == place.id]
    items = []
    for e in sorted(entities, key=lambda e: (e.label.casefold(), e.id)):
        data = e.data or {}
        if not active(data, at) and ("from" in data or "to" in data):
            continue
        item: dict[str, Any] = brief(e)
        if kind == "npo":
            hosting = current_hosting(e, at)
            item["host"] = _ref_brief(registry, hosting.get("host")) if hosting else None
        elif kind == "region":
            item["county_code"] = data.get("county_code")
            item["healthcare_region"] = data.get("healthcare_region")
        elif kind in kinds.group_kinds():
            seats = [s for s in data.get("members") or [] if active(s, at)]
            item["members"] = sum(1 for s in seats if not s.get("vacant"))
            item["vacant"] = sum(1 for s in seats if s.get("vacant"))
        items.append(item)
    return {"kind": kind, "in": scope, "at": at, "items": items}


def show(registry: Registry, text: str, at: str) -> dict[str, Any]:
    present = registry.counts()
    entity = find(registry, text, [k for k in kinds.show_order() if k in present], "entity").entity
    relations: dict[str, Any] = {}
    data = entity.data or {}
    if entity.kind == "npo":
        relations = _npo_relations(registry, entity, at)
    elif entity.kind == "healthcare-region":
        relations["regions"] = [
            brief(r)
            for r in registry.of_kind("region").values()
            if (r.data or {}).get("healthcare_region") == entity.id
        ]
        relations["hosts"] = hosted_by(registry, f"healthcare-region:{entity.id}", at)["areas"]
    elif entity.kind == "region":
        relations["lpo"] = [
            brief(e) for e in registry.of_kind("lpo").values() if e.id.startswith(entity.id + "/")
        ]
        relations["bodies"] = [
            brief(e) for e in registry.of_kind("body").values() if e.id.startswith(entity.id + "/")
        ]
    elif entity.kind == "person":
        relations["seats"] = person(registry, f"person:{entity.id}", at)["seats"]
        data = {**data, "contact": [c for c in data.get("contact") or [] if c.get("public")]}
    if entity.kind in kinds.group_kinds():
        relations["members"] = members(registry, f"{entity.kind}:{entity.id}", at)["members"]
    return {
        "entity": {**brief(entity), "path": entity.path},
        "at": at,
        "data": data,
        "relations": relations,
    }


def _npo_relations(registry: Registry, area: Entity, at: str) -> dict[str, Any]:
    hosting = who_hosts(registry, f"npo:{area.id}", at)
    rpo = {}
    for hr in sorted(registry.of_kind("healthcare-region").values(), key=lambda e: e.id):
        found = _mirror(registry, "rpo", hr.id, area.id)
        rpo[hr.id] = {"healthcare_region": brief(hr), "rpo": brief(found) if found else None}
    lpo = {}
    for region in sorted(registry.of_kind("region").values(), key=lambda e: e.id):
        found = _mirror(registry, "lpo", region.id, area.id)
        lpo[region.id] = {
            "region": brief(region),
            "lpo": brief(found) if found else None,
            "status": (found.data or {}).get("status") if found else None,
        }
    return {
        "host": hosting["host"],
        "dormant_host": hosting["dormant_host"],
        "from": hosting["from"],
        "working_groups": [
            brief(e) for e in registry.of_kind("nag").values() if e.id.startswith(area.id + "/")
        ],
        "knowledge_supports": [
            brief(e)
            for e in registry.of_kind("knowledge-support").values()
            if (e.data or {}).get("owner") == f"npo:{area.id}"
        ],
        "rpo_by_healthcare_region": list(rpo.values()),
        "lpo_by_region": list(lpo.values()),
    }


def _mirror(registry: Registry, kind: str, place: str, area: str) -> Entity | None:
    direct = registry.get(kind, f"{place}/{area}")
    if direct is not None:
        return direct
    for e in registry.of_kind(kind).values():
        if e.id.startswith(place + "/") and (e.data or {}).get("mirrors") == area:
            return e
    return None


# ------------------------------------------------------------------------------ search, explain

_SEARCH_FIELDS = (
    "name",
    "title",
    "official_name",
    "aliases",
    "notes",
    "abbreviation",
    "function",
    "expansion",
    "explanation",
    "term",
)


def _starts_words(query: list[str], text: str) -> bool:
    """Every word of `query` begins a word of `text` (both normalized): "anna" finds
    "Anna Ståhl", not "Vännäs" or "tjänstemannanivå"."""
    words = norm(text).split()
    return all(any(w.startswith(q) for w in words) for q in query)


def search(registry: Registry, text: str, at: str | None = None) -> dict[str, Any]:
    """Entities whose names, aliases, notes or functions have words starting with every
    word of `text`; with `at`, groups that did not exist on that date are left out."""
    query = norm(text).split()
    if not query:
        raise UsageError("search for what? give some text")
    hits = []
    for entity in registry:
        data = entity.data or {}
        if at is not None and entity.kind in kinds.group_kinds() and not active(data, at):
            continue
        for field in _SEARCH_FIELDS:
            values = data.get(field)
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str) and _starts_words(query, value):
                    hits.append({**brief(entity), "field": field, "text": value})
                    break
            else:
                continue
            break
    hits.sort(key=lambda h: (h["field"] not in ("name", "title", "term"), h["kind"], h["name"]))
    return {"query": text, "items": hits}


def explain(registry: Registry, text: str) -> dict[str, Any]:
    term = registry.get("term", text.casefold())
    if term is None:
        term = find(registry, text, ("term",), "glossary term").entity
    data = term.data or {}
    return {
        "term": data.get("term"),
        "expansion": data.get("expansion"),
        "explanation": data.get("explanation"),
        "see": [_ref_brief(registry, s) for s in data.get("see") or []],
    }


# ------------------------------------------------------------------------------ stats


def _seat_region(registry: Registry, seat: Data) -> str | None:
    """The region whose share a national seat counts for: what it represents, else the
    holder's employer."""
    for ref in (seat.get("represents"), _employer(registry, seat.get("person"))):
        if not ref:
            continue
        kind, _, ident = ref.partition(":")
        if kind == "region":
            return ident
        if kind == "municipality":
            m = registry.get("municipality", ident)
            return _region_of(registry, m) if m else None
    return None


def _employer(registry: Registry, person_id: str | None) -> str | None:
    found = registry.get("person", person_id) if person_id else None
    return (found.data or {}).get("employer") if found else None


def stats(registry: Registry, at: str) -> dict[str, Any]:
    counts = dict.fromkeys(kinds.entity_kinds(), 0)
    for entity in registry:
        data = entity.data or {}
        if entity.kind in kinds.group_kinds() and not active(data, at):
            continue
        counts[entity.kind] = counts.get(entity.kind, 0) + 1
    levels = {level: {k: counts[k] for k in kinds.kinds_at(level)} for level in kinds.LEVELS}
    seats_by_region: Counter[str] = Counter()
    for kind in kinds.kinds_at("national"):
        for group in registry.of_kind(kind).values():
            for seat in (group.data or {}).get("members") or []:
                if active(seat, at) and not seat.get("vacant"):
                    region = _seat_region(registry, seat)
                    if region:
                        seats_by_region[region] += 1
    shares = []
    for hr in sorted(registry.of_kind("healthcare-region").values(), key=lambda e: e.id):
        regions = sorted(
            r.id
            for r in registry.of_kind("region").values()
            if (r.data or {}).get("healthcare_region") == hr.id
        )
        total = sum(seats_by_region[r] for r in regions)
        published = {p["region"]: p for p in (hr.data or {}).get("participation_shares") or []}
        shares.append(
            {
                "healthcare_region": brief(hr),
                "seats": total,
                "regions": [
                    {
                        "region": _ref_brief(registry, r, ("region",)),
                        "seats": seats_by_region[r],
                        "share": round(100 * seats_by_region[r] / total, 1) if total else None,
                        "published": published[r]["percent"] if r in published else None,
                        "published_as_of": published[r]["as_of"] if r in published else None,
                    }
                    for r in regions
                ],
            }
        )
    with_members = with_patient = 0
    vacant = []
    for kind in kinds.group_kinds():
        for group in registry.of_kind(kind).values():
            if not active(group.data or {}, at):
                continue
            seats = [s for s in (group.data or {}).get("members") or [] if active(s, at)]
            filled = [s for s in seats if not s.get("vacant")]
            if filled:
                with_members += 1
                if any(s.get("role") == "patient-representative" for s in filled):
                    with_patient += 1
            open_seats = len(seats) - len(filled)
            if open_seats:
                vacant.append({**brief(group), "vacant": open_seats, "filled": len(filled)})
    vacant.sort(key=lambda v: (v["kind"], v["id"]))
    return {
        "at": at,
        "counts": counts,
        "levels": levels,
        "national_seat_shares": shares,
        "patient_representation": {
            "groups_with_members": with_members,
            "with_patient_representative": with_patient,
            "share": round(100 * with_patient / with_members, 1) if with_members else None,
        },
        "groups_with_vacant_seats": vacant,
    }


def no_match_payload(exc: NoMatch) -> dict[str, Any]:
    return {"error": str(exc), "candidates": [{"id": i, "name": n} for i, n in exc.candidates]}


# ------------------------------------------------------------------------------ due


LAST_DAY = "9999-12-31"  # a window reaching past the calendar ends here


class Window(NamedTuple):
    """How far ahead `due` looks: a number of days, weeks, or calendar months or years."""

    length: int
    unit: str  # d, w, m or y

    def end(self, start: str) -> str:
        """The last day of the window from the ISO date `start`, at most 9999-12-31."""
        day = datetime.date.fromisoformat(start)
        if self.unit in ("d", "w"):
            try:
                return (
                    day + datetime.timedelta(days=self.length * (7 if self.unit == "w" else 1))
                ).isoformat()
            except OverflowError:
                return LAST_DAY
        months = self.length * (12 if self.unit == "y" else 1)
        return _add_months(day, months)


def _add_months(day: datetime.date, months: int) -> str:
    """`day` moved on by calendar months, clamped to the month's end (31 January + 1 month
    is 28 or 29 February) and to 9999-12-31."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > datetime.MAXYEAR:
        return LAST_DAY
    return datetime.date(year, month + 1, min(day.day, month_days(year, month + 1))).isoformat()


def parse_within(text: str) -> Window:
    """'90d', '12w', '6m', '1y' or '90' (days)."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.casefold())
    if not m:
        raise UsageError(
            f"--within {text!r}: write a number of days, weeks, months or years, "
            "e.g. 90d, 12w, 6m, 1y"
        )
    return Window(int(m.group(1)), m.group(2) or "d")


def _add_years(day: str, years: int) -> str | None:
    """The same day `years` later (29 February -> 28 February), at most 9999-12-31; None
    when `day` is not a date."""
    try:
        start = datetime.date.fromisoformat(day)
    except ValueError:
        return None
    return _add_months(start, 12 * years)


def _chair_of(registry: Registry, group: Entity, at: str) -> dict[str, str] | None:
    chairs = _seat_holders(registry, group, "chair", at)
    return chairs[0] if chairs else None


def due(registry: Registry, at: str, within: Window | int) -> dict[str, Any]:
    """What falls due between `at` and the end of the window (`within`, or a number of
    days), and what is already overdue. A date known only to the month or year falls due at
    its end."""
    window = within if isinstance(within, Window) else Window(within, "d")
    until = window.end(at)
    items: list[dict[str, Any]] = []

    def add(
        written: str | None,
        what: str,
        entity: Entity,
        detail: str,
        responsible: dict[str, str] | None,
    ) -> None:
        date = last_day(str(written)) if written else None
        if date and date <= until:
            overdue = date < at
            if date != written:
                detail = f"{detail} (given as {written})"
            if overdue and what not in ("jäv reassessment", "follow-up"):
                return  # a past mandate end or deadline is history, not an agenda item
            items.append(
                {
                    "date": date,
                    "what": what,
                    "overdue": overdue,
                    "entity": brief(entity),
                    "detail": detail,
                    "responsible": responsible,
                }
            )

    for kind in kinds.group_kinds():
        for group in registry.of_kind(kind).values():
            data = group.data or {}
            for seat in data.get("members") or []:
                end = seat.get("to")
                if end is None and seat.get("from") and seat.get("mandate_years"):
                    end = _mandate_end(seat["from"], int(seat["mandate_years"]))
                if end and active(seat, at):
                    who = _seat(registry, seat, at)["person"]
                    add(
                        end,
                        "mandate ends",
                        group,
                        f"{ROLE_LABELS.get(seat.get('role', ''), '')}: "
                        f"{who['name'] if who else 'vacant seat'}",
                        who,
                    )
            nomination = data.get("nomination")
            if nomination:
                add(
                    nomination.get("deadline"),
                    "nomination deadline",
                    group,
                    ", ".join(nomination.get("competences") or []) or "open nomination",
                    _chair_of(registry, group, at),
                )
    interval = int(registry.policies.get("coi_interval_years", 3))
    by_region = registry.policies.get("coi_interval_years_by_region") or {}
    for person_entity in registry.of_kind("person").values():
        coi = (person_entity.data or {}).get("conflict_of_interest") or {}
        last = coi.get("assessed") or coi.get("declared")
        if last:
            employer = str((person_entity.data or {}).get("employer") or "")
            years = (
                int(by_region.get(employer.partition(":")[2], interval))
                if employer.startswith("region:")
                else interval
            )
            add(
                _add_years(last, years),
                "jäv reassessment",
                person_entity,
                f"last assessed {last}",
                brief(person_entity),
            )
    for ks in registry.of_kind("knowledge-support").values():
        remiss = (ks.data or {}).get("remiss") or {}
        owner = _ref_brief(registry, (ks.data or {}).get("owner"))
        add(remiss.get("to"), "remiss deadline", ks, "remiss closes", owner)
    for handling in registry.of_kind("handling").values():
        data = handling.data or {}
        follow = data.get("follow_up") or {}
        responsible = None
        if data.get("responsible_person"):
            responsible = _ref_brief(registry, data["responsible_person"], ("person",))
        elif data.get("responsible_lpo"):
            lpo = registry.get("lpo", data["responsible_lpo"])
            responsible = _chair_of(registry, lpo, at) if lpo else None
        add(follow.get("next"), "follow-up", handling, f"stage {data.get('stage')}", responsible)
    items.sort(key=lambda i: (i["date"], i["what"], i["entity"]["id"]))
    return {"at": at, "until": until, "items": items}


def _mandate_end(start: str, years: int) -> str | None:
    """A two-year mandate from 2024-03-01 ends 2026-02-28."""
    after = _add_years(start, years)
    if after is None or after == LAST_DAY:
        return after
    return (datetime.date.fromisoformat(after) - datetime.timedelta(days=1)).isoformat()


def coverage(registry: Registry, at: str | None = None) -> dict[str, Any]:
    """National areas × regions: LPO, not established, or missing (as of `at`: areas and
    LPOs that did not exist then count as missing)."""
    areas = sorted(
        (a for a in registry.of_kind("npo").values() if at is None or active(a.data or {}, at)),
        key=lambda e: e.label,
    )
    regions = sorted(registry.of_kind("region").values(), key=lambda e: e.id)
    rows = []
    for area in areas:
        cells = {}
        for region in regions:
            found = _mirror(registry, "lpo", region.id, area.id)
            if found is not None and at is not None and not active(found.data or {}, at):
                found = None
            if found is None:
                cells[region.id] = "missing"
            else:
                cells[region.id] = (found.data or {}).get("status") or "established"
        rows.append({"area": brief(area), "regions": cells})
    return {"regions": [brief(r) for r in regions], "areas": rows}
