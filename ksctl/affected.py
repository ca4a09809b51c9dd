"""Which files a change touches: the changed files and every file whose diagnostics could
differ because of them.

Layer 4.5. `ksctl validate --changed-since REV` reports on these only; the diagnostics are
the full validation's for those files, so the answer never differs from a full run. A file's
diagnostics depend on its own content, on ksctl.yaml, and on other files in these ways,
each followed here from both sides of the change (the file as it is and as it was at REV):

- what it refers to, by content or by its path (existence and kind; a dangling reference's
  hint depends on every id of the kind): the files that refer to a changed file's
  entities, and, when ids come or go, every file with a dangling reference;
- the files a changed file names (its references, old and new, and what its path names):
  a person's "holds no seat", a healthcare region's "no RPO for", a region's "no LPO for";
- a seat's person, and that person's employer: the groups seating a person who refers to
  a changed file (a region, a municipality in it);
- kinds as a whole: a national area added or removed changes every healthcare region's and
  region's mirroring; any area's names change every area's alias check; a healthcare
  region added or removed changes every NPO's and NAG's composition; a region's
  healthcare region changes the RPOs of both;
- the same id claimed twice: the other files that claim it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ksctl import gitio, kinds, layout, loader, references, yamlio
from ksctl.registry import Entity, Registry

Ref = tuple[str, str]  # (kind, id)


def files(registry: Registry, rev: str) -> set[str]:
    """Paths as diagnostics name them: changed since `rev`, and the files whose diagnostics
    the change can alter."""
    top = gitio.toplevel(registry.root).resolve()
    root = registry.root.resolve()
    base_prefix = registry.base.resolve().relative_to(top).as_posix()
    registry_prefix = root.relative_to(top).as_posix() + "/"
    changed_top = [
        p for p in gitio.changed_files(registry.root, rev) if p.startswith(registry_prefix)
    ]

    # Diagnostics name paths relative to the registry's parent folder.
    def shown(path: str) -> str:
        return path if base_prefix == "." else path.removeprefix(base_prefix + "/")

    result = {shown(p) for p in changed_top}
    if registry_prefix + "ksctl.yaml" in changed_top:  # rules, policies, limits: everything
        return result | _every_file(registry)
    old_bytes = gitio.read_files(top, rev, changed_top)
    view = _View(registry)
    targets: set[Ref] = set()  # the changed files' entities, as they are and as they were
    named: set[Ref] = set()  # what the changed files name, as they are and as they were
    ids_moved = False  # an entity came or went
    changed_kinds: set[str] = set()
    old_regions: dict[str, Any] = {}
    for path in changed_top:
        rel = path.removeprefix(registry_prefix)
        located = layout.locate(rel)
        if located is None:
            continue
        changed_kinds.add(located.kind)
        raw = old_bytes[path]
        old = yamlio.load(raw, path).data if raw is not None else None
        now = view.by_path.get(shown(path), [])
        if raw is None or not (root / rel).is_file():
            ids_moved = True
        if kinds.get(located.kind).entity:
            targets.add((located.kind, located.id))
        named.update(located.path_refs)
        for entity in now:
            targets.add((entity.kind, entity.id))
            named.update(view.refs(entity))
        if old is not None:
            named.update(references.raw_named(located.model, old))
        # Municipalities and terms, from the raw data (the registry holds only the first
        # file to claim an id).
        old_ids = set(_embedded_ids(located.kind, old))
        new_ids = set(_embedded_ids(located.kind, _data(root, rel)))
        if old_ids != new_ids:
            ids_moved = True
        targets |= old_ids | new_ids
        if located.kind == "region":
            old_regions[located.id] = old
    result |= view.paths(named)
    referrers = view.referrers(targets)
    result |= referrers
    # A seat counts for its person's employer: the groups seating a person who refers to
    # a changed region or municipality.
    people = {
        (e.kind, e.id) for p in referrers for e in view.by_path.get(p, []) if e.kind == "person"
    }
    result |= view.referrers(people)
    if ids_moved:
        result |= view.dangling()
    result |= _by_kind(view, changed_kinds, ids_moved, old_regions)
    result |= view.same_ids(targets)
    return result


def _by_kind(
    view: _View, changed: set[str], ids_moved: bool, old_regions: dict[str, Any]
) -> set[str]:
    """Files whose rules look at a whole kind a changed file belongs to."""
    out: set[str] = set()
    if "npo" in changed:
        out |= view.of_kinds("npo")  # alias clashes (KS462)
        if ids_moved:
            out |= view.of_kinds("healthcare-region", "region")  # mirroring (KS421, KS422)
    if "healthcare-region" in changed and ids_moved:
        out |= view.of_kinds("npo", "nag")  # every healthcare region represented (KS411, KS415)
    for region, old in old_regions.items():
        hrs = {str((old or {}).get("healthcare_region"))}
        now = view.registry.get("region", region)
        if now is not None and now.source is not None:
            hrs.add(str((now.source.data or {}).get("healthcare_region")))
        rpos = view.registry.of_kind("rpo").values()
        out |= {e.path for e in rpos if e.id.split("/")[0] in hrs}  # seats per region (KS413)
    return out


def _every_file(registry: Registry) -> set[str]:
    """Every file and link under the registry, as diagnostics name them."""
    base = registry.base.absolute()
    out: set[str] = set()
    for folder, folders, names in os.walk(registry.root.absolute()):
        here = Path(folder)
        links = [f for f in folders if (here / f).is_symlink()]  # not followed, but reported
        out.update((here / n).relative_to(base).as_posix() for n in [*names, *links])
    return out


def _data(root: Path, rel: str) -> Any:
    """The raw data of a file other entities live in (a region's, the glossary)."""
    located = layout.locate(rel)
    path = root / rel
    if located is None or not kinds.embedded_in(located.kind) or not path.is_file():
        return None
    return yamlio.load(path.read_bytes(), path.name).data


def _embedded_ids(kind: str, data: Any) -> set[Ref]:
    return {(k, ident) for k, ident, _ in loader.embedded_ids(kind, data)}


class _View:
    """The registry indexed by file and by what each file refers to."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.by_path: dict[str, list[Entity]] = {}
        for entity in registry:
            self.by_path.setdefault(entity.path, []).append(entity)
        self._referrers: dict[Ref, set[str]] | None = None

    def refs(self, entity: Entity) -> set[Ref]:
        return references.named_by(entity)

    def _relpath(self, entity: Entity) -> str:
        return entity.path.split("/", 1)[1] if "/" in entity.path else entity.path

    def referrers(self, targets: set[Ref]) -> set[str]:
        if self._referrers is None:
            self._referrers = {}
            for entity in self.registry:
                for ref in self.refs(entity):
                    self._referrers.setdefault(ref, set()).add(entity.path)
        return {p for t in targets for p in self._referrers.get(t, ())}

    def paths(self, refs: set[Ref]) -> set[str]:
        """The files holding the entities `refs` name (those that exist)."""
        found = (self.registry.get(kind, ident) for kind, ident in refs)
        return {e.path for e in found if e is not None}

    def of_kinds(self, *kinds: str) -> set[str]:
        return {e.path for k in kinds for e in self.registry.of_kind(k).values()}

    def dangling(self) -> set[str]:
        """Files with a reference that names nothing (or the wrong kind): its hint lists
        the ids that do exist."""
        out = {d.path for d in references.check(self.registry)}
        for entity in self.registry:
            if not entity.loc:
                located = layout.locate(self._relpath(entity))
                refs = located.path_refs if located is not None else ()
                if any(self.registry.get(kind, ident) is None for kind, ident in refs):
                    out.add(entity.path)
        return out

    def same_ids(self, targets: set[Ref]) -> set[str]:
        """The other files claiming a changed entity's id: people by file name, anywhere;
        municipalities in other regions' files."""
        out: set[str] = set()
        people = {ident for kind, ident in targets if kind == "person"}
        codes = {ident for kind, ident in targets if kind == "municipality"}
        base = self.registry.base.absolute()
        root = self.registry.root.absolute()
        for path in loader.yaml_files(root) if people or codes else []:
            located = layout.locate(path.relative_to(root).as_posix())
            if located is None:
                continue
            if located.kind == "person" and located.id in people:
                out.add(path.relative_to(base).as_posix())
            elif located.kind == "region" and codes:
                data = yamlio.load(path.read_bytes(), "").data
                if codes & {ident for _, ident in _embedded_ids("region", data)}:
                    out.add(path.relative_to(base).as_posix())
        return out
