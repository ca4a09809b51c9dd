"""Snapshots of a loaded registry, so that queries and unchanged validations read no YAML.

Standard library only on the hit path: a query answered from a warm snapshot
imports neither pydantic nor ruamel, and reads only the parts it needs.

Two snapshots per registry, each one file under the user's cache folder:

- the *query* snapshot holds every entity's data in buckets of about 128 per kind, and the
  stat and content digest of every file, by kind and by folder. A query runs against it and
  is then checked against just the files it read (and every folder's time, for files added,
  removed or renamed): its cost follows what it asks, not the size of the registry.
- the *validation* snapshot holds the last validation's diagnostics and date, and each
  file's parse (data, parse diagnostics, the positions asked for): an unchanged registry is
  answered from it, and a changed one parses only the files that changed.

A file is taken as unchanged when its size and modification time are, unless that time
is within two seconds of the recording (then its digest decides); a changed stat with the
same digest is unchanged too, so a snapshot is keyed by content. Files are written to a
temporary name and renamed, so concurrent runs never see half a snapshot; each has a
format number, the ksctl and Python versions, and a checksum per section, so an old,
foreign, truncated or damaged one is ignored and rebuilt. The cache holds data the user's
own files hold, read back with `marshal` (the fastest reader Python has for plain data),
only after its checksum matches.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ksctl import __version__
from ksctl.fast import fingerprint
from ksctl.registry import ALL_KINDS, Entity, Registry, Tracking

if TYPE_CHECKING:
    from ksctl.diagnostics import Diagnostic
    from ksctl.loader import Earlier, LoadResult

FORMAT = 5
_MAGIC = b"KSCTL" + bytes([FORMAT, marshal.version, sys.version_info[1]])
_HEAD = 8  # bytes: the head's length and its CRC-32, little-endian
_STAMP = (__version__, sys.version_info[:2])


def _code_stamp() -> tuple[str, tuple[int, int], int]:
    """Who wrote a snapshot: this ksctl's version, the Python, and its code as installed
    (the size and time of every module), so that an edited or reinstalled ksctl never
    reads an answer an older one stored."""
    global _CODE
    if _CODE is None:
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        seen = 0
        for folder, _, names in os.walk(package):
            for name in names:
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    seen = zlib.crc32(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode(), seen)
        _CODE = (*_STAMP, seen)
    return _CODE


_CODE: tuple[str, tuple[int, int], int] | None = None

T = TypeVar("T")
Record = tuple[int, int, bytes]  # mtime_ns, size, digest


def cache_dir() -> Path:
    if os.environ.get("KSCTL_CACHE_DIR"):
        return Path(os.environ["KSCTL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ksctl"


def _stem(root: Path) -> str:
    where = str(root.absolute())
    return f"registry-{zlib.crc32(where.encode()):08x}-{len(where)}"  # names the folder


def query_file(root: Path) -> Path:
    return cache_dir() / f"{_stem(root)}.query"


def validation_file(root: Path) -> Path:
    return cache_dir() / f"{_stem(root)}.validate"


# ------------------------------------------------------------------------------ the file
# MAGIC, the length and CRC-32 of the head, the head (marshal: meta and where each section
# is, with its CRC-32), then the sections. A reader fetches only the sections it asks for.


class Damaged(Exception):
    """A snapshot that cannot be trusted: ignored, and rebuilt."""


# What reading a snapshot of another shape can raise: the snapshot is then damaged too.
UNREADABLE = (Damaged, LookupError, TypeError, ValueError, AttributeError, EOFError)


class Raw(bytes):
    """A section already marshalled (taken as it was from an earlier snapshot)."""


def _write(target: Path, meta: dict[str, Any], sections: dict[str, Any]) -> None:
    import tempfile

    blobs = {
        name: value if isinstance(value, Raw) else marshal.dumps(value)
        for name, value in sections.items()
    }
    index, offset = {}, 0
    for name, blob in blobs.items():
        index[name] = (offset, len(blob), zlib.crc32(blob))
        offset += len(blob)
    head = marshal.dumps({"meta": meta, "index": index})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        with os.fdopen(fd, "wb") as f:
            sizes = len(head).to_bytes(4, "little") + zlib.crc32(head).to_bytes(4, "little")
            f.write(_MAGIC + sizes + head)
            for blob in blobs.values():
                f.write(blob)
        Path(tmp).replace(target)
        for old in (f"{target.stem}.json", f"{target.stem}-validate.json"):  # format 2's
            (target.parent / old).unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs speed


class _Snapshot:
    def __init__(self, path: Path) -> None:
        try:
            self._fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise Damaged(str(exc)) from None
        try:
            start = os.pread(self._fd, len(_MAGIC) + _HEAD, 0)
            if len(start) != len(_MAGIC) + _HEAD or not start.startswith(_MAGIC):
                raise Damaged("not a snapshot of this format")
            size = int.from_bytes(start[len(_MAGIC) : len(_MAGIC) + 4], "little")
            crc = int.from_bytes(start[len(_MAGIC) + 4 :], "little")
            head = os.pread(self._fd, size, len(start))
            if len(head) != size or zlib.crc32(head) != crc:
                raise Damaged("the head is damaged")
            doc = marshal.loads(head)
            self.meta: dict[str, Any] = doc["meta"]
            self._index: dict[str, tuple[int, int, int]] = doc["index"]
            self._base = len(start) + size
            if self.meta.get("stamp") != _code_stamp():
                raise Damaged("written by another ksctl or Python")
        except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
            os.close(self._fd)
            raise Damaged(str(exc)) from None
        self._loaded: dict[str, Any] = {}

    def section(self, name: str) -> Any:
        if name not in self._loaded:
            blob = self.raw(name)
            if blob is None:
                return None
            self._loaded[name] = marshal.loads(blob)
        return self._loaded[name]

    def raw(self, name: str) -> Raw | None:
        """A section's bytes, checked, not unmarshalled."""
        if name not in self._index:
            return None
        offset, length, crc = self._index[name]
        blob = os.pread(self._fd, length, self._base + offset)
        if len(blob) != length or zlib.crc32(blob) != crc:
            raise Damaged(f"section {name} is damaged")
        return Raw(blob)

    def close(self) -> None:
        os.close(self._fd)

    def rewrite(self, target: Path, meta: dict[str, Any], **changed: Any) -> None:
        """Write this snapshot again with other `meta` (and the sections in `changed`
        replaced); every other section is copied as it is."""
        sections: dict[str, Any] = {name: self.raw(name) for name in self._index}
        sections.update(changed)
        _write(target, meta, sections)


