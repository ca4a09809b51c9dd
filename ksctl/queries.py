"""The questions users ask of the registry, answered as plain data, as of any date.

Works on `Entity.data` (plain JSON-able dicts) so that a query answered from the snapshot
never needs the models; the facts themselves (when a seat holds, a mandate's end, what a
healthcare region hosts) come from `ksctl.domain`, as the rules and the site read them.
Every function returns a JSON-able dict; the CLI puts it in its envelope and renders it.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from ksctl import domain, kinds
from ksctl.errors import NoMatch, UsageError
from ksctl.labels import ROLE_LABELS
from ksctl.match import Found, find
from ksctl.registry import Entity, Registry
from ksctl.text import name_key, norm, sort_key

Data = Mapping[str, Any]
ROLE_ORDER = list(ROLE_LABELS)


def brief(entity: Entity) -> dict[str, str]:
    return {"id": entity.id, "kind": entity.kind, "name": entity.label}


def resolve_ref(registry: Registry, ref: str | None, of: tuple[str, ...] = ()) -> Entity | None:
    """The entity a stored reference names: `kind:id`, or a bare id of one of `of`."""
    if not ref:
        return None
    kind, sep, ident = ref.partition(":")
    if sep:
        return registry.get(kind, ident)
    for k in of:
        hit = registry.get(k, ref)
        if hit is not None:
            return hit
    return None


def _ref_brief(
    registry: Registry, ref: str | None, of: tuple[str, ...] = ()
) -> dict[str, str] | None:
    if ref is None:
        return None
    if ref == "self":
        return {"id": "self", "kind": "self", "name": "sig själv"}
    hit = resolve_ref(registry, ref, of)
    if hit is None:
        kind, _, ident = ref.rpartition(":")
        return {"id": ident, "kind": kind or (of[0] if of else ""), "name": ident}
    return brief(hit)


def _by_name(entities: Iterable[Entity]) -> list[Entity]:
    """In Swedish alphabetical order of their names (å, ä, ö after z)."""
    return sorted(entities, key=lambda e: (sort_key(e.label), e.id))


def provenance(item: Data) -> dict[str, Any]:
    """How sure the registry is of a fact, and when its newest source was published."""
    day = domain.published(item)
    return {"confidence": item.get("confidence"), "published": day.isoformat() if day else None}


# ------------------------------------------------------------------------------ who-hosts


def find_area(registry: Registry, text: str) -> Found:
    return find(registry, text, ("npo",), "national programme area")


def current_hosting(area: Entity, at: str) -> Data | None:
    periods = domain.hosting_at(area.data or {}, at)
    return periods[0] if periods else None


def _holders(registry: Registry, group: Entity, role: str, at: str) -> list[dict[str, Any]]:
    """The people holding `role` in `group` on `at`, with their seat's period."""
    out = []
    for seat in domain.seats(group.data or {}):
        if seat.get("role") != role or not seat.get("person"):
            continue
        if domain.seat_state(seat, at, group.data) != "current":
            continue
        person = registry.get("person", seat["person"])
        who = brief(person) if person else {"id": seat["person"], "kind": "person"}
        who.setdefault("name", seat["person"])
        out.append(
            {**who, "from": seat.get("from"), "to": seat.get("to"), "as_of": seat.get("as_of")}
        )
    return out


def who_hosts(registry: Registry, text: str, at: str) -> dict[str, Any]:
    found = find_area(registry, text)
    area = found.entity
    hosting = current_hosting(area, at)
    data = area.data or {}
    return {
        "area": {
            "id": area.id,
            "name": area.label,
            "from": data.get("from"),
            "to": data.get("to"),
            "exists": domain.holds(data, at),  # on the date asked about
        },
        "matched": found.how,
        "host": _ref_brief(registry, hosting.get("host")) if hosting else None,
        "dormant_host": (
            _ref_brief(registry, hosting.get("dormant_host"), ("healthcare-region",))
            if hosting and hosting.get("dormant_host")
            else None
        ),
        "from": hosting.get("from") if hosting else None,
        "to": hosting.get("to") if hosting else None,
        **provenance(hosting or {}),
        "at": at,
        "chair": _holders(registry, area, "chair", at),
        "process_leader": _holders(registry, area, "process-leader", at),
        "history": [
            {
                "host": _ref_brief(registry, h.get("host")),
                "dormant_host": _ref_brief(registry, h.get("dormant_host"), ("healthcare-region",)),
                "from": h.get("from"),
                "to": h.get("to"),
                **provenance(h),
            }
            for h in (area.data or {}).get("hosting") or []
        ],
    }


