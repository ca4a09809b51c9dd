"""The registry's history from git: for each recent commit that changed the registry, what
changed in the domain's words (`diffing.diff` between the registry before and after it).

Data only: the site phrases it in Swedish (`render.changes`). Commits are followed along
the first parent, so a merged pull request is one change, as it was published; the newest
`limit` of them are read. The result depends on the commits alone (their ids, dates and
trees), never on when it is computed. Outside git, or in a shallow clone whose history is
cut off, there is no history, and `History.missing` says why instead of failing.
"""

from __future__ import annotations

import functools
import tempfile
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ksctl import gitio
from ksctl.diffing import Alarm, Change, diff
from ksctl.errors import GitProblem
from ksctl.registry import Registry

LIMIT = 30  # commits: enough for "the latest changes"; each costs a load of the registry

NOT_GIT = "not-git"  # the registry is not in a git repository
SHALLOW = "shallow"  # a shallow clone: the commits before its cut are missing
NO_COMMITS = "no-commits"  # no commit has touched the registry yet


@dataclass(frozen=True)
class Revision:
    """One commit that changed the registry, and what it changed."""

    commit: str  # the full id
    date: str  # the committer's date, YYYY-MM-DD
    time: str  # the committer's date and time, ISO 8601 with its offset
    subject: str  # the commit message's first line
    changes: list[Change]
    alarms: list[Alarm]
    # The names of the entities the changes concern or name (a host, a person), as the
    # registry had them after the commit, else before it: {"npo:akut-vard": "Akut vård"}.
    names: dict[str, str] = field(default_factory=dict)
    first: bool = False  # the commit that created the registry (no registry before it)

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class History:
    revisions: list[Revision]  # newest first
    missing: str | None = None  # NOT_GIT, SHALLOW or NO_COMMITS when there is none
    complete: bool = True  # whether the revisions reach back to the registry's first commit

    def of(self, ref: str) -> list[tuple[Revision, Change]]:
        """The changes to one entity (`kind:id`), newest first."""
        return [(r, c) for r in self.revisions for c in r.changes if c.ref == ref]

    def by_ref(self) -> dict[str, list[tuple[Revision, Change]]]:
        """Every entity's changes, newest first, in one pass."""
        out: dict[str, list[tuple[Revision, Change]]] = {}
        for r in self.revisions:
            for c in r.changes:
                out.setdefault(c.ref, []).append((r, c))
        return out


def read(root: Path, limit: int = LIMIT) -> History:
    """The newest `limit` commits that changed the registry at `root`, with their changes."""
    try:
        top = gitio.toplevel(root).resolve()
    except GitProblem:
        return History([], NOT_GIT)
    sub = root.resolve().relative_to(top).as_posix()
    if _git(top, "rev-parse", "--is-shallow-repository").strip() == "true":
        return History([], SHALLOW)
    try:
        log = _git(
            top,
            "log",
            "--first-parent",
            f"--max-count={limit + 1}",
            "--format=%H%x1f%P%x1f%cs%x1f%cI%x1f%s%x1e",
            "HEAD",
            "--",
            sub,
        )
    except GitProblem:
        return History([], NO_COMMITS)  # a repository without commits
    commits = [line.strip("\n").split("\x1f") for line in log.split("\x1e") if line.strip()]
    if not commits:
        return History([], NO_COMMITS)
    shown, older = commits[:limit], commits[limit:]
    complete = not older
    firsts = {c[0]: (c[1].split() or [""])[0] for c in shown}
    trees = _trees(top, sub, [*firsts, *(p for p in firsts.values() if p)])
    with tempfile.TemporaryDirectory(prefix="ksctl-history-") as tmp:
        loads = _Loads(top, sub, Path(tmp))
        revisions = []
        # Oldest first, so that each registry is loaded once and reused by the next commit.
        for commit, _, date, time, subject in reversed(shown):
            parent = firsts[commit]
            before = loads.at(parent, trees.get(parent)) if parent else None
            after = loads.at(commit, trees.get(commit))
            if after is None:
                continue  # the registry was removed: nothing to show on its site
            if before is None:
                changes, alarms = diff(_empty(after), after)
            else:
                share = float(after.policies.get("mass_removal_share", 0.2))
                changes, alarms = diff(before, after, mass_share=share)
            names = _names(changes, (after, before) if before is not None else (after,))
            revisions.append(
                Revision(commit, date, time, subject, changes, alarms, names, first=before is None)
            )
    return History(list(reversed(revisions)), complete=complete)


def _git(top: Path, *args: str) -> str:
    return gitio._git(top, *args).decode("utf-8", errors="replace")