def _open(path: Path, root: Path) -> _Snapshot | None:
    try:
        snap = _Snapshot(path)
    except Damaged:
        return None
    if snap.meta.get("root") != str(root.absolute()):
        snap.close()
        return None
    return snap


# ------------------------------------------------------------------------------ queries


class Outcome(Generic[T]):
    """A query's answer (or the exception it raised, such as no match) and the number of
    errors in the files it drew on. (A plain class: a dataclass costs a query's start-up
    more than its own answer does.)"""

    __slots__ = ("error", "errors", "value")

    def __init__(self, value: T | None, error: Exception | None, errors: int) -> None:
        self.value, self.error, self.errors = value, error, errors

    def get(self) -> T:
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def answer(root: Path, ask: Callable[[Registry], T], *, use_cache: bool = True) -> Outcome[T]:
    """Ask `ask` of the registry in `root`: from the snapshot when everything the answer
    read is unchanged, else from a fresh load (which then writes the snapshot)."""
    if use_cache:
        snap = _open(query_file(root), root)
        if snap is not None:
            try:
                check = _QueryCheck(root, snap)
                try:
                    hit = check.answer(ask)  # ask's own errors are kept apart
                except UNREADABLE:
                    hit = None
                if hit is not None:
                    with contextlib.suppress(*UNREADABLE):  # the answer stands; settling waits
                        check.settle()
            finally:
                snap.close()
            if hit is not None:
                return hit
    from ksctl import loader  # the models, YAML and all: only when the snapshot is stale

    result = loader.load(root)
    assert result.tree is not None
    by_kind = files_by_kind(result.tree.files)
    errors = _errors_by_file(result)
    if use_cache:
        _write_query(root, result, by_kind, errors)
    view = Tracking(result.registry)
    value, error = _attempt(ask, view)
    read = _files_read(
        view,
        every=lambda: dict.fromkeys(f for files in by_kind.values() for f in files),
        of_kind=lambda kind: dict.fromkeys(by_kind.get(kind, ())),
        of_entity=lambda kind, ident: dict.fromkeys(_relpath(result.registry, kind, ident)),
    )
    return Outcome(value, error, sum(errors.get(f, 0) for f in {*read, "ksctl.yaml"}))