def hosted_by(registry: Registry, text: str, at: str) -> dict[str, Any]:
    """What a healthcare region (or SKR) hosts on `at`; a region's name answers for its
    healthcare region, and `via` says so."""
    asked = find(
        registry,
        text,
        ("healthcare-region", "organisation", "region"),
        "healthcare region or region",
    )
    found = asked.entity
    via = None
    if found.kind == "region":
        hr = domain.field(found, "healthcare_region")
        target = registry.get("healthcare-region", str(hr)) if hr else None
        if target is None:
            raise NoMatch(text, "healthcare region", [], ambiguous=False)
        via, found = brief(found), target
    areas = [
        {
            "id": h.area.id,
            "name": h.area.label,
            "as": h.role,
            "from": domain.get(h.hosting, "from"),
        }
        for h in domain.hosted_by(registry, f"{found.kind}:{found.id}", at)
    ]
    areas.sort(key=lambda a: sort_key(a["name"]))
    return {"host": brief(found), "matched": asked.how, "via": via, "at": at, "areas": areas}


# ------------------------------------------------------------------------------ members


def _seat(registry: Registry, seat: Data, at: str, group: Data | None = None) -> dict[str, Any]:
    person = registry.get("person", seat["person"]) if seat.get("person") else None
    state = domain.seat_state(seat, at, group)
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
        "as_of": seat.get("as_of"),
        "mandate_ends": domain.mandate_only_end(seat),
        "state": state,
        "current": state == "current",
        "confidence": seat.get("confidence"),
    }


def seat_order(
    seat: Mapping[str, Any], family: str | None = None
) -> tuple[int, int, int, tuple[str, str]]:
    """By role (chair first), the seats held before those to come, vacant seats last, then
    by the person's name in Swedish order (family name first: `family` when the person's
    file gives one)."""
    role = seat.get("role") if seat.get("role") in ROLE_ORDER else "member"
    person = seat.get("person") or {}
    return (
        ROLE_ORDER.index(str(role)),
        1 if seat.get("state") == "upcoming" else 0,
        1 if seat.get("vacant") else 0,
        name_key(person.get("name", "~"), family),
    )


def _family_name(registry: Registry, seat: Mapping[str, Any]) -> str | None:
    person = registry.get("person", (seat.get("person") or {}).get("id", ""))
    family = (person.data or {}).get("family_name") if person is not None else None
    return family if isinstance(family, str) else None


def members(registry: Registry, text: str, at: str) -> dict[str, Any]:
    """The seats of a group on `at`: those held then, and those that begin later (marked
    upcoming); none before the group exists or after it ended."""
    found = find(registry, text, kinds.group_kinds(), "group")
    group = found.entity
    data = group.data or {}
    seats = [_seat(registry, s, at, data) for s in domain.seats(data)]
    seats = sorted(
        (s for s in seats if s["state"] != "ended"),
        key=lambda s: seat_order(s, _family_name(registry, s)),
    )
    return {"group": brief(group), "matched": found.how, "at": at, "members": seats}


def person(
    registry: Registry, text: str, at: str, *, include_private: bool = False
) -> dict[str, Any]:
    found = find(registry, text, ("person",), "person")
    who = found.entity
    seats = []
    for kind in kinds.group_kinds():
        for group in registry.of_kind(kind).values():
            for seat in domain.seats(group.data or {}):
                if seat.get("person") == who.id:
                    seats.append({"group": brief(group), **_seat(registry, seat, at, group.data)})
    order = {"current": 0, "upcoming": 1, "ended": 2}
    seats.sort(
        key=lambda s: (
            order[s["state"]],
            str(s["from"] or s["as_of"] or ""),
            sort_key(s["group"]["name"]),
        )
    )
    data = dict(who.data or {})
    return {
        "person": {
            **brief(who),
            "title": data.get("title"),
            "employer": _ref_brief(registry, data.get("employer")),
            "unit": data.get("unit"),
            "contact": contacts(data, include_private=include_private),
            **provenance(data),
        },
        "matched": found.how,
        "at": at,
        "seats": seats,
    }


