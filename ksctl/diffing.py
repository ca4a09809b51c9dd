"""What changed between two versions of the registry, in the domain's own words.

On plain entity data. "NPO Psykisk hälsa: host changed from SKR to Västra
sjukvårdsregionen from 2021-01-01" rather than a YAML diff; a mass removal (more than a
set share of a kind's entities or of a group's members) is flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksctl import domain, kinds
from ksctl.dates import first_day
from ksctl.labels import ROLE_LABELS, STAGE_LABELS
from ksctl.registry import Entity, Registry
from ksctl.text import sort_key

ROLE_SV = ROLE_LABELS
STAGE_SV = STAGE_LABELS
IGNORED = {"sources", "id"}
VALIDATION = "validation"  # the field of a change that says a side does not pass its schema
INVALID = "does not pass validation (run ksctl validate)"


@dataclass(frozen=True)
class Change:
    ref: str
    change: str  # added, removed or changed
    field: str | None
    before: Any
    after: Any
    summary: str
    subject: str = ""  # what the change is about, in words (for a heading); not in JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "change": self.change,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class Alarm:
    """A removal large enough to deserve a second look."""

    scope: str
    removed: int
    total: int
    summary: str


class _Names:
    def __init__(self, before: Registry, after: Registry) -> None:
        self.regs = (after, before)

    def entity(self, kind: str, ident: str) -> Entity | None:
        for reg in self.regs:
            found = reg.get(kind, ident)
            if found is not None:
                return found
        return None

    def ref(self, ref: str | None, default_kind: str = "") -> str:
        if not ref:
            return "—"
        if ref == "self":
            return "sig själv"
        kind, sep, ident = ref.partition(":")
        if not sep:
            kind, ident = default_kind, ref
        found = self.entity(kind, ident)
        if found is None:
            return ref
        if kind == "organisation" and (found.data or {}).get("abbreviation"):
            return str((found.data or {})["abbreviation"])
        if kind == "healthcare-region":
            return str((found.data or {}).get("official_name") or found.label)
        return found.label

    def label(self, entity: Entity) -> str:
        """The entity's name; for a side that does not pass its schema, the other side's,
        else the name its file gives, else its id."""
        if entity.data is None:
            for reg in self.regs:
                other = reg.get(entity.kind, entity.id)
                if other is not None and other.data is not None:
                    return other.label
            raw = entity.source.data if entity.source is not None else None
            for attr in ("name", "title", "term"):
                if isinstance((raw or {}).get(attr), str):
                    return str((raw or {})[attr])
        return entity.label

    def title(self, entity: Entity) -> str:
        if entity.kind == "handling":
            region, _, ks = entity.id.partition("/")
            return f"kunskapsstöd {self.ref(ks, 'knowledge-support')}, {self.ref(region, 'region')}"
        label = self.label(entity)
        if entity.kind in domain.MIRROR_PLACE:
            place = entity.id.split("/", 1)[0]
            area = self.ref(domain.mirrored_area(entity), "npo")
            where = self.ref(place, domain.MIRROR_PLACE[entity.kind])
            return f"{kinds.get(entity.kind).prefix} {area}, {where}"
        found = kinds.find(entity.kind)
        short = found.prefix if found is not None else None
        return f"{short} {label}" if short and not label.startswith(short) else label


def _index(reg: Registry) -> dict[str, Entity]:
    return {f"{e.kind}:{e.id}": e for e in reg if e.kind not in ("term",)}


def diff(
    before: Registry, after: Registry, *, mass_share: float = 0.2
) -> tuple[list[Change], list[Alarm]]:
    names = _Names(before, after)
    old, new = _index(before), _index(after)
    changes: list[Change] = []

    def in_order(refs: set[str], side: dict[str, Entity]) -> list[str]:
        """Kind by kind, in Swedish alphabetical order of what a reader sees (Ö after Z)."""
        return sorted(refs, key=lambda r: (side[r].kind, sort_key(names.title(side[r])), r))

    added, removed = new.keys() - old.keys(), old.keys() - new.keys()
    # A name that comes and goes twice (a file renamed, two people of one name) is told
    # apart by its ref: "Maria Lind (person:maria-lind): removed".
    seen = Counter(names.title(e) for e in [*(new[r] for r in added), *(old[r] for r in removed)])

    def titled(ref: str, e: Entity) -> str:
        title = names.title(e)
        return f"{title} ({ref})" if seen[title] > 1 else title

    for ref in in_order(added, new):
        e = new[ref]
        if e.kind == "municipality":
            continue
        if _invalid(e):
            summary = f"{titled(ref, e)}: added, but {INVALID}"
            changes.append(Change(ref, "added", VALIDATION, None, "fails", summary, names.title(e)))
        else:
            changes.append(Change(ref, "added", None, None, None, f"{titled(ref, e)}: added"))
    for ref in in_order(removed, old):
        e = old[ref]
        if e.kind != "municipality":
            changes.append(Change(ref, "removed", None, None, None, f"{titled(ref, e)}: removed"))
    for ref in in_order(old.keys() & new.keys(), new):
        changes.extend(_entity_changes(ref, old[ref], new[ref], names))
    # What does not pass validation comes first: nothing else about it can be said.
    changes.sort(key=lambda c: not (c.field == VALIDATION and c.after == "fails"))
    return changes, _alarms(old, new, mass_share)


def _invalid(entity: Entity) -> bool:
    """The entity's file did not pass its schema (so it has no data to compare). An entity
    inside another's file (a municipality) is reported with that file."""
    return entity.model is None and entity.plain is None and not entity.loc


