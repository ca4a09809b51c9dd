"""Reading a registry folder into a `Registry` and the diagnostics of everything in it.

One bad file never hides the others: every file is read, checked against its
schema and indexed (even when broken, so that references to it do not also fail), then
identities and references are checked across files.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksctl import kinds, layout, references, schemacheck, yamlio
from ksctl.diagnostics import Diagnostic, Severity, ordered
from ksctl.fast import fingerprint
from ksctl.model import Settings
from ksctl.registry import SETTINGS_KIND, Entity, Registry


@dataclass(frozen=True)
class LoadResult:
    registry: Registry
    diagnostics: list[Diagnostic]
    files: int
    tree: fingerprint.Tree | None = None  # the stats the files were read with
    parsed: dict[str, yamlio.Loaded] | None = None  # by path relative to the root
    # What each file refers to, by its content or its path: (kind, id) by shown path.
    named: dict[str, set[tuple[str, str]]] | None = None


@dataclass(frozen=True)
class Earlier:
    """One file as an earlier run read it: reused when the file still has that content."""

    stat: fingerprint.Stat
    digest: bytes
    data: Any
    diagnostics: list[Diagnostic]
    positions: dict[Any, yamlio.Pos]


@dataclass
class _File:
    relpath: str  # relative to the registry root, with "/"
    shown: str  # relative to the repository root, for diagnostics
    disk: str  # the path to open
    refused: bool = False  # a link out of the registry: never read

    @property
    def path(self) -> Path:
        return Path(self.disk)


def _walk(
    root: Path, base: Path, out: list[Diagnostic], tree: fingerprint.Tree | None = None
) -> tuple[list[_File], fingerprint.Tree]:
    """YAML files under `root`, sorted, with the stats they had before they were read;
    symbolic links out of the registry, to nothing or in a loop, and whatever is not a
    regular file (a FIFO, a device), are refused: reported, never opened."""
    tree = tree if tree is not None else fingerprint.walk(str(root))
    real_root = os.path.realpath(root)
    prefix = root.relative_to(base).as_posix()
    for rel in tree.folder_links:
        out.append(_symlink(root / rel, base, real_root, folder=True))
    files: list[_File] = []
    for relpath in tree.files:
        disk = f"{root}/{relpath}"
        file = _File(relpath, f"{prefix}/{relpath}", disk)
        if relpath in tree.links:
            inside = _inside(os.path.realpath(disk), real_root)
            if not inside or fingerprint.link_target(disk) != "file":
                out.append(_symlink(Path(disk), base, real_root, folder=False))
                file.refused = True  # not read, but its id is still claimed
        elif relpath in tree.special:
            out.append(_special(file))
            file.refused = True
        files.append(file)
    return files, tree


def yaml_files(root: Path) -> list[Path]:
    """The registry's YAML files, as validation reads them: regular files, and links to
    regular files inside the registry."""
    return [f.path for f in _walk(root.absolute(), root.absolute().parent, [])[0] if not f.refused]


def _inside(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip("/") + "/")


def _symlink(path: Path, base: Path, real_root: str, *, folder: bool) -> Diagnostic:
    """A link not followed: out of the registry, to nothing, round in a loop, to what is
    not a regular file, or (a warning) to a folder inside the registry."""
    target = fingerprint.link_target(str(path))
    inside = _inside(os.path.realpath(path), real_root)
    what = "folder" if folder else "file"
    written = str(path.readlink())
    severity = Severity.ERROR
    hint = f"put the {what} itself in the registry"
    if target == "loop":
        message = f"symbolic link that leads round in a loop ({written}); not followed"
        hint = f"remove the link, or put the {what} itself in the registry"
    elif target == "nothing":
        message = f"symbolic link to nothing ({written} does not exist); not read"
    elif not inside:
        message = f"symbolic link to outside the registry ({written}); not followed"
    elif target == "special":
        message = f"symbolic link to what is not a regular file ({written}); not read"
    else:
        message = f"symbolic link to a {what} inside the registry ({written}); not followed"
        severity = Severity.WARNING if folder else Severity.ERROR
    return Diagnostic.make(
        "KS110", message, path=path.relative_to(base).as_posix(), severity=severity, hint=hint
    )


def _special(file: _File) -> Diagnostic:
    try:
        mode = os.lstat(file.disk).st_mode
    except OSError:
        mode = 0
    what = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return Diagnostic.make(
        "KS113",
        f"{file.relpath} is {what}, not a file; not read",
        path=file.shown,
        hint="remove it; registry files are plain text files",
    )


def read_settings(root: Path, base: Path, out: list[Diagnostic]) -> Settings:
    return _read_settings(root, base, out)[0]


def _read_settings(root: Path, base: Path, out: list[Diagnostic]) -> tuple[Settings, Entity | None]:
    """The settings, and ksctl.yaml as an entity the rules may report on (None when it
    did not pass its schema)."""
    path = root / "ksctl.yaml"
    shown = path.relative_to(base).as_posix()
    loaded = yamlio.load(path.read_bytes(), shown)
    out.extend(loaded.diagnostics)
    if loaded.data is None:
        return Settings(), None
    model, problems = schemacheck.validate(Settings, loaded, shown)
    out.extend(problems)
    if not isinstance(model, Settings):
        return Settings(), None
    return model, Entity(SETTINGS_KIND, "ksctl", shown, (), model, loaded)


def load(
    root: Path,
    *,
    tree: fingerprint.Tree | None = None,
    earlier: dict[str, Earlier] | None = None,
    earlier_written_ns: int = 0,
    earlier_limits: tuple[int, int, int] | None = None,
) -> LoadResult:
    """Load the registry in `root` (the folder holding ksctl.yaml).

    `tree` is a walk of `root` just taken; `earlier` holds files as an earlier run (written
    at `earlier_written_ns`, under `earlier_limits`) read them: a file that still has that
    content is not parsed again, and the positions found for it then are known.
    """
    return _load(root, tree, earlier or {}, earlier_written_ns, earlier_limits)


def limits_of(settings: Settings) -> tuple[int, int, int]:
    """What a file's parse depends on besides its bytes."""
    lim = settings.limits
    return (lim.max_file_bytes, lim.max_depth, lim.max_nodes)