def contacts(data: Data, *, include_private: bool = False) -> list[dict[str, Any]]:
    """The contact details that may be shown: the public ones, or all with `include_private`."""
    return [c for c in data.get("contact") or [] if include_private or c.get("public")]


# ------------------------------------------------------------------------------ list, show


def parse_kind(text: str) -> str:
    kind = kinds.by_word(text)
    if kind is None:
        raise UsageError(f"unknown kind {text!r}; use one of: " + ", ".join(kinds.entity_kinds()))
    return kind


def list_kind(registry: Registry, kind_text: str, within: str | None, at: str) -> dict[str, Any]:
    kind = parse_kind(kind_text)
    entities: Iterable[Entity] = registry.of_kind(kind).values()
    scope: dict[str, str] | None = None
    how: str | None = None
    if within is not None:  # a blank --in is a usage error, as every blank name is
        found = find(
            registry, within, ("healthcare-region", "region"), "healthcare region or region"
        )
        place, how = found.entity, found.how
        scope = brief(place)
        ours = _Ours(registry, place)
        entities = [e for e in entities if ours.filed(e)]
    items = []
    for e in _by_name(entities):
        data = e.data or {}
        if ("from" in data or "to" in data) and not domain.holds(data, at):
            continue
        item: dict[str, Any] = brief(e)
        if kind == "npo":
            hosting = current_hosting(e, at)
            item["host"] = _ref_brief(registry, hosting.get("host")) if hosting else None
        elif kind == "region":
            item["county_code"] = data.get("county_code")
            item["healthcare_region"] = data.get("healthcare_region")
        if kind in kinds.group_kinds():  # an NPO too: it has seats
            seats = [s for _, s in domain.current_seats(data, at)]
            item["members"] = sum(1 for s in seats if not s.get("vacant"))
            item["vacant"] = sum(1 for s in seats if s.get("vacant"))
        items.append(item)
    return {"kind": kind, "in": scope, "matched": how, "at": at, "items": items}


def show(
    registry: Registry, text: str, at: str, *, include_private: bool = False
) -> dict[str, Any]:
    present = registry.counts()
    found = find(registry, text, [k for k in kinds.show_order() if k in present], "entity")
    entity = found.entity
    relations: dict[str, Any] = {}
    data = dict(entity.record or {})
    if "contact" in data:
        data["contact"] = contacts(data, include_private=include_private)
    if entity.kind == "npo":
        relations = _npo_relations(registry, entity, at)
    elif entity.kind == "healthcare-region":
        relations["regions"] = [
            brief(r)
            for r in _by_name(registry.of_kind("region").values())
            if domain.field(r, "healthcare_region") == entity.id
        ]
        relations["hosts"] = hosted_by(registry, f"healthcare-region:{entity.id}", at)["areas"]
    elif entity.kind == "region":
        relations["lpo"] = [
            brief(e)
            for e in _by_name(registry.of_kind("lpo").values())
            if domain.region_of(e) == entity.id
        ]
        relations["bodies"] = [
            brief(e)
            for e in _by_name(registry.of_kind("body").values())
            if domain.region_of(e) == entity.id
        ]
    elif entity.kind == "person":
        relations["seats"] = person(registry, f"person:{entity.id}", at)["seats"]
    if entity.kind in kinds.group_kinds():
        relations["members"] = members(registry, f"{entity.kind}:{entity.id}", at)["members"]
    return {
        "entity": {**brief(entity), "path": entity.path},
        "matched": found.how,
        "at": at,
        "data": data,
        "names": _names_in(registry, data),
        "relations": relations,
    }


_SLUG = re.compile(r"(?:[a-z][a-z0-9-]*:)?[a-z][a-z0-9/-]*")
# Words in the user's own words, never references; sources say where a fact comes from.
_PROSE = {"notes", "sources", "text", "question", "event", "summary", "name", "title"}


def _names_in(registry: Registry, data: Any, key: str = "") -> dict[str, str]:
    """The name of every entity that `data` refers to, by the reference as written
    (`healthcare-region:norra`, or a bare id that names an entity of one kind only)."""
    out: dict[str, str] = {}
    if isinstance(data, Mapping):
        for k, v in data.items():
            if k not in _PROSE:
                out.update(_names_in(registry, v, k))
    elif isinstance(data, list):
        for item in data:
            out.update(_names_in(registry, item, key))
    elif isinstance(data, str) and _SLUG.fullmatch(data) and key not in ("id", "url"):
        kind, sep, ident = data.partition(":")
        if sep:
            hit = registry.get(kind, ident) if kinds.find(kind) is not None else None
        else:
            # A bare id names the kind of its key ("person", "region") or its only kind.
            own = kinds.find(key.replace("_", "-")) or kinds.find(key.rsplit("_", 1)[-1])
            # A glossary term is a word, not a reference ("npo" in `category: npo`).
            found = (
                [own.id] if own is not None else [k for k in registry.kinds_of(data) if k != "term"]
            )
            hit = registry.get(found[0], data) if len(found) == 1 else None
        if hit is not None:
            out[data] = hit.label
    return out