def _attempt(ask: Callable[[Registry], T], view: Registry) -> tuple[T | None, Exception | None]:
    try:
        return ask(view), None
    except Damaged:
        raise  # the snapshot's fault, not the question's: load afresh
    except Exception as exc:  # its answer too is only as fresh as what it read
        return None, exc


def files_by_kind(files: Mapping[str, Any]) -> dict[str, list[str]]:
    """The files whose content can make or change an entity of each kind, by relative path
    (a region's file for its municipalities, the glossary for its terms)."""
    from ksctl import kinds, layout

    out: dict[str, list[str]] = {}
    for relpath in files:
        located = layout.locate(relpath)
        if located is None:
            continue
        out.setdefault(located.kind, []).append(relpath)
        for part, _ in kinds.embedded_in(located.kind):
            out.setdefault(part, []).append(relpath)
    return out


def _relpath(registry: Registry, kind: str, ident: str) -> list[str]:
    found = registry.get(kind, ident)
    return [found.path.split("/", 1)[1]] if found is not None else []


F = TypeVar("F")


def _files_read(
    view: Tracking,
    every: Callable[[], Mapping[str, F]],
    of_kind: Callable[[str], Mapping[str, F]],
    of_entity: Callable[[str, str], Mapping[str, F]],
) -> dict[str, F]:
    """The files an answer read (by path relative to the root), each with what the caller
    keeps of them: every file when it went through everything, else the files that make
    each kind it went through and the file of each entity it got."""
    if ALL_KINDS in view.kinds_read:
        return dict(every())
    read: dict[str, F] = {}
    for kind in view.kinds_read:
        read.update(of_kind(kind))
    for kind, ident in view.entities_read:
        read.update(of_entity(kind, ident))
    return read


def _errors_by_file(result: LoadResult) -> dict[str, int]:
    from ksctl.diagnostics import Severity

    out: dict[str, int] = {}
    for d in result.diagnostics:
        if d.severity is Severity.ERROR:
            rel = d.path.split("/", 1)[1] if "/" in d.path else d.path
            out[rel] = out.get(rel, 0) + 1
    return out


BUCKET = 128  # entities to a section: a lookup by id reads about this many


def _bucket(ident: str, buckets: int) -> int:
    return zlib.crc32(ident.encode()) % buckets


def _write_query(
    root: Path, result: LoadResult, by_kind: dict[str, list[str]], errors: dict[str, int]
) -> None:
    """Sections: `files` (every file's record), `dir:<folder>` (its files' records and its
    subfolders, to compare with the folder when its time moved), `files:<kind>` (the
    records of the files that make a kind, and its ids in order), `entities:<kind>:<n>`
    (id -> path, data and
    record, spread over buckets by a hash of the id)."""
    assert result.tree is not None and result.parsed is not None
    records = _records(root, result)
    sections: dict[str, Any] = {"files": records}
    order: dict[str, list[Entity]] = {}
    for entity in result.registry:
        order.setdefault(entity.kind, []).append(entity)
    kinds = []
    for kind, entities in order.items():
        buckets = 1 + len(entities) // BUCKET
        kinds.append((kind, buckets))
        parts: list[dict[str, tuple[str, bytes, Record | None]]] = [{} for _ in range(buckets)]
        for e in entities:
            rel = e.path.split("/", 1)[1]
            data = marshal.dumps(dict(e.data) if e.data is not None else None)
            parts[_bucket(e.id, buckets)][e.id] = (rel, data, records.get(rel))
        for n, part in enumerate(parts):
            sections[f"entities:{kind}:{n}"] = part
    in_dir: dict[str, dict[str, Record]] = {d: {} for d in result.tree.dirs}
    for rel, record in records.items():
        in_dir.setdefault(rel[: rel.rfind("/") + 1], {})[rel] = record
    for reldir in result.tree.dirs:
        if reldir:
            parent = reldir[: reldir.rstrip("/").rfind("/") + 1]
            in_dir.setdefault(parent, {})[reldir] = (0, 0, b"")  # a subfolder, by name
    for reldir, listed in in_dir.items():
        sections["dir:" + reldir] = listed
    for kind in set(by_kind) | set(order):
        sections["files:" + kind] = {
            "files": {f: records[f] for f in by_kind.get(kind, ())},
            "order": [e.id for e in order.get(kind, ())],
        }
    meta = {
        "stamp": _code_stamp(),
        "root": str(root.absolute()),
        "written_ns": result.tree.taken_ns,
        "newest_ns": max(
            [*(r[0] for r in records.values()), *result.tree.dirs.values()], default=0
        ),
        "dirs": result.tree.dirs,
        "kinds": kinds,
        "errors": errors,
        "policies": dict(result.registry.policies),
        "settings": records.get("ksctl.yaml"),
    }
    _write(query_file(root), meta, sections)


