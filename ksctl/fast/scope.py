"""Which files a change can alter the diagnostics of, derived from what each rule declares
it reads (`ksctl.rules.rule`).

One function, `derive`, serves both re-checks: the warm one after an edit (the index from
the last validation's snapshot) and `validate --changed-since REV` (the index from the
registry now, the change from git). For every rule it gives the files whose entities the
rule must report on again:

- the changed files' own entities (of the kinds the rule reports on);
- with `follows: n`, the entities that reach a changed entity in n references or fewer
  (a seat's person's employer is two away from the group);
- with `referred`, the entities the changed files name, before or after (a person who
  gained or lost a seat);
- with `suggests`, when ids came or went, the entities naming one that is missing (the
  closest id there is, in the message, may be another);
- with `gathers`, every entity the rule reports on, when what it reads of a gathered kind
  changed (any national area's names, for the aliases all areas share; which areas exist,
  for the RPOs missing in each healthcare region).

Diagnostics that are not a rule's have scopes of their own: a file's parse and schema
(`OWN`) change only with its bytes; references (`REFERENCES`) with what they name, and, when
ids come or go, in every file with a dangling reference (its hint lists the ids there are).
A rule without a declaration makes the answer None: check everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ksctl.rules import Rule

Ref = tuple[str, str]  # (kind, id)
OWN = "own"  # parse, schema and explicit-id diagnostics (KS1xx, KS2xx, KS304)
REFERENCES = "references"  # KS301, KS302, KS305 and the paths' references
IDS = "ids"  # KS303: the same id claimed twice


def code_scope(code: str) -> str:
    """Which scope a diagnostic code is re-checked in: its rule's, or one of the above."""
    if code in ("KS301", "KS302", "KS305"):
        return REFERENCES
    if code == "KS303":
        return IDS
    if code[:3] in ("KS1", "KS2") or code == "KS304":
        return OWN
    return code


class Index:
    """What each file makes (its entities) and names (by content and path)."""

    def __init__(self, makes: Mapping[str, Iterable[Ref]], names: Mapping[str, Iterable[Ref]]):
        self.makes = {f: list(refs) for f, refs in makes.items()}
        self.names = {f: set(refs) for f, refs in names.items()}
        self._file_of: dict[Ref, str] = {}
        for f, refs in self.makes.items():
            for ref in refs:
                self._file_of.setdefault(ref, f)
        self._referrers: dict[Ref, set[str]] | None = None
        self._by_kind: dict[str, set[str]] | None = None

    def file_of(self, ref: Ref) -> str | None:
        return self._file_of.get(ref)

    def referrers(self, refs: Iterable[Ref]) -> set[str]:
        """The files naming any of `refs`."""
        if self._referrers is None:
            self._referrers = {}
            for f, named in self.names.items():
                for ref in named:
                    self._referrers.setdefault(ref, set()).add(f)
        return {f for ref in refs for f in self._referrers.get(ref, ())}

    def files_of(self, kinds: Iterable[str]) -> set[str]:
        """The files making an entity of any of `kinds` ("*": every file)."""
        if self._by_kind is None:
            self._by_kind = {}
            for f, refs in self.makes.items():
                for kind, _ in refs:
                    self._by_kind.setdefault(kind, set()).add(f)
        wanted = set(kinds)
        if "*" in wanted:
            return set(self.makes)
        return {f for k in wanted for f in self._by_kind.get(k, ())}

    def of(self, files: Iterable[str], kinds: frozenset[str]) -> set[str]:
        """Those of `files` that make an entity of `kinds`."""
        every = "*" in kinds
        return {
            f for f in files if any(every or kind in kinds for kind, _ in self.makes.get(f, ()))
        }

    def dangling(self) -> set[str]:
        """The files naming something that does not exist."""
        return {f for f, named in self.names.items() if any(r not in self._file_of for r in named)}


@dataclass
class Change:
    files: set[str]  # the changed files
    made: set[Ref]  # their entities, as they were and as they are
    named: set[Ref]  # what they name, as they were and as they are
    # The top-level fields that differ, by changed entity (None: any may differ).
    fields: dict[Ref, frozenset[str] | None] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)  # kinds an entity of came or went
    same_ids: set[str] = field(default_factory=set)  # other files claiming a changed id

    @property
    def ids_moved(self) -> bool:
        return bool(self.moved)

    def touches(self, kind: str, read: frozenset[str] | None) -> bool:
        """Whether the change alters what a rule that gathers `kind` reads of it: which
        ids exist always; `read` fields of any entity (None: anything)."""
        if kind in self.moved:
            return True
        for (k, _), changed in self.fields.items():
            if k == kind and (read is None or changed is None or changed & read):
                return True
        return False


def fields_changed(before: Any, after: Any, model: Any = None) -> frozenset[str] | None:
    """The top-level keys whose values differ between two versions of a file's raw data
    (None when either is not a mapping: anything may differ). With the file's `model`, also
    None when one version passes its schema and the other does not: a rule reads no field
    of an entity that fails its schema, so every field it reads appears or goes."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    if model is not None and passes(model, before) != passes(model, after):
        return None
    return frozenset(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def passes(model: Any, data: Any) -> bool:
    """Whether raw `data` passes the schema of `model` (a pydantic model class)."""
    try:
        model.model_validate(data)
    except ValueError:  # pydantic's ValidationError is one; this module imports no pydantic
        return False
    return True


def derive(index: Index, change: Change, rules: Iterable[Rule]) -> dict[str, set[str]] | None:
    """The files to report on again, by scope (a rule's code, `OWN`, `REFERENCES`, `IDS`);
    None when a rule does not say what it reads."""
    scopes: dict[str, set[str]] = {OWN: set(change.files), IDS: change.files | change.same_ids}
    references = change.files | index.referrers(change.made)
    if change.ids_moved:
        references |= index.dangling()
    scopes[REFERENCES] = references
    hops: list[set[str]] = []  # the files n + 1 references away from a changed entity
    for r in rules:
        kinds = r.reported_kinds()
        if kinds is None:
            return None
        if any(change.touches(kind, read) for kind, read in r.gathers.items()):
            scopes[r.code] = index.files_of(kinds)
            continue
        found = index.of(change.files, kinds)
        while len(hops) < r.follows:
            frontier = change.made if not hops else _made(index, hops[-1])
            hops.append(index.referrers(frontier))
        for files in hops[: r.follows]:
            found |= index.of(files, kinds)
        if r.suggests and change.ids_moved:
            found |= index.of(index.dangling(), kinds)
        if r.referred:
            found |= index.of(
                (f for ref in change.named if (f := index.file_of(ref)) is not None), kinds
            )
        scopes[r.code] = found
    return scopes


def _made(index: Index, files: set[str]) -> set[Ref]:
    return {ref for f in files for ref in index.makes.get(f, ())}


def union(scopes: Mapping[str, set[str]]) -> set[str]:
    out: set[str] = set()
    for files in scopes.values():
        out |= files
    return out