def _npo_relations(registry: Registry, area: Entity, at: str) -> dict[str, Any]:
    hosting = who_hosts(registry, f"npo:{area.id}", at)
    rpo = []
    for hr in _by_name(registry.of_kind("healthcare-region").values()):
        found = domain.mirror(registry, "rpo", hr.id, area.id)
        rpo.append({"healthcare_region": brief(hr), "rpo": brief(found) if found else None})
    lpo = []
    for region in _by_name(registry.of_kind("region").values()):
        found = domain.mirror(registry, "lpo", region.id, area.id)
        lpo.append(
            {
                "region": brief(region),
                "lpo": brief(found) if found else None,
                "status": domain.field(found, "status") if found else None,
            }
        )
    return {
        "host": hosting["host"],
        "dormant_host": hosting["dormant_host"],
        "from": hosting["from"],
        "working_groups": [
            brief(e)
            for e in _by_name(registry.of_kind("nag").values())
            if e.id.startswith(area.id + "/")
        ],
        "knowledge_supports": [
            brief(e)
            for e in _by_name(registry.of_kind("knowledge-support").values())
            if domain.field(e, "owner") == f"npo:{area.id}"
        ],
        "rpo_by_healthcare_region": rpo,
        "lpo_by_region": lpo,
    }


# ------------------------------------------------------------------------------ search, explain

_SEARCH_FIELDS = (
    "name",
    "title",
    "official_name",
    "aliases",
    "notes",
    "abbreviation",
    "expansion",
    "explanation",
    "term",
)


def _starts_words(query: list[str], text: str) -> bool:
    """Every word of `query` begins a word of `text` (both normalized): "anna" finds
    "Anna Ståhl", not "Vännäs" or "tjänstemannanivå"."""
    words = norm(text).split()
    return all(any(w.startswith(q) for w in words) for q in query)


def _search_rank(hit: Mapping[str, Any]) -> tuple[int, int, tuple[str, str]]:
    """Names before notes; programme areas and groups before places, people and the rest."""
    named = 0 if hit["field"] in ("name", "title", "term", "aliases", "abbreviation") else 1
    order = kinds.show_order()
    return (
        named,
        order.index(hit["kind"]) if hit["kind"] in order else len(order),
        sort_key(hit["name"]),
    )


# Statements inside an entity that are searched too: (list, the key holding its text).
_SEARCH_NESTED = (
    ("governance", "text"),
    ("tasks", "text"),
    ("history", "event"),
    ("duties", "text"),
    ("representation", "text"),
    ("levels", "role"),
    ("open_questions", "question"),
    ("members", "function"),
)


def _texts(data: Data) -> Iterable[tuple[str, str]]:
    """(field, text) of everything `search` reads in an entity, names first."""
    for field in _SEARCH_FIELDS:
        values = data.get(field)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str):
                yield field, value
    for field, key in _SEARCH_NESTED:
        for item in data.get(field) or []:
            if isinstance(item, Mapping) and isinstance(item.get(key), str):
                yield field, item[key]


def search(registry: Registry, text: str, at: str | None = None) -> dict[str, Any]:
    """Entities whose names, aliases, notes, functions, governance, tasks or history have
    words starting with every word of `text`; with `at`, groups that did not exist on that
    date are left out."""
    query = norm(text).split()
    if not query:
        raise UsageError("search for what? give some text")
    hits = []
    for entity in registry:
        data = entity.data or {}
        if at is not None and entity.kind in kinds.group_kinds() and not domain.holds(data, at):
            continue
        for field, value in _texts(data):
            if _starts_words(query, value):
                hits.append({**brief(entity), "field": field, "text": value})
                break
    hits.sort(key=_search_rank)
    return {"query": text, "items": hits}


