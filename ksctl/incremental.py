"""Validation after a few files changed: only what the change can reach is checked again.

Layer 4.65. When no file came or went and only content changed (not ksctl.yaml, nor a file
whose content makes ids: a region's municipalities, the glossary's terms, nor a healthcare
region, whose regions every composition rule counts), the set of ids is the one the last
validation saw, and a file's diagnostics can differ only if

- it changed (its own checks, its references, its rules);
- it refers to a changed file's entity (a seat whose person changed employer);
- a changed file refers to it, before or after the change, by content or by path (a person
  who gained or lost a seat; the region an LPO's path names, whose KS422 counts it);
- it is a national area and an area changed (aliases are owned across all areas, KS462).

Those files are the scope. Their reference and rule diagnostics are computed again over a
registry whose every entity can still be looked up (built from the last run's parse when
first touched), while the rules that gather across a kind (who holds a seat, which alias
came first) still gather across all of it. Every other file keeps its diagnostics, and
every file its own parse and schema diagnostics unless it changed. The result equals a full
validation's (tested on many kinds of edit, and at scale by the benchmark).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ksctl import cache, checks, fingerprint, layout, loader, references, schemacheck, yamlio
from ksctl.diagnostics import Diagnostic
from ksctl.memory import paused_gc
from ksctl.model import Settings
from ksctl.registry import Entity, Registry

# Kinds whose content decides which ids exist or which regions a healthcare region has.
STRUCTURAL = {"settings", "glossary", "region", "healthcare-region"}
# Diagnostics that depend on one file's bytes alone (or on which files exist).
FILE_CODES = {"KS303", "KS304"}


def _own(code: str) -> bool:
    return code[:3] in ("KS1", "KS2") or code in FILE_CODES


def run(
    root: Path,
    at: datetime.date,
    tree: fingerprint.Tree,
    snap: cache.ValidationSnapshot,
) -> tuple[list[Diagnostic], int] | None:
    """The diagnostics after the change, or None when the change is not one this can
    scope (then a whole validation runs)."""
    if snap.meta["at"] != at.isoformat():
        return None
    changed = snap.changed(tree)
    if not changed:
        return None
    located = {rel: layout.locate(rel) for rel in changed}
    if any(loc is None or loc.kind in STRUCTURAL for loc in located.values()):
        return None
    ids = snap.section("ids")
    if any(rel not in ids for rel in changed):  # a file whose id another file holds
        return None
    with paused_gc():
        return _run(root, at, tree, snap, changed, located)


def _run(
    root: Path,
    at: datetime.date,
    tree: fingerprint.Tree,
    snap: cache.ValidationSnapshot,
    changed: list[str],
    located: Mapping[str, layout.Located | None],
) -> tuple[list[Diagnostic], int] | None:
    root = root.absolute()
    problems: list[Diagnostic] = []
    settings = loader.read_settings(root, root.parent, problems)
    limits = loader.limits_of(settings)
    if problems or tuple(snap.meta["limits"]) != limits:
        return None
    prefix = root.name
    fresh: dict[str, Entity] = {}
    own: list[Diagnostic] = []
    reads: dict[str, tuple[Any, list[Any], dict[Any, Any]]] = {}
    for rel in changed:
        where = located[rel]
        assert where is not None
        path = f"{root}/{rel}"
        shown = f"{prefix}/{rel}"
        try:
            raw = Path(path).read_bytes()
        except OSError:
            return None
        if len(raw) > limits[0]:
            return None
        loaded = yamlio.load(raw, shown, max_depth=limits[1], max_nodes=limits[2])
        loaded.disk_path, loaded.digest = path, fingerprint.digest(raw)
        own.extend(loaded.diagnostics)
        model = None
        if loaded.data is not None:
            model, found = schemacheck.validate(where.model, loaded, shown)
            own.extend(found)
            own.extend(loader.check_explicit_id(loaded, where, shown))
        fresh[rel] = Entity(where.kind, where.id, shown, (), model, loaded)

    ids: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = snap.section("ids")
    named: dict[str, list[tuple[str, str]]] = dict(snap.section("named"))
    reg = ScopedRegistry(root, settings, ids, snap, fresh)
    before = {rel: set(named.get(rel, ())) for rel in changed}
    now: dict[str, set[tuple[str, str]]] = {}
    for rel, entity in fresh.items():
        now[rel] = references.named_by(entity)
        named[rel] = sorted(now[rel])
    reg.scope = _scope(reg, changed, before, now, named)

    found = references.check(reg)
    for rel in reg.scope:
        where = layout.locate(rel)
        for entity in reg.entities_of(rel):
            if where is not None and not entity.loc:
                found.extend(references.check_path_refs(reg, entity, where.path_refs))
    found.extend(checks.run(reg, at))
    found = loader.apply_severities(found + own, settings)

    scope_shown = {f"{prefix}/{rel}" for rel in reg.scope}
    changed_shown = {f"{prefix}/{rel}" for rel in changed}
    old, checked = snap.diagnostics()
    kept = [
        d
        for d in old
        if d.path not in scope_shown
        or (_own(d.code) and (d.path not in changed_shown or d.code == "KS303"))
    ]
    diagnostics = sorted(set(kept) | set(found))

    manifest = snap.manifest()
    for rel, entity in fresh.items():
        assert entity.source is not None
        manifest[rel] = (*tree.files[rel], entity.source.digest)
    for rel, loaded in reg.touched():
        if rel in fresh:
            reads[rel] = (loaded.data, [cache.row(d) for d in loaded.diagnostics], loaded.known)
        elif loaded.known != reg.known_before(rel):  # new positions found: keep them too
            reads[rel] = (loaded.data, reg.rows_of(rel), loaded.known)
    cache.write_validation(
        root,
        cache.Validation(
            at=at.isoformat(),
            # Every file not trusted by its stat was compared by digest just now, so the
            # records, old and new, hold as of this walk.
            written_ns=tree.taken_ns,
            checked=checked,
            limits=limits,
            folder_links=tree.folder_links,
            manifest=manifest,
            diagnostics=diagnostics,
            reads=reads,
            named=named,
            ids=ids,
            kept=snap,
        ),
    )
    return diagnostics, checked


def _scope(
    reg: ScopedRegistry,
    changed: list[str],
    before: Mapping[str, set[tuple[str, str]]],
    now: Mapping[str, set[tuple[str, str]]],
    named: Mapping[str, list[tuple[str, str]]],
) -> set[str]:
    """The files whose diagnostics the change can alter (see the module's docstring)."""
    scope = set(changed)
    targets = {(k, i) for rel in changed for k, i, _ in reg.ids.get(rel, ())}
    for rel, refs in named.items():
        if not targets.isdisjoint(refs):
            scope.add(rel)
    for rel in changed:
        for ref in before[rel] | now[rel]:
            where = reg.file_of(ref)
            if where is not None:
                scope.add(where)
    if any(k == "npo" for k, _ in targets):
        scope.update(rel for rel, made in reg.ids.items() if any(k == "npo" for k, _, _ in made))
    return scope


class _Kind(Mapping[str, Entity]):
    """The entities of one kind, each made when first looked at."""

    def __init__(self, reg: ScopedRegistry, kind: str, idents: list[str]) -> None:
        self.reg, self.kind, self.idents = reg, kind, idents
        self.known = set(idents)

    def __getitem__(self, ident: str) -> Entity:
        if ident not in self.known:
            raise KeyError(ident)
        found = self.reg.get(self.kind, ident)
        assert found is not None
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.idents)

    def __len__(self) -> int:
        return len(self.idents)

    def __contains__(self, ident: object) -> bool:
        return ident in self.known