def _load(
    root: Path,
    tree: fingerprint.Tree | None,
    earlier: dict[str, Earlier],
    earlier_written_ns: int,
    earlier_limits: tuple[int, int, int] | None,
) -> LoadResult:
    root = root.absolute()
    base = root.parent
    diagnostics: list[Diagnostic] = []
    settings, settings_file = _read_settings(root, base, diagnostics)
    limits = settings.limits
    if earlier_limits != limits_of(settings):
        earlier = {}  # parsed under other limits: parse again
    claimed: dict[tuple[str, str], list[Entity]] = {}
    whole: list[tuple[Entity, layout.Located]] = []  # the entities that are files

    files, tree = _walk(root, base, diagnostics, tree)
    wanted: list[tuple[_File, layout.Located]] = []
    taken = {file.relpath for file in files}
    for file in files:
        if file.relpath == "ksctl.yaml":
            continue
        located = layout.locate(file.relpath)
        if located is None or not file.relpath.endswith(".yaml"):
            diagnostics.append(_unknown_location(file, taken))
            continue
        wanted.append((file, located))
    parsed = _parse_all(
        [f for f, _ in wanted if not f.refused],
        limits.max_file_bytes,
        limits.max_depth,
        limits.max_nodes,
        _reusable(wanted, tree, earlier, earlier_written_ns),
    )
    by_path: dict[str, yamlio.Loaded] = {}
    readable = iter(parsed)
    for file, located in wanted:
        loaded = None if file.refused else next(readable)
        if loaded is None:
            if not file.refused:
                diagnostics.append(_too_large(file, limits.max_file_bytes))
            # The file is reported; its id still stands, so files that name it are not
            # also told that it does not exist.
            entity = Entity(located.kind, located.id, file.shown, (), None, None)
            if kinds.get(located.kind).entity:
                claimed.setdefault((entity.kind, entity.id), []).append(entity)
            continue
        by_path[file.relpath] = loaded
        diagnostics.extend(loaded.diagnostics)
        entity_model = None
        if loaded.data is not None:
            entity_model, problems = schemacheck.validate(located.model, loaded, file.shown)
            diagnostics.extend(problems)
            diagnostics.extend(check_explicit_id(loaded, located, file.shown))
        entity = Entity(located.kind, located.id, file.shown, (), entity_model, loaded)
        if kinds.get(located.kind).entity:
            claimed.setdefault((entity.kind, entity.id), []).append(entity)
            whole.append((entity, located))
        for part in _embedded(entity):
            claimed.setdefault((part.kind, part.id), []).append(part)

    by_kind: dict[str, dict[str, Entity]] = {}
    for (kind, ident), entities in claimed.items():
        by_kind.setdefault(kind, {})[ident] = entities[0]
        first = entities[0]
        for other in entities[1:]:
            line, col = other.position()
            diagnostics.append(
                Diagnostic.make(
                    "KS303",
                    f"{kind} id {ident!r} is already used by {first.path}:{first.position()[0]}",
                    path=other.path,
                    line=line,
                    column=col,
                    hint="ids must be unique; rename one of them",
                )
            )
    registry = Registry(root, settings, by_kind, settings_file=settings_file)
    named: dict[str, set[tuple[str, str]]] = {}
    diagnostics.extend(references.check(registry, named))
    for entity, located in whole:
        diagnostics.extend(references.check_path_refs(registry, entity, located.path_refs))
        named.setdefault(entity.path, set()).update(references.implied(entity, located))
    diagnostics = apply_severities(diagnostics, settings)
    return LoadResult(registry, ordered(diagnostics), len(files), tree, by_path, named)


