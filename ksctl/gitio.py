"""What git knows about the registry's repository. Standard library only."""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ksctl.errors import BadRevision, GitProblem


@dataclass(frozen=True)
class Head:
    commit: str
    date: str  # committer date, YYYY-MM-DD


def _run(
    folder: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args],
            input=stdin,
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitProblem(" ".join(args[:2]), str(exc)) from None


def _git(folder: Path, *args: str, binary: bool = False) -> bytes:
    done = _run(folder, *args)
    if done.returncode != 0:
        raise GitProblem(" ".join(args[:2]), done.stderr.decode(errors="replace"))
    return done.stdout


def head(folder: Path) -> Head | None:
    """The commit checked out in `folder`'s repository, or None outside git."""
    try:
        out = _git(folder, "log", "-1", "--format=%h %cs").decode().split()
    except GitProblem:
        return None
    return Head(out[0], out[1]) if len(out) == 2 else None


def toplevel(folder: Path) -> Path:
    return Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())


def resolve(folder: Path, rev: str) -> str:
    """The commit id `rev` names in `folder`'s repository; a GitProblem that names `rev` and
    says what was expected when it names none."""
    done = _run(folder, "rev-parse", "--verify", "--quiet", rev + "^{commit}")
    if done.returncode == 0:
        return done.stdout.decode().strip()
    said = done.stderr.decode(errors="replace").strip()  # not a repository, and the like
    if said:
        raise GitProblem("rev-parse", said)
    raise BadRevision(rev, folder)


def default_base(folder: Path) -> str:
    """The merge base of HEAD with the default branch (origin's, else main or master)."""
    for candidate in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        try:
            resolve(folder, candidate)
        except GitProblem:
            continue
        return _git(folder, "merge-base", candidate, "HEAD").decode().strip()
    raise GitProblem("merge-base", "no default branch found (origin/HEAD, main or master)")


def changed_files(folder: Path, rev: str) -> list[str]:
    """Files changed since `rev` in the working tree, untracked ones included, relative to
    the repository's top folder."""
    resolve(folder, rev)
    changed = _git(folder, "diff", "--name-only", "--no-renames", rev, "--").decode()
    untracked = _git(folder, "ls-files", "--others", "--exclude-standard", "--full-name").decode()
    return sorted(set(changed.splitlines()) | {p for p in untracked.splitlines() if p})


def extract(folder: Path, rev: str, subdir: str, target: Path) -> Path:
    """Write the tree of `subdir` at `rev` into `target`; return the extracted subdir."""
    resolve(folder, rev)
    data = _git(folder, "archive", "--format=tar", rev, "--", subdir)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    return target / subdir


def read_files(folder: Path, rev: str, paths: list[str]) -> dict[str, bytes | None]:
    """The content at `rev` of each of `paths` (relative to the repository's top folder),
    None where the file did not exist then; one git process for them all."""
    commit = resolve(folder, rev)
    if not paths:
        return {}
    done = _run(
        folder,
        "cat-file",
        "--batch",
        stdin="".join(f"{commit}:{p}\n" for p in paths).encode("utf-8"),
    )
    if done.returncode != 0:
        raise GitProblem("cat-file --batch", done.stderr.decode(errors="replace"))
    out: dict[str, bytes | None] = {}
    data, at = done.stdout, 0
    for path in paths:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[path] = data[at : at + size]
            at += size + 1  # the content, then a newline
        else:
            out[path] = None  # "missing", or a folder
            if len(header) == 3:
                at += int(header[2]) + 1
    return out