def _records(root: Path, result: LoadResult) -> dict[str, Record]:
    """Every file's stat as walked and digest as read (files not parsed are read now)."""
    assert result.tree is not None and result.parsed is not None
    parsed = result.parsed
    out = {}
    for rel, (mtime, size) in result.tree.files.items():
        loaded = parsed.get(rel)
        digest = loaded.digest if loaded is not None and loaded.digest else None
        out[rel] = (mtime, size, digest or fingerprint.digest_file(f"{root}/{rel}"))
    return out


class SnapshotRegistry(Registry):
    """The registry as a query snapshot holds it: a bucket of a kind read when an id in it
    is first asked for, a whole kind when it is gone through, each entity's data when the
    entity is first touched."""

    def __init__(self, root: Path, snap: _Snapshot) -> None:
        self.root, self.base = root, root.parent
        self.settings = None
        self.policies = MappingProxyType(dict(snap.meta["policies"]))
        self._snap = snap
        self._prefix = root.name
        self._buckets: dict[str, int] = dict(snap.meta["kinds"])
        self._entities: dict[str, dict[str, Entity]] = {}
        self._complete: dict[str, Mapping[str, Entity]] = {}

    def _section(self, name: str) -> Any:
        try:
            return self._snap.section(name)
        except UNREADABLE as exc:
            raise Damaged(str(exc)) from None

    def _row(self, kind: str, ident: str) -> tuple[str, bytes, Record | None] | None:
        buckets = self._buckets.get(kind)
        if buckets is None:
            return None
        part = self._section(f"entities:{kind}:{_bucket(ident, buckets)}")
        try:
            return part.get(ident) if part else None
        except AttributeError:
            raise Damaged("a bucket of another shape") from None

    def _entity(self, kind: str, ident: str, row: tuple[str, bytes, Record | None]) -> Entity:
        made = self._entities.setdefault(kind, {})
        if ident not in made:
            try:
                path, data = f"{self._prefix}/{row[0]}", marshal.loads(row[1])
            except UNREADABLE as exc:
                raise Damaged(str(exc)) from None
            made[ident] = Entity(kind, ident, path, (), None, None, data)
        return made[ident]

    def get(self, kind: str, ident: str) -> Entity | None:
        row = self._row(kind, ident)
        return self._entity(kind, ident, row) if row else None

    def of_kind(self, kind: str) -> Mapping[str, Entity]:
        if kind not in self._complete:
            rows: dict[str, tuple[str, bytes, Record | None]] = {}
            for n in range(self._buckets.get(kind, 0)):
                rows.update(self._section(f"entities:{kind}:{n}") or {})
            try:
                made = {i: self._entity(kind, i, rows[i]) for i in self._order(kind)}
            except LookupError:
                raise Damaged(f"{kind}: ids without entities") from None
            self._complete[kind] = MappingProxyType(made)
        return self._complete[kind]

    def _order(self, kind: str) -> list[str]:
        section = self._section("files:" + kind)
        return section["order"] if section else []

    def kinds_of(self, ident: str) -> list[str]:
        return [k for k in self._buckets if self._row(k, ident) is not None]

    def __iter__(self) -> Iterator[Entity]:
        for kind in self._buckets:
            yield from self.of_kind(kind).values()

    def __len__(self) -> int:
        return sum(len(self._order(k)) for k in self._buckets)

    def counts(self) -> dict[str, int]:
        return {k: len(self._order(k)) for k in sorted(self._buckets)}

    def record_of(self, kind: str, ident: str) -> dict[str, Record]:
        """The file an entity comes from, with that file's record."""
        row = self._row(kind, ident)
        return {row[0]: row[2] or (0, -2, b"")} if row else {}

    def kind_files(self, kind: str) -> dict[str, Record]:
        section = self._snap.section("files:" + kind)
        return section["files"] if section else {}