def _raw(entity: Entity) -> Any:
    return entity.source.data if entity.source is not None else None


def _entity_changes(ref: str, old: Entity, new: Entity, names: _Names) -> list[Change]:
    if _invalid(new) or _invalid(old):
        if _invalid(new) and _invalid(old) and _raw(new) == _raw(old):
            return []  # as broken as it was
        title = names.title(new)
        if _invalid(new):
            return [Change(ref, "changed", VALIDATION, None, "fails", f"{title}: {INVALID}", title)]
        summary = f"{title}: did not pass validation before; now it does (fields not compared)"
        return [Change(ref, "changed", VALIDATION, "fails", "passes", summary, title)]
    a: Mapping[str, Any] = old.data or {}
    b: Mapping[str, Any] = new.data or {}
    if a == b:
        return []
    title = names.title(new)
    out: list[Change] = []
    for field in sorted(set(a) | set(b)):
        if field in IGNORED or a.get(field) == b.get(field):
            continue
        before, after = a.get(field), b.get(field)
        if _show(before) == _show(after):
            continue  # nothing a reader could tell apart, e.g. no value and an empty list
        if field == "hosting":
            out.extend(_hosting(ref, title, before or [], after or [], names))
        elif field == "members":
            out.extend(_members(ref, title, new.label, before or [], after or [], names))
        elif field == "stage":
            out.append(
                Change(
                    ref,
                    "changed",
                    field,
                    before,
                    after,
                    f"{title}: {STAGE_SV.get(str(before), before)} → "
                    f"{STAGE_SV.get(str(after), after)}",
                )
            )
        else:
            out.append(
                Change(
                    ref,
                    "changed",
                    field,
                    before,
                    after,
                    f"{title}: {field.replace('_', ' ')} {_show(before)} → {_show(after)}",
                )
            )
    return out


def _show(value: Any) -> str:
    if value in (None, [], ""):
        return "(none)"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{k}: {_show(v)}" for k, v in value.items() if v not in (None, [], ""))
            + "}"
        )
    return str(value)


def _key(item: Mapping[str, Any], *fields: str) -> tuple[Any, ...]:
    return tuple(item.get(f) for f in fields)


def _start(period: Mapping[str, Any]) -> str | None:
    """The first day a period's `from` stands for (`2018` is 2018-01-01), so that writing
    a start to the year instead of the day is the same period, started as written."""
    start = period.get("from")
    return first_day(start) if isinstance(start, str) else start