def explain(registry: Registry, text: str) -> dict[str, Any]:
    """A glossary term, found as people write it; or a diagnostic code (`KS473`), which a
    reader of `ksctl validate`'s output is as likely to ask about."""
    if not text.strip():
        raise UsageError("explain what? give an abbreviation, a term or a code such as KS473")
    if re.fullmatch(r"(?i)ks\d{3}", text.strip()):
        from ksctl.diagnostics import CODES

        code = CODES.get(text.strip().upper())
        if code is None:
            raise NoMatch(text, "diagnostic code", [], ambiguous=False)
        return {
            "term": code.code,
            "matched": "diagnostic code",
            "expansion": code.name,
            "explanation": f"{code.summary[:1].upper()}{code.summary[1:]}. By default "
            f"{code.severity.label}; `rules:` in ksctl.yaml may change that. Every code: "
            "docs/diagnostics.md.",
            "see": [],
        }
    term = registry.get("term", text.casefold())
    how = "exact"
    if term is None:
        term, how = find(registry, text, ("term",), "glossary term")
    data = term.data or {}
    return {
        "term": data.get("term"),
        "matched": how,
        "expansion": data.get("expansion"),
        "explanation": data.get("explanation"),
        "see": [_ref_brief(registry, s) for s in data.get("see") or []],
    }


# ------------------------------------------------------------------------------ stats


def stats(registry: Registry, at: str) -> dict[str, Any]:
    counts = dict.fromkeys(kinds.entity_kinds(), 0)
    for entity in registry:
        data = entity.data or {}
        if entity.kind in kinds.group_kinds() and not domain.holds(data, at):
            continue
        counts[entity.kind] = counts.get(entity.kind, 0) + 1
    levels = {level: {k: counts[k] for k in kinds.kinds_at(level)} for level in kinds.LEVELS}
    seats_by_region: Counter[str] = Counter()
    for kind in kinds.kinds_at("national"):
        for group in registry.of_kind(kind).values():
            for _, seat in domain.current_seats(group.data or {}, at):
                if not seat.get("vacant"):
                    region = domain.seat_region(registry, seat)
                    if region:
                        seats_by_region[region] += 1
    shares = []
    for hr in _by_name(registry.of_kind("healthcare-region").values()):
        regions = [
            r.id
            for r in _by_name(registry.of_kind("region").values())
            if domain.field(r, "healthcare_region") == hr.id
        ]
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
            data = group.data or {}
            if not domain.holds(data, at):
                continue
            seats = [s for _, s in domain.current_seats(data, at)]
            filled = [s for s in seats if not s.get("vacant")]
            if filled:
                with_members += 1
                if any(s.get("role") == "patient-representative" for s in filled):
                    with_patient += 1
            open_seats = len(seats) - len(filled)
            if open_seats:
                vacant.append({**brief(group), "vacant": open_seats, "filled": len(filled)})
    vacant.sort(key=lambda v: (str(v["kind"]), sort_key(str(v["name"]))))
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


def coverage(registry: Registry, at: str | None = None) -> dict[str, Any]:
    """National areas × regions: LPO, not established, or missing (as of `at`: areas and
    LPOs that did not exist then count as missing)."""
    areas = _by_name(
        a for a in registry.of_kind("npo").values() if at is None or domain.holds(a.data or {}, at)
    )
    regions = _by_name(registry.of_kind("region").values())
    rows = []
    for area in areas:
        cells = {}
        for region in regions:
            found = domain.mirror(registry, "lpo", region.id, area.id)
            if found is not None and at is not None and not domain.holds(found.data or {}, at):
                found = None
            if found is None:
                cells[region.id] = "missing"
            else:
                cells[region.id] = (found.data or {}).get("status") or "established"
        rows.append({"area": brief(area), "regions": cells})
    return {"at": at, "regions": [brief(r) for r in regions], "areas": rows}


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
        return domain.add_months(day, self.length * (12 if self.unit == "y" else 1)).isoformat()