def _reusable(
    wanted: list[tuple[_File, layout.Located]],
    tree: fingerprint.Tree,
    earlier: dict[str, Earlier],
    written_ns: int,
) -> dict[str, Earlier]:
    """The earlier reads still good by their stat alone; a file whose stat moved (or is
    too recent to trust) is read and compared by digest where it is parsed."""
    if not earlier:
        return {}
    out = {}
    for file, _ in wanted:
        before = earlier.get(file.relpath)
        if before is not None:
            if fingerprint.trusted(tree.files[file.relpath], before.stat, written_ns):
                out[file.disk] = before
            else:
                out[file.disk] = Earlier((-1, -1), *_rest(before))  # digest decides
    return out


def _rest(e: Earlier) -> tuple[bytes, Any, list[Diagnostic], dict[Any, yamlio.Pos]]:
    return (e.digest, e.data, e.diagnostics, e.positions)


PARALLEL_FROM = 1500  # files; below this, a second process costs more than it saves
# Workers are forked where that is safe (Linux: no threads run while the registry is read);
# elsewhere they start afresh, which costs an import of ksctl each, so only larger
# registries are shared out there.
_START = "fork" if sys.platform.startswith("linux") else "spawn"
_PARALLEL_FROM_SPAWNED = 6000


_Job = tuple[str, str, int, int, int]


def _parse_one(job: _Job, before: Earlier | None = None) -> yamlio.Loaded | None:
    path, shown, max_bytes, max_depth, max_nodes = job
    if before is not None and before.stat != (-1, -1):
        return _reuse(before, path, before.digest)
    try:
        known: os.stat_result | None = os.stat(path)
    except OSError:
        known = None
    if known is not None and known.st_size > max_bytes:
        return None
    # None: vanished since the walk, or replaced by what is not a file: read as empty.
    raw = (fingerprint.read_regular(path, known) if known is not None else None) or b""
    digest = fingerprint.digest(raw)
    if before is not None and before.digest == digest:
        return _reuse(before, path, digest)
    loaded = yamlio.load(raw, shown, max_depth=max_depth, max_nodes=max_nodes)
    loaded.disk_path = path
    loaded.digest = digest
    return loaded


def _reuse(before: Earlier, path: str, digest: bytes) -> yamlio.Loaded:
    loaded = yamlio.Loaded(before.data, diagnostics=list(before.diagnostics))
    loaded.disk_path = path
    loaded.digest = digest
    loaded.known = dict(before.positions)
    return loaded


_Plain = tuple[Any, list[tuple[str, int, int, str, int, str, str | None]], str, bytes] | None


def _parse_chunk(jobs: list[_Job]) -> list[_Plain]:
    """Parse in a worker; only plain tuples cross back (a third the cost of pickled
    objects), and each file is located from disk if a diagnostic needs its positions."""
    out: list[_Plain] = []
    for job in jobs:
        loaded = _parse_one(job)
        if loaded is None:
            out.append(None)
            continue
        diags = [
            (d.path, d.line, d.column, d.code, int(d.severity), d.message, d.hint)
            for d in loaded.diagnostics
        ]
        out.append((loaded.data, diags, job[0], loaded.digest))
    return out


def _unplain(plain: _Plain) -> yamlio.Loaded | None:
    if plain is None:
        return None
    data, diags, disk, digest = plain
    loaded = yamlio.Loaded(
        data, diagnostics=[Diagnostic(*d[:4], Severity(d[4]), *d[5:]) for d in diags]
    )
    loaded.disk_path = disk
    loaded.digest = digest
    return loaded


def _workers() -> int:
    """How many processes parse a large registry: KSCTL_WORKERS if set (1 parses in this
    process only), else one per core, at most four (more did not help, measured)."""
    given = os.environ.get("KSCTL_WORKERS", "")
    if given.isdigit() and int(given) >= 1:
        return int(given)
    return min(os.cpu_count() or 1, 4)


