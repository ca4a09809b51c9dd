"""A cache of the loaded registry for queries, keyed by the content of every file.

Layer 3.8, standard library only on the hit path: a query answered from a warm cache does
not import pydantic or ruamel. The cache file records every registry file's size, mtime and
BLAKE2 digest; a file whose size or mtime changed is re-hashed, and only a changed digest
(or an added or removed file) invalidates the cache, which is then rebuilt by a full load.
Writes are atomic (temporary file, then rename), so concurrent runs never see half a file;
the format is versioned, and a corrupt or foreign cache file is ignored and replaced.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path
from typing import Any

from ksctl import __version__
from ksctl.registry import Entity, Registry

FORMAT = 2
_SUFFIXES = (".yaml", ".yml")


def cache_dir() -> Path:
    if os.environ.get("KSCTL_CACHE_DIR"):
        return Path(os.environ["KSCTL_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ksctl"


def cache_file(root: Path) -> Path:
    where = str(root.absolute())
    key = f"{zlib.crc32(where.encode()):08x}-{len(where)}"  # names the folder, not content
    return cache_dir() / f"registry-{key}.json"


def _stat_files(root: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (mtime_ns, size) of every registry file, without following links."""
    out: dict[str, tuple[int, int]] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.name.endswith(_SUFFIXES) or entry.is_symlink():
                    st = entry.stat(follow_symlinks=False)
                    rel = Path(entry.path).relative_to(root).as_posix()
                    out[rel] = (st.st_mtime_ns, st.st_size)
    return out


def _digest(path: Path) -> str:
    import hashlib  # only when a file's size or mtime changed

    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:  # a dangling link: its target, not its bytes, is what matters
        return "unreadable:" + str(path.readlink()) if path.is_symlink() else "unreadable"


def _manifest(root: Path) -> dict[str, list[Any]]:
    return {
        rel: [mtime, size, _digest(root / rel)] for rel, (mtime, size) in _stat_files(root).items()
    }


RACY_NS = 2_000_000_000


def _valid(root: Path, recorded: dict[str, list[Any]], written_ns: int) -> bool:
    """True when every file still has its recorded content.

    A file whose size and mtime are unchanged is taken as unchanged (git's index makes the
    same trade), except when its mtime is within two seconds of the cache's writing: an
    edit in that window could keep both, so such "racy" files are always re-hashed.
    """
    current = _stat_files(root)
    if current.keys() != recorded.keys():
        return False
    for rel, (mtime, size) in current.items():
        old_mtime, old_size, old_digest = recorded[rel]
        same_stat = (mtime, size) == (old_mtime, old_size) and mtime < written_ns - RACY_NS
        if not same_stat and _digest(root / rel) != old_digest:
            return False
    return True


def read(root: Path) -> tuple[Registry, int] | None:
    """The cached registry and its error count, or None when there is no valid cache."""
    try:
        doc = json.loads(cache_file(root).read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT or doc.get("ksctl") != __version__:
            return None
        if not _valid(root, doc["files"], int(doc["written_ns"])):
            return None
        by_kind: dict[str, dict[str, Entity]] = {}
        for kind, ident, path, data in doc["entities"]:
            by_kind.setdefault(kind, {})[ident] = Entity(kind, ident, path, (), None, None, data)
        return Registry(root, None, by_kind, doc["policies"]), int(doc["errors"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, truncated, corrupt or foreign: rebuild


def write(
    root: Path, registry: Registry, errors: int, manifest: dict[str, list[Any]] | None = None
) -> None:
    doc = {
        "format": FORMAT,
        "ksctl": __version__,
        "root": str(root.absolute()),
        "written_ns": time.time_ns(),
        "files": manifest if manifest is not None else _manifest(root),
        "errors": errors,
        "policies": dict(registry.policies),
        "entities": [[e.kind, e.id, e.path, e.data] for e in registry],
    }
    import tempfile

    target = cache_file(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        Path(tmp).replace(target)
    except OSError:
        pass  # a cache that cannot be written only costs speed


def open_registry(root: Path, *, use_cache: bool = True) -> tuple[Registry, int]:
    """The registry for queries, and how many errors validation would report."""
    if use_cache:
        hit = read(root)
        if hit is not None:
            return hit
    from ksctl import loader
    from ksctl.diagnostics import Severity

    manifest = _manifest(root) if use_cache else None  # before loading: a file changed
    result = loader.load(root)  # while we load must invalidate what we write
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    if use_cache:
        write(root, result.registry, errors, manifest)
    return result.registry, errors


# ------------------------------------------------------------------------------ validation
# A second cache file holds the last validation's diagnostics, valid while every file has
# the content it had then and the date and ksctl are the same.


def _validation_file(root: Path) -> Path:
    return cache_file(root).with_name(cache_file(root).stem + "-validate.json")


def read_validation(root: Path, at: str) -> tuple[list[dict[str, Any]], int] | None:
    try:
        doc = json.loads(_validation_file(root).read_text(encoding="utf-8"))
        if (doc.get("format"), doc.get("ksctl"), doc.get("at")) != (FORMAT, __version__, at):
            return None
        if not _valid(root, doc["files"], int(doc["written_ns"])):
            return None
        return list(doc["diagnostics"]), int(doc["checked"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_validation(
    root: Path,
    at: str,
    manifest: dict[str, list[Any]],
    diagnostics: list[dict[str, Any]],
    checked: int,
) -> None:
    import tempfile

    doc = {
        "format": FORMAT,
        "ksctl": __version__,
        "at": at,
        "written_ns": time.time_ns(),
        "files": manifest,
        "diagnostics": diagnostics,
        "checked": checked,
    }
    target = _validation_file(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        Path(tmp).replace(target)
    except OSError:
        pass


def manifest(root: Path) -> dict[str, list[Any]]:
    return _manifest(root)