def parse_within(text: str) -> Window:
    """'90d', '12w', '6m', '1y' or '90' (days)."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.casefold())
    if not m:
        raise UsageError(
            f"--within {text!r}: write a number of days, weeks, months or years, "
            "e.g. 90d, 12w, 6m, 1y"
        )
    return Window(int(m.group(1)), m.group(2) or "d")


def _chair_of(registry: Registry, group: Entity, at: str) -> dict[str, Any] | None:
    chairs = _holders(registry, group, "chair", at)
    return {k: chairs[0][k] for k in ("id", "kind", "name")} if chairs else None


def due(
    registry: Registry,
    at: str,
    within: Window | int,
    *,
    stale: bool = False,
    place: str | None = None,
) -> dict[str, Any]:
    """What falls due between `at` and the end of the window (`within`, or a number of
    days), and what is already overdue: mandates ending and seats starting, hosting
    handovers, jäv reassessments, remisses opening and closing, nomination deadlines,
    follow-ups, and facts whose sources have grown old (counted in `stale`, listed with
    `stale`). A date known only to the month or year falls due at its end (or, for what
    begins, its first day).

    With `place` (a region or healthcare region), only what is its own: what is filed
    under it, the seats that stand for it, its healthcare region's hosting, and what every
    region answers (remisses, nominations to national groups)."""
    window = within if isinstance(within, Window) else Window(within, "d")
    until = window.end(at)
    items: list[dict[str, Any]] = []
    stays_overdue = ("jäv reassessment", "follow-up", "sources stale")
    found = (
        find(registry, place, ("healthcare-region", "region"), "healthcare region or region")
        if place is not None
        else None
    )
    mine = _Ours(registry, found.entity if found is not None else None)

    def add(
        when: datetime.date | None,
        written: object,
        what: str,
        entity: Entity,
        detail: str,
        responsible: dict[str, str] | None,
        *,
        ours: bool = True,
    ) -> None:
        date = when.isoformat() if when is not None else None
        if date is None or date > until or not ours:
            return
        overdue = date < at
        if overdue and what not in stays_overdue:
            return  # a past mandate end or deadline is history, not an agenda item
        if written is not None and str(written) != date:
            detail = f"{detail} (given as {written})"
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

    national = set(kinds.kinds_at("national"))
    for kind in kinds.group_kinds():
        for group in registry.of_kind(kind).values():
            data = group.data or {}
            for seat in domain.seats(data):
                state = domain.seat_state(seat, at, data)
                who = _seat(registry, seat, at, data)["person"]
                label = f"{ROLE_LABELS.get(seat.get('role', 'member'), '')}: "
                label += who["name"] if who else "vacant seat"
                ours = mine.seat(group, seat)
                begins = seat.get("from")
                if state == "upcoming" and begins:
                    start = domain.day_of(begins)
                    add(start, begins, "seat starts", group, label, who, ours=ours)
                    holder = registry.get("person", seat["person"]) if seat.get("person") else None
                    coi = (holder.data or {}).get("conflict_of_interest") if holder else None
                    if kind in national and holder is not None and not (coi or {}).get("declared"):
                        # A national seat needs a declaration on file when it starts (KS441).
                        add(start, begins, "jäv declaration", group, label, who, ours=ours)
                end = domain.mandate_end(seat)
                if end is not None and state != "ended":  # one that starts later ends too
                    add(end, seat.get("to"), "mandate ends", group, label, who, ours=ours)
            nomination = data.get("nomination")
            if nomination:  # to a national group every region may nominate
                add(
                    domain.day_of(nomination.get("deadline"), end=True),
                    nomination.get("deadline"),
                    "nomination deadline",
                    group,
                    ", ".join(nomination.get("competences") or []) or "open nomination",
                    _chair_of(registry, group, at),
                    ours=kind in national or mine.filed(group),
                )
    for area in registry.of_kind("npo").values():
        for h in (area.data or {}).get("hosting") or []:
            host = _ref_brief(registry, h.get("host"))
            name = host["name"] if host else "?"
            start, end = domain.span(h)
            ours = mine.hosts(h.get("host"))
            if start is not None and start > domain.as_day(at):
                took = f"{name} takes over"
                add(start, h.get("from"), "hosting starts", area, took, host, ours=ours)
            if end is not None:
                add(end, h.get("to"), "hosting ends", area, f"{name} hands over", host, ours=ours)
    for person_entity in registry.of_kind("person").values():
        data = person_entity.data or {}
        last = domain.coi_last(data)
        if last is not None:
            add(
                domain.coi_due(data, registry.policies),
                None,
                "jäv reassessment",
                person_entity,
                f"last assessed {last}",
                brief(person_entity),
                ours=mine.filed(person_entity),
            )
    for ks in registry.of_kind("knowledge-support").values():
        data = ks.data or {}
        remiss = data.get("remiss") or {}
        owner = _ref_brief(registry, data.get("owner"))
        opens = remiss.get("from")  # the regions prepare their answers from then
        add(domain.day_of(opens), opens, "remiss opens", ks, "remiss opens", owner)
        written = remiss.get("to")
        add(
            domain.day_of(written, end=True), written, "remiss deadline", ks, "remiss closes", owner
        )
    for handling in registry.of_kind("handling").values():
        data = handling.data or {}
        follow = data.get("follow_up") or {}
        responsible = None
        if data.get("responsible_person"):
            responsible = _ref_brief(registry, data["responsible_person"], ("person",))
        elif data.get("responsible_lpo"):
            lpo = registry.get("lpo", data["responsible_lpo"])
            responsible = _chair_of(registry, lpo, at) if lpo else None
        written = follow.get("next")
        add(
            domain.day_of(written, end=True),
            written,
            "follow-up",
            handling,
            f"stage {data.get('stage')}",
            responsible,
            ours=mine.filed(handling),
        )
    agenda = len(items)
    inside = kinds.embedded()  # a term or a municipality is no file of its own (KS471 too)
    for entity in registry:
        if entity.kind in inside:
            continue
        newest = domain.published(entity.data or {})
        if newest is not None:
            add(
                domain.stale_from(newest, registry.policies),
                None,
                "sources stale",
                entity,
                f"newest source published {newest}",
                None,
                ours=mine.filed(entity),
            )
    old = sum(1 for i in items[agenda:] if i["overdue"])  # stale on `at`, as KS471 says
    growing = len(items) - agenda - old  # stale by `until`
    if not stale:
        items = items[:agenda]
    items.sort(
        key=lambda i: (i["date"], i["what"], sort_key(i["entity"]["name"]), i["entity"]["id"])
    )
    return {
        "at": at,
        "until": until,
        "in": brief(found.entity) if found is not None else None,
        "matched": found.how if found is not None else None,
        "stale": old,
        "stale_by_until": growing,
        "items": items,
    }


class _Ours:
    """Whether an entity, a seat or a hosting is a place's own (all are, with no place):
    what `list --in` and `due --in` keep."""

    def __init__(self, registry: Registry, place: Entity | None) -> None:
        self.registry, self.place = registry, place
        hr = None
        if place is not None:
            hr = domain.healthcare_region_of(registry, place)
        self.healthcare_region = hr

    def filed(self, entity: Entity) -> bool:
        """Filed under the place (a region's own folder, or a healthcare region's and its
        regions')."""
        if self.place is None:
            return True
        if self.place.kind == "region":
            return domain.region_of(entity) == self.place.id
        return domain.healthcare_region_of(self.registry, entity) == self.place.id

    def seat(self, group: Entity, seat: Mapping[str, Any]) -> bool:
        """A seat of a group filed under the place, or one that stands for it."""
        if self.place is None or self.filed(group):
            return True
        if self.place.kind == "region":
            return domain.seat_region(self.registry, seat) == self.place.id
        return domain.seat_healthcare_region(self.registry, seat) == self.place.id

    def hosts(self, host: object) -> bool:
        """A hosting by the place's healthcare region."""
        return self.place is None or host == f"healthcare-region:{self.healthcare_region}"


def completions(
    registry: Registry, of: Iterable[str], begun: str, *, qualified: bool = False
) -> dict[str, Any]:
    """What a shell may offer for a word begun as `begun`, each with what it names, in
    Swedish order of the names: the ids of the entities of the kinds `of`, and a name
    that is one word (a glossary term: "RSS"); or, when `qualified`, `kind:` for the
    kinds that have entities until a colon is typed, then `kind:id`. (Shells complete
    what begins as typed, so a name of more words is shown beside its id, never offered.)"""
    if qualified and ":" not in begun:
        return {
            "completions": [
                [f"{kind}:", kinds.get(kind).plural]
                for kind in of
                if kind.startswith(begun) and registry.of_kind(kind)
            ]
        }
    found = set()
    for kind in of:
        for entity in registry.of_kind(kind).values():
            label = entity.label
            if qualified:
                value = entity.ref
            elif entity.id.startswith(begun):
                value = entity.id
            else:  # a one-word name as it is written, where the id does not begin so
                value = label
            if value.startswith(begun) and " " not in value:
                found.add((sort_key(label), value, label))
    return {"completions": [[value, label] for _, value, label in sorted(found)]}