def _period_key(period: Mapping[str, Any], *fields: str) -> tuple[Any, ...]:
    return (*_key(period, *fields), _start(period))


def _hosting(
    ref: str, title: str, before: list[Any], after: list[Any], names: _Names
) -> list[Change]:
    out = []
    old_keys = {_period_key(h, "host", "dormant_host") for h in before}
    for i, h in enumerate(after):
        if _period_key(h, "host", "dormant_host") in old_keys:
            continue
        previous = after[i - 1] if i > 0 else (before[-1] if before else None)
        host = names.ref(h.get("host"))
        dormant = (
            f" (dormant: {names.ref(h['dormant_host'], 'healthcare-region')})"
            if h.get("dormant_host")
            else ""
        )
        since = f" from {h['from']}" if h.get("from") else ""
        if previous is not None and previous.get("host") != h.get("host"):
            summary = (
                f"{title}: host changed from {names.ref(previous.get('host'))} to "
                f"{host}{dormant}{since}"
            )
        else:
            summary = f"{title}: hosted by {host}{dormant}{since}"
        out.append(Change(ref, "changed", "hosting", previous, h, summary))
    new_keys = {_period_key(h, "host", "dormant_host") for h in after}
    for h in before:
        if _period_key(h, "host", "dormant_host") not in new_keys and not any(
            _period_key(x, "host") == _period_key(h, "host") for x in after
        ):
            out.append(
                Change(
                    ref,
                    "changed",
                    "hosting",
                    h,
                    None,
                    f"{title}: hosting by {names.ref(h.get('host'))} removed",
                )
            )
    for h in after:
        match = next(
            (
                x
                for x in before
                if _period_key(x, "host", "dormant_host") == _period_key(h, "host", "dormant_host")
            ),
            None,
        )
        if match is None:
            continue
        host = names.ref(h.get("host"))
        said = []  # one change of one hosting, however many of its ends moved
        for end, verb in (("from", "starts"), ("to", "ends")):
            if match.get(end) != h.get(end):
                was = f" (was {match.get(end) or '(open)'})" if end == "from" else ""
                said.append(f"{verb} {h.get(end) or '(open)'}{was}")
        if said:
            summary = f"{title}: hosting by {host} now {' and '.join(said)}"
            out.append(Change(ref, "changed", "hosting", match, h, summary))
    return out


def _who(seat: Mapping[str, Any], names: _Names) -> str:
    if seat.get("vacant"):
        return "a vacant seat"
    return names.ref(seat.get("person"), "person")


def _members(
    ref: str, title: str, group: str, before: list[Any], after: list[Any], names: _Names
) -> list[Change]:
    out = []
    added, removed, kept = _pair_seats(before, after)
    for s in added:
        role = ROLE_SV.get(s.get("role", "member"), s.get("role"))
        since = f" from {s['from']}" if s.get("from") else ""
        speaks = s.get("represents") not in (None, "self")  # nobody speaks for themselves
        stands = f" for {names.ref(s['represents'])}" if speaks else ""
        summary = (
            f"{group}: vacant seat as {role}{stands} added{since}"
            if s.get("vacant")
            else f"{_who(s, names)} joined {group} as {role}{since}"
        )
        out.append(Change(ref, "added", "members", None, s, summary))
    for s in removed:
        out.append(Change(ref, "removed", "members", s, None, f"{_who(s, names)} left {group}"))
    for a, b in kept:
        for field in sorted(set(a) | set(b)):
            if a.get(field) != b.get(field) and field not in IGNORED:
                before_v, after_v = a.get(field), b.get(field)
                if _show(before_v) == _show(after_v):
                    continue
                if field == "role":
                    before_v, after_v = (
                        ROLE_SV.get(before_v, before_v),
                        ROLE_SV.get(after_v, after_v),
                    )
                out.append(
                    Change(
                        ref,
                        "changed",
                        f"members.{field}",
                        a,
                        b,
                        f"{_who(b, names)} in {group}: {field} {_show(before_v)} → "
                        f"{_show(after_v)}",
                    )
                )
    del title
    return out