class _QueryCheck:
    """Is a query snapshot still true for what one answer read?"""

    def __init__(self, root: Path, snap: _Snapshot) -> None:
        self.root, self.snap = root, snap
        self.top = str(root.absolute())
        self.started_ns = fingerprint.now_ns()  # before any stat this check takes
        self.written_ns: int = snap.meta["written_ns"]
        self.changed: set[str] = set()  # files found changed while checking folders
        self.relisted: dict[str, int] = {}  # folders found the same by their listing

    def answer(self, ask: Callable[[Registry], T]) -> Outcome[T] | None:
        if not self._folders_unchanged():
            return None
        reg = SnapshotRegistry(self.root, self.snap)
        view = Tracking(reg)
        value, error = _attempt(ask, view)
        records = _files_read(
            view,
            every=lambda: self.snap.section("files"),
            of_kind=reg.kind_files,
            of_entity=reg.record_of,
        )
        if self.snap.meta["settings"] is not None:  # the policies
            records["ksctl.yaml"] = self.snap.meta["settings"]
        if not all(self._unchanged(rel, rec) for rel, rec in records.items()):
            return None
        errors: dict[str, int] = self.snap.meta["errors"]
        return Outcome(value, error, sum(errors.get(f, 0) for f in records))

    def _unchanged(self, rel: str, rec: Record) -> bool:
        if rel in self.changed:
            return False
        now = fingerprint.stat_of(f"{self.top}/{rel}")
        if now is None:
            return False
        return fingerprint.trusted(now, rec[:2], self.written_ns) or (
            fingerprint.digest_file(f"{self.top}/{rel}") == rec[2]
        )

    def _folders_unchanged(self) -> bool:
        """No file added, removed or renamed anywhere; files rewritten by a rename are
        noted in `changed`."""
        dirs: dict[str, int] = self.snap.meta["dirs"]
        written = self.written_ns
        moved: list[tuple[str, int]] = []
        for reldir, mtime in dirs.items():
            now = fingerprint.dir_mtime(self.top, reldir)
            if now is None:
                return False
            if now != mtime or now >= written - fingerprint.RACY_NS:
                moved.append((reldir, now))
        for reldir, now in moved:
            listed: dict[str, Record] = self.snap.section("dir:" + reldir)
            now_listing = fingerprint.listing(self.top, reldir)
            if now_listing is None or set(listed) != now_listing[0] | now_listing[1]:
                return False
            for rel in now_listing[0]:
                if not self._unchanged(rel, listed[rel]):
                    self.changed.add(rel)
            self.relisted[reldir] = now
        return True

    def settle(self) -> None:
        """Record the snapshot again as of this check when the last recording left files
        or folders too new to trust by their stat and they are not now, all found
        unchanged: later queries then trust their stat instead of reading them. (After a
        checkout or a generator, thousands of files were written within the two seconds
        before the snapshot; git refreshes its index for the same reason.)"""
        meta = self.snap.meta
        limit, now = self.written_ns - fingerprint.RACY_NS, self.started_ns
        if meta["newest_ns"] < limit or meta["newest_ns"] >= now - fingerprint.RACY_NS:
            return  # nothing too new then, or still too new now
        if self.changed:
            return
        files: dict[str, Record] = self.snap.section("files")
        if not all(self._unchanged(rel, rec) for rel, rec in files.items() if rec[0] >= limit):
            return
        # Every folder too new then was listed again just now (with its time as read
        # before the listing), so its time and listing hold as of this check.
        dirs = {**meta["dirs"], **self.relisted}
        newest = max([meta["newest_ns"], *self.relisted.values()])
        self.snap.rewrite(
            query_file(self.root), {**meta, "written_ns": now, "dirs": dirs, "newest_ns": newest}
        )


