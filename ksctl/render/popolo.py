"""Who sits where, in the Popolo data standard (https://www.popoloproject.com): persons,
organizations (the groups, bodies, organisations, regions, healthcare regions and
municipalities), posts (the seats a group has, vacant ones included) and memberships
(a person in a post, with its dates).

Only public contact details are ever written: Popolo files are made to be shared. Dates are
ISO 8601 as the registry knows them (2018, 2020-05 or 2020-05-25), as Popolo allows. A seat
known only from a source's date has no start date; its label says "enligt källa <datum>".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ksctl import domain, kinds, layout
from ksctl.labels import ROLE_LABELS
from ksctl.registry import Entity, Registry

CONTACT_TYPES = {"email": "email", "phone": "voice", "address": "address"}


def _ident(entity: Entity) -> str:
    return entity.ref


def _period(item: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    if item.get("from"):
        out["start_date"] = str(item["from"])
    if item.get("to"):
        out["end_date"] = str(item["to"])
    return out


def _contacts(data: Mapping[str, Any]) -> dict[str, Any]:
    """Public contact details only, whatever the export was asked for."""
    details, links = [], []
    for c in data.get("contact") or []:
        if not c.get("public"):
            continue
        if c["type"] == "url":
            links.append({"url": c["value"], "note": "webbplats"})
        else:
            details.append({"type": CONTACT_TYPES[c["type"]], "value": str(c["value"])})
    if data.get("url"):
        links.append({"url": data["url"], "note": "webbplats"})
    out: dict[str, Any] = {}
    if details:
        out["contact_details"] = details
    if links:
        out["links"] = links
    return out


def _sources(item: Mapping[str, Any]) -> dict[str, Any]:
    found = [
        {"url": s["url"], **({"note": s["title"]} if s.get("title") else {})}
        for s in item.get("sources") or []
        if s.get("url")
    ]
    return {"sources": found} if found else {}


def _names(data: Mapping[str, Any]) -> dict[str, Any]:
    aliases = data.get("aliases") or []
    return {"other_names": [{"name": a} for a in aliases]} if aliases else {}


def _parent(registry: Registry, entity: Entity) -> str | None:
    """The organization an organization belongs to: a body's parent body, what a file's
    path names (the NPO of a NAG, the healthcare region of an RPO, the region of an LPO or
    of a body there), a region's healthcare region, a municipality's region."""
    data = entity.data or {}
    if entity.kind == "body" and data.get("parent"):
        return f"body:{data['parent']}"
    if entity.kind == "region" and data.get("healthcare_region"):
        return f"healthcare-region:{data['healthcare_region']}"
    if entity.kind == "organisation" and data.get("region"):
        return f"region:{data['region']}"
    if entity.kind == "municipality":
        region = domain.region_of(entity)
        return f"region:{region}" if region else None
    located = layout.locate(entity.path.split("/", 1)[1]) if "/" in entity.path else None
    for alternatives, ident in reversed(located.path_refs if located is not None else ()):
        for kind in alternatives.split("|"):
            if registry.get(kind, ident) is not None:
                return f"{kind}:{ident}"
    return None


def _organization(registry: Registry, entity: Entity) -> dict[str, Any]:
    data = entity.data or {}
    name = entity.label
    if entity.kind == "healthcare-region" and data.get("official_name"):
        name = str(data["official_name"])
    if entity.kind == "municipality":
        name = f"{entity.label} kommun"
    org: dict[str, Any] = {
        "id": _ident(entity),
        "name": name,
        "classification": kinds.get(entity.kind).label,
        "identifiers": [{"scheme": "ksctl", "identifier": entity.ref}],
    }
    if entity.kind == "region" and data.get("county_code"):
        org["identifiers"].append({"scheme": "länskod", "identifier": data["county_code"]})
    if entity.kind == "municipality":
        org["identifiers"].append({"scheme": "kommunkod", "identifier": entity.id})
    if data.get("abbreviation"):
        org.setdefault("other_names", []).append(
            {"name": data["abbreviation"], "note": "förkortning"}
        )
    for alias in data.get("aliases") or []:
        org.setdefault("other_names", []).append({"name": alias})
    parent = _parent(registry, entity)
    if parent:
        org["parent_id"] = parent
    if data.get("from"):
        org["founding_date"] = str(data["from"])
    if data.get("to"):
        org["dissolution_date"] = str(data["to"])
    org.update(_contacts(data))
    org.update(_sources(data))
    return org


def _person(entity: Entity) -> dict[str, Any]:
    data = entity.data or {}
    person: dict[str, Any] = {
        "id": _ident(entity),
        "name": entity.label,
        "identifiers": [{"scheme": "ksctl", "identifier": entity.ref}],
    }
    parts = entity.label.split()
    if len(parts) > 1:
        person["given_name"] = parts[0]
        person["family_name"] = " ".join(parts[1:])
    person.update(_names(data))
    person.update(_contacts(data))
    person.update(_sources(data))
    return person


def _post_label(registry: Registry, seat: Mapping[str, Any], group: str) -> str:
    role = ROLE_LABELS.get(str(seat.get("role") or "member"), str(seat.get("role")))
    label = role.capitalize()
    represents = seat.get("represents")
    if represents and represents != "self":
        kind, _, ident = str(represents).partition(":")
        found = registry.get(kind, ident)
        if found is not None:
            data = found.data or {}
            name = str(data.get("official_name") or found.label)
            if kind == "municipality":
                name = f"{found.label} kommun"
            label += f" för {name}"
    if seat.get("function"):
        label += f" ({seat['function']})"
    return f"{label}, {group}"


def document(registry: Registry) -> dict[str, Any]:
    """The Popolo export as one JSON document."""
    organizations = []
    org_kinds = [
        *kinds.group_kinds(),
        "organisation",
        "region",
        "healthcare-region",
        "municipality",
    ]
    for kind in sorted(org_kinds):
        for e in sorted(registry.of_kind(kind).values(), key=lambda e: e.id):
            organizations.append(_organization(registry, e))
    persons = [_person(e) for e in sorted(registry.of_kind("person").values(), key=lambda e: e.id)]
    known_people = {p["id"] for p in persons}
    known_orgs = {o["id"] for o in organizations}
    posts: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    for kind in sorted(kinds.group_kinds()):
        for group in sorted(registry.of_kind(kind).values(), key=lambda e: e.id):
            data = group.data or {}
            by_label: dict[str, str] = {}
            for i, seat in enumerate(domain.seats(data)):
                label = _post_label(registry, seat, group.label)
                post = by_label.get(label)
                if post is None or seat.get("vacant"):
                    post = f"{group.ref}#post-{i}"
                    by_label.setdefault(label, post)
                    posts.append(
                        {
                            "id": post,
                            "label": label,
                            "role": ROLE_LABELS.get(str(seat.get("role") or "member"), ""),
                            "organization_id": group.ref,
                        }
                    )
                if seat.get("vacant"):
                    continue
                person = f"person:{seat.get('person')}"
                if person not in known_people:
                    continue
                membership: dict[str, Any] = {
                    "id": f"{group.ref}#seat-{i}",
                    "person_id": person,
                    "organization_id": group.ref,
                    "post_id": post,
                    "role": ROLE_LABELS.get(str(seat.get("role") or "member"), ""),
                    **_period(seat),
                }
                if not seat.get("from") and seat.get("as_of"):
                    membership["label"] = f"{label.split(', ')[0]} enligt källa {seat['as_of']}"
                represents = seat.get("represents")
                if represents and represents != "self" and represents in known_orgs:
                    membership["on_behalf_of_id"] = represents
                # A seat without sources of its own is documented by its group's.
                membership.update(_sources(seat) or _sources(data))
                memberships.append(membership)
    return {
        "persons": persons,
        "organizations": organizations,
        "posts": posts,
        "memberships": memberships,
    }


def text(registry: Registry) -> str:
    return json.dumps(document(registry), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
