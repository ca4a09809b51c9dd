"""`ksctl validate --changed-since REV`: the diagnostics a change since a git revision can
alter, so that a pull request is annotated where it matters and nowhere else.

The change is read from git (the changed files, and each as it was at REV), the registry as
it is now from the validation just run (`ksctl.fast.scope.Index`), and the files to report
on are derived from what every rule declares it reads (`ksctl.fast.scope.derive`), each
check's diagnostics restricted to its own files. Since they are a full validation's, the
answer never differs from a full run's there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksctl import gitio, kinds, layout, loader, references, rules, schemacheck, yamlio
from ksctl.fast import fingerprint, scope
from ksctl.model import Settings

if TYPE_CHECKING:
    from ksctl.diagnostics import Diagnostic
    from ksctl.result import Result


def reported(root: Path, rev: str, result: Result) -> Callable[[Diagnostic], bool]:
    """Whether a diagnostic of `result` is one the change since `rev` can alter: in a file
    its check must look at again. Each diagnostic is judged by its own check's scope, so a
    new person, whose id a dangling reference's hint may now suggest, brings that file's
    reference diagnostics, not every other diagnostic of it."""
    shown = root.name + "/"
    found = scopes(root, rev, result)
    if found is None:
        return lambda d: True
    every = scope.union(found)

    def keep(d: Diagnostic) -> bool:
        rel = d.path.removeprefix(shown)
        return rel in found.get(scope.code_scope(d.code), every)

    return keep


def scopes(root: Path, rev: str, result: Result) -> dict[str, set[str]] | None:
    """The files (relative to the registry) to report on again after the change since
    `rev`, by scope (`scope.derive`); None for every file."""
    root = root.absolute()
    top = gitio.toplevel(root).resolve()
    real = root.resolve()
    registry_prefix = real.relative_to(top).as_posix() + "/"
    changed_top = [p for p in gitio.changed_files(root, rev) if p.startswith(registry_prefix)]
    changed = {p.removeprefix(registry_prefix) for p in changed_top}
    settings = registry_prefix + "ksctl.yaml"
    settings_changed = settings in changed_top
    if settings_changed:
        if not _only_own_facts(root, top, rev, settings):
            return None  # rules, policies, limits: everything
        changed_top.remove(settings)
        changed.discard("ksctl.yaml")
    index = _index(root, result)
    old_bytes = gitio.read_files(top, rev, changed_top)
    change = scope.Change(set(), set(), set())
    for path in changed_top:
        rel = path.removeprefix(registry_prefix)
        located = layout.locate(rel)
        if located is None:
            change.files.add(rel)  # reported as out of place: its own diagnostics only
            continue
        raw = old_bytes[path]
        old = yamlio.load(raw, path).data if raw is not None else None
        now = fingerprint.read_regular(str(root / rel))  # never a FIFO's or device's
        exists = now is not None
        new = yamlio.load(now, path).data if now is not None else None
        change.files.add(rel)
        before = _made(located, old) if raw is not None else set()
        after = _made(located, new) if exists else set()  # a second claim of a taken id too
        change.moved |= {kind for kind, _ in before ^ after}  # came or went
        if raw is None or not exists:
            change.moved.add(located.kind)
        differs = scope.fields_changed(old, new, located.model)
        for ref in before | after:
            change.fields[ref] = differs if ref[0] == located.kind else None
        change.made |= before | after
        if old is not None:
            change.named |= references.raw_named(located.model, old)
            change.named |= references.implied_by(
                located, old.get("mirrors") if isinstance(old, dict) else None
            )
        change.named |= index.names.get(rel, set())
        change.named |= located.named
    change.same_ids = _same_ids(root, change.made)
    found = scope.derive(index, change, rules.every_rule().values())
    if found is not None and settings_changed:
        for files in found.values():
            files.add("ksctl.yaml")  # its own diagnostics: schema, sources (KS473)
    return found


# What of ksctl.yaml the checks of other files read; the rest (its sources, notes, open
# questions, the site's and the maintainers' settings) concerns the file itself.
_SETTINGS_READ = ("version", "policies", "limits", "rules")


def _only_own_facts(root: Path, top: Path, rev: str, settings: str) -> bool:
    """Whether ksctl.yaml changed since `rev` only in what concerns itself, so that the
    change is reported on it alone: both versions pass their schema (one that does not is
    read as no settings at all, for every file) and say the same of what others read."""
    old = gitio.read_files(top, rev, [settings])[settings]
    now = fingerprint.read_regular(str(root / "ksctl.yaml"))
    if old is None or now is None:
        return False
    models = []
    for raw in (old, now):
        loaded = yamlio.load(raw, settings)
        if loaded.data is None or loaded.diagnostics:
            return False
        model, problems = schemacheck.validate(Settings, loaded, settings)
        if problems or not isinstance(model, Settings):
            return False  # every file is checked as if ksctl.yaml said nothing
        models.append(model.model_dump(include=set(_SETTINGS_READ)))
    return models[0] == models[1]


def _made(located: layout.Located, data: Any) -> set[scope.Ref]:
    own = {(located.kind, located.id)} if kinds.get(located.kind).entity else set()
    return own | {(k, i) for k, i, _ in loader.embedded_ids(located.kind, data)}


def _index(root: Path, result: Result) -> scope.Index:
    """What each file makes and names now: from the run's load, or the snapshot it used."""
    strip = len(root.name) + 1
    if result.load is not None and result.load.named is not None:
        makes: dict[str, list[scope.Ref]] = {}
        for e in result.load.registry:
            makes.setdefault(e.path[strip:], []).append((e.kind, e.id))
        names = {path[strip:]: refs for path, refs in result.load.named.items()}
        return scope.Index(makes, names)
    from ksctl.fast import snapshot

    snap = snapshot.ValidationSnapshot.open(root)
    if snap is None:  # no snapshot to read (it could not be written): load afresh
        from ksctl.result import Result as Loaded

        loaded = loader.load(root)
        return _index(root, Loaded([], loaded.files, loaded))
    try:
        ids = snap.section("ids")
        named = snap.section("named")
    finally:
        snap.close()
    return scope.Index({f: [(k, i) for k, i, _ in made] for f, made in ids.items()}, named)


def _same_ids(root: Path, made: set[scope.Ref]) -> set[str]:
    """The files claiming an id a changed file makes or made (the second claim is the one
    reported): people by file name, anywhere; municipalities in other regions' files."""
    people = {ident for kind, ident in made if kind == "person"}
    codes = {ident for kind, ident in made if kind == "municipality"}
    out: set[str] = set()
    for path in loader.yaml_files(root) if people or codes else []:
        rel = path.relative_to(root.absolute()).as_posix()
        located = layout.locate(rel)
        if located is None:
            continue
        if located.kind == "person" and located.id in people:
            out.add(rel)
        elif located.kind == "region" and codes:
            raw = fingerprint.read_regular(str(path))
            data = yamlio.load(raw, "").data if raw is not None else None
            if codes & {i for _, i, _ in loader.embedded_ids("region", data)}:
                out.add(rel)
    return out
