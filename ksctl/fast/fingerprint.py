"""What a registry's files are right now, found fast: every folder's and file's stat.

Standard library only, plain strings throughout: at 20,000 files a pathlib object
per file costs more than the system calls. The loader walks the tree with `walk`, and the
caches compare its stats with the ones they recorded; a file whose size or modification
time changed, or whose time is too close to the recording to trust, is compared by a
digest of its content, so a cache is keyed by content, never by time alone (git's index
makes the same trade).
"""

from __future__ import annotations

import errno
import os
import stat as st
import time

SUFFIXES = (".yaml", ".yml")
RACY_NS = 2_000_000_000
"""A file or folder changed within this long before a recording may change again without
its time moving (coarse clocks): it is never trusted by its stat alone."""

Stat = tuple[int, int]  # (mtime_ns, size); (0, -1) for a link that leads nowhere


class Tree:
    """Every YAML file and every folder under a registry root, by path relative to it.

    Folders are "" for the root and end in "/" otherwise; files are in sorted walking
    order. `links` names the files that are symbolic links (their stat is their target's,
    so an edit of the target is seen) and `folder_links` the linked folders, not followed,
    and the links that lead round in a loop. `special` names the files that are not
    regular files (a FIFO, a device, a socket): they are listed, so that they are reported
    and claim their id, but never opened (reading a FIFO waits for a writer forever).
    `taken_ns` is when the walk began: a recording is as old as its oldest stat. (A plain
    class: a query imports this, and a dataclass costs start-up time.)
    """

    __slots__ = ("dirs", "files", "folder_links", "links", "special", "taken_ns")

    def __init__(self, taken_ns: int = 0) -> None:
        self.dirs: dict[str, int] = {}
        self.files: dict[str, Stat] = {}
        self.links: set[str] = set()
        self.folder_links: list[str] = []
        self.special: set[str] = set()
        self.taken_ns = taken_ns


def now_ns() -> int:
    """The time a recording is taken at (one place, so a test can move the clock)."""
    return time.time_ns()


def walk(root: str) -> Tree:
    tree = Tree(taken_ns=now_ns())
    root = root.rstrip("/") or "/"
    tree.dirs[""] = os.stat(root).st_mtime_ns
    _visit(root, "", tree)
    return tree


def _visit(folder: str, rel: str, tree: Tree) -> None:
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    subfolders = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            relpath = f"{rel}{name}/"
            tree.dirs[relpath] = entry.stat(follow_symlinks=False).st_mtime_ns
            subfolders.append((entry.path, relpath))
        elif entry.is_symlink():
            target = link_target(entry.path)
            if target == "folder":
                tree.folder_links.append(rel + name)
            elif name.lower().endswith(SUFFIXES):
                tree.links.add(rel + name)
                tree.files[rel + name] = _follow(entry.path)
            elif target == "loop":  # perhaps meant as a folder: reported, never followed
                tree.folder_links.append(rel + name)
        elif name.lower().endswith(SUFFIXES):
            s = entry.stat(follow_symlinks=False)
            tree.files[rel + name] = (s.st_mtime_ns, s.st_size)
            if not st.S_ISREG(s.st_mode):
                tree.special.add(rel + name)
    for path, relpath in subfolders:
        _visit(path, relpath, tree)


def link_target(path: str) -> str:
    """What the symbolic link at `path` leads to: "file" (a regular file), "folder",
    "special" (a FIFO, device or socket), "loop" (links leading round) or "nothing"."""
    try:
        s = os.stat(path)
    except OSError as exc:
        return "loop" if exc.errno == errno.ELOOP else "nothing"
    if st.S_ISDIR(s.st_mode):
        return "folder"
    return "file" if st.S_ISREG(s.st_mode) else "special"


def _follow(path: str) -> Stat:
    try:
        s = os.stat(path)
    except OSError:
        return (0, -1)
    return (s.st_mtime_ns, s.st_size)


def stat_of(path: str) -> Stat | None:
    """The stat `walk` would record for one file (following a link), or None if gone."""
    try:
        s = os.stat(path)
    except OSError:
        return None if not os.path.islink(path) else (0, -1)
    return None if st.S_ISDIR(s.st_mode) else (s.st_mtime_ns, s.st_size)


def read_regular(path: str, known: os.stat_result | None = None) -> bytes | None:
    """The bytes of the file at `path` (following a link), or None when it is not a
    regular file: a FIFO or a device is never opened, and one put in place of a file
    after it was looked at is opened without waiting and not read. `known` is a stat of
    `path` just taken, to spare taking another."""
    try:
        s = known if known is not None else os.stat(path)
        if not st.S_ISREG(s.st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        now = os.fstat(fd)
        if not st.S_ISREG(now.st_mode):
            return None
        parts = []
        while chunk := os.read(fd, now.st_size + 1):  # all of it, then the end
            parts.append(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def digest(data: bytes) -> bytes:
    import hashlib  # only when something is read: a warm query reads no file

    return hashlib.blake2b(data, digest_size=16).digest()


def digest_file(path: str) -> bytes:
    try:
        raw = read_regular(path)
    except OSError:
        raw = None
    if raw is not None:
        return digest(raw)
    try:  # a link to nothing: what it names, not its bytes, is what it is
        return digest(b"link:" + os.readlink(path).encode())
    except OSError:  # not a regular file, or gone
        try:
            return digest(b"special:%o" % os.stat(path).st_mode)
        except OSError:
            return b"unreadable"


def trusted(now: Stat, recorded: Stat, written_ns: int) -> bool:
    """True when a file with stat `now` certainly still has the content it had when
    `recorded` was taken by a recording written at `written_ns`."""
    return now == recorded and now[0] < written_ns - RACY_NS


def listing(root: str, reldir: str) -> tuple[set[str], set[str]] | None:
    """The YAML files and subfolders of one folder now (relative paths), or None."""
    files: set[str] = set()
    dirs: set[str] = set()
    try:
        with os.scandir(os.path.join(root, reldir)) as it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    dirs.add(f"{reldir}{name}/")
                elif name.lower().endswith(SUFFIXES) and not (
                    entry.is_symlink() and link_target(entry.path) == "folder"
                ):
                    files.add(reldir + name)
    except OSError:
        return None
    return files, dirs


def dir_mtime(root: str, reldir: str) -> int | None:
    try:
        s = os.lstat(os.path.join(root, reldir) if reldir else root)
    except OSError:
        return None
    return s.st_mtime_ns if st.S_ISDIR(s.st_mode) else None
