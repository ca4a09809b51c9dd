"""The fast path: answers and validations from snapshots of the last run, and re-checks of
only what a change can reach. Its one interface:

- `answer(root, ask)`: a query, from the query snapshot when the files it read are
  unchanged (`snapshot`);
- `validate(root, at)`: the diagnostics as of `at`; an unchanged registry is answered from
  the validation snapshot, a changed one re-checks what the change reaches (`rescope`), and
  only else runs in full (`ksctl.pipeline`), reusing the parse of unchanged files;
- `validate(root, at, changed_since=REV)`: the same, reporting only on the files a change
  since the git revision can alter (`changed`).

What a change can reach comes from what each rule declares it reads (`scope`). The cyclic
garbage collector is paused once, here (`memory`). Standard library only until something
must be parsed: a warm query imports neither pydantic nor ruamel.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ksctl import dates
from ksctl.fast.memory import paused_gc

if TYPE_CHECKING:
    from ksctl.fast.snapshot import Outcome
    from ksctl.registry import Registry
    from ksctl.result import Result

T = TypeVar("T")


def answer(root: Path, ask: Callable[[Registry], T], *, use_cache: bool = True) -> Outcome[T]:
    """Ask `ask` of the registry in `root`, from the snapshot when everything the answer
    read is unchanged, else from a fresh load (which then writes the snapshot)."""
    from ksctl.fast import snapshot

    with paused_gc():
        return snapshot.answer(root, ask, use_cache=use_cache)


def validate(
    root: Path,
    at: datetime.date,
    *,
    use_cache: bool = True,
    changed_since: str | None = None,
) -> Result:
    """The validation of the registry in `root` as of `at`; with `changed_since`, only the
    diagnostics of the files a change since that git revision can alter."""
    with paused_gc():
        result = _validate(root, at, use_cache)
        if changed_since is None:
            return result
        from ksctl.fast import changed

        return result.only(changed.reported(root, changed_since, result))


def _validate(root: Path, at: datetime.date, use_cache: bool) -> Result:
    from ksctl.fast import fingerprint, snapshot
    from ksctl.result import Result

    latest = dates.latest_day(at)  # once: the snapshot's key and the rules agree across midnight
    key = dates.check_key(at, latest)
    tree = fingerprint.walk(str(root.absolute()))
    earlier = None
    snap = snapshot.ValidationSnapshot.open(root) if use_cache else None
    if snap is not None:
        try:
            if snap.answers(key, tree):
                diagnostics, checked = snap.diagnostics()
                with contextlib.suppress(*snapshot.UNREADABLE):  # the answer stands
                    snap.settle(tree)
                return Result(diagnostics, checked)
            from ksctl.fast import rescope  # the models: something must be checked

            scoped = rescope.run(root, at, tree, snap, latest)
            if scoped is not None:
                return scoped
            earlier = snap.earlier()
        except snapshot.UNREADABLE:
            earlier = None
        finally:
            snap.close()
    from ksctl import loader, pipeline  # the models: only when something must be checked

    result = pipeline.validate(root, at, tree=tree, earlier=earlier, latest=latest)
    registry = result.registry
    if use_cache and registry is not None and registry.settings is not None:
        assert result.load is not None
        limits = loader.limits_of(registry.settings)
        snapshot.write_validation(root, snapshot.full_validation(root, key, result.load, limits))
    return result