class ScopedRegistry(Registry):
    """Every entity the last validation saw, made from its parse when first looked up (the
    changed files from their new content); checks report only on the scope's files."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        ids: dict[str, list[tuple[str, str, tuple[Any, ...]]]],
        snap: cache.ValidationSnapshot,
        fresh: dict[str, Entity],
    ) -> None:
        self.root, self.base = root, root.parent
        self.settings = settings
        self.policies = settings.policies.model_dump()
        self.ids, self.snap, self.fresh = ids, snap, fresh
        self.scope: set[str] = set()
        self._prefix = root.name
        self._where: dict[str, dict[str, tuple[str, tuple[Any, ...]]]] = {}
        for rel, made in ids.items():
            for kind, ident, loc in made:
                self._where.setdefault(kind, {}).setdefault(ident, (rel, tuple(loc)))
        self._made: dict[tuple[str, str], Entity] = {}
        self._loaded: dict[str, yamlio.Loaded] = {}
        self._models: dict[str, BaseModel | None] = {}
        self._known: dict[str, dict[Any, Any]] = {}
        self._rows: dict[str, list[Any]] = {}
        self._kinds: dict[str, _Kind] = {
            kind: _Kind(self, kind, list(found)) for kind, found in self._where.items()
        }

    def file_of(self, ref: tuple[str, str]) -> str | None:
        found = self._where.get(ref[0], {}).get(ref[1])
        return found[0] if found else None

    def _source(self, rel: str) -> yamlio.Loaded | None:
        if rel in self.fresh:
            return self.fresh[rel].source
        if rel not in self._loaded:
            read = self.snap.read_of(rel)
            if read is None:
                return None
            data, rows, known = read
            self._rows[rel] = rows  # written back as they were: they are the file's own
            loaded = yamlio.Loaded(data)
            loaded.disk_path = f"{self.root}/{rel}"
            loaded.known = dict(known)
            self._known[rel] = dict(known)
            self._loaded[rel] = loaded
        return self._loaded[rel]

    def _model(self, rel: str) -> BaseModel | None:
        if rel in self.fresh:
            return self.fresh[rel].model
        if rel not in self._models:
            where = layout.locate(rel)
            source = self._source(rel)
            model = None
            if where is not None and source is not None and source.data is not None:
                try:
                    model = where.model.model_validate(source.data)
                except ValidationError:
                    model = None  # its schema diagnostics are kept from the last run
            self._models[rel] = model
        return self._models[rel]

    def get(self, kind: str, ident: str) -> Entity | None:
        key = (kind, ident)
        if key not in self._made:
            found = self._where.get(kind, {}).get(ident)
            if found is None:
                return None
            rel, loc = found
            if rel in self.fresh and not loc:
                self._made[key] = self.fresh[rel]
            else:
                model: Any = self._model(rel)
                for step in loc:  # a municipality or term inside its file
                    model = _step(model, step)
                self._made[key] = Entity(
                    kind, ident, f"{self._prefix}/{rel}", loc, model, self._source(rel)
                )
        return self._made[key]

    def of_kind(self, kind: str) -> Mapping[str, Entity]:
        return self._kinds.get(kind) or _Kind(self, kind, [])

    def reporting(self, kind: str) -> Mapping[str, Entity]:
        out = {}
        for ident in self.of_kind(kind):
            rel = self._where[kind][ident][0]
            if rel in self.scope:
                found = self.get(kind, ident)
                assert found is not None
                out[ident] = found
        return out

    def kinds_of(self, ident: str) -> list[str]:
        return [k for k, found in self._where.items() if ident in found]

    def __iter__(self) -> Iterator[Entity]:
        for rel in sorted(self.scope):
            yield from self.entities_of(rel)

    def __len__(self) -> int:
        return sum(len(found) for found in self._where.values())

    def counts(self) -> dict[str, int]:
        return {k: len(found) for k, found in sorted(self._where.items())}

    def entities_of(self, rel: str) -> list[Entity]:
        out = []
        for kind, ident, _ in self.ids.get(rel, ()):
            found = self.get(kind, ident)
            if found is not None and found.path == f"{self._prefix}/{rel}":
                out.append(found)
        return out

    def touched(self) -> Iterator[tuple[str, yamlio.Loaded]]:
        for rel, entity in self.fresh.items():
            assert entity.source is not None
            yield rel, entity.source
        yield from self._loaded.items()

    def known_before(self, rel: str) -> dict[Any, Any]:
        return self._known.get(rel, {})

    def rows_of(self, rel: str) -> list[Any]:
        """A file's parse diagnostics as the last run stored them."""
        return self._rows.get(rel, [])


def _step(model: Any, step: Any) -> Any:
    if model is None:
        return None
    if isinstance(step, int):
        return model[step] if isinstance(model, list) and 0 <= step < len(model) else None
    return getattr(model, step, None)
