"""Validation with its cache: an unchanged registry is answered from the last run, and a
changed one parses only the files that changed.

Layer 4.7. The diagnostics are always a full validation's: every reference and rule is
checked again over the whole registry, only the parsing of unchanged files is skipped
(each file's parse depends on nothing but its bytes and the size limits).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ksctl import cache, fingerprint
from ksctl.memory import paused_gc

if TYPE_CHECKING:
    from ksctl.diagnostics import Diagnostic
    from ksctl.loader import LoadResult


def run(
    root: Path, at: datetime.date, *, use_cache: bool = True
) -> tuple[list[Diagnostic], int, LoadResult | None]:
    """The diagnostics as of `at`, how many files were checked, and the load they came
    from (None when they came from the cache: unchanged, or checked again only where a
    change can reach)."""
    with paused_gc():  # reading and writing the snapshot too
        return _run(root, at, use_cache)


def _run(
    root: Path, at: datetime.date, use_cache: bool
) -> tuple[list[Diagnostic], int, LoadResult | None]:
    tree = fingerprint.walk(str(root.absolute()))
    earlier = None
    snap = cache.ValidationSnapshot.open(root) if use_cache else None
    if snap is not None:
        try:
            if snap.answers(at.isoformat(), tree):
                diagnostics, checked = snap.diagnostics()
                return diagnostics, checked, None
            from ksctl import incremental  # the models: something must be checked

            scoped = incremental.run(root, at, tree, snap)
            if scoped is not None:
                return scoped[0], scoped[1], None
            earlier = snap.earlier()
        except cache.UNREADABLE:
            earlier = None
        finally:
            snap.close()
    from ksctl import checks, loader  # the models: only when something must be checked

    result = checks.validate(root, at, tree=tree, earlier=earlier)
    if use_cache and result.registry.settings is not None:
        limits = loader.limits_of(result.registry.settings)
        cache.write_validation(root, cache.full_validation(root, at.isoformat(), result, limits))
    return result.diagnostics, result.files, result