def _trees(top: Path, sub: str, commits: list[str]) -> dict[str, str]:
    """The id of the registry's folder tree at each commit (absent where it had none): two
    commits with the same tree hold the same registry, loaded once."""
    path = "" if sub == "." else sub
    done = gitio._run(
        top, "cat-file", "--batch-check", stdin="".join(f"{c}:{path}\n" for c in commits).encode()
    )
    out = {}
    for commit, line in zip(commits, done.stdout.decode().splitlines(), strict=False):
        parts = line.split()
        if len(parts) == 3 and parts[1] == "tree":
            out[commit] = parts[0]
    return out


def _empty(like: Registry) -> Registry:
    return Registry(like.root, like.settings, {})


class _Loads:
    """Registries at commits, each loaded once; a file unchanged since the last load is not
    parsed again (its content decides, as for a validation's cache)."""

    def __init__(self, top: Path, sub: str, tmp: Path) -> None:
        self.top, self.sub, self.tmp = top, sub, tmp
        self.held: dict[str | None, Registry | None] = {}
        self.earlier: dict[str, Any] = {}
        self.limits: tuple[int, int, int] | None = None

    def at(self, commit: str, tree: str | None) -> Registry | None:
        """The registry at `commit`, whose registry folder is `tree` (None: it has none)."""
        if tree is None:
            return None
        if tree in self.held:
            return self.held[tree]
        from ksctl import loader

        target = self.tmp / commit
        try:
            folder = gitio.extract(self.top, commit, self.sub, target)
        except GitProblem:
            folder = target / self.sub
        if not (folder / "ksctl.yaml").is_file():
            self.held[tree] = None
            return None
        result = loader.load(folder, earlier=self.earlier, earlier_limits=self.limits)
        self.earlier = {
            rel: loader.Earlier((-1, -1), parsed.digest, parsed.data, parsed.diagnostics, {})
            for rel, parsed in (result.parsed or {}).items()
        }
        if result.registry.settings is not None:
            self.limits = loader.limits_of(result.registry.settings)
        # Two registries are compared at a time; older ones are dropped as the walk moves on.
        if len(self.held) >= 2:
            del self.held[next(iter(self.held))]
        self.held[tree] = result.registry
        return result.registry


def _names(changes: Iterable[Change], registries: tuple[Registry, ...]) -> dict[str, str]:
    """The names of every entity the changes concern or name (and of the place each sits
    in), as the first of `registries` that holds it has it."""
    refs: set[str] = set()
    for c in changes:
        kind, _, ident = c.ref.partition(":")
        refs.add(c.ref)
        if "/" in ident:
            place = ident.split("/", 1)[0]
            refs.update({f"region:{place}", f"healthcare-region:{place}"})
        for side in (c.before, c.after):
            if isinstance(side, Mapping):
                refs.update(_refs_in(side))
        if c.field in (fields := reference_fields(kind)):
            for side in (c.before, c.after):
                if isinstance(side, str) and side:
                    refs.add(side if fields[c.field] == "" else f"{fields[c.field]}:{side}")
    out = {}
    for ref in sorted(refs):
        kind, _, ident = ref.partition(":")
        for reg in registries:
            found = reg.get(kind, ident)
            if found is not None:
                data = found.data or {}
                name = data.get("official_name") if kind == "healthcare-region" else None
                out[ref] = str(name or found.label)
                break
    return out


def _refs_in(item: Mapping[str, Any]) -> Iterable[str]:
    """The references a hosting period or a seat holds, as `kind:id`."""
    for key, kind in (
        ("host", ""),
        ("dormant_host", "healthcare-region"),
        ("person", "person"),
        ("represents", ""),
    ):
        value = item.get(key)
        if isinstance(value, str) and value and value != "self":
            yield value if not kind else f"{kind}:{value}"


@functools.cache
def reference_fields(kind: str) -> dict[str, str]:
    """The top-level fields of `kind` that refer to another entity, with the kind a bare id
    in them names ("" where the value is written `kind:id`), read from the model."""
    from ksctl import kinds, model

    found = kinds.find(kind)
    cls = getattr(model, found.model, None) if found and isinstance(found.model, str) else None
    if found is not None and not isinstance(found.model, str):
        cls = found.model
    if cls is None:
        return {}
    out = {}
    for name, info in cls.model_fields.items():
        for meta in (*info.metadata, *_metadata(info.annotation)):
            if isinstance(meta, model.RefTo):
                out[info.alias or name] = "" if meta.qualified else meta.kinds[0]
    return out


def _metadata(annotation: Any) -> Iterable[Any]:
    """The Annotated metadata of a field's type, through `X | None`."""
    yield from getattr(annotation, "__metadata__", ())
    for arg in typing.get_args(annotation):
        yield from getattr(arg, "__metadata__", ())