# ------------------------------------------------------------------------------ validation


class ValidationSnapshot:
    """The last validation: each file's record, parse (in buckets), what it names and which
    entities it makes, and the diagnostics of them all on one date."""

    def __init__(self, root: Path, snap: _Snapshot) -> None:
        self.root, self.snap = root, snap
        self.meta = snap.meta
        self._changed: tuple[fingerprint.Tree, list[str] | None] | None = None
        self._read = 0  # files compared by their content: their stat was not trusted

    @classmethod
    def open(cls, root: Path) -> ValidationSnapshot | None:
        snap = _open(validation_file(root), root)
        return cls(root, snap) if snap is not None else None

    def close(self) -> None:
        self.snap.close()

    def manifest(self) -> dict[str, Record]:
        return dict(self.snap.section("manifest"))

    def changed(self, tree: fingerprint.Tree) -> list[str] | None:
        """The files whose content changed since, or None when files came, went or the
        links did (then nothing can be assumed about which ids exist)."""
        if self._changed is not None and self._changed[0] is tree:
            return self._changed[1]
        found = self._compare(tree)
        self._changed = (tree, found)
        return found

    def _compare(self, tree: fingerprint.Tree) -> list[str] | None:
        manifest: dict[str, Record] = self.snap.section("manifest")
        if manifest.keys() != tree.files.keys() or self.meta["folder_links"] != tree.folder_links:
            return None
        top, written = str(self.root.absolute()), self.meta["written_ns"]
        unsure = [
            rel
            for rel, now in tree.files.items()
            if not fingerprint.trusted(now, manifest[rel][:2], written)
        ]
        self._read = len(unsure)
        return [
            rel for rel in unsure if fingerprint.digest_file(f"{top}/{rel}") != manifest[rel][2]
        ]

    def settle(self, tree: fingerprint.Tree) -> None:
        """After `tree` was found unchanged: when files had to be read because their stat
        could not be trusted (written within two seconds before the last recording, or
        touched since) and every file's stat can be trusted now, record again as of this
        walk with today's stats, so later runs trust the stat instead of reading the file.
        (After a checkout thousands of files are that new; git refreshes its index for the
        same reason.)"""
        if not self._read or self.changed(tree) != []:
            return
        taken = tree.taken_ns
        if any(mtime >= taken - fingerprint.RACY_NS for mtime, _ in tree.files.values()):
            return  # some still too new to trust: a later run settles them
        manifest: dict[str, Record] = self.snap.section("manifest")
        now = {rel: (*tree.files[rel], record[2]) for rel, record in manifest.items()}
        self.snap.rewrite(
            validation_file(self.root), {**self.meta, "written_ns": taken}, manifest=now
        )

    def answers(self, at: str, tree: fingerprint.Tree) -> bool:
        """True when the stored diagnostics are today's for these files on `at`."""
        return self.meta["at"] == at and self.changed(tree) == []

    def diagnostics(self) -> tuple[list[Diagnostic], int]:
        from ksctl.diagnostics import Diagnostic, Severity

        rows = self.snap.section("diagnostics")
        return [_diagnostic(r, Diagnostic, Severity) for r in rows], self.meta["checked"]

    def read_of(self, rel: str) -> tuple[Any, list[Any], dict[Any, Any]] | None:
        """One file's parse: data, parse diagnostics (as rows), positions found."""
        bucket = self.snap.section(f"reads:{_bucket(rel, self.meta['buckets'])}") or {}
        found: tuple[Any, list[Any], dict[Any, Any]] | None = bucket.get(rel)
        return found

    def section(self, name: str) -> Any:
        return self.snap.section(name)

    def raw(self, name: str) -> Raw | None:
        return self.snap.raw(name)

    def earlier(self) -> tuple[dict[str, Earlier], int, tuple[int, int, int]]:
        """Each file's parse as the last run made it, for the loader to reuse."""
        from ksctl.diagnostics import Diagnostic, Severity
        from ksctl.loader import Earlier as Read  # the run that wants these loads anyway

        manifest: dict[str, Record] = self.snap.section("manifest")
        out = {}
        for n in range(self.meta["buckets"]):
            for rel, (data, diags, positions) in self.snap.section(f"reads:{n}").items():
                mtime, size, digest = manifest[rel]
                problems = [_diagnostic(d, Diagnostic, Severity) for d in diags]
                out[rel] = Read((mtime, size), digest, data, problems, positions)
        return out, self.meta["written_ns"], tuple(self.meta["limits"])


