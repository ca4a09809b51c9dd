"""Checking that every reference names an existing entity of an allowed kind.

Reference fields are found from the models' `RefTo` markers, so the checker
needs no list of fields. A field admitting one kind holds a bare id; one admitting
several holds `kind:id`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ksctl import kinds, layout
from ksctl.diagnostics import Diagnostic, did_you_mean
from ksctl.model import RefTo, iter_marked, marked_fields, nested_models
from ksctl.registry import Entity, Registry
from ksctl.yamlio import Loc


def _ref_fields(model: type[BaseModel]) -> tuple[tuple[str, str, RefTo | None], ...]:
    """(attribute, key, RefTo or None) for every field of `model` that is, or may hold, a
    reference; names, notes and sources are never visited."""
    return marked_fields(model, RefTo)


def iter_refs(obj: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str, RefTo]]:
    """Every reference value in `obj`, with where it sits and what it may point at."""
    for where, value, marker in iter_marked(obj, RefTo, loc):
        if isinstance(value, str):
            yield where, value, marker


def iter_raw_refs(
    model: type[BaseModel], data: Any, loc: Loc = ()
) -> Iterator[tuple[Loc, str, RefTo]]:
    """Every reference value in the raw `data` of a file that failed `model`'s schema, found
    where the model would hold one: the rest of a broken file is still checked."""
    if not isinstance(data, dict):
        return
    for attr, key, marker in _ref_fields(model):
        field = model.model_fields[attr]
        inner = nested_models(field.annotation)
        yield from _raw_walk(data.get(key), (*loc, key), marker, inner[0] if inner else None)


def _raw_walk(
    value: Any, loc: Loc, marker: RefTo | None, inner: type[BaseModel] | None
) -> Iterator[tuple[Loc, str, RefTo]]:
    if isinstance(value, dict) and inner is not None:
        yield from iter_raw_refs(inner, value, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _raw_walk(item, (*loc, i), marker, inner)
    elif isinstance(value, str) and marker is not None:
        yield loc, value, marker


def resolve(registry: Registry, value: str, marker: RefTo) -> tuple[str, str] | None:
    """(kind, id) that `value` names, or None when it names nothing."""
    if marker.qualified:
        kind, sep, ident = value.partition(":")
        if not sep or kind not in marker.allowed:
            return None
    else:
        kind, ident = marker.kinds[0], value
    return (kind, ident) if registry.get(kind, ident) is not None else None


def names(value: str, marker: RefTo) -> list[tuple[str, str]]:
    """The (kind, id) pairs a reference value may name."""
    kind, sep, ident = value.partition(":")
    if marker.qualified:
        return [(kind, ident)] if sep else [(k, value) for k in marker.allowed]
    return [(marker.kinds[0], value)]


def raw_named(model: type[BaseModel], data: Any) -> set[tuple[str, str]]:
    """What the raw data of a file of `model` names, where the model would hold references."""
    return {r for _, value, marker in iter_raw_refs(model, data) for r in names(value, marker)}


def named_by(entity: Entity) -> set[tuple[str, str]]:
    """What an entity names: by its content (its raw data when it failed its schema) and,
    for a whole file, by its path (an LPO's region, a NAG's area) and by its file's name
    (the national area an RPO or LPO mirrors)."""
    out: set[tuple[str, str]] = set()
    located = layout.locate(entity.path.split("/", 1)[1]) if not entity.loc else None
    if entity.model is not None:
        for _, value, marker in iter_refs(entity.model):
            out.update(names(value, marker))
    elif located is not None and entity.source is not None and entity.source.data is not None:
        out |= raw_named(located.model, entity.source.data)
    return out | implied(entity, located)


def implied(entity: Entity, located: layout.Located | None) -> set[tuple[str, str]]:
    """What a file names without writing it: its path's references, and the area an RPO or
    LPO named after one mirrors."""
    if entity.loc or located is None:
        return set()
    from ksctl.domain import field

    return implied_by(located, field(entity, "mirrors"))


def implied_by(located: layout.Located, mirrors: object) -> set[tuple[str, str]]:
    """What the file at `located` names by its path (and, for an RPO or LPO, by its name
    unless `mirrors` names the area)."""
    out = located.named
    if located.kind in ("rpo", "lpo"):
        out.add(("npo", str(mirrors) if mirrors else located.parts[-1]))
    return out


def check(
    registry: Registry, named: dict[str, set[tuple[str, str]]] | None = None
) -> list[Diagnostic]:
    """Every reference's problems; with `named`, also what each file refers to, by its
    path (what a later run needs to know which files a change can reach)."""
    out: list[Diagnostic] = []
    for entity in registry.reported():
        if entity.model is not None:
            refs = iter_refs(entity.model)
        elif entity.loc == () and entity.source is not None and entity.source.data is not None:
            located = layout.locate(entity.path.split("/", 1)[1])
            refs = iter_raw_refs(located.model, entity.source.data) if located else iter(())
        else:
            continue
        here = named.setdefault(entity.path, set()) if named is not None else None
        for loc, value, marker in refs:
            if here is not None:
                here.update(names(value, marker))
            problem = _problem(registry, value, marker)
            if problem is not None:
                code, message, hint = problem
                line, col = entity.position(loc)
                out.append(
                    Diagnostic.make(
                        code, message, path=entity.path, line=line, column=col, hint=hint
                    )
                )
    return out


def _problem(registry: Registry, value: str, marker: RefTo) -> tuple[str, str, str | None] | None:
    allowed = ", ".join(marker.allowed)
    if marker.qualified:
        if value == "self" and marker.allow_self:
            return None
        kind, sep, ident = value.partition(":")
        if not sep:
            found = [(k, value) for k in registry.kinds_of(value) if k in marker.allowed]
            found = found or [
                (k, named)
                for k in marker.allowed
                if (named := _by_name(registry, k, value)) is not None
            ]
            hint = f"did you mean '{found[0][0]}:{found[0][1]}'?" if found else f"one of: {allowed}"
            return ("KS305", f"reference {value!r} must be written kind:id", hint)
        if kind not in marker.allowed:
            code = "KS302" if registry.get(kind, ident) is not None else "KS305"
            return (
                code,
                f"{value!r}: {_article(kind)} cannot stand here; expected one of: {allowed}",
                None,
            )
        return _missing(registry, kind, ident, value)
    return _missing(registry, marker.kinds[0], value, value)


def _missing(
    registry: Registry, kind: str, ident: str, shown: str
) -> tuple[str, str, str | None] | None:
    if registry.get(kind, ident) is not None:
        return None
    others = registry.kinds_of(ident)
    if others:
        return ("KS302", f"{shown!r} is {_article(others[0])}, not {_article(kind)}", None)
    place, slash, _ = ident.partition("/")
    # An id under a place that exists (orebro/akut-vard) is suggested one of that place's,
    # by what follows the place: never another region's entity of the same name. A place
    # that does not exist may be the typo.
    known = slash and bool(registry.kinds_of(place))
    hint = did_you_mean(ident, registry.of_kind(kind), prefix=f"{place}/" if known else "")
    named = _by_name(registry, kind, ident) if hint is None else None
    if named is not None:
        hint = f"references are written by id: did you mean {named!r}?"
    return ("KS301", f"no {kind} with id {ident!r}", hint)


def _by_name(registry: Registry, kind: str, written: str) -> str | None:
    """The id of the entity of `kind` that a reference written as a name means:
    `person: Eva Ek` for eva-ek, `host: Västra` for vastra."""
    from ksctl.text import norm

    wanted = norm(written)
    slug = wanted.replace(" ", "-")
    if slug in registry.of_kind(kind):
        return slug
    for ident, entity in registry.of_kind(kind).items():
        official = (entity.data or {}).get("official_name")
        if wanted in (norm(entity.label), norm(official) if isinstance(official, str) else None):
            return ident
    return None


def _article(kind: str) -> str:
    found = kinds.find(kind)
    return found.article if found is not None else f"a {kind}"


def check_path_refs(
    registry: Registry, entity: Entity, refs: tuple[tuple[str, str], ...]
) -> list[Diagnostic]:
    """What a file's folders name must exist too (the region of an LPO, the NPO or NSG of a
    NAG); a kind written "npo|nsg" is satisfied by either."""
    out = []
    for alternatives, ident in refs:
        kinds_ = alternatives.split("|")
        if any(registry.get(kind, ident) is not None for kind in kinds_):
            continue
        ids = [i for kind in kinds_ for i in registry.of_kind(kind)]
        hint = did_you_mean(ident, ids)
        what = " or ".join(kinds_)
        out.append(
            Diagnostic.make(
                "KS301",
                f"the path places this {entity.kind} under {what} {ident!r}, which does not exist",
                path=entity.path,
                hint=hint,
            )
        )
    return out