def _pair_seats(
    before: list[Any], after: list[Any]
) -> tuple[list[Any], list[Any], list[tuple[Any, Any]]]:
    """The seats only after, only before, and the (before, after) pairs that are one seat.
    A seat is the same when its person (or vacancy), whom it represents and its start are;
    of the rest, a seat of the same person (a vacancy for the same party) on both sides is
    that seat edited (its party or start corrected), never one leaving and one joining."""

    def ident(s: Mapping[str, Any]) -> tuple[Any, ...]:
        return _key(s, "person", "vacant", "represents", "from")

    def holder(s: Mapping[str, Any]) -> tuple[Any, ...]:
        return ("vacant", s.get("represents")) if s.get("vacant") else ("person", s.get("person"))

    old_ids = {ident(s) for s in before}
    new_ids = {ident(s) for s in after}
    by_id = {ident(s): s for s in before}
    kept = [(by_id[ident(s)], s) for s in after if ident(s) in old_ids]
    gone = [s for s in before if ident(s) not in new_ids]
    added = []
    for s in after:
        if ident(s) in old_ids:
            continue
        same = next((g for g in gone if holder(g) == holder(s)), None)
        if same is None:
            added.append(s)
        else:
            gone.remove(same)
            kept.append((same, s))
    return added, gone, kept


def _alarms(old: dict[str, Entity], new: dict[str, Entity], share: float) -> list[Alarm]:
    alarms = []
    kinds = sorted({e.kind for e in old.values()})
    for kind in kinds:
        total = sum(1 for e in old.values() if e.kind == kind)
        removed = sum(1 for ref, e in old.items() if e.kind == kind and ref not in new)
        if total and removed / total > share and removed > 1:
            alarms.append(
                Alarm(kind, removed, total, f"{removed} of {total} {kind} entities removed")
            )
    for ref in sorted(old.keys() & new.keys()):
        if _invalid(old[ref]) or _invalid(new[ref]):
            continue  # its members are not known on one side, so not removed
        before = (old[ref].data or {}).get("members") or []
        after = (new[ref].data or {}).get("members") or []
        removed = len(_pair_seats(before, after)[1])
        if before and removed / len(before) > share and removed > 1:
            alarms.append(
                Alarm(
                    ref,
                    removed,
                    len(before),
                    f"{removed} of {len(before)} members of {new[ref].label} removed",
                )
            )
    return alarms


@dataclass(frozen=True)
class Compared:
    """The changes between two revisions of a registry, with the revisions' names."""

    base: str
    head: str
    changes: list[Change]
    alarms: list[Alarm]

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "head": self.head,
            "changes": [c.to_dict() for c in self.changes],
            "alarms": [
                {"scope": a.scope, "removed": a.removed, "total": a.total, "summary": a.summary}
                for a in self.alarms
            ],
        }


def between(root: Path, base: str | None, head: str | None) -> Compared:
    """What changed in the registry at `root` from git revision `base` (default: the merge
    base with the default branch) to `head` (default: the working tree)."""
    import tempfile

    from ksctl import gitio, loader
    from ksctl.errors import UsageError

    root = root.resolve()
    top = gitio.toplevel(root)
    sub = root.relative_to(top.resolve()).as_posix()
    base_rev = base or gitio.default_base(root)
    with tempfile.TemporaryDirectory(prefix="ksctl-diff-") as tmp:
        old_root = gitio.extract(top, base_rev, sub, Path(tmp) / "base")
        new_root = gitio.extract(top, head, sub, Path(tmp) / "head") if head else root
        if not (old_root / "ksctl.yaml").is_file():
            raise UsageError(f"{base_rev} has no registry at {sub}/")
        old = loader.load(old_root).registry
        new = loader.load(new_root).registry
        share = float(new.policies.get("mass_removal_share", 0.2))
        changes, alarms = diff(old, new, mass_share=share)
    return Compared(base_rev, head or "working tree", changes, alarms)