class Validation:
    """What a validation snapshot holds, to be written: the records, the diagnostics, the
    parses that are new (buckets without one are copied from `kept`), what each file
    names and which entities it makes."""

    def __init__(
        self,
        *,
        at: str,
        written_ns: int,
        checked: int,
        limits: tuple[int, int, int],
        folder_links: list[str],
        manifest: dict[str, Record],
        diagnostics: list[Diagnostic],
        reads: dict[str, tuple[Any, list[Any], dict[Any, Any]]],
        named: dict[str, list[tuple[str, str]]],
        ids: dict[str, list[tuple[str, str, tuple[Any, ...]]]],
        kept: ValidationSnapshot | None = None,
    ) -> None:
        self.at, self.written_ns, self.checked, self.limits = at, written_ns, checked, limits
        self.folder_links, self.manifest, self.diagnostics = folder_links, manifest, diagnostics
        self.reads, self.named, self.ids, self.kept = reads, named, ids, kept


def write_validation(root: Path, v: Validation) -> None:
    buckets = v.kept.meta["buckets"] if v.kept is not None else 1 + len(v.manifest) // 32
    parts: list[dict[str, Any]] = [{} for _ in range(buckets)]
    for rel, read in v.reads.items():
        parts[_bucket(rel, buckets)][rel] = read
    sections: dict[str, Any] = {
        "manifest": v.manifest,
        "diagnostics": [row(d) for d in v.diagnostics],
        "named": v.named,
        "ids": v.ids,
    }
    for n, part in enumerate(parts):
        name = f"reads:{n}"
        if v.kept is None:
            sections[name] = part
        elif part:
            sections[name] = {**v.kept.section(name), **part}
        else:
            sections[name] = v.kept.raw(name)
    meta = {
        "stamp": _code_stamp(),
        "root": str(root.absolute()),
        "written_ns": v.written_ns,
        "at": v.at,
        "checked": v.checked,
        "limits": v.limits,
        "folder_links": v.folder_links,
        "buckets": buckets,
    }
    _write(validation_file(root), meta, sections)


def full_validation(
    root: Path, at: str, result: LoadResult, limits: tuple[int, int, int]
) -> Validation:
    """What to keep of a whole validation."""
    assert result.tree is not None and result.parsed is not None and result.named is not None
    prefix = len(root.name) + 1
    ids: dict[str, list[tuple[str, str, tuple[Any, ...]]]] = {}
    for e in result.registry:
        ids.setdefault(e.path[prefix:], []).append((e.kind, e.id, e.loc))
    return Validation(
        at=at,
        written_ns=result.tree.taken_ns,
        checked=result.files,
        limits=limits,
        folder_links=result.tree.folder_links,
        manifest=_records(root, result),
        diagnostics=result.diagnostics,
        reads={
            rel: (loaded.data, [row(d) for d in loaded.diagnostics], loaded.known)
            for rel, loaded in result.parsed.items()
        },
        named={path[prefix:]: sorted(refs) for path, refs in result.named.items()},
        ids=ids,
    )


def _diagnostic(row: Any, cls: type[Diagnostic], severity: Any) -> Diagnostic:
    path, line, column, code, level, message, hint = row
    return cls(path, line, column, code, severity(level), message, hint)


def row(d: Diagnostic) -> tuple[str, int, int, str, int, str, str | None]:
    return (d.path, d.line, d.column, d.code, int(d.severity), d.message, d.hint)