def _parse_all(
    files: list[_File],
    max_bytes: int,
    max_depth: int,
    max_nodes: int,
    reuse: dict[str, Earlier],
) -> list[yamlio.Loaded | None]:
    """Parse every file not reusable from an earlier run; on a large registry, one share
    per core, the first share in this process while the workers parse the rest."""
    jobs = [(f.disk, f.shown, max_bytes, max_depth, max_nodes) for f in files]
    todo = [j for j in jobs if j[0] not in reuse]
    workers = _workers()
    least = PARALLEL_FROM if _START == "fork" else _PARALLEL_FROM_SPAWNED
    if len(todo) < least or workers < 2:
        return [_parse_one(job, reuse.get(job[0])) for job in jobs]
    import multiprocessing

    own = len(todo) // workers  # measured: equal shares finish together
    size = -(-(len(todo) - own) // (workers - 1))
    chunks = [todo[i : i + size] for i in range(own, len(todo), size)]
    with multiprocessing.get_context(_START).Pool(len(chunks)) as pool:
        pending = pool.map_async(_parse_chunk, chunks)
        done = {job[0]: _parse_one(job) for job in todo[:own]}
        done.update(
            (job[0], _unplain(plain))
            for part, chunk in zip(pending.get(), chunks, strict=True)
            for plain, job in zip(part, chunk, strict=True)
        )
    return [done[j[0]] if j[0] in done else _parse_one(j, reuse.get(j[0])) for j in jobs]


def apply_severities(diagnostics: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Apply `rules:` in ksctl.yaml: a code may be turned off or given another severity."""
    if not settings.rules:
        return diagnostics
    result = []
    for d in diagnostics:
        level = settings.rules.get(d.code)
        if level is None:
            result.append(d)
        elif level != "off":
            result.append(
                Diagnostic(
                    d.path, d.line, d.column, d.code, Severity.parse(level), d.message, d.hint
                )
            )
    return result


def _embedded(entity: Entity) -> list[Entity]:
    """Entities that live inside another's file (municipalities, glossary terms; see
    `kinds.Embedding`). From the raw data when the file failed its schema, so that one bad
    municipality does not make every reference to its neighbours dangling."""
    out = []
    for kind, how in kinds.embedded_in(entity.kind):
        if entity.model is None:
            data = entity.source.data if entity.source is not None else None
            for _, ident, i in embedded_ids(entity.kind, data):
                out.append(Entity(kind, ident, entity.path, (how.field, i), None, entity.source))
            continue
        for i, part in enumerate(getattr(entity.model, how.field, None) or []):
            ident = str(getattr(part, how.key))
            ident = ident.casefold() if how.fold else ident
            out.append(Entity(kind, ident, entity.path, (how.field, i), part, entity.source))
    return out


def embedded_ids(container: str, data: Any) -> Iterator[tuple[str, str, int]]:
    """(kind, id, index) of each entity living in the raw `data` of a `container` file:
    each municipality in a region's, each term in the glossary's."""
    for kind, how in kinds.embedded_in(container):
        items = data.get(how.field) if isinstance(data, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            ident = item.get(how.key) if isinstance(item, dict) else None
            if isinstance(ident, str) and ident:
                yield kind, ident.casefold() if how.fold else ident, i


def check_explicit_id(
    loaded: yamlio.Loaded, located: layout.Located, shown: str
) -> list[Diagnostic]:
    data: dict[str, Any] = loaded.data or {}
    given = data.get("id")
    if given is None or given == located.id:
        return []
    line, col = loaded.position(("id",))
    return [
        Diagnostic.make(
            "KS304",
            f"id {given!r} does not match the path, which gives {located.id!r}",
            path=shown,
            line=line,
            column=col,
            hint="ids derive from paths: rename the file, or drop the id key",
        )
    ]


def _too_large(file: _File, limit: int) -> Diagnostic:
    return Diagnostic.make(
        "KS100",
        f"file is {file.path.stat().st_size:,} bytes; the limit is {limit:,}",
        path=file.shown,
        hint="split it, or raise limits.max_file_bytes in ksctl.yaml",
    )


def _unknown_location(file: _File, taken: set[str]) -> Diagnostic:
    """A YAML file where the layout expects none: never read, so an error by default (it
    would silently vanish from the site), with the path the layout would give it unless
    another file is there already (moving it there would overwrite that one)."""
    place = layout.suggest(file.relpath)
    if place is not None and place in taken:
        place = None
    if not file.relpath.endswith(".yaml"):
        hint = "registry files end in .yaml" + (f": rename it to {place}" if place else "")
    elif place is not None:
        hint = f"rename or move it to {place}"
    else:
        hint = (
            "file names are lower-case a-z, 0-9 and '-', in the folders the registry layout "
            "names: see the README"
        )
    return Diagnostic.make(
        "KS112",
        f"{file.relpath} is not a place the registry layout knows; not checked",
        path=file.shown,
        hint=hint,
    )
