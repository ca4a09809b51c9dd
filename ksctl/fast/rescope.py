"""Validation after a few files changed: only what the change can reach is checked again.

When no file came or went, ksctl.yaml did not change, no changed file makes other ids than
before or makes them in other places in it (a region's municipalities), and none makes an
id that some file claims a second time, the ids and their duplicates are the ones the last
validation saw, and the files a rule must report on again are derived from what it
declares it reads (`ksctl.fast.scope`). Those rules run over a registry whose every entity
can still be looked up (built from the last run's parse when first touched) and reports
only on its scope; every other diagnostic is kept from the last run, and every file keeps
its own parse and schema diagnostics unless it changed. The result equals a full
validation's (`tests/test_scope.py` applies random edits and compares).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ksctl import kinds, layout, loader, pipeline, references, rules, schemacheck, yamlio
from ksctl.dates import check_key
from ksctl.diagnostics import Diagnostic, merged
from ksctl.fast import fingerprint, scope, snapshot
from ksctl.model import Settings
from ksctl.registry import Entity, Registry

if TYPE_CHECKING:
    from ksctl.result import Result


def run(
    root: Path,
    at: datetime.date,
    tree: fingerprint.Tree,
    snap: snapshot.ValidationSnapshot,
    latest: datetime.date,
) -> Result | None:
    """The validation after the change, or None when the change is not one this can
    scope (then a whole validation runs); `latest` is the latest day a record may carry
    (`dates.latest_day`)."""
    if snap.meta["at"] != check_key(at, latest):
        return None
    changed = snap.changed(tree)
    if not changed or "ksctl.yaml" in changed:
        return None
    located = {rel: layout.locate(rel) for rel in changed}
    ids = snap.section("ids")
    if any(loc is None or not kinds.get(loc.kind).entity for loc in located.values()):
        return None
    if any(rel not in ids for rel in changed):  # a file whose id another file holds
        return None
    if any(rel in tree.links or rel in tree.special for rel in changed):
        return None  # a link or what is not a file: the whole load decides what is read
    return _run(root, at, latest, tree, snap, changed, located)


def _run(
    root: Path,
    at: datetime.date,
    latest: datetime.date,
    tree: fingerprint.Tree,
    snap: snapshot.ValidationSnapshot,
    changed: list[str],
    located: Mapping[str, layout.Located | None],
) -> Result | None:
    root = root.absolute()
    problems: list[Diagnostic] = []
    settings = loader.read_settings(root, root.parent, problems)
    limits = loader.limits_of(settings)
    if problems or tuple(snap.meta["limits"]) != limits:
        return None
    prefix = root.name
    fresh: dict[str, Entity] = {}
    own: list[Diagnostic] = []
    ids: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = snap.section("ids")
    old, checked = snap.diagnostics()
    duplicated = _duplicated(snap, old, len(prefix) + 1)
    for rel in changed:
        where = located[rel]
        assert where is not None
        path = f"{root}/{rel}"
        shown = f"{prefix}/{rel}"
        raw = fingerprint.read_regular(path)
        if raw is None or len(raw) > limits[0]:
            return None
        loaded = yamlio.load(raw, shown, max_depth=limits[1], max_nodes=limits[2])
        claims = _claims(where, loaded.data)
        if claims != {(kind, ident, tuple(loc)) for kind, ident, loc in ids[rel]}:
            # ids came, went or moved in the file (or one is claimed twice in it): every
            # reference, and the second claims (KS303), may change
            return None
        if {(kind, ident) for kind, ident, _ in claims} & duplicated:
            return None  # where the first of two claims is, the second's KS303 says
        loaded.disk_path, loaded.digest = path, fingerprint.digest(raw)
        own.extend(loaded.diagnostics)
        model = None
        if loaded.data is not None:
            model, found = schemacheck.validate(where.model, loaded, shown)
            own.extend(found)
            own.extend(loader.check_explicit_id(loaded, where, shown))
        fresh[rel] = Entity(where.kind, where.id, shown, (), model, loaded)

    named: dict[str, list[tuple[str, str]]] = dict(snap.section("named"))
    reg = ScopedRegistry(root, settings, ids, snap, fresh)
    before = {ref for rel in changed for ref in named.get(rel, ())}
    now: set[tuple[str, str]] = set()
    for rel in changed:
        refs: set[tuple[str, str]] = set()
        for entity in reg.entities_of(rel):
            refs |= references.named_by(entity)
        now |= refs
        named[rel] = sorted(refs)
    index = scope.Index({rel: [(k, i) for k, i, _ in made] for rel, made in ids.items()}, named)
    change = scope.Change(
        set(changed), {(k, i) for rel in changed for k, i, _ in ids[rel]}, before | now
    )
    for rel in changed:
        was = snap.read_of(rel)
        source = fresh[rel].source
        differs = scope.fields_changed(
            was[0] if was is not None else None,
            source.data if source is not None else None,
            layout.model_of(fresh[rel].kind),
        )
        for kind, ident, loc in ids[rel]:
            change.fields[(kind, ident)] = differs if not loc else None
    scopes = scope.derive(index, change, rules.every_rule().values())
    if scopes is None:
        return None
    scopes[scope.IDS] = set()  # the same ids as before: the same duplicates

    reg.scope = scopes[scope.REFERENCES]
    found = references.check(reg)
    for entity in reg.reported():
        where = layout.locate(entity.path.split("/", 1)[1])
        if where is not None and not entity.loc:
            found.extend(references.check_path_refs(reg, entity, where.path_refs))
    found = loader.apply_severities(found + own, settings)

    def focus(code: str) -> None:
        reg.scope = scopes[code]

    found.extend(pipeline.checks(reg, at, focus, latest=latest))

    strip = len(prefix) + 1
    kept = [d for d in old if d.path[strip:] not in scopes.get(scope.code_scope(d.code), ())]
    diagnostics = merged(kept, found)

    manifest = snap.manifest()
    reads: dict[str, tuple[Any, list[Any], dict[Any, Any]]] = {}
    for rel, entity in fresh.items():
        assert entity.source is not None
        manifest[rel] = (*tree.files[rel], entity.source.digest)
    for rel, loaded in reg.touched():
        if rel in fresh:
            reads[rel] = (loaded.data, [snapshot.row(d) for d in loaded.diagnostics], loaded.known)
        elif loaded.known != reg.known_before(rel):  # new positions found: keep them too
            reads[rel] = (loaded.data, reg.rows_of(rel), loaded.known)
    snapshot.write_validation(
        root,
        snapshot.Validation(
            at=check_key(at, latest),
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
    return pipeline.Result(diagnostics, checked)


def _claims(where: layout.Located, data: Any) -> set[tuple[str, str, tuple[Any, ...]]]:
    """The ids a file makes, each with where in the file it is made (as the snapshot's
    `ids` has them: a municipality at its place in the list)."""
    found: set[tuple[str, str, tuple[Any, ...]]] = {(where.kind, where.id, ())}
    for kind, ident, i in loader.embedded_ids(where.kind, data):
        how = kinds.embedded()[kind]
        found.add((kind, ident, (how.field, i)))
    return found


def _duplicated(
    snap: snapshot.ValidationSnapshot, old: list[Diagnostic], strip: int
) -> set[tuple[str, str]]:
    """The ids that the files with a second claim (KS303) in the last run make: a change to
    a file making one of them may move the first claim, or end the second."""
    out: set[tuple[str, str]] = set()
    for d in old:
        if d.code != "KS303":
            continue
        rel = d.path[strip:]
        where = layout.locate(rel)
        if where is None:
            continue
        read = snap.read_of(rel)
        out.update((k, i) for k, i, _ in _claims(where, read[0] if read is not None else None))
    return out


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
        snap: snapshot.ValidationSnapshot,
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

    def reported_settings(self) -> Entity | None:
        return None  # unchanged: a change to ksctl.yaml checks everything

    def reported(self) -> Iterator[Entity]:
        for rel in sorted(self.scope):
            yield from self.entities_of(rel)

    def __iter__(self) -> Iterator[Entity]:
        """Every entity, as `len` counts them (a rule that gathers this way reads all)."""
        for kind, found in self._where.items():
            for ident in found:
                entity = self.get(kind, ident)
                if entity is not None:
                    yield entity

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
